import dataclasses
from decimal import Decimal

from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField, keyed_hash
from core.idnumbers import normalize_id_number, parse_id_number
from core.masking import mask_id_number, mask_phone
from core.photos import PhotoField
from core.pinyin import KEY_LENGTH, fill_name_keys
from core.uploads import ImageFileValidator
from stations.models.regions import STATION_SCOPE_LOOKUPS

# How a record that belongs to a deputy (a score, a pairing, a voter, a report) filters itself at
# each level of accounts.access: by the deputy's station, or the deputy themself.
DEPUTY_SCOPE_LOOKUPS = {
    "county": lambda county_id: Q(deputy__county_id=county_id),
    "township": lambda township_id: Q(deputy__station__township_id=township_id),
    "station": lambda station_id: Q(deputy__station_id=station_id),
    "self": lambda deputy_id: Q(deputy_id=deputy_id),
}


class Gender(models.TextChoices):
    MALE = "M", _("男")
    FEMALE = "F", _("女")


class Party(models.TextChoices):
    """政治面貌 after GB/T 4762. ``DEMOCRATIC`` (a democratic party not named) predates the
    named parties and stays for the records that carry it."""

    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    RCCK = "rcck", _("民革党员")
    CDL = "cdl", _("民盟盟员")
    CNDCA = "cndca", _("民建会员")
    CAPD = "capd", _("民进会员")
    CPWDP = "cpwdp", _("农工党党员")
    CZGP = "czgp", _("致公党党员")
    JIUSAN = "jiusan", _("九三学社社员")
    TDSL = "tdsl", _("台盟盟员")
    DEMOCRATIC = "democratic", _("民主党派成员")
    NONPARTISAN = "nonpartisan", _("无党派人士")
    NONE = "none", _("群众")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    UNIVERSITY = "university", _("大学本科")
    COLLEGE = "college", _("大学专科")
    HIGH_SCHOOL = "high_school", _("高中(中专)")
    MIDDLE_SCHOOL = "middle_school", _("初中及以下")


class Occupation(models.TextChoices):
    """Occupation categories used for the structure review (结构关) of deputies."""

    WORKER = "worker", _("工人")
    FARMER = "farmer", _("农民")
    PROFESSIONAL = "professional", _("专业技术人员")
    CADRE = "cadre", _("党政领导干部")
    VILLAGE_CADRE = "village_cadre", _("村(社区)干部")
    ENTREPRENEUR = "entrepreneur", _("企业负责人")
    MILITARY = "military", _("解放军和武警")
    OTHER = "other", _("其他")


class Level(models.TextChoices):
    NATIONAL = "national", _("全国人大代表")
    PROVINCIAL = "provincial", _("省人大代表")
    CITY = "city", _("市人大代表")
    COUNTY = "county", _("县人大代表")
    TOWNSHIP = "township", _("乡镇人大代表")


class DeputyQuerySet(models.QuerySet):
    def with_active_level(self, level: str):
        return self.filter(
            Exists(Mandate.objects.filter(deputy=OuterRef("pk"), level=level, is_active=True))
        )

    def in_group(self, group_id: int):
        return self.filter(
            Exists(
                DeputyGroup.members.through.objects.filter(
                    deputy_id=OuterRef("pk"), deputygroup_id=group_id
                )
            )
        )

    def directly_elected(self, value: bool = True):
        condition = Exists(
            Mandate.objects.filter(deputy=OuterRef("pk"), is_active=True, directly_elected=True)
        )
        return self.filter(condition if value else ~condition)


