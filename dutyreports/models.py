"""代表述职月: every December the directly elected deputies report to their voters (三述: on site,
in writing, by live stream), are evaluated (三评) and the results are published (三公开). This
module holds the campaign and the reports."""

from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.codes import new_code
from core.photos import PhotoField
from core.uploads import ImageFileValidator
from directory.models import DEPUTY_SCOPE_LOOKUPS, Level


class Grade(models.TextChoices):
    """The four grades of a deputy's evaluation; a ballot chooses one, the combined score falls in
    one by the year's bands."""

    EXCELLENT = "excellent", _("优秀")
    COMPETENT = "competent", _("称职")
    BASIC = "basic", _("基本称职")
    INCOMPETENT = "incompetent", _("不称职")


# The points a ballot's grade is worth; a part's score is the mean over its ballots.
GRADE_POINTS = {
    Grade.EXCELLENT: 100,
    Grade.COMPETENT: 80,
    Grade.BASIC: 60,
    Grade.INCOMPETENT: 0,
}


class BatchRule(models.TextChoices):
    """How the office chose the year's batch of deputies who report (the office's choice)."""

    ALL = "all", _("全体直选代表")
    NOT_REPORTED = "not_reported", _("本届尚未述职的代表")
    STATIONS = "stations", _("按家站")
    TOWNSHIPS = "townships", _("按乡镇(街道)")


