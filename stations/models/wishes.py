from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from core.photos import PhotoField
from core.uploads import ImageFileValidator
from directory.models import STATION_SCOPE_LOOKUPS


class SmallWish(models.Model):
    """微心愿: a wish of a person in need, claimed and fulfilled by a deputy."""

    class Status(models.TextChoices):
        OPEN = "open", _("待认领")
        CLAIMED = "claimed", _("已认领")
        FULFILLED = "fulfilled", _("已实现")

    station = models.ForeignKey(
        "directory.Station", models.PROTECT, related_name="small_wishes", verbose_name=_("家站")
    )
    reception = models.ForeignKey(
        "stations.Reception",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="small_wishes",
        verbose_name=_("来源接待"),
    )
    person_name = EncryptedTextField(_("心愿人"))
    content = models.CharField(_("心愿内容"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    claimed_by = models.ForeignKey(
        "directory.Deputy",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="claimed_wishes",
        verbose_name=_("认领代表"),
    )
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    fulfilled_on = models.DateField(_("实现日期"), null=True, blank=True)
    fulfillment_note = models.TextField(_("实现情况"), blank=True)
    photo = PhotoField(
        _("照片"), upload_to="wishes/%Y/%m/", blank=True, validators=[ImageFileValidator()]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = STATION_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("微心愿")
        verbose_name_plural = _("微心愿")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["station", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(claimed_by__isnull=False),
                name="smallwish_claimed_has_deputy",
            )
        ]

    def __str__(self) -> str:
        return self.content


auditlog.register(SmallWish, mask_fields=["person_name"])
