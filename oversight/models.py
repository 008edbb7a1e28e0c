"""What the standing committee does with and through deputies besides suggestions (三个原则、
三个举措): law-enforcement inspections and their recommendations, closed-loop supervision topics,
major matters reported to the county Party committee, and standing-committee meetings with the
deputies who attend (列席) and the citizens who observe (旁听)."""

import datetime
import uuid

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.numerals import committee_meeting_label

_COUNTY = {"county": lambda county_id: Q(county_id=county_id)}


def _county_fk():
    return models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )


def _user_fk(verbose_name, **kwargs):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        verbose_name=verbose_name,
        **kwargs,
    )


# Law-enforcement inspections (执法检查) -------------------------------------------------------


class InspectionMethod(models.TextChoices):
    SITE_VISIT = "site_visit", _("实地察看")
    FORUM = "forum", _("座谈交流")
    SPOT_CHECK = "spot_check", _("随机抽查")
    LEDGER_REVIEW = "ledger_review", _("查阅台账")


class Inspection(models.Model):
    """An inspection of how a law or regulation is enforced in the county."""

    class Joint(models.TextChoices):
        COUNTY = "county", _("县人大常委会组织")
        CITY = "city", _("与市人大常委会联动")
        PROVINCE = "province", _("与省人大常委会联动")
        ALL_LEVELS = "all_levels", _("省市县三级联动")

    county = _county_fk()
    law = models.CharField(_("检查的法律法规"), max_length=120)
    joint = models.CharField(_("联动"), max_length=12, choices=Joint.choices, default=Joint.COUNTY)
    plan = models.TextField(_("检查方案"), blank=True)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    sites = models.TextField(_("检查地点"), blank=True)
    methods = models.JSONField(_("检查方式"), default=list, blank=True)
    deputies = models.ManyToManyField(
        "directory.Deputy", blank=True, related_name="inspections", verbose_name=_("参加的代表")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("参加的常委会组成人员"),
    )
    findings = models.TextField(_("发现的问题"), blank=True)
    report = models.TextField(_("执法检查报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        **_COUNTY,
        # A handling unit reads the inspections that made a recommendation to it.
        "unit": lambda unit_id: Q(
            pk__in=InspectionRecommendation.objects.filter(unit_id=unit_id).values("inspection_id")
        ),
    }

    class Meta:
        verbose_name = _("执法检查")
        verbose_name_plural = _("执法检查")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="inspection_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return _("%(year)d年《%(law)s》执法检查") % {
            "year": self.start_date.year,
            "law": self.law.strip("《》"),
        }

    def get_portal_url(self) -> str:
        return reverse("oversight:inspection_detail", args=[self.pk])

    @property
    def method_labels(self) -> list[str]:
        labels = dict(InspectionMethod.choices)
        return [str(labels[m]) for m in self.methods if m in labels]


