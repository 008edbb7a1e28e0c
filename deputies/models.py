"""The duty archive (履职档案: duty records, scoring, manual records) and training.

The roster (Deputy, Mandate, DeputyGroup and their choices) lives in ``directory``."""

import dataclasses
from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.photos import PhotoField
from core.uploads import ImageFileValidator
from directory.models import (
    DEPUTY_SCOPE_LOOKUPS,
    Deputy,
)

__all__ = [
    "MANUAL_KINDS",
    "DutyRecord",
    "DutyScore",
    "AidHousehold",
    "AidVisit",
    "ManualDutyRecord",
    "ReceptionGrade",
    "SmallProblem",
    "ScoreGroup",
    "ScoreLine",
    "ScoreRun",
    "ScoringMultiplier",
    "ScoringRule",
    "ScoringScheme",
    "SuggestionGrade",
    "Training",
    "TrainingAttendance",
]


class DutyRecord(models.Model):
    """One duty act of a deputy (履职记录), written in the same transaction as the record that
    produced it, so the yearly scoring counts rows here instead of re-reading every table."""

    class Kind(models.TextChoices):
        RECEPTION = "reception", _("接待选民")
        VOTER_VISIT = "voter_visit", _("走访选民")
        ACTIVITY = "activity", _("参加家站活动")
        SMALL_WISH = "small_wish", _("办理微心愿")
        SUGGESTION = "suggestion", _("提出建议")
        SUGGESTION_MEETING = "suggestion_meeting", _("就建议与群众见面")
        SUGGESTION_EVALUATION = "suggestion_evaluation", _("测评建议办理")
        MEMBER_CONTACT = "member_contact", _("与结对组成人员联系")
        TRAINING = "training", _("参加培训")
        DUTY_REPORT = "duty_report", _("向选民述职")
        # 五个一 acts the deputy records on a phone (SmallProblem, AidHousehold and AidVisit).
        SMALL_PROBLEM = "small_problem", _("解决群众小难题")
        AID = "aid", _("帮扶困难群众")
        # An opinion on a draft law or regulation sent down for comment (legislation).
        LEGISLATIVE_OPINION = "legislative_opinion", _("提出立法意见")
        # Acts recorded by staff by hand (ManualDutyRecord), counted once approved.
        SESSION_SPEECH = "session_speech", _("大会发言")
        # Attending the 人代会 (plenary.Attendance): one record per session attended.
        SESSION_ATTENDANCE = "session_attendance", _("出席人代会")
        RESEARCH = "research", _("参加视察调研")
        MEETING = "meeting", _("列席会议")
        OTHER = "other", _("其他履职")

    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="duty_records", verbose_name=_("代表")
    )
    kind = models.CharField(_("类别"), max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"), db_index=True)
    title = models.CharField(_("事项"), max_length=200)
    source_type = models.ForeignKey(
        "contenttypes.ContentType", models.PROTECT, related_name="+", verbose_name=_("来源类型")
    )
    source_id = models.PositiveBigIntegerField(_("来源编号"))
    # The quality of the act where the scoring rules weigh it (a suggestion: submitted,
    # registered, not registered, satisfied, solved), kept current by the producing feature.
    grade = models.CharField(_("质量等级"), max_length=20, blank=True, default="")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("履职记录")
        verbose_name_plural = _("履职记录")
        ordering = ["-occurred_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "kind", "source_type", "source_id"],
                name="dutyrecord_once_per_source",
            )
        ]
        indexes = [
            models.Index(fields=["deputy", "occurred_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_kind_display()} {self.occurred_on}"


class ScoreGroup(models.TextChoices):
    """The three headline dimensions of the quantified duty archive."""

    CONTACT = "contact", _("联系群众")
    SUGGESTION = "suggestion", _("建议质量")
    ACTIVITY = "activity", _("参加活动")


class SuggestionGrade(models.TextChoices):
    """The grades of a suggestion's duty records, from its lifecycle."""

    SUBMITTED = "submitted", _("已提交")
    NOT_REGISTERED = "not_registered", _("不作为代表建议处理")
    REGISTERED = "registered", _("已登记交办")
    SATISFIED = "satisfied", _("办理满意")
    SOLVED = "solved", _("问题解决且满意")


class ReceptionGrade(models.TextChoices):
    """The grade of a reception's duty record: an opinion raised there answered at the station
    (not forwarded to a unit) is a problem solved directly (五个一)."""

    ANSWERED = "answered", _("当场答复群众意见")


class ScoringScheme(models.Model):
    """考核指标 of one year. Each year has its own rules, so changing this year's points never
    changes last year's scores."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    min_records = models.PositiveSmallIntegerField(_("参加排名的最少履职记录数"), default=3)
    note = models.TextField(_("说明"), blank=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = ["-year"]

    def __str__(self) -> str:
        return _("%(year)d年考核指标") % {"year": self.year}


class ScoringRule(models.Model):
    """Points per act of a kind, and the most a year's acts of that kind may earn."""

    scheme = models.ForeignKey(
        ScoringScheme, models.CASCADE, related_name="rules", verbose_name=_("考核指标")
    )
    kind = models.CharField(_("履职类别"), max_length=30, choices=DutyRecord.Kind.choices)
    group = models.CharField(_("考核维度"), max_length=20, choices=ScoreGroup.choices)
    points = models.DecimalField(_("每次得分"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(
        _("年度上限"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("留空表示不设上限。"),
    )

    class Meta:
        verbose_name = _("计分规则")
        verbose_name_plural = _("计分规则")
        ordering = ["scheme", "group", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "kind"], name="scoringrule_once_per_kind"),
            models.CheckConstraint(
                condition=models.Q(points__gte=0), name="scoringrule_points_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(cap__isnull=True) | models.Q(cap__gte=0),
                name="scoringrule_cap_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.points}"


class ScoringMultiplier(models.Model):
    """质量系数: an act of ``kind`` with ``grade`` earns points × factor (e.g. a suggestion that
    solved a problem to the deputy's satisfaction counts double)."""

    scheme = models.ForeignKey(
        ScoringScheme, models.CASCADE, related_name="multipliers", verbose_name=_("考核指标")
    )
    kind = models.CharField(_("履职类别"), max_length=30, choices=DutyRecord.Kind.choices)
    grade = models.CharField(_("质量等级"), max_length=20)
    factor = models.DecimalField(_("系数"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("质量系数")
        verbose_name_plural = _("质量系数")
        ordering = ["scheme", "kind", "grade"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "kind", "grade"], name="scoringmultiplier_once"
            ),
            models.CheckConstraint(
                condition=models.Q(factor__gte=0), name="scoringmultiplier_factor_not_negative"
            ),
        ]

    def __str__(self) -> str:
        grade = dict(SuggestionGrade.choices).get(self.grade, self.grade)
        return f"{self.get_kind_display()}/{grade} ×{self.factor}"


@dataclasses.dataclass(frozen=True)
class ScoreLine:
    """One line of a score's breakdown: the acts of one kind, their points before the cap and
    what the cap let count."""

    kind: str
    group: str
    acts: int
    raw_points: Decimal
    cap: Decimal | None
    points: Decimal

    @property
    def kind_label(self) -> str:
        return str(DutyRecord.Kind(self.kind).label) if self.kind in DutyRecord.Kind else self.kind

    @property
    def group_label(self) -> str:
        return str(ScoreGroup(self.group).label) if self.group in ScoreGroup else self.group

    @property
    def capped(self) -> bool:
        return self.points < self.raw_points


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"))


class DutyScore(models.Model):
    """考核得分 of a deputy for a year, with its three dimensions."""

    # Derived rows, written only by compute_scores from duty records that hold the real foreign
    # key: no database constraint to check for each deputy of a run (the ORM still deletes a
    # deputy's scores with the deputy).
    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="scores", db_constraint=False, verbose_name=_("代表")
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    total = models.DecimalField(_("总分"), max_digits=9, decimal_places=2)
    contact = models.DecimalField(_("联系群众"), max_digits=9, decimal_places=2)
    suggestion = models.DecimalField(_("建议质量"), max_digits=9, decimal_places=2)
    activity = models.DecimalField(_("参加活动"), max_digits=9, decimal_places=2)
    acts = models.PositiveIntegerField(_("履职记录数"))
    # The breakdown as computed, kept with the score: "kind,group,acts,raw,cap,points" per kind
    # joined by ";" (written by the database in the scoring statement; read through lines()).
    breakdown = models.TextField(_("得分构成"), blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("考核得分")
        verbose_name_plural = _("考核得分")
        ordering = ["-year", "-total"]
        constraints = [
            models.UniqueConstraint(fields=["deputy", "year"], name="dutyscore_once_per_year")
        ]
        indexes = [models.Index(fields=["year", "-total"])]

    def __str__(self) -> str:
        return f"{self.deputy} {self.year} {self.total}"

    def lines(self) -> list[ScoreLine]:
        order = {group: i for i, group in enumerate(ScoreGroup.values)}
        lines = []
        for part in filter(None, self.breakdown.split(";")):
            kind, group, acts, raw, cap, points = part.split(",")
            lines.append(
                ScoreLine(
                    kind=kind,
                    group=group,
                    acts=int(float(acts)),
                    raw_points=_decimal(raw),
                    cap=_decimal(cap or None),
                    points=_decimal(points),
                )
            )
        return sorted(lines, key=lambda line: (order.get(line.group, 9), line.kind))


auditlog.register(ScoringScheme)
auditlog.register(ScoringRule)
auditlog.register(ScoringMultiplier)


class ScoreRun(models.Model):
    """One computation of a year's scores asked for on the scores page (or nightly): the page
    shows its progress, and its end time says how fresh the scores are."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在计算")
        DONE = "done", _("已完成")
        FAILED = "failed", _("计算失败")

    year = models.PositiveSmallIntegerField(_("年度"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("发起人"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    deputies = models.PositiveIntegerField(_("计分代表数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("计分任务")
        verbose_name_plural = _("计分任务")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        return {self.Status.DONE: 100, self.Status.RUNNING: 50}.get(self.status, 0)


MANUAL_KINDS = [
    DutyRecord.Kind.SESSION_SPEECH,
    DutyRecord.Kind.RESEARCH,
    DutyRecord.Kind.MEETING,
    DutyRecord.Kind.VOTER_VISIT,
    DutyRecord.Kind.OTHER,
]


class ManualDutyRecord(models.Model):
    """A duty act recorded by committee staff (e.g. a speech at the session) with its evidence.
    It counts only once a second staff member approves it: approval writes the DutyRecord."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="manual_records", verbose_name=_("代表")
    )
    kind = models.CharField(
        _("履职类别"),
        max_length=30,
        choices=[(k.value, k.label) for k in MANUAL_KINDS],
    )
    occurred_on = models.DateField(_("日期"))
    title = models.CharField(_("事项"), max_length=200)
    description = models.TextField(_("情况说明"), blank=True)
    evidence = PhotoField(
        _("佐证材料(照片)"),
        upload_to="duty-evidence/%Y/%m/",
        validators=[ImageFileValidator()],
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    proposed_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    decision_note = models.TextField(_("审核意见"), blank=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("手工履职记录")
        verbose_name_plural = _("手工履职记录")
        ordering = ["-proposed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.title}"


auditlog.register(ManualDutyRecord)


class SmallProblem(models.Model):
    """小难题: a concrete problem a deputy solved for people directly (a blocked drain, a pension
    form), recorded by the deputy on a phone; a duty act (五个一: 解决一个具体问题)."""

    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="small_problems", verbose_name=_("代表")
    )
    solved_on = models.DateField(_("解决日期"))
    place = models.CharField(_("地点"), max_length=120)
    description = models.TextField(_("问题及解决情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("群众小难题")
        verbose_name_plural = _("群众小难题")
        ordering = ["-solved_on", "-pk"]
        indexes = [models.Index(fields=["deputy", "solved_on"])]

    def __str__(self) -> str:
        return f"{self.deputy} {self.solved_on} {self.place}"


class AidHousehold(models.Model):
    """帮扶对象: a household in difficulty a deputy helps over time (五个一: 帮扶一户困难群众):
    who, since when, what help; each visit is an AidVisit. Taking it on and every visit are duty
    acts."""

    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="aid_households", verbose_name=_("帮扶代表")
    )
    head_name = EncryptedTextField(_("户主姓名"))
    address = models.CharField(_("住址"), max_length=120)
    difficulty = models.CharField(_("困难情况"), max_length=200)
    help_plan = models.TextField(_("帮扶措施"))
    since = models.DateField(_("帮扶开始日期"))
    ended_on = models.DateField(_("帮扶结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("帮扶对象")
        verbose_name_plural = _("帮扶对象")
        ordering = ["-since", "-pk"]

    def __str__(self) -> str:
        return f"{self.deputy} {self.address}"


class AidVisit(models.Model):
    """One visit to a helped household, with the help given."""

    household = models.ForeignKey(
        AidHousehold, models.CASCADE, related_name="visits", verbose_name=_("帮扶对象")
    )
    visited_on = models.DateField(_("走访日期"))
    help_given = models.TextField(_("帮扶内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("记录人")
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(household__deputy__county_id=county_id),
        "township": lambda township_id: Q(household__deputy__station__township_id=township_id),
        "station": lambda station_id: Q(household__deputy__station_id=station_id),
        "self": lambda deputy_id: Q(household__deputy_id=deputy_id),
    }

    class Meta:
        verbose_name = _("帮扶走访")
        verbose_name_plural = _("帮扶走访")
        ordering = ["-visited_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.household} {self.visited_on}"


auditlog.register(SmallProblem)
auditlog.register(AidHousehold)
auditlog.register(AidVisit)


class Training(models.Model):
    """培训: a course for deputies, layered by kind (初任筑基、任期提升、专题突破) and mode."""

    class Kind(models.TextChoices):
        FOUNDATION = "foundation", _("初任筑基")
        IN_TERM = "in_term", _("任期提升")
        THEMATIC = "thematic", _("专题突破")

    class Mode(models.TextChoices):
        CLASSROOM = "classroom", _("课堂教学")
        RED_STUDY = "red_study", _("红色研学")
        ONLINE = "online", _("线上研修")

    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    name = models.CharField(_("培训班名称"), max_length=120)
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    mode = models.CharField(_("方式"), max_length=20, choices=Mode.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    place = models.CharField(_("地点"), max_length=120, blank=True)

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("培训")
        verbose_name_plural = _("培训")
        ordering = ["-start_date", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="training_unique_name"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="training_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TrainingAttendance(models.Model):
    """参训: a deputy who attended a course (signed in), with the hours credited."""

    training = models.ForeignKey(
        Training, models.CASCADE, related_name="attendances", verbose_name=_("培训")
    )
    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="trainings", verbose_name=_("代表")
    )
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("参训")
        verbose_name_plural = _("参训")
        ordering = ["training", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["training", "deputy"], name="attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.training}"


auditlog.register(Training)
