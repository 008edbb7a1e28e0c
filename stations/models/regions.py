from auditlog.registry import auditlog
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
auditlog.register(Station, exclude_fields=["county", "created_at"])
