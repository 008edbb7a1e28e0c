from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.codes import new_code
from directory.models import HandlingUnit
from stations.models import OpinionCategory

__all__ = [
    "Assignment",
    "AssignmentMeeting",
    "ReassignRequest",
    "UnitContact",
    "DeadlineExtension",
    "Evaluation",
    "EvaluationCode",
    "ProgressReport",
    "PublicMeeting",
    "Reply",
    "ReplyCategory",
    "Suggestion",
    "SuggestionEvent",
    "new_evaluation_code",
]


class ReplyCategory(models.Model):
    """答复类别, configurable because local wording varies. The national convention:
    A 已解决或基本解决, B 正在解决或列入计划解决, C 因条件限制需以后解决, D 留作参考."""

    code = models.CharField(_("代码"), max_length=4, unique=True)
    name = models.CharField(_("名称"), max_length=40)
    counts_as_solved = models.BooleanField(
        _("计入“问题解决”"), default=False, help_text=_("统计“推动解决问题”件数时计入此类答复。")
    )
    ordering = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("答复类别")
        verbose_name_plural = _("答复类别")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Suggestion(models.Model):
    """代表建议, from the draft to its closing, through the three meetings (三见面)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        # Deputies' suggestions are registered and assigned: 登记, 交办
        # (立案 belongs to 政协 proposals). A submission that is not a suggestion is
        # 不作为代表建议处理, in one of two ways: kept as an opinion for reference
        # (not_registered) or passed on as the public's opinion to the lead deputy's station
        # (converted). The stored values predate the wording.
        REGISTERED = "registered", _("已登记")
        NOT_REGISTERED = "not_registered", _("不作为代表建议处理(转为参考意见)")
        CONVERTED = "converted", _("不作为代表建议处理(转为群众意见)")
        ASSIGNED = "assigned", _("已交办")
        IN_HANDLING = "in_handling", _("办理中")
        REPLIED = "replied", _("已答复")
        EVALUATED = "evaluated", _("已测评")
        CLOSED = "closed", _("已办结")

    class Congress(models.TextChoices):
        """The congress a suggestion belongs to: the county's, or a township's."""

        COUNTY = "county", _("县人民代表大会")
        TOWNSHIP = "township", _("乡镇人民代表大会")

    number = models.CharField(_("编号"), max_length=20, blank=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    category = models.CharField(_("类别"), max_length=20, choices=OpinionCategory.choices)
    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    # The congress whose deputies lead and co-sign it: a county deputy's suggestion goes to the
    # county 常委会 and county bodies, a township deputy's to the township's 主席团 and government.
    # Numbers, deadlines, statistics and publication are per congress.
    congress_level = models.CharField(
        _("人大层级"),
        max_length=10,
        choices=Congress.choices,
        default=Congress.COUNTY,
        db_index=True,
    )
    congress = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        verbose_name=_("所属人大"),
        help_text=_("县级建议为本县,乡镇建议为该乡镇。"),
    )
    # Made during a session of the congress (大会期间), or between sessions (闭会期间) when empty.
    session = models.ForeignKey(
        "plenary.Session",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        verbose_name=_("提出于人代会"),
        help_text=_("大会期间提出的建议;闭会期间提出的留空。"),
    )
    # A motion the 主席团 decided to treat as a suggestion (转为代表建议).
    from_motion = models.OneToOneField(
        "plenary.Motion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestion",
        verbose_name=_("来源议案"),
    )
    lead_deputy = models.ForeignKey(
        "directory.Deputy",
        models.PROTECT,
        related_name="led_suggestions",
        verbose_name=_("领衔代表"),
    )
    co_signers = models.ManyToManyField(
        "directory.Deputy",
        related_name="cosigned_suggestions",
        blank=True,
        verbose_name=_("联名代表"),
    )
    from_opinions = models.ManyToManyField(
        "stations.Opinion", related_name="suggestions", blank=True, verbose_name=_("来源群众意见")
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    is_complex = models.BooleanField(
        _("复杂建议"), default=False, help_text=_("复杂建议办理期限为6个月,其余为3个月。")
    )
    key_supervision = models.BooleanField(_("重点督办"), default=False)
    supervising_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_suggestions",
        verbose_name=_("督办领导"),
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    deadline = models.DateField(_("办理期限"), null=True, blank=True, db_index=True)
    original_deadline = models.DateField(_("原定期限"), null=True, blank=True)
    not_registered_reason = models.TextField(_("不作为代表建议处理的理由"), blank=True)
    converted_opinion = models.ForeignKey(
        "stations.Opinion",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("转成的群众意见"),
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Optimistic locking: every write names the version it read; a stale one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        # Township staff (the 主席团's office) keep their township congress's suggestions.
        "township": lambda township_id: Q(congress_id=township_id),
        "station": lambda station_id: Q(lead_deputy__station_id=station_id),
        # A deputy reads what they lead or co-signed.
        "self": lambda deputy_id: (
            Q(lead_deputy_id=deputy_id)
            | Exists(
                Suggestion.co_signers.through.objects.filter(
                    suggestion_id=OuterRef("pk"), deputy_id=deputy_id
                )
            )
        ),
        # A handling unit reads what was ever assigned to it (and what it asked to hand on:
        # after 改办 the former unit still reads how its request was decided).
        "unit": lambda unit_id: (
            Exists(Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit_id=unit_id))
            | Exists(ReassignRequest.objects.filter(suggestion_id=OuterRef("pk"), unit_id=unit_id))
        ),
    }

    class Meta:
        verbose_name = _("代表建议")
        verbose_name_plural = _("代表建议")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["county", "status"]),
            models.Index(fields=["congress", "status"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "number"],
                condition=~Q(number=""),
                name="suggestion_unique_number_per_congress",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number or '—'} {self.title}"

    def save(self, *args, **kwargs) -> None:
        # A county congress's suggestion is the county's: the congress need not be named twice.
        if self.congress_id is None and self.congress_level == self.Congress.COUNTY:
            self.congress_id = self.county_id
        super().save(*args, **kwargs)

    # The action table's paths (accounts.access.ACTIONS): county staff act on the county's
    # congress's suggestions, township staff on their township's.
    @property
    def county_congress_id(self) -> int | None:
        return self.county_id if self.congress_level == self.Congress.COUNTY else None

    @property
    def township_congress_id(self) -> int | None:
        return self.congress_id if self.congress_level == self.Congress.TOWNSHIP else None


class AssignmentMeeting(models.Model):
    """交办会: the meeting at which a congress's office hands the registered suggestions to the
    units; the assignments made at it link here."""

    county = models.ForeignKey(
        "directory.Region", models.PROTECT, related_name="+", verbose_name=_("所属县")
    )
    congress_level = models.CharField(
        _("人大层级"),
        max_length=10,
        choices=Suggestion.Congress.choices,
        default=Suggestion.Congress.COUNTY,
    )
    congress = models.ForeignKey(
        "directory.Region", models.PROTECT, related_name="+", verbose_name=_("所属人大")
    )
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    chaired_by = models.CharField(_("主持人"), max_length=60)
    notes = models.TextField(_("会议情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "township": lambda township_id: Q(congress_id=township_id),
    }

    class Meta:
        verbose_name = _("交办会")
        verbose_name_plural = _("交办会")
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return _("%(date)s 交办会") % {"date": self.date}

    # The action table's paths, as on Suggestion.
    @property
    def county_congress_id(self) -> int | None:
        return self.county_id if self.congress_level == Suggestion.Congress.COUNTY else None

    @property
    def township_congress_id(self) -> int | None:
        return self.congress_id if self.congress_level == Suggestion.Congress.TOWNSHIP else None


class Assignment(models.Model):
    """交办: a unit handling a suggestion in a round, as lead (主办) or co-handling (协办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="assignments", verbose_name=_("建议")
    )
    unit = models.ForeignKey(
        HandlingUnit, models.PROTECT, related_name="assignments", verbose_name=_("承办单位")
    )
    role = models.CharField(_("承办方式"), max_length=4, choices=Role.choices)
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    assigned_on = models.DateField(_("交办日期"))
    deadline = models.DateField(_("办理期限"))
    meeting = models.ForeignKey(
        AssignmentMeeting,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("交办会"),
    )

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["suggestion", "round", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit", "round"], name="assignment_once_per_round"
            ),
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=Q(role="lead"),
                name="assignment_one_lead_per_round",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.unit} {self.get_role_display()}"


