"""人民代表大会会议 (人代会): a session of the county's or a township's congress, its sittings, the
deputies convened to it and their attendance, and the motions (议案) put to its 主席团."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.numerals import chinese_number

__all__ = ["Attendance", "Delegate", "Motion", "Session", "Sitting"]


def _session_scope(path: str) -> dict:
    """The county's and township's lookups of a record through its session (``path`` to it)."""
    return {
        "county": lambda county_id: Q(**{f"{path}county_id": county_id}),
        "township": lambda township_id: Q(**{f"{path}congress_id": township_id}),
    }


class Congress(models.TextChoices):
    """Whose congress meets: the county's, or a township's (the values of Suggestion.Congress)."""

    COUNTY = "county", _("县人民代表大会")
    TOWNSHIP = "township", _("乡镇人民代表大会")


class Session(models.Model):
    """One session (第N次会议) of a congress's term, e.g. 县第十八届人民代表大会第三次会议."""

    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    congress_level = models.CharField(
        _("人大层级"), max_length=10, choices=Congress.choices, default=Congress.COUNTY
    )
    # The county itself for the county congress, the township for a township congress.
    congress = models.ForeignKey(
        "directory.Region", models.PROTECT, related_name="+", verbose_name=_("所属人大")
    )
    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("会次"), help_text=_("第几次会议。"))
    opens_on = models.DateField(_("开幕日期"))
    closes_on = models.DateField(_("闭幕日期"))
    venue = models.CharField(_("会议地点"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("录入人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    SCOPE_LOOKUPS = {
        **_session_scope(""),
        # A deputy reads the sessions they were convened to.
        "self": lambda deputy_id: Exists(
            Delegate.objects.filter(session_id=OuterRef("pk"), deputy_id=deputy_id)
        ),
    }

    class Meta:
        verbose_name = _("人代会会议")
        verbose_name_plural = _("人代会会议")
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "term", "number"], name="plenary_session_once"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="plenary_session_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plenary:detail", args=[self.pk])

    @property
    def title(self) -> str:
        """县第十八届人民代表大会第三次会议 / 城关镇第十八届人民代表大会第三次会议."""
        prefix = _("县") if self.congress_level == Congress.COUNTY else self.congress.name
        return _("%(prefix)s第%(term)s届人民代表大会第%(number)s次会议") % {
            "prefix": prefix,
            "term": chinese_number(self.term),
            "number": chinese_number(self.number),
        }

    # The action table's paths: county staff keep the county congress's sessions, township staff
    # their township congress's.
    @property
    def county_congress_id(self) -> int | None:
        return self.county_id if self.congress_level == Congress.COUNTY else None

    @property
    def township_congress_id(self) -> int | None:
        return self.congress_id if self.congress_level == Congress.TOWNSHIP else None


class Delegate(models.Model):
    """A deputy convened to the session: holding an active mandate of that congress on the
    opening date (the list is taken when the session is entered and may be refreshed)."""

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="delegates", verbose_name=_("会议")
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.PROTECT, related_name="+", verbose_name=_("代表")
    )
    # 代表团: a county session's deputies sit by township (the station's township).
    delegation = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代表团"),
    )

    class Meta:
        verbose_name = _("应出席代表")
        verbose_name_plural = _("应出席代表")
        ordering = ["session", "delegation__code", "deputy__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="plenary_delegate_once")
        ]

    def __str__(self) -> str:
        return str(self.deputy)


class Sitting(models.Model):
    """One sitting of the session: a 全体会议 or the 分组审议 of a day."""

    class Kind(models.TextChoices):
        PLENARY = "plenary", _("全体会议")
        GROUP = "group", _("分组审议")

    session = models.ForeignKey(
        Session, models.CASCADE, related_name="sittings", verbose_name=_("会议")
    )
    date = models.DateField(_("日期"))
    kind = models.CharField(_("会议形式"), max_length=10, choices=Kind.choices)
    title = models.CharField(_("议题"), max_length=120, blank=True)

    SCOPE_LOOKUPS = {
        **_session_scope("session__"),
        "self": lambda deputy_id: Exists(
            Delegate.objects.filter(session_id=OuterRef("session_id"), deputy_id=deputy_id)
        ),
    }

    class Meta:
        verbose_name = _("会议场次")
        verbose_name_plural = _("会议场次")
        ordering = ["session", "date", "kind", "pk"]

    def __str__(self) -> str:
        label = self.title or self.get_kind_display()
        return f"{self.date:%m月%d日} {label}"

    @property
    def county_congress_id(self) -> int | None:
        return self.session.county_congress_id

    @property
    def township_congress_id(self) -> int | None:
        return self.session.township_congress_id


