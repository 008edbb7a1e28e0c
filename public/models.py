from auditlog.registry import auditlog
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.photos import PhotoField
from core.uploads import ImageFileValidator


class DutyStory(models.Model):
    """履职故事: a published account of what deputies did (a news item, an interview, a feature),
    entered by staff and shown on the station's showcase wall once published."""

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
        related_name="duty_stories",
        verbose_name=_("家站"),
    )
    deputies = models.ManyToManyField(
        "directory.Deputy", related_name="duty_stories", blank=True, verbose_name=_("相关代表")
    )
    title = models.CharField(_("标题"), max_length=200)
    outlet = models.CharField(_("刊发媒体"), max_length=80)
    published_on = models.DateField(_("刊发日期"))
    link = models.URLField(_("链接"), blank=True)
    text = models.TextField(_("正文"), blank=True)
    is_published = models.BooleanField(_("已在门户公开"), default=False, db_index=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "township": lambda township_id: Q(station__township_id=township_id),
        "station": lambda station_id: Q(station_id=station_id),
    }

    class Meta:
        verbose_name = _("履职故事")
        verbose_name_plural = _("履职故事")
        ordering = ["-published_on", "-pk"]
        indexes = [models.Index(fields=["county", "is_published", "published_on"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if not self.link and not (self.text or "").strip():
            raise ValidationError(_("请填写链接或正文(至少一项)。"))
        if self.station_id and self.county_id and self.station.county_id != self.county_id:
            raise ValidationError({"station": _("家站不属于所选县。")})


class OnlineOpinion(models.Model):
    """What the 民意直通车 form adds to an opinion of the triage queue: the deputy it was
    addressed to and the sender's photo. The opinion itself (content, contact, status, answer)
    lives in stations.Opinion."""

    opinion = models.OneToOneField(
        "stations.Opinion", models.CASCADE, related_name="online", verbose_name=_("群众意见")
    )
    deputy = models.ForeignKey(
        "directory.Deputy",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("致代表"),
    )
    photo = PhotoField(
        _("照片"), upload_to="opinions/%Y/%m/", blank=True, validators=[ImageFileValidator()]
    )

    class Meta:
        verbose_name = _("网上意见附加信息")
        verbose_name_plural = _("网上意见附加信息")

    def __str__(self) -> str:
        return str(self.opinion_id)


auditlog.register(DutyStory, m2m_fields={"deputies"})