class PublicMeeting(models.Model):
    """三见面之一: before writing, the deputy meets the public (与群众见面)."""

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="public_meetings", verbose_name=_("建议")
    )
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    people_met = models.PositiveIntegerField(_("见面群众人数"))
    summary = models.TextField(_("群众意见"))

    class Meta:
        verbose_name = _("与群众见面")
        verbose_name_plural = _("与群众见面")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.place}"


class ProgressReport(models.Model):
    """三见面之二: during handling, the unit reports progress to the public (向群众汇报)."""

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="progress_reports", verbose_name=_("建议")
    )
    unit = models.ForeignKey(
        HandlingUnit, models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    attendance = models.PositiveIntegerField(_("参加人数"))
    feedback = models.TextField(_("群众反馈"))

    class Meta:
        verbose_name = _("向群众汇报")
        verbose_name_plural = _("向群众汇报")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.unit}"


def _letter_path(reply: "Reply", filename: str) -> str:
    return f"suggestions/letters/{reply.suggestion_id}/{timezone.now():%Y%m%d%H%M%S%f}.sealed"


class Reply(models.Model):
    """答复 of the lead unit for a round."""

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="replies", verbose_name=_("建议")
    )
    unit = models.ForeignKey(
        HandlingUnit, models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    category = models.ForeignKey(
        ReplyCategory, models.PROTECT, related_name="+", verbose_name=_("答复类别")
    )
    text = models.TextField(_("答复内容"))
    without_progress_report = models.BooleanField(
        _("未向群众汇报"),
        default=False,
        help_text=_("答复时本轮还没有“向群众汇报”记录,提请工作人员关注。"),
    )
    without_contact = models.BooleanField(
        _("未与领衔代表沟通"),
        default=False,
        help_text=_("答复前本轮没有与领衔代表见面或电话沟通的记录,提请工作人员关注。"),
    )
    replied_on = models.DateField(_("答复日期"))
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("答复人")
    )
    # 答复函: the signed letter, sealed (core.crypto.SealedContent): not a PDF until opened.
    letter = models.FileField(_("答复函"), upload_to=_letter_path, blank=True)
    letter_name = models.CharField(_("答复函文件名"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "round"], name="reply_once_per_round")
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} 第{self.round}轮 {self.category.code}"


