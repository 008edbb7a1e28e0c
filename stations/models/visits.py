"""选民走访日 and 代表信箱.

Voter-visit days are planned like reception days, one per station a month with the deputies who
go; a day is held once its ledger entry (a 选民走访日 activity, each deputy's duty act) is logged.
Deputy mailboxes (代表信箱) hang in every township and every village or community (全覆盖): each
is kept by a station, opened by named deputies at a set interval, and the letters found at an
opening become opinions (channel 代表信箱)."""

from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from directory.models import STATION_SCOPE_LOOKUPS


class VisitDay(models.Model):
    """A station's 选民走访日 of a month and the deputies who go."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        HELD = "held", _("已走访")
        CANCELLED = "cancelled", _("取消")

    station = models.ForeignKey(
        "directory.Station", models.CASCADE, related_name="visit_days", verbose_name=_("家站")
    )
    date = models.DateField(_("走访日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    note = models.CharField(_("走访安排"), max_length=200, blank=True)
    deputies = models.ManyToManyField(
        "directory.Deputy", related_name="visit_days", blank=True, verbose_name=_("走访代表")
    )
    # The ledger entry of the visit once held: its deputies' duty records are written there.
    activity = models.OneToOneField(
        "stations.StationActivity",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit_day",
        verbose_name=_("走访台账"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    SCOPE_LOOKUPS = STATION_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("选民走访日")
        verbose_name_plural = _("选民走访日")
        ordering = ["date", "station_id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="visitday_once_per_date")
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d}"


MAILBOX_SCOPE_LOOKUPS = {
    "county": lambda county_id: Q(township__county_id=county_id),
    "township": lambda township_id: Q(township_id=township_id),
    "station": lambda station_id: Q(station_id=station_id),
}


class Mailbox(models.Model):
    """A 代表信箱: in a township (village empty) or in a village or community."""

    township = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="mailboxes",
        limit_choices_to={"level": "township"},
        verbose_name=_("乡镇(街道)"),
    )
    village = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="village_mailboxes",
        limit_choices_to={"level": "village"},
        verbose_name=_("村(社区)"),
        help_text=_("设在乡镇(街道)的信箱留空。"),
    )
    station = models.ForeignKey(
        "directory.Station",
        models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("所属家站"),
        help_text=_("负责开箱登记的代表之家或联络站。"),
    )
    location = models.CharField(_("设置地点"), max_length=120)
    openers = models.ManyToManyField(
        "directory.Deputy", related_name="mailboxes", blank=True, verbose_name=_("开箱代表")
    )
    open_every_days = models.PositiveSmallIntegerField(
        _("开箱周期(天)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text=_("每隔多少天开箱一次,例如每周一次填 7。"),
    )
    set_up_on = models.DateField(_("设立日期"), null=True, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    SCOPE_LOOKUPS = MAILBOX_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("代表信箱")
        verbose_name_plural = _("代表信箱")
        ordering = ["township", "village", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["township"],
                condition=Q(village__isnull=True, is_active=True),
                name="mailbox_one_per_township",
                violation_error_message=_("这个乡镇(街道)已设有在用的代表信箱。"),
            ),
            models.UniqueConstraint(
                fields=["village"],
                condition=Q(village__isnull=False, is_active=True),
                name="mailbox_one_per_village",
                violation_error_message=_("这个村(社区)已设有在用的代表信箱。"),
            ),
        ]

    def __str__(self) -> str:
        place = self.village.name if self.village_id and self.village else ""
        return _("%(place)s代表信箱") % {"place": f"{self.township.name}{place}"}


class MailboxOpening(models.Model):
    """One opening of a mailbox: when, by whom, and how many letters became opinions."""

    mailbox = models.ForeignKey(
        Mailbox, models.CASCADE, related_name="openings", verbose_name=_("代表信箱")
    )
    opened_on = models.DateField(_("开箱日期"))
    opener = models.ForeignKey(
        "directory.Deputy",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("开箱代表"),
    )
    letters = models.PositiveIntegerField(_("信件数"), default=0)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(mailbox__township__county_id=county_id),
        "township": lambda township_id: Q(mailbox__township_id=township_id),
        "station": lambda station_id: Q(mailbox__station_id=station_id),
    }

    class Meta:
        verbose_name = _("信箱开箱记录")
        verbose_name_plural = _("信箱开箱记录")
        ordering = ["-opened_on", "-pk"]
        indexes = [models.Index(fields=["mailbox", "opened_on"])]

    def __str__(self) -> str:
        return f"{self.mailbox_id} {self.opened_on:%Y-%m-%d}"


auditlog.register(VisitDay, m2m_fields={"deputies"})
auditlog.register(Mailbox, m2m_fields={"openers"})
auditlog.register(MailboxOpening)