class Attendance(models.Model):
    """出席 / 请假 / 缺席 of a convened deputy at one sitting, recorded by staff."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        LEAVE = "leave", _("请假")
        ABSENT = "absent", _("缺席")

    class Source(models.TextChoices):
        PHONE = "phone", _("手机点名")
        SIGN_IN = "sign_in", _("签到表导入")

    sitting = models.ForeignKey(
        Sitting, models.CASCADE, related_name="attendances", verbose_name=_("场次")
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.PROTECT, related_name="+", verbose_name=_("代表")
    )
    status = models.CharField(_("出席情况"), max_length=10, choices=Status.choices)
    leave_reason = models.CharField(_("请假事由"), max_length=100, blank=True)
    leave_approved_by = models.CharField(
        _("请假批准人"), max_length=40, blank=True, help_text=_("例如“大会秘书处”或批准人姓名。")
    )
    leave_approved_on = models.DateField(_("请假批准日期"), null=True, blank=True)
    source = models.CharField(_("登记方式"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("登记人"),
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    SCOPE_LOOKUPS = {
        **_session_scope("sitting__session__"),
        "self": lambda deputy_id: Q(deputy_id=deputy_id),
    }

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["sitting", "deputy__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["sitting", "deputy"], name="plenary_attendance_once")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_status_display()}"


class Motion(models.Model):
    """议案: put to the session by deputies jointly (县级十人以上、乡镇五人以上联名) or by a
    delegation (代表团, county sessions), decided by the 主席团."""

    class Kind(models.TextChoices):
        JOINT = "joint", _("代表联名")
        DELEGATION = "delegation", _("代表团")

    class Decision(models.TextChoices):
        PENDING = "pending", _("待主席团决定")
        AGENDA = "agenda", _("列入会议议程")
        SUGGESTION = "suggestion", _("转为代表建议")
        REJECTED = "rejected", _("不予列入")

    session = models.ForeignKey(
        Session, models.PROTECT, related_name="motions", verbose_name=_("会议")
    )
    number = models.PositiveSmallIntegerField(_("议案号"))
    title = models.CharField(_("案由"), max_length=200)
    content = models.TextField(_("案据和方案"))
    kind = models.CharField(_("提出方式"), max_length=12, choices=Kind.choices)
    lead_deputy = models.ForeignKey(
        "directory.Deputy",
        models.PROTECT,
        related_name="+",
        verbose_name=_("领衔代表"),
        help_text=_("代表团提出的,为代表团团长。"),
    )
    # Every deputy who signed, the lead included.
    signers = models.ManyToManyField(
        "directory.Deputy", related_name="+", blank=True, verbose_name=_("联名代表")
    )
    delegation = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代表团"),
    )
    submitted_on = models.DateField(_("提出日期"))
    decision = models.CharField(
        _("主席团决定"),
        max_length=12,
        choices=Decision.choices,
        default=Decision.PENDING,
        db_index=True,
    )
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("登记人"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("录入人"),
    )

    SCOPE_LOOKUPS = {
        **_session_scope("session__"),
        # A deputy reads the motions they signed.
        "self": lambda deputy_id: (
            Q(lead_deputy_id=deputy_id)
            | Exists(
                Motion.signers.through.objects.filter(motion_id=OuterRef("pk"), deputy_id=deputy_id)
            )
        ),
    }

    class Meta:
        verbose_name = _("议案")
        verbose_name_plural = _("议案")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="plenary_motion_number")
        ]

    def __str__(self) -> str:
        return _("第%(n)d号议案:%(title)s") % {"n": self.number, "title": self.title}

    def get_absolute_url(self) -> str:
        return reverse("plenary:motion", args=[self.pk])

    @property
    def county_congress_id(self) -> int | None:
        return self.session.county_congress_id

    @property
    def township_congress_id(self) -> int | None:
        return self.session.township_congress_id


auditlog.register(Session)
auditlog.register(Attendance)
auditlog.register(Motion)
