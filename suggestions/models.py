from auditlog.registry import auditlog
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HandlingUnit(models.Model):
    """承办单位: a government department, court, procuratorate or other body that answers suggestions."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("政府部门")
        COURT = "court", _("人民法院")
        PROCURATORATE = "procuratorate", _("人民检察院")
        TOWNSHIP = "township", _("乡镇人民政府(街道办事处)")
        ENTERPRISE = "enterprise", _("国有企事业单位")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=80)
    county = models.ForeignKey(
        "stations.Region",
        models.PROTECT,
        related_name="handling_units",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices, default=Kind.GOVERNMENT)
    contact_person = models.CharField(_("联系人"), max_length=40, blank=True)
    phone = models.CharField(_("办公电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "unit": lambda unit_id: Q(pk=unit_id),
    }

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["county", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "name"], name="handlingunit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


auditlog.register(HandlingUnit)