class Deputy(models.Model):
    """A person who holds one or more deputy mandates (五级代表)."""

    name = models.CharField(_("姓名"), max_length=40, db_index=True)
    # The name's pinyin and initials for search (zhangsan / zs), kept current by save().
    name_pinyin = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(
        max_length=KEY_LENGTH, blank=True, db_index=True, editable=False
    )
    gender = models.CharField(_("性别"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    # Encrypted at rest; the keyed hashes beside them serve uniqueness and exact search.
    id_number = EncryptedTextField(_("公民身份号码"))
    id_number_hash = models.CharField(max_length=43, unique=True, editable=False)
    # What every page shows; kept beside the encrypted value so lists need not decrypt.
    id_number_masked = models.CharField(
        _("公民身份号码(脱敏)"), max_length=18, editable=False, default=""
    )
    phone = EncryptedTextField(_("手机号码"), blank=True)
    phone_hash = models.CharField(max_length=43, blank=True, db_index=True, editable=False)
    phone_masked = models.CharField(
        _("手机号码(脱敏)"), max_length=20, blank=True, editable=False, default=""
    )
    party = models.CharField(
        _("政治面貌"), max_length=20, choices=Party.choices, default=Party.NONE
    )
    education = models.CharField(_("学历"), max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField(
        _("职业类别"), max_length=20, choices=Occupation.choices, default=Occupation.OTHER
    )
    occupation_title = models.CharField(
        _("职业"), max_length=60, blank=True, help_text=_("名册中所写的职业,如“教师”。")
    )
    workplace = models.CharField(_("工作单位及职务"), max_length=120, blank=True)
    # The county the deputy belongs to, kept even before they are stationed (未进驻): it scopes
    # the deputy for county staff. With a station it is the station's county.
    county = models.ForeignKey(
        "stations.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    station = models.ForeignKey(
        "stations.Station",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="deputies",
        verbose_name=_("进驻家站"),
        help_text=_("全员进驻、就近履职:每名代表进驻一个代表之家或联络站;未进驻的留空。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = DeputyQuerySet.as_manager()

    SCOPE_LOOKUPS = {
        **STATION_SCOPE_LOOKUPS,
        "county": lambda county_id: Q(county_id=county_id),
        "self": lambda deputy_id: Q(pk=deputy_id),
    }

    class Meta:
        verbose_name = _("人大代表")
        verbose_name_plural = _("人大代表")
        ordering = ["name", "id"]
        permissions = [("view_personal_data", _("查看完整的身份证号码和手机号码"))]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.fill_hashes()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {
                "id_number": ("id_number_hash", "id_number_masked"),
                "phone": ("phone_hash", "phone_masked"),
                "name": ("name_pinyin", "name_initials"),
                "station": ("county",),
            }
            kwargs["update_fields"] = {
                *update_fields,
                *(name for field in update_fields for name in extra.get(field, ())),
            }
        super().save(*args, **kwargs)

    def fill_hashes(self) -> None:
        """Recompute the keyed hashes, masked forms and name keys; bulk_create callers must
        call it."""
        fill_name_keys(self)
        # The county follows the station (read without a query when the station is at hand).
        if self.station_id is not None and (
            self.county_id is None or Deputy.station.is_cached(self)
        ):
            self.county_id = self.station.county_id
        self.id_number = normalize_id_number(self.id_number)
        self.id_number_hash = keyed_hash(self.id_number)
        self.id_number_masked = mask_id_number(self.id_number)
        self.phone = (self.phone or "").strip()
        self.phone_hash = keyed_hash(self.phone) if self.phone else ""
        self.phone_masked = mask_phone(self.phone)

    def clean_fields(self, exclude=None) -> None:
        if self.county_id is None and self.station_id is not None:
            self.county_id = self.station.county_id
        super().clean_fields(exclude)

    def clean(self) -> None:
        self.id_number = normalize_id_number(self.id_number)
        try:
            parsed = parse_id_number(self.id_number)
        except ValidationError as exc:
            raise ValidationError({"id_number": exc.messages}) from None
        errors = {}
        if self.birth_date and self.birth_date != parsed.birth_date:
            errors["birth_date"] = _("出生日期与公民身份号码不一致(号码中为 %(date)s)。") % {
                "date": parsed.birth_date.isoformat()
            }
        if self.gender and self.gender != parsed.gender:
            errors["gender"] = _("性别与公民身份号码不一致。")
        duplicate = Deputy.objects.filter(id_number_hash=keyed_hash(self.id_number))
        if duplicate.exclude(pk=self.pk).exists():
            errors["id_number"] = _("已有使用该公民身份号码的代表。")
        if errors:
            raise ValidationError(errors)
        self.birth_date = parsed.birth_date
        self.gender = parsed.gender


class Mandate(models.Model):
    """One deputy mandate: a level, a term and a constituency. A person may hold several."""

    deputy = models.ForeignKey(
        Deputy, models.CASCADE, related_name="mandates", verbose_name=_("代表")
    )
    level = models.CharField(_("代表层级"), max_length=10, choices=Level.choices)
    term = models.PositiveSmallIntegerField(_("届次"), help_text=_("例如 18 表示第十八届。"))
    constituency = models.CharField(_("选举单位/选区"), max_length=80)
    directly_elected = models.BooleanField(
        _("直接选举"), default=False, help_text=_("县、乡两级人大代表由选民直接选举产生。")
    )
    is_active = models.BooleanField(_("在任"), default=True)
    started_on = models.DateField(_("任职开始"), null=True, blank=True)
    ended_on = models.DateField(_("任职终止"), null=True, blank=True)

    class Meta:
        verbose_name = _("代表任职")
        verbose_name_plural = _("代表任职")
        ordering = ["deputy", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["deputy", "level"],
                condition=Q(is_active=True),
                name="mandate_one_active_per_level",
                violation_error_message=_("同一代表在同一层级只能有一个在任职务。"),
            ),
        ]
        indexes = [models.Index(fields=["level", "is_active"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}(第{self.term}届)"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("任职终止日期不能早于开始日期。")})
        if self.is_active and self.ended_on:
            raise ValidationError({"ended_on": _("在任职务不应填写终止日期。")})


class DeputyGroup(models.Model):
    """代表小组: county deputies grouped by profession, each with themed tasks (代表小组+)."""

    name = models.CharField(_("名称"), max_length=60)
    county = models.ForeignKey(
        "stations.Region",
        models.PROTECT,
        related_name="deputy_groups",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    theme = models.CharField(_("专题任务"), max_length=200, blank=True)
    leader = models.ForeignKey(
        Deputy, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("组长")
    )
    members = models.ManyToManyField(
        Deputy, related_name="groups", blank=True, verbose_name=_("成员")
    )

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["county", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="deputygroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


auditlog.register(
    Deputy,
    exclude_fields=[
        "id_number_hash",
        "id_number_masked",
        "phone_hash",
        "phone_masked",
        "created_at",
        "updated_at",
    ],
    mask_fields=["id_number", "phone"],
)
auditlog.register(Mandate)
auditlog.register(DeputyGroup, m2m_fields={"members"})


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
        # Acts recorded by staff by hand (ManualDutyRecord), counted once approved.
        SESSION_SPEECH = "session_speech", _("大会发言")
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
    NOT_REGISTERED = "not_registered", _("不予立案或转为意见")
    REGISTERED = "registered", _("已立案交办")
    SATISFIED = "satisfied", _("办理满意")
    SOLVED = "solved", _("问题解决且满意")


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
        return f"{self.kind}/{self.grade} ×{self.factor}"


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
        "stations.Region",
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
