"""The directory at the bottom of the domain: the region tree, the stations (代表家站), the
deputies with their mandates and groups, and the handling units (承办单位).

Every feature app reads these; this app imports no feature app. The tables keep the names
they had in the stations, deputies and suggestions apps (Meta.db_table), so raw SQL and
existing databases are unchanged."""

from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField, keyed_hash
from core.idnumbers import normalize_id_number, parse_id_number
from core.masking import mask_id_number, mask_phone
from core.numerals import term_label
from core.pinyin import KEY_LENGTH, fill_name_keys

# Scope lookups (accounts.access) of every record that belongs to a station.
STATION_SCOPE_LOOKUPS = {
    "county": lambda county_id: Q(station__county_id=county_id),
    "township": lambda township_id: Q(station__township_id=township_id),
    "station": lambda station_id: Q(station_id=station_id),
}


class Region(models.Model):
    """A node of the region tree: county → township/street → village/community."""

    class Level(models.TextChoices):
        COUNTY = "county", _("县(市、区)")
        TOWNSHIP = "township", _("乡镇(街道)")
        VILLAGE = "village", _("村(社区)")

    name = models.CharField(_("名称"), max_length=60)
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    # Denormalised root so that scoping by county is one indexed equality, whatever the depth.
    county = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属县")
    )

    # Scope lookups (accounts.access): every role tied to a county may read its whole tree.
    SCOPE_LOOKUPS = {"county": lambda county_id: Q(pk=county_id) | Q(county_id=county_id)}

    class Meta:
        db_table = "stations_region"
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["county", "level"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.level == self.Level.COUNTY:
            self.county = None
        elif self.parent is not None:
            self.county_id = self.parent.county_id or self.parent_id
        super().save(*args, **kwargs)

    def clean(self) -> None:
        expected_parent = {
            self.Level.COUNTY: None,
            self.Level.TOWNSHIP: self.Level.COUNTY,
            self.Level.VILLAGE: self.Level.TOWNSHIP,
        }[self.level]
        if expected_parent is None and self.parent_id:
            raise ValidationError({"parent": _("县级区划不能有上级。")})
        if expected_parent is not None and (
            self.parent is None or self.parent.level != expected_parent
        ):
            raise ValidationError(
                {
                    "parent": _("%(level)s的上级必须是%(parent)s。")
                    % {
                        "level": self.get_level_display(),
                        "parent": self.Level(expected_parent).label,
                    }
                }
            )


class StationQuerySet(models.QuerySet):
    def with_deputy_count(self):
        return self.annotate(deputy_count=models.Count("deputies", distinct=True))


class Station(models.Model):
    """A 代表之家 (township level) or 代表联络站 (village level) where deputies are stationed."""

    class Kind(models.TextChoices):
        HOME = "home", _("代表之家")
        LIAISON = "liaison", _("代表联络站")

    name = models.CharField(_("名称"), max_length=80)
    # The name's pinyin and initials for search (lingjiang / lj), kept current by save().
    name_pinyin = models.CharField(max_length=KEY_LENGTH, blank=True, db_index=True, editable=False)
    name_initials = models.CharField(
        max_length=KEY_LENGTH, blank=True, db_index=True, editable=False
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    county = models.ForeignKey(
        Region, models.PROTECT, related_name="+", editable=False, verbose_name=_("所属县")
    )
    township = models.ForeignKey(
        Region,
        models.PROTECT,
        related_name="township_stations",
        limit_choices_to={"level": Region.Level.TOWNSHIP},
        verbose_name=_("乡镇(街道)"),
    )
    village = models.ForeignKey(
        Region,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="village_stations",
        limit_choices_to={"level": Region.Level.VILLAGE},
        verbose_name=_("村(社区)"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    reception_day = models.PositiveSmallIntegerField(
        _("每月固定接待日"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
        help_text=_("每月的第几日(1–28日,保证每个月都有这一天)。"),
    )
    is_active = models.BooleanField(_("运行中"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = StationQuerySet.as_manager()

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "township": lambda township_id: Q(township_id=township_id),
        "station": lambda station_id: Q(pk=station_id),
    }

    class Meta:
        db_table = "stations_station"
        verbose_name = _("代表家站")
        verbose_name_plural = _("代表家站")
        ordering = ["township__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["township", "name"], name="station_unique_name"),
            models.CheckConstraint(
                condition=Q(reception_day__gte=1) & Q(reception_day__lte=28),
                name="station_reception_day_range",
            ),
        ]
        indexes = [models.Index(fields=["county", "kind"]), models.Index(fields=["name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        if self.township_id:
            self.county_id = self.township.county_id
        fill_name_keys(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_pinyin", "name_initials"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = {}
        if self.township_id and self.township.level != Region.Level.TOWNSHIP:
            errors["township"] = _("请选择乡镇(街道)级区划。")
        if self.village_id:
            if self.village.level != Region.Level.VILLAGE:
                errors["village"] = _("请选择村(社区)级区划。")
            elif self.township_id and self.village.parent_id != self.township_id:
                errors["village"] = _("该村(社区)不属于所选乡镇(街道)。")
        if self.kind == self.Kind.LIAISON and not self.village_id:
            errors["village"] = _("代表联络站须设在村(社区)。")
        if errors:
            raise ValidationError(errors)

    def next_reception_date(self, today):
        return next_reception_date(self.reception_day, today)


def next_reception_date(reception_day: int, today):
    """The next fixed monthly reception day on or after ``today``."""
    if today.day <= reception_day:
        return today.replace(day=reception_day)
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return today.replace(year=year, month=month, day=reception_day)


auditlog.register(Region, exclude_fields=["county"])
# The pinyin search keys follow the name: recording them too would only repeat each rename.
auditlog.register(Station, exclude_fields=["county", "created_at", "name_pinyin", "name_initials"])

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

    def in_office(self):
        """Deputies holding at least one mandate in office (not ended, not suspended)."""
        return self.filter(in_office_condition())

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
    id_number = EncryptedTextField(_("公民身份号码"), input_kind="id_number")
    id_number_hash = models.CharField(max_length=43, unique=True, editable=False)
    # What every page shows; kept beside the encrypted value so lists need not decrypt.
    id_number_masked = models.CharField(
        _("公民身份号码(脱敏)"), max_length=18, editable=False, default=""
    )
    phone = EncryptedTextField(_("手机号码"), blank=True, input_kind="tel")
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
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    station = models.ForeignKey(
        "directory.Station",
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
        db_table = "deputies_deputy"
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
    # is_active, started_on, ended_on and suspended_since follow the mandate's events
    # (MandateEvent, applied by directory.services): not in office while suspended or ended.
    is_active = models.BooleanField(_("在任"), default=True)
    started_on = models.DateField(_("任职开始"), null=True, blank=True)
    ended_on = models.DateField(_("任职终止"), null=True, blank=True)
    suspended_since = models.DateField(
        _("暂停执行代表职务自"), null=True, blank=True, editable=False
    )
    # A database default too: rows written by code (or migrations) that predate the column.
    certificate_number = models.CharField(
        _("代表证号"),
        max_length=30,
        blank=True,
        default="",
        db_default="",
        help_text=_("同一层级、同一届次内不得重复。"),
    )

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        db_table = "deputies_mandate"
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
            models.UniqueConstraint(
                fields=["level", "term", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="mandate_unique_certificate",
                violation_error_message=_("同一层级、同一届次已有使用该代表证号的代表。"),
            ),
        ]
        indexes = [models.Index(fields=["level", "is_active"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}({term_label(self.term)})"

    def clean(self) -> None:
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError({"ended_on": _("任职终止日期不能早于开始日期。")})
        if self.is_active and self.ended_on:
            raise ValidationError({"ended_on": _("在任职务不应填写终止日期。")})

    @property
    def is_suspended(self) -> bool:
        return self.suspended_since is not None and self.ended_on is None

    @property
    def county_office_id(self) -> int | None:
        """The county whose office records this mandate's events: county and higher levels."""
        return None if self.level == Level.TOWNSHIP else self.deputy.county_id

    @property
    def township_office_id(self) -> int | None:
        """The township whose 主席团 records this mandate's events: a township mandate of a
        deputy stationed in the township."""
        if self.level != Level.TOWNSHIP or self.deputy.station is None:
            return None
        return self.deputy.station.township_id


class MandateEvent(models.Model):
    """One step in the life of a mandate: its 代表资格审查, 补选, 辞职, 罢免, 终止, 暂停 and
    恢复, 任期届满 or death, with its date, 文号 and the body that decided. Recorded through
    directory.services, which keeps the mandate's is_active/ended_on/suspended_since in step."""

    class Kind(models.TextChoices):
        QUALIFIED = "qualified", _("代表资格审查确认")
        BY_ELECTED = "by_elected", _("补选当选")
        TERM_EXPIRED = "term_expired", _("任期届满")
        RESIGNED = "resigned", _("辞职")
        RECALLED = "recalled", _("罢免")
        TERMINATED = "terminated", _("代表资格终止")
        SUSPENDED = "suspended", _("暂停执行代表职务")
        RESUMED = "resumed", _("恢复执行代表职务")
        DIED = "died", _("去世")

    class Body(models.TextChoices):
        STANDING_COMMITTEE = "standing_committee", _("人大常委会")
        PRESIDIUM = "presidium", _("乡镇人大主席团")
        CONGRESS = "congress", _("人民代表大会")
        VOTERS = "voters", _("原选区选民")

    class Ground(models.TextChoices):
        # 代表法 第四十九条: 代表资格终止.
        MOVED_AWAY = "moved_away", _("迁出或者调离本行政区域")
        RESIGNATION_ACCEPTED = "resignation_accepted", _("辞职被接受")
        ABSENT_TWICE = "absent_twice", _("未经批准两次不出席本级人民代表大会会议")
        RECALLED = "recalled", _("被罢免")
        NATIONALITY_LOST = "nationality_lost", _("丧失中华人民共和国国籍")
        RIGHTS_DEPRIVED = "rights_deprived", _("依照法律被剥夺政治权利")
        INCAPACITATED = "incapacitated", _("丧失行为能力")
        # 代表法 第四十八条: 暂停执行代表职务.
        DETAINED = "detained", _("因刑事案件被羁押正在受侦查、起诉、审判")
        SERVING_SENTENCE = (
            "serving_sentence",
            _("被依法判处管制、拘役或者有期徒刑而没有附加剥夺政治权利,正在服刑"),
        )

    # Events that end a mandate; those but the term's expiry leave a vacancy (缺额) to fill.
    ENDING = (
        Kind.TERM_EXPIRED,
        Kind.RESIGNED,
        Kind.RECALLED,
        Kind.TERMINATED,
        Kind.DIED,
    )
    VACATING = (Kind.RESIGNED, Kind.RECALLED, Kind.TERMINATED, Kind.DIED)
    TERMINATION_GROUNDS = (
        Ground.MOVED_AWAY,
        Ground.RESIGNATION_ACCEPTED,
        Ground.ABSENT_TWICE,
        Ground.RECALLED,
        Ground.NATIONALITY_LOST,
        Ground.RIGHTS_DEPRIVED,
        Ground.INCAPACITATED,
    )
    SUSPENSION_GROUNDS = (Ground.DETAINED, Ground.SERVING_SENTENCE)

    mandate = models.ForeignKey(
        Mandate, models.CASCADE, related_name="events", verbose_name=_("代表任职")
    )
    kind = models.CharField(_("事项"), max_length=20, choices=Kind.choices)
    occurred_on = models.DateField(_("日期"))
    decided_by = models.CharField(_("决定机关"), max_length=20, choices=Body.choices, blank=True)
    document_number = models.CharField(_("文号"), max_length=80, blank=True)
    ground = models.CharField(_("法定事由"), max_length=30, choices=Ground.choices, blank=True)
    # A 补选's mandate names the mandate whose vacancy it fills.
    vacancy = models.ForeignKey(
        Mandate,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="filled_by",
        verbose_name=_("补选填补的缺额"),
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        "accounts.User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(mandate__deputy__county_id=county_id),
        "township": lambda township_id: Q(mandate__deputy__station__township_id=township_id),
        "station": lambda station_id: Q(mandate__deputy__station_id=station_id),
        "self": lambda deputy_id: Q(mandate__deputy_id=deputy_id),
    }

    class Meta:
        verbose_name = _("代表任职事项")
        verbose_name_plural = _("代表任职事项")
        ordering = ["mandate", "occurred_on", "pk"]
        constraints = [
            # One 补选 fills one vacancy.
            models.UniqueConstraint(
                fields=["vacancy"],
                condition=Q(vacancy__isnull=False),
                name="mandateevent_one_filler_per_vacancy",
            ),
        ]
        indexes = [models.Index(fields=["kind", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


def in_office_condition(level: str | None = None) -> Exists:
    """Whether the deputy (OuterRef pk) holds a mandate in office (at ``level``): the one test of
    "in office" for the roster, stations, rotations, reminders and the public pages."""
    mandates = Mandate.objects.filter(deputy=OuterRef("pk"), is_active=True)
    return Exists(mandates if level is None else mandates.filter(level=level))


class DeputyGroup(models.Model):
    """代表小组: county deputies grouped by profession, each with themed tasks (代表小组+)."""

    name = models.CharField(_("名称"), max_length=60)
    county = models.ForeignKey(
        "directory.Region",
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
        Deputy,
        related_name="groups",
        blank=True,
        verbose_name=_("成员"),
        db_table="deputies_deputygroup_members",
    )

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        # A deputy's own groups (the group pages: a deputy opens the groups they belong to).
        "self": lambda deputy_id: Q(members=deputy_id),
    }

    class Meta:
        db_table = "deputies_deputygroup"
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["county", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="deputygroup_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.leader_id and self.pk and not self.members.filter(pk=self.leader_id).exists():
            raise ValidationError({"leader": _("组长须是本小组的成员。")})


auditlog.register(
    Deputy,
    exclude_fields=[
        "id_number_hash",
        "id_number_masked",
        "phone_hash",
        "phone_masked",
        "created_at",
        "updated_at",
        "name_pinyin",
        "name_initials",
    ],
    mask_fields=["id_number", "phone"],
)
auditlog.register(Mandate)
auditlog.register(MandateEvent, exclude_fields=["created_at"])
auditlog.register(DeputyGroup, m2m_fields={"members"})


class HandlingUnitQuerySet(models.QuerySet):
    def link_townships_by_name(self, county_id: int) -> int:
        """Give the county's units without a township the township their name begins with
        (陵江镇人民政府, 陵江镇农业综合服务中心): how a roster of units names a township's bodies.
        Returns how many were linked."""
        townships = Region.objects.filter(county_id=county_id, level=Region.Level.TOWNSHIP)
        linked = 0
        for township in townships.order_by("-name"):  # a longer name before its prefix
            linked += self.filter(
                county_id=county_id, township__isnull=True, name__startswith=township.name
            ).update(township=township)
        return linked


class HandlingUnit(models.Model):
    """承办单位: a government department, court, procuratorate or other body that answers
    suggestions; a township's government and its bodies name their township (they answer the
    suggestions of the township congress's deputies)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        TOWNSHIP = "township", _("乡镇人民政府(街道办事处)")
        ENTERPRISE = "enterprise", _("国有企事业单位")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=80)
    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="handling_units",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    township = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="township_units",
        limit_choices_to={"level": "township"},
        verbose_name=_("所属乡镇"),
        help_text=_("乡镇人民政府及其站所填写;县级单位留空。"),
    )
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "unit": lambda unit_id: Q(pk=unit_id),
    }

    objects = HandlingUnitQuerySet.as_manager()

    class Meta:
        db_table = "suggestions_handlingunit"
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["county", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="handlingunit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


auditlog.register(HandlingUnit)
