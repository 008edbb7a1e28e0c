from auditlog.registry import auditlog
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.photos import PhotoField
from core.uploads import ImageFileValidator
from directory.models import STATION_SCOPE_LOOKUPS


class ReceptionDay(models.Model):
    """A station's fixed monthly reception day (每月固定接待日) with its on-duty deputies."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        HELD = "held", _("已接待")
        CANCELLED = "cancelled", _("取消")

    station = models.ForeignKey(
        "directory.Station", models.CASCADE, related_name="reception_days", verbose_name=_("家站")
    )
    date = models.DateField(_("接待日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    note = models.CharField(_("备注"), max_length=200, blank=True)
    on_duty = models.ManyToManyField(
        "directory.Deputy",
        through="ReceptionDuty",
        related_name="reception_duties",
        verbose_name=_("值班代表"),
    )

    SCOPE_LOOKUPS = STATION_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["date", "station_id"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="receptionday_once_per_date")
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self) -> str:
        return f"{self.station} {self.date:%Y-%m-%d}"


class ReceptionDuty(models.Model):
    reception_day = models.ForeignKey(ReceptionDay, models.CASCADE, related_name="duties")
    deputy = models.ForeignKey("directory.Deputy", models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [
            models.UniqueConstraint(fields=["reception_day", "deputy"], name="receptionduty_once")
        ]

    def __str__(self) -> str:
        return f"{self.reception_day} {self.deputy}"


class Reception(models.Model):
    """What one deputy heard on a reception day (接待记录): voters received and their opinions."""

    reception_day = models.ForeignKey(
        ReceptionDay, models.PROTECT, related_name="receptions", verbose_name=_("接待日")
    )
    station = models.ForeignKey(
        "directory.Station",
        models.PROTECT,
        related_name="receptions",
        editable=False,
        verbose_name=_("家站"),
    )
    deputy = models.ForeignKey(
        "directory.Deputy", models.PROTECT, related_name="receptions", verbose_name=_("接待代表")
    )
    voters_received = models.PositiveIntegerField(
        _("接待选民人数"), validators=[MinValueValidator(0)]
    )
    summary = models.TextField(_("接待情况"), blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {**STATION_SCOPE_LOOKUPS, "self": lambda deputy_id: Q(deputy_id=deputy_id)}

    class Meta:
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")
        ordering = ["-reception_day__date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reception_day", "deputy"],
                name="reception_once_per_deputy_and_day",
                violation_error_message=_("该代表在这个接待日的接待记录已经登记过了。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.reception_day}"

    def save(self, *args, **kwargs) -> None:
        self.station_id = self.reception_day.station_id
        super().save(*args, **kwargs)


class ReceptionPhoto(models.Model):
    reception = models.ForeignKey(Reception, models.CASCADE, related_name="photos")
    image = PhotoField(_("照片"), upload_to="receptions/%Y/%m/", validators=[ImageFileValidator()])
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("接待照片")
        verbose_name_plural = _("接待照片")

    def __str__(self) -> str:
        return self.image.name


auditlog.register(ReceptionDay, m2m_fields={"on_duty"})
auditlog.register(Reception)