class InspectionRecommendation(models.Model):
    """An improvement recommendation (改进建议) of an inspection, addressed to one body, which
    records whether it adopted it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待反馈")
        ADOPTED = "adopted", _("已采纳")
        NOT_ADOPTED = "not_adopted", _("未采纳")

    inspection = models.ForeignKey(
        Inspection, models.CASCADE, related_name="recommendations", verbose_name=_("执法检查")
    )
    unit = models.ForeignKey(
        "directory.HandlingUnit",
        models.PROTECT,
        related_name="inspection_recommendations",
        verbose_name=_("责任单位"),
    )
    content = models.TextField(_("改进建议"))
    status = models.CharField(
        _("采纳情况"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    evidence = models.TextField(_("采纳情况说明及佐证"), blank=True)
    decided_on = models.DateField(_("反馈日期"), null=True, blank=True)
    decided_by = _user_fk(_("反馈人"), null=True, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(inspection__county_id=county_id),
        "unit": lambda unit_id: Q(unit_id=unit_id),
    }

    class Meta:
        verbose_name = _("执法检查改进建议")
        verbose_name_plural = _("执法检查改进建议")
        ordering = ["inspection", "pk"]

    def __str__(self) -> str:
        return f"{self.unit}:{self.content[:30]}"


# Standing-committee meetings, 列席 and 旁听 -----------------------------------------------------


class CommitteeMeeting(models.Model):
    """A meeting of the county standing committee (常委会会议)."""

    county = _county_fk()
    term = models.PositiveSmallIntegerField(_("届次"), default=18)
    number = models.PositiveSmallIntegerField(_("第几次会议"))
    date = models.DateField(_("会议日期"))
    place = models.CharField(_("地点"), max_length=120, blank=True)
    agenda = models.TextField(_("会议议程"))
    attendee_quota = models.PositiveSmallIntegerField(
        _("列席代表名额"), default=8, validators=[MaxValueValidator(100)]
    )
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = _COUNTY

    class Meta:
        verbose_name = _("常委会会议")
        verbose_name_plural = _("常委会会议")
        ordering = ["-date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "term", "number"], name="meeting_number_once_per_term"
            )
        ]

    def __str__(self) -> str:
        return committee_meeting_label(self.term, self.number, prefix=_("县"))

    def get_portal_url(self) -> str:
        return reverse("oversight:meeting_detail", args=[self.pk])


class MeetingAttendance(models.Model):
    """A deputy invited to attend a meeting (列席), and whether they came: coming is a duty act."""

    class Status(models.TextChoices):
        INVITED = "invited", _("已邀请")
        ATTENDED = "attended", _("已列席")
        ABSENT = "absent", _("未到会")

    meeting = models.ForeignKey(
        CommitteeMeeting, models.CASCADE, related_name="attendances", verbose_name=_("会议")
    )
    deputy = models.ForeignKey(
        "directory.Deputy",
        models.CASCADE,
        related_name="meeting_attendances",
        verbose_name=_("列席代表"),
    )
    status = models.CharField(
        _("到会情况"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    invited_at = models.DateTimeField(_("邀请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("列席代表")
        verbose_name_plural = _("列席代表")
        ordering = ["meeting", "deputy__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "deputy"], name="meeting_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.meeting}"


class CitizenObserver(models.Model):
    """A citizen who applied to observe a meeting (公民旁听): approval, then attendance."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("待审核")
        APPROVED = "approved", _("已同意")
        REFUSED = "refused", _("未同意")

    meeting = models.ForeignKey(
        CommitteeMeeting, models.CASCADE, related_name="observers", verbose_name=_("会议")
    )
    name = models.CharField(_("姓名"), max_length=40)
    phone = EncryptedTextField(_("联系电话"), blank=True, input_kind="tel")
    affiliation = models.CharField(_("工作单位或住址"), max_length=120, blank=True)
    reason = models.CharField(_("旁听理由"), max_length=200, blank=True)
    status = models.CharField(
        _("审核"), max_length=10, choices=Status.choices, default=Status.APPLIED
    )
    attended = models.BooleanField(_("已到会旁听"), default=False)
    decided_by = _user_fk(_("审核人"), null=True, blank=True)
    applied_at = models.DateTimeField(_("申请时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("公民旁听")
        verbose_name_plural = _("公民旁听")
        ordering = ["meeting", "applied_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} {self.meeting}"


class MeetingMember(models.Model):
    """A member of the standing committee (组成人员) present at a meeting: the base of the pass
    rule of every vote taken there."""

    meeting = models.ForeignKey(
        CommitteeMeeting, models.CASCADE, related_name="members_present", verbose_name=_("会议")
    )
    member = _user_fk(_("出席的组成人员"))

    class Meta:
        verbose_name = _("出席的组成人员")
        verbose_name_plural = _("出席的组成人员")
        ordering = ["meeting", "member__full_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="meeting_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.meeting}"


class MeetingVote(models.Model):
    """An anonymous vote (无记名表决) of the members present at a meeting on one matter (the
    满意度测评 of a supervised body, of a 研究处理情况报告). Who voted (``VoteParticipation``)
    is kept apart from what was voted (``Ballot``): the two share nothing but the vote, the
    ballots are written in one shuffled batch with random keys and no time, and only totals
    are shown anywhere."""

    class Choice(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASIC = "basic", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    meeting = models.ForeignKey(
        CommitteeMeeting, models.PROTECT, related_name="votes", verbose_name=_("表决会议")
    )
    subject = models.CharField(_("表决事项"), max_length=200)
    present_count = models.PositiveSmallIntegerField(
        _("出席组成人员数"),
        null=True,
        blank=True,
        help_text=_("计票时出席会议的组成人员人数,通过与否以此为基数。"),
    )
    counted_at = models.DateTimeField(_("计票时间"), null=True, blank=True)
    counted_by = _user_fk(_("计票人"), null=True, blank=True)

    class Meta:
        verbose_name = _("无记名表决")
        verbose_name_plural = _("无记名表决")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return self.subject


class VoteParticipation(models.Model):
    """A member who cast a ballot in a vote (for turnout and so that nobody votes twice); what
    they voted is not here, nor anywhere else."""

    vote = models.ForeignKey(
        MeetingVote, models.CASCADE, related_name="participations", verbose_name=_("表决")
    )
    member = _user_fk(_("投票的组成人员"))

    class Meta:
        verbose_name = _("投票人")
        verbose_name_plural = _("投票人")
        ordering = ["vote", "member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="vote_participation_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.vote}"


class Ballot(models.Model):
    """One ballot of an anonymous vote: the choice only. A random key, no time, no voter, not
    audit-logged (an audit entry would carry a time and an actor)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vote = models.ForeignKey(
        MeetingVote, models.CASCADE, related_name="ballots", verbose_name=_("表决")
    )
    choice = models.CharField(_("票决"), max_length=12, choices=MeetingVote.Choice.choices)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        ordering = ["vote", "choice"]

    def __str__(self) -> str:
        return self.get_choice_display()


# Closed-loop supervision (监督议题) -------------------------------------------------------------


class SupervisionTopic(models.Model):
    """A topic chosen from what people raise, researched with them, rated at a committee meeting,
    and if the handling body is found unsatisfactory, rectified by a deadline and published."""

    class Stage(models.TextChoices):
        SELECTED = "selected", _("已立题")
        RESEARCHED = "researched", _("已提交调研报告")
        RATING = "rating", _("满意度测评中")
        SATISFIED = "satisfied", _("测评满意")
        RECTIFYING = "rectifying", _("限期整改")
        RECTIFIED = "rectified", _("已整改待公开")
        PUBLISHED = "published", _("结果已公开")

    county = _county_fk()
    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("议题"), max_length=120)
    description = models.TextField(_("议题说明"), blank=True)
    unit = models.ForeignKey(
        "directory.HandlingUnit",
        models.PROTECT,
        related_name="supervision_topics",
        verbose_name=_("被监督单位"),
    )
    opinions = models.ManyToManyField(
        "stations.Opinion",
        blank=True,
        related_name="supervision_topics",
        verbose_name=_("来源群众意见"),
    )
    rectification_deadline = models.DateField(_("整改期限"), null=True, blank=True)
    rectification = models.TextField(_("整改情况"), blank=True)
    rectified_on = models.DateField(_("整改报告日期"), null=True, blank=True)
    publication = models.TextField(_("公开内容"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {**_COUNTY, "unit": lambda unit_id: Q(unit_id=unit_id)}

    class Meta:
        verbose_name = _("监督议题")
        verbose_name_plural = _("监督议题")
        ordering = ["-year", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_portal_url(self) -> str:
        return reverse("oversight:topic_detail", args=[self.pk])


class TopicResearch(models.Model):
    """A research visit on a topic (调研), with deputies and members of the public."""

    topic = models.ForeignKey(
        SupervisionTopic, models.CASCADE, related_name="researches", verbose_name=_("监督议题")
    )
    date = models.DateField(_("调研日期"))
    place = models.CharField(_("调研地点"), max_length=120)
    deputies = models.ManyToManyField(
        "directory.Deputy",
        blank=True,
        related_name="topic_researches",
        verbose_name=_("参加的代表"),
    )
    public_participants = models.TextField(_("参加的群众"), blank=True)
    public_count = models.PositiveIntegerField(_("群众人数"), default=0)
    entered_by = _user_fk(_("登记人"))

    class Meta:
        verbose_name = _("调研")
        verbose_name_plural = _("调研")
        ordering = ["topic", "date", "pk"]

    def __str__(self) -> str:
        return f"{self.topic} {self.date}"


class ResearchReport(models.Model):
    topic = models.OneToOneField(
        SupervisionTopic,
        models.CASCADE,
        related_name="research_report",
        verbose_name=_("监督议题"),
    )
    title = models.CharField(_("报告标题"), max_length=160)
    filed_on = models.DateField(_("提交日期"))
    summary = models.TextField(_("报告内容"))
    filed_by = _user_fk(_("提交人"))

    class Meta:
        verbose_name = _("调研报告")
        verbose_name_plural = _("调研报告")
        ordering = ["-filed_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class SatisfactionRating(models.Model):
    """满意度测评 of the handling body at a committee meeting: the members present vote
    anonymously (``vote``: who voted apart from what was voted, totals only) and public
    representatives give scores; the result is fixed when staff conclude it."""

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    topic = models.OneToOneField(
        SupervisionTopic, models.CASCADE, related_name="rating", verbose_name=_("监督议题")
    )
    meeting = models.ForeignKey(
        CommitteeMeeting, models.PROTECT, related_name="ratings", verbose_name=_("测评会议")
    )
    vote = models.OneToOneField(
        "MeetingVote",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="satisfaction_rating",
        verbose_name=_("无记名表决"),
    )
    result = models.CharField(_("测评结果"), max_length=12, choices=Result.choices, blank=True)
    concluded_at = models.DateTimeField(_("测评结束时间"), null=True, blank=True)
    opened_by = _user_fk(_("发起人"))

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")
        ordering = ["-pk"]

    def __str__(self) -> str:
        return _("%(topic)s 满意度测评") % {"topic": self.topic}


class PublicScore(models.Model):
    rating = models.ForeignKey(
        SatisfactionRating,
        models.CASCADE,
        related_name="public_scores",
        verbose_name=_("满意度测评"),
    )
    representative = models.CharField(_("群众代表"), max_length=40)
    score = models.PositiveSmallIntegerField(_("评分"), validators=[MaxValueValidator(100)])
    recorded_by = _user_fk(_("录入人"))
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("群众代表评分")
        verbose_name_plural = _("群众代表评分")
        ordering = ["rating", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "representative"], name="score_once_per_representative"
            ),
            models.CheckConstraint(
                condition=Q(score__lte=100),
                name="score_at_most_100",
                violation_error_message=_("评分应在0至100分之间。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} {self.score}"


# Major matters (重大事项) -----------------------------------------------------------------------


class MajorStep(models.TextChoices):
    BEFORE = "before", _("事前请示")
    DURING = "during", _("事中汇报")
    AFTER = "after", _("事后总结")


STEP_ORDER = [MajorStep.BEFORE, MajorStep.DURING, MajorStep.AFTER]


class MajorMatter(models.Model):
    """A major matter reported to the county Party committee in three steps."""

    county = _county_fk()
    title = models.CharField(_("重大事项"), max_length=160)
    description = models.TextField(_("事项说明"), blank=True)
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = _COUNTY

    class Meta:
        verbose_name = _("重大事项")
        verbose_name_plural = _("重大事项")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_portal_url(self) -> str:
        return reverse("oversight:matter_detail", args=[self.pk])


class MajorMatterReport(models.Model):
    matter = models.ForeignKey(
        MajorMatter, models.CASCADE, related_name="reports", verbose_name=_("重大事项")
    )
    step = models.CharField(_("环节"), max_length=10, choices=MajorStep.choices)
    date = models.DateField(_("报送日期"))
    document = models.CharField(_("文件名称及文号"), max_length=160)
    note = models.TextField(_("备注"), blank=True)
    entered_by = _user_fk(_("登记人"))

    class Meta:
        verbose_name = _("重大事项报告")
        verbose_name_plural = _("重大事项报告")
        ordering = ["matter", "date", "pk"]
        constraints = [models.UniqueConstraint(fields=["matter", "step"], name="major_step_once")]

    def __str__(self) -> str:
        return f"{self.matter} {self.get_step_display()}"


# 审议意见 and the 研究处理情况报告 ------------------------------------------------------------


class ReviewOpinion(models.Model):
    """The committee's review opinions (审议意见) on a report it heard at a meeting (an
    inspection's report, a work report of a government body; 专题询问 later), sent to the body
    that must deal with them by a deadline. The body's report on how it dealt with them
    (研究处理情况报告) comes back, is heard at a meeting, may be voted on anonymously, and the
    result is published."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("执法检查报告")
        WORK_REPORT = "work_report", _("专项工作报告")

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        UNSATISFIED = "unsatisfied", _("不满意")
        HEARD = "heard", _("已听取(未测评)")

    county = _county_fk()
    kind = models.CharField(_("审议的报告类别"), max_length=12, choices=Kind.choices)
    inspection = models.ForeignKey(
        Inspection,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="review_opinions",
        verbose_name=_("执法检查"),
    )
    report_title = models.CharField(_("审议的报告"), max_length=200)
    meeting = models.ForeignKey(
        CommitteeMeeting,
        models.PROTECT,
        related_name="review_opinions",
        verbose_name=_("审议会议"),
    )
    unit = models.ForeignKey(
        "directory.HandlingUnit",
        models.PROTECT,
        related_name="review_opinions",
        verbose_name=_("研究处理单位"),
    )
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    content = models.TextField(_("审议意见"))
    sent_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("研究处理情况报告期限"))
    handling_report = models.TextField(_("研究处理情况报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    reported_by = _user_fk(_("报告人"), null=True, blank=True)
    hearing_meeting = models.ForeignKey(
        CommitteeMeeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="handling_reports_heard",
        verbose_name=_("听取报告的会议"),
    )
    vote = models.OneToOneField(
        "MeetingVote",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="review_opinion",
        verbose_name=_("满意度测评(无记名)"),
    )
    result = models.CharField(_("审议结果"), max_length=12, choices=Result.choices, blank=True)
    concluded_at = models.DateTimeField(_("审议结束时间"), null=True, blank=True)
    publication = models.TextField(_("公开内容"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {**_COUNTY, "unit": lambda unit_id: Q(unit_id=unit_id)}

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["-sent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="inspection", inspection__isnull=False)
                | Q(~Q(kind="inspection"), inspection__isnull=True),
                name="review_opinion_inspection_iff_kind",
                violation_error_message=_("执法检查报告的审议意见须关联执法检查。"),
            ),
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("sent_on")),
                name="review_opinion_deadline_after_sent",
                violation_error_message=_("报告期限须晚于交办日期。"),
            ),
        ]
        indexes = [models.Index(fields=["deadline", "reported_on"])]

    def __str__(self) -> str:
        return _("关于%(title)s的审议意见") % {"title": self.report_title}

    def get_portal_url(self) -> str:
        return reverse("oversight:review_opinion_detail", args=[self.pk])


# 专题视察 (site inspections) ---------------------------------------------------------------------


class SiteInspection(models.Model):
    """A 专题视察: members and deputies visit places on a subject, find problems and recommend;
    each deputy's participation is a duty act (参加视察调研)."""

    county = _county_fk()
    subject = models.CharField(_("视察主题"), max_length=160)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    places = models.TextField(_("视察地点"), blank=True)
    deputies = models.ManyToManyField(
        "directory.Deputy",
        blank=True,
        related_name="site_inspections",
        verbose_name=_("参加的代表"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("参加的常委会组成人员"),
    )
    findings = models.TextField(_("发现的问题"), blank=True)
    report = models.TextField(_("视察报告"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    recommendations = models.TextField(_("意见建议"), blank=True)
    recommendation_bodies = models.CharField(_("意见建议送交单位"), max_length=200, blank=True)
    recommendation_deadline = models.DateField(_("反馈期限"), null=True, blank=True)
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        **_COUNTY,
        # A deputy reads the site inspections they took part in.
        "self": lambda deputy_id: Q(
            pk__in=SiteInspection.deputies.through.objects.filter(deputy_id=deputy_id).values(
                "siteinspection_id"
            )
        ),
    }

    class Meta:
        verbose_name = _("专题视察")
        verbose_name_plural = _("专题视察")
        ordering = ["-start_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="site_inspection_ends_after_start",
                violation_error_message=_("结束日期不能早于开始日期。"),
            )
        ]

    def __str__(self) -> str:
        return _("%(year)d年%(subject)s专题视察") % {
            "year": self.start_date.year,
            "subject": self.subject,
        }

    def get_portal_url(self) -> str:
        return reverse("oversight:site_inspection_detail", args=[self.pk])


# 专题询问 (inquiries) -----------------------------------------------------------------------------


class Inquiry(models.Model):
    """A 专题询问 session, usually at a standing-committee meeting: members and deputies ask,
    the officials of the bodies concerned answer and promise what they will put right."""

    county = _county_fk()
    meeting = models.ForeignKey(
        CommitteeMeeting,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("询问会议"),
    )
    subject = models.CharField(_("询问主题"), max_length=160)
    date = models.DateField(_("询问日期"))
    summary = models.TextField(_("询问情况综述"), blank=True)
    publication = models.TextField(_("公开内容"), blank=True)
    published_on = models.DateField(_("公开日期"), null=True, blank=True)
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        **_COUNTY,
        # A handling unit reads the inquiries where it answered a question.
        "unit": lambda unit_id: Q(
            pk__in=InquiryQuestion.objects.filter(unit_id=unit_id).values("inquiry_id")
        ),
    }

    class Meta:
        verbose_name = _("专题询问")
        verbose_name_plural = _("专题询问")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return _("关于%(subject)s的专题询问") % {"subject": self.subject}

    def get_portal_url(self) -> str:
        return reverse("oversight:inquiry_detail", args=[self.pk])


class InquiryQuestion(models.Model):
    """One question of an inquiry, who asked it, who answered, and the promise (整改承诺) made
    with its deadline and how it was kept."""

    class Asker(models.TextChoices):
        MEMBER = "member", _("常委会组成人员")
        DEPUTY = "deputy", _("人大代表")

    class PromiseStatus(models.TextChoices):
        PENDING = "pending", _("未落实")
        IN_PROGRESS = "in_progress", _("落实中")
        DONE = "done", _("已落实")

    inquiry = models.ForeignKey(
        Inquiry, models.CASCADE, related_name="questions", verbose_name=_("专题询问")
    )
    ordinal = models.PositiveSmallIntegerField(_("序号"))
    asker_kind = models.CharField(_("询问人身份"), max_length=10, choices=Asker.choices)
    asker_name = models.CharField(_("询问人"), max_length=40)
    asker_deputy = models.ForeignKey(
        "directory.Deputy",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiry_questions",
        verbose_name=_("询问的代表"),
    )
    question = models.TextField(_("询问问题"))
    unit = models.ForeignKey(
        "directory.HandlingUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="inquiry_questions",
        verbose_name=_("应询单位"),
    )
    respondent_name = models.CharField(_("应询人"), max_length=40)
    respondent_title = models.CharField(_("应询人职务"), max_length=80, blank=True)
    answer = models.TextField(_("答复要点"), blank=True)
    promise = models.TextField(_("整改承诺"), blank=True)
    promise_deadline = models.DateField(_("承诺完成期限"), null=True, blank=True)
    promise_status = models.CharField(
        _("落实情况"), max_length=12, choices=PromiseStatus.choices, default=PromiseStatus.PENDING
    )
    promise_result = models.TextField(_("落实结果"), blank=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(inquiry__county_id=county_id),
        "unit": lambda unit_id: Q(unit_id=unit_id),
    }

    class Meta:
        verbose_name = _("询问问题")
        verbose_name_plural = _("询问问题")
        ordering = ["inquiry", "ordinal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "ordinal"], name="inquiry_question_ordinal")
        ]
        indexes = [models.Index(fields=["promise_deadline", "promise_status"])]

    def __str__(self) -> str:
        return f"{self.inquiry} {self.ordinal}"


# The year's plans (年度代表工作要点, 监督工作计划) ------------------------------------------------


class WorkPlan(models.Model):
    """The year's 监督工作计划 or 代表工作要点 adopted by the standing committee (or its 主任会议)."""

    class Kind(models.TextChoices):
        SUPERVISION = "supervision", _("监督工作计划")
        DEPUTY_WORK = "deputy_work", _("代表工作要点")

    county = _county_fk()
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("计划类别"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("计划名称"), max_length=160)
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    adopted_on = models.DateField(_("通过日期"))
    created_by = _user_fk(_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = _COUNTY

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["-year", "kind", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "year", "kind"], name="work_plan_once_per_year_and_kind"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_portal_url(self) -> str:
        return reverse("oversight:plan_detail", args=[self.pk])


class PlanItem(models.Model):
    """One planned item of a year's plan, linked to the records that carry it out; its state
    (已完成 / 进行中 / 未开始, 逾期) is derived from them (rules.plan_item_state)."""

    class Kind(models.TextChoices):
        INSPECTION = "inspection", _("执法检查")
        RESEARCH = "research", _("专题调研")
        SITE_INSPECTION = "site_inspection", _("专题视察")
        WORK_REPORT = "work_report", _("听取审议专项工作报告")
        INQUIRY = "inquiry", _("专题询问")
        RATING = "rating", _("满意度测评")
        DEPUTY_ACTIVITY = "deputy_activity", _("代表活动")
        OTHER = "other", _("其他")

    plan = models.ForeignKey(
        WorkPlan, models.CASCADE, related_name="items", verbose_name=_("年度计划")
    )
    ordinal = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("计划事项"), max_length=200)
    responsible = models.CharField(_("责任委室"), max_length=80, blank=True)
    planned_month = models.PositiveSmallIntegerField(
        _("计划月份"), null=True, blank=True, validators=[MaxValueValidator(12)]
    )
    planned_quarter = models.PositiveSmallIntegerField(
        _("计划季度"), null=True, blank=True, validators=[MaxValueValidator(4)]
    )
    inspections = models.ManyToManyField(
        Inspection, blank=True, related_name="plan_items", verbose_name=_("执法检查")
    )
    topics = models.ManyToManyField(
        SupervisionTopic, blank=True, related_name="plan_items", verbose_name=_("监督议题")
    )
    site_inspections = models.ManyToManyField(
        SiteInspection, blank=True, related_name="plan_items", verbose_name=_("专题视察")
    )
    meetings = models.ManyToManyField(
        CommitteeMeeting, blank=True, related_name="plan_items", verbose_name=_("常委会会议")
    )
    inquiries = models.ManyToManyField(
        Inquiry, blank=True, related_name="plan_items", verbose_name=_("专题询问")
    )
    trainings = models.ManyToManyField(
        "deputies.Training", blank=True, related_name="plan_items", verbose_name=_("代表培训")
    )
    campaigns = models.ManyToManyField(
        "dutyreports.ReportCampaign",
        blank=True,
        related_name="plan_items",
        verbose_name=_("代表述职"),
    )

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(plan__county_id=county_id)}

    # Set by selectors.plan_item_describe: the linked records (relation, record, complete), the
    # derived state, the end of the planned period and whether the item is overdue.
    links: list[tuple[str, models.Model, bool]]
    state: str
    period_end: datetime.date
    overdue: bool

    class Meta:
        verbose_name = _("计划事项")
        verbose_name_plural = _("计划事项")
        ordering = ["plan", "ordinal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "ordinal"], name="plan_item_ordinal_once"),
            models.CheckConstraint(
                condition=Q(planned_month__isnull=True) | Q(planned_quarter__isnull=True),
                name="plan_item_month_or_quarter",
                violation_error_message=_("计划时间请填写月份或季度之一。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ordinal}. {self.title}"

    def get_portal_url(self) -> str:
        return reverse("oversight:plan_item_detail", args=[self.pk])


for model in (
    Inspection,
    InspectionRecommendation,
    CommitteeMeeting,
    MeetingAttendance,
    CitizenObserver,
    SupervisionTopic,
    TopicResearch,
    ResearchReport,
    SatisfactionRating,
    PublicScore,
    MeetingMember,
    MeetingVote,
    VoteParticipation,
    ReviewOpinion,
    MajorMatter,
    MajorMatterReport,
    SiteInspection,
    Inquiry,
    InquiryQuestion,
    WorkPlan,
    PlanItem,
):
    auditlog.register(model, exclude_fields=["phone"] if model is CitizenObserver else None)