class ReportCampaign(models.Model):
    """A duty-report campaign of a year (代表述职月), organised by the county's 人大常委会 for
    county deputies or by a township's 人大主席团 (``township``) for that township's deputies.
    The deputies who report this year are the campaign's batch (BatchMember), not the roster."""

    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    # The organiser: empty for the county office, else the township whose 主席团 runs it.
    township = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"level": "township"},
        verbose_name=_("组织单位(乡镇人大主席团)"),
        help_text=_("留空为县人大常委会组织的县人大代表述职。"),
    )
    batch_rule = models.CharField(
        _("述职名单产生方式"), max_length=20, choices=BatchRule.choices, default=BatchRule.ALL
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    deadline = models.DateField(_("述职截止日期"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    # 三评: the year's weights of the three evaluations (percent, summing to 100) and the grade
    # bands on the combined score (0–100). Staff set them before the evaluation closes.
    voter_weight = models.PositiveSmallIntegerField(_("选民评议权重(%)"), default=50)
    peer_weight = models.PositiveSmallIntegerField(_("代表互评权重(%)"), default=20)
    organisation_weight = models.PositiveSmallIntegerField(_("组织考评权重(%)"), default=30)
    excellent_min = models.DecimalField(
        _("优秀最低分"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    competent_min = models.DecimalField(
        _("称职最低分"), max_digits=5, decimal_places=2, default=Decimal("75")
    )
    basic_min = models.DecimalField(
        _("基本称职最低分"), max_digits=5, decimal_places=2, default=Decimal("60")
    )
    evaluation_closed_at = models.DateTimeField(_("测评结束时间"), null=True, blank=True)

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("述职活动")
        verbose_name_plural = _("述职活动")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year"],
                condition=Q(township__isnull=True),
                name="campaign_once_per_year",
            ),
            models.UniqueConstraint(
                fields=["township", "year"],
                condition=Q(township__isnull=False),
                name="township_campaign_once_per_year",
            ),
        ]

    def __str__(self) -> str:
        if self.township_id is not None:
            return _("%(township)s%(year)d年代表述职") % {
                "township": self.township,
                "year": self.year,
            }
        return _("%(year)d年代表述职") % {"year": self.year}

    @property
    def level(self) -> str:
        """The level of the mandates whose deputies report: county or township."""
        return Level.COUNTY if self.township_id is None else Level.TOWNSHIP

    @property
    def county_office_id(self) -> int | None:
        """The county whose committee staff run the campaign (None for a township's)."""
        return self.county_id if self.township_id is None else None

    @property
    def organiser_name(self) -> str:
        if self.township_id is None:
            return str(_("县人大常委会"))
        return _("%(township)s人大主席团") % {"township": self.township}

    @property
    def evaluation_open(self) -> bool:
        return self.evaluation_closed_at is None

    def grade_for(self, score: Decimal | None) -> str:
        """The grade band of a combined score (优秀 / 称职 / 基本称职 / 不称职)."""
        if score is None:
            return ""
        if score >= self.excellent_min:
            return Grade.EXCELLENT
        if score >= self.competent_min:
            return Grade.COMPETENT
        if score >= self.basic_min:
            return Grade.BASIC
        return Grade.INCOMPETENT


class BatchMember(models.Model):
    """A deputy on a campaign's batch (述职名单): chosen by the campaign's rule, added by hand, or
    removed by hand (kept as a row so that choosing by the rule again does not bring them back)."""

    class Source(models.TextChoices):
        RULE = "rule", _("按规则选定")
        ADDED = "added", _("手动增加")
        REMOVED = "removed", _("手动移出")
        HISTORY = "history", _("原全员述职名单")

    campaign = models.ForeignKey(
        ReportCampaign, models.CASCADE, related_name="members", verbose_name=_("述职活动")
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.CASCADE, related_name="+", verbose_name=_("代表")
    )
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    changed_at = models.DateTimeField(_("操作时间"), auto_now=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS
    IN_BATCH = Q(source__in=[Source.RULE, Source.ADDED, Source.HISTORY])

    class Meta:
        verbose_name = _("述职名单")
        verbose_name_plural = _("述职名单")
        ordering = ["campaign", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "deputy"], name="batch_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.campaign}"


class DutyReport(models.Model):
    """One deputy's report of the year, in up to three forms (三述)."""

    campaign = models.ForeignKey(
        ReportCampaign, models.CASCADE, related_name="reports", verbose_name=_("述职活动")
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.CASCADE, related_name="duty_reports", verbose_name=_("代表")
    )
    # 现场述职
    onsite_date = models.DateField(_("现场述职日期"), null=True, blank=True)
    onsite_place = models.CharField(_("现场述职地点"), max_length=120, blank=True)
    voters_present = models.PositiveIntegerField(_("到场选民人数"), null=True, blank=True)
    onsite_photo = PhotoField(
        _("现场照片"),
        upload_to="duty-reports/%Y/",
        blank=True,
        validators=[ImageFileValidator()],
    )
    # 书面述职
    written_text = models.TextField(_("书面述职"), blank=True)
    # 直播述职
    live_link = models.URLField(_("直播链接"), blank=True)
    live_viewers = models.PositiveIntegerField(_("观看人数"), null=True, blank=True)
    filed_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    # 三公开 (1): the report itself, once staff approve it.
    report_published_at = models.DateTimeField(_("述职公开时间"), null=True, blank=True)
    report_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("述职公开审核人"),
    )
    # 三评: the combined result, fixed when the evaluation closes; each part keeps its votes.
    voter_score = models.DecimalField(
        _("选民评议得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    voter_votes = models.PositiveIntegerField(_("选民评议票数"), default=0)
    peer_score = models.DecimalField(
        _("代表互评得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    peer_votes = models.PositiveIntegerField(_("代表互评票数"), default=0)
    organisation_score = models.DecimalField(
        _("组织考评得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    organisation_votes = models.PositiveIntegerField(_("组织考评票数"), default=0)
    total_score = models.DecimalField(
        _("综合得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("评议等次"), max_length=12, choices=Grade.choices, blank=True)
    # 三公开 (3): the evaluation result, once staff approve it.
    result_published_at = models.DateTimeField(_("结果公开时间"), null=True, blank=True)
    result_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("结果公开审核人"),
    )

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["campaign", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "deputy"], name="report_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.campaign}"

    @property
    def forms_filed(self) -> list[str]:
        forms = []
        if self.onsite_date:
            forms.append(str(_("现场")))
        if self.written_text:
            forms.append(str(_("书面")))
        if self.live_link:
            forms.append(str(_("直播")))
        return forms


def new_ballot_code() -> str:
    return new_code()


class BallotCode(models.Model):
    """A one-time code (or link) handed to one voter to evaluate one deputy's report."""

    report = models.ForeignKey(
        DutyReport, models.CASCADE, related_name="ballot_codes", verbose_name=_("述职报告")
    )
    code = models.CharField(
        _("评议码"), max_length=32, unique=True, default=new_ballot_code, editable=False
    )
    created_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("选民评议码")
        verbose_name_plural = _("选民评议码")

    def __str__(self) -> str:
        return self.code[:8]


class ReportEvaluation(models.Model):
    """One ballot of 三评: a voter's (by code or a paper form entered by staff), a fellow deputy's,
    or the organisation's (staff). One vote each: a code once, a peer once, the organisation once."""

    class Kind(models.TextChoices):
        VOTER = "voter", _("选民评议")
        PEER = "peer", _("代表互评")
        ORGANISATION = "organisation", _("组织考评")

    report = models.ForeignKey(
        DutyReport, models.CASCADE, related_name="evaluations", verbose_name=_("述职报告")
    )
    kind = models.CharField(_("评议类型"), max_length=12, choices=Kind.choices)
    grade = models.CharField(_("评议等次"), max_length=12, choices=Grade.choices)
    comment = models.TextField(_("意见建议"), blank=True)
    code = models.OneToOneField(
        BallotCode,
        # RESTRICT: a used code goes only with its report.
        models.RESTRICT,
        null=True,
        blank=True,
        related_name="ballot",
        verbose_name=_("评议码"),
    )
    evaluator = models.ForeignKey(
        "directory.Deputy",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("互评代表"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("评议时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("述职评议")
        verbose_name_plural = _("述职评议")
        ordering = ["report", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "evaluator"],
                condition=Q(kind="peer"),
                name="peer_evaluates_once",
            ),
            models.UniqueConstraint(
                fields=["report"],
                condition=Q(kind="organisation"),
                name="organisation_evaluates_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} {self.get_kind_display()} {self.get_grade_display()}"


class Rectification(models.Model):
    """问题整改: a problem raised about a deputy's duty (at the report or in the evaluation), the
    measure, the deadline and the evidence; published once staff approve (三公开 (2))."""

    class Status(models.TextChoices):
        PENDING = "pending", _("整改中")
        DONE = "done", _("已整改")

    report = models.ForeignKey(
        DutyReport, models.CASCADE, related_name="rectifications", verbose_name=_("述职报告")
    )
    problem = models.CharField(_("存在问题"), max_length=300)
    measure = models.CharField(_("整改措施"), max_length=300)
    deadline = models.DateField(_("整改期限"))
    status = models.CharField(
        _("整改状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    evidence = models.TextField(_("整改成效"), blank=True)
    evidence_photo = PhotoField(
        _("佐证照片"),
        upload_to="rectifications/%Y/",
        blank=True,
        validators=[ImageFileValidator()],
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("公开审核人"),
    )

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(report__deputy__county_id=county_id),
        "township": lambda township_id: Q(report__deputy__station__township_id=township_id),
        "station": lambda station_id: Q(report__deputy__station_id=station_id),
        "self": lambda deputy_id: Q(report__deputy_id=deputy_id),
    }

    class Meta:
        verbose_name = _("问题整改")
        verbose_name_plural = _("问题整改")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return self.problem


class ExcellentCandidate(models.Model):
    """优秀人大代表: a candidate of the year's selection, proposed from the duty score and the
    evaluation, decided by staff, published."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("待评定")
        SELECTED = "selected", _("评为优秀")
        DECLINED = "declined", _("未评选")

    campaign = models.ForeignKey(
        ReportCampaign, models.CASCADE, related_name="candidates", verbose_name=_("述职活动")
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.CASCADE, related_name="+", verbose_name=_("代表")
    )
    duty_points = models.DecimalField(
        _("履职积分"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    total_score = models.DecimalField(
        _("评议综合得分"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    grade = models.CharField(_("评议等次"), max_length=12, choices=Grade.choices, blank=True)
    decision = models.CharField(
        _("评定结果"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    note = models.CharField(_("评定意见"), max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("评定人"),
    )
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("优秀代表候选人")
        verbose_name_plural = _("优秀代表候选人")
        ordering = ["campaign", models.F("duty_points").desc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "deputy"], name="candidate_once")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.campaign}"


auditlog.register(ReportCampaign)
auditlog.register(BatchMember, exclude_fields=["changed_at"])
auditlog.register(DutyReport, exclude_fields=["updated_at"])
auditlog.register(ReportEvaluation)
auditlog.register(Rectification)
auditlog.register(ExcellentCandidate)
