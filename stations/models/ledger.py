from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.photos import PhotoField
from core.uploads import ImageFileValidator
from directory.models import STATION_SCOPE_LOOKUPS


class StationActivity(models.Model):
    """An entry of the station's activity ledger (家站活动台账)."""

    class Kind(models.TextChoices):
        THEMED = "themed", _("季度专题活动")
        VOTER_VISIT = "voter_visit", _("选民走访日")
        LAW = "law", _("法律进社区")
        OTHER = "other", _("其他活动")

    station = models.ForeignKey(
        "directory.Station", models.PROTECT, related_name="activities", verbose_name=_("家站")
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("日期"), db_index=True)
    theme = models.CharField(_("主题"), max_length=120)
    deputies = models.ManyToManyField(
        "directory.Deputy",
        related_name="station_activities",
        blank=True,
        verbose_name=_("参加代表"),
    )
    people_reached = models.PositiveIntegerField(_("参与群众人数"), default=0)
    summary = models.TextField(_("活动情况"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("登记人")
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    SCOPE_LOOKUPS = STATION_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("家站活动")
        verbose_name_plural = _("家站活动台账")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["station", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.theme}"

    def duty_title(self) -> str:
        """How its deputies' duty records name it: the kind, then the theme, the kind said once
        when the theme already begins with it ("法律进社区:民法典宣讲")."""
        return duty_title(str(self.get_kind_display()), self.theme)


def duty_title(label: str, theme: str) -> str:
    """``label:theme``, without repeating ``label`` when ``theme`` begins with it."""
    theme = theme.strip()
    while theme.startswith(label):
        rest = theme[len(label) :].lstrip()
        if rest[:1] not in (":", ":"):
            break
        theme = rest[1:].strip()
    return f"{label}:{theme}" if theme else label


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(StationActivity, models.CASCADE, related_name="photos")
    image = PhotoField(_("照片"), upload_to="activities/%Y/%m/", validators=[ImageFileValidator()])
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return self.image.name


auditlog.register(StationActivity, m2m_fields={"deputies"})
