"""代表述职月: every December the directly elected deputies report to their voters (三述: on site,
in writing, by live stream), are evaluated (三评) and the results are published (三公开). This
module holds the campaign and the reports."""

from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.uploads import ImageFileValidator
from deputies.models import DEPUTY_SCOPE_LOOKUPS


class ReportCampaign(models.Model):
    """A county's duty-report campaign of a year (代表述职月)."""

    county = models.ForeignKey(
        "stations.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    deadline = models.DateField(_("述职截止日期"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("发起人")
    )
    opened_at = models.DateTimeField(_("发起时间"), auto_now_add=True)

    SCOPE_LOOKUPS = {"county": lambda county_id: Q(county_id=county_id)}

    class Meta:
        verbose_name = _("述职活动")
        verbose_name_plural = _("述职活动")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["county", "year"], name="campaign_once_per_year")
        ]

    def __str__(self) -> str:
        return _("%(year)d年代表述职") % {"year": self.year}


class DutyReport(models.Model):
    """One deputy's report of the year, in up to three forms (三述)."""

    campaign = models.ForeignKey(
        ReportCampaign, models.CASCADE, related_name="reports", verbose_name=_("述职活动")
    )
    deputy = models.ForeignKey(
        "deputies.Deputy", models.CASCADE, related_name="duty_reports", verbose_name=_("代表")
    )
    # 现场述职
    onsite_date = models.DateField(_("现场述职日期"), null=True, blank=True)
    onsite_place = models.CharField(_("现场述职地点"), max_length=120, blank=True)
    voters_present = models.PositiveIntegerField(_("到场选民人数"), null=True, blank=True)
    onsite_photo = models.ImageField(
        _("现场照片"),
        upload_to="duty-reports/%Y/",
        blank=True,
        validators=[ImageFileValidator()],
    )
    # 书面述职
    written_text = models.TextField(_("书面述职"), blank=True)
    # 直播述职
    live_link = models.URLField(_("直播链接"), blank=True)
    live_viewers = models.PositiveIntegerField(_("观看人数"), null=True, blank=True)
    filed_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("录入人")
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    SCOPE_LOOKUPS = DEPUTY_SCOPE_LOOKUPS

    class Meta:
        verbose_name = _("述职报告")
        verbose_name_plural = _("述职报告")
        ordering = ["campaign", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "deputy"], name="report_once_per_campaign")
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.campaign}"

    @property
    def forms_filed(self) -> list[str]:
        forms = []
        if self.onsite_date:
            forms.append(str(_("现场")))
        if self.written_text:
            forms.append(str(_("书面")))
        if self.live_link:
            forms.append(str(_("直播")))
        return forms


auditlog.register(ReportCampaign)
auditlog.register(DutyReport, exclude_fields=["updated_at"])