class Evaluation(models.Model):
    """三见面之三: after handling, the public and the deputy evaluate (群众测评+代表测评)."""

    class Kind(models.TextChoices):
        PUBLIC = "public", _("群众测评")
        DEPUTY = "deputy", _("代表测评")

    class Result(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY = "basically", _("基本满意")
        UNSATISFIED = "unsatisfied", _("不满意")

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="evaluations", verbose_name=_("建议")
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    kind = models.CharField(_("测评类型"), max_length=10, choices=Kind.choices)
    result = models.CharField(_("测评结果"), max_length=12, choices=Result.choices)
    comment = models.TextField(_("意见"), blank=True)
    deputy = models.ForeignKey(
        "directory.Deputy",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("测评代表"),
    )
    code = models.OneToOneField(
        "EvaluationCode",
        # RESTRICT, not PROTECT: a code cannot go on its own, but deleting the suggestion takes
        # its codes and evaluations together.
        models.RESTRICT,
        null=True,
        blank=True,
        related_name="evaluation",
        verbose_name=_("测评码"),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("录入人"),
        help_text=_("纸质测评表由工作人员录入。"),
    )
    created_at = models.DateTimeField(_("测评时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("测评")
        verbose_name_plural = _("测评")
        ordering = ["round", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round", "deputy"],
                condition=Q(kind="deputy"),
                name="evaluation_one_per_deputy_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_result_display()}"


def new_evaluation_code() -> str:
    return new_code()


class EvaluationCode(models.Model):
    """A one-time code (or link) for one person concerned to evaluate a suggestion's handling."""

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="evaluation_codes")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    code = models.CharField(
        _("测评码"), max_length=32, unique=True, default=new_evaluation_code, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("测评码")
        verbose_name_plural = _("测评码")

    def __str__(self) -> str:
        return self.code[:8]


class SuggestionEvent(models.Model):
    """The timeline: every transition with who, when and a note."""

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    from_status = models.CharField(_("原状态"), max_length=20, blank=True)
    to_status = models.CharField(_("新状态"), max_length=20, choices=Suggestion.Status.choices)
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("办理过程")
        verbose_name_plural = _("办理过程")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        before = dict(Suggestion.Status.choices).get(self.from_status, self.from_status) or "—"
        return f"{before} → {self.get_to_status_display()}"


class DeadlineExtension(models.Model):
    """A unit's request for more time; approved by staff, the original deadline stays on record."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("不予批准")
        # The unit answered before staff decided: nothing left to decide.
        CLOSED = "closed", _("已答复,无需审批")

    suggestion = models.ForeignKey(Suggestion, models.CASCADE, related_name="extensions")
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_deadline = models.DateField(_("申请延期至"))
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审批人"),
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")

    def __str__(self) -> str:
        return _("申请延期至%(date)s(%(status)s)") % {
            "date": self.requested_deadline,
            "status": self.get_status_display(),
        }


class UnitContact(models.Model):
    """沟通: the handling unit's contact with the lead deputy before answering, face to face
    (见面) or by phone (电话沟通)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", _("见面")
        PHONE = "phone", _("电话沟通")

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="unit_contacts", verbose_name=_("建议")
    )
    unit = models.ForeignKey(
        HandlingUnit, models.PROTECT, related_name="+", verbose_name=_("承办单位")
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    kind = models.CharField(_("沟通方式"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("日期"))
    participants = models.CharField(_("参加人员"), max_length=200)
    summary = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("与代表沟通")
        verbose_name_plural = _("与代表沟通")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class ReassignRequest(models.Model):
    """改办: a unit asks, soon after assignment, that a suggestion go to another unit; staff
    agree (the suggestion is reassigned) or refuse (the unit keeps it)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        AGREED = "agreed", _("同意改办")
        REFUSED = "refused", _("不同意改办")

    suggestion = models.ForeignKey(
        Suggestion, models.CASCADE, related_name="reassign_requests", verbose_name=_("建议")
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"))
    unit = models.ForeignKey(
        HandlingUnit, models.PROTECT, related_name="+", verbose_name=_("申请单位")
    )
    suggested_unit = models.ForeignKey(
        HandlingUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("建议改由"),
    )
    reason = models.TextField(_("改办理由"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    new_unit = models.ForeignKey(
        HandlingUnit,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("改由单位"),
    )
    decision_reason = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("改办申请")
        verbose_name_plural = _("改办申请")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round"],
                condition=Q(status="pending"),
                name="reassign_one_pending_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.unit} {self.get_status_display()}"


auditlog.register(
    Suggestion, m2m_fields={"co_signers", "from_opinions"}, exclude_fields=["version"]
)
auditlog.register(Assignment)
auditlog.register(Reply)
auditlog.register(ReplyCategory)
auditlog.register(AssignmentMeeting)
auditlog.register(ReassignRequest)
auditlog.register(UnitContact)
