from auditlog.registry import auditlog
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.codes import new_code
from core.crypto import EncryptedTextField


def new_tracking_code() -> str:
    """130 random bits in groups a person can read and type (core.codes): the sender's key to
    follow the opinion, never guessable."""
    return new_code()


class OpinionCategory(models.TextChoices):
    WATER = "water", _("安全饮水")
    ROADS = "roads", _("道路交通")
    ELDERLY_MEDICAL = "elderly_medical", _("养老医疗")
    EDUCATION = "education", _("教育")
    EMPLOYMENT = "employment", _("就业创业")
    SOCIAL_SECURITY = "social_security", _("社会保障")
    ENVIRONMENT = "environment", _("生态环境")
    AGRICULTURE = "agriculture", _("农业农村")
    GOVERNANCE = "governance", _("基层治理")
    OTHER = "other", _("其他")


class Opinion(models.Model):
    """What people raise (群众意见/民意), whatever the channel, followed to an answer."""

    class Channel(models.TextChoices):
        RECEPTION = "reception", _("接待日")
        MAILBOX = "mailbox", _("代表信箱")
        VISIT = "visit", _("选民走访")
        ONLINE = "online", _("线上民意直通车")

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        FORWARDED = "forwarded", _("已转办")
        ANSWERED = "answered", _("已答复")
        CLOSED = "closed", _("已办结")

    tracking_code = models.CharField(
        _("查询码"), max_length=32, unique=True, default=new_tracking_code, editable=False
    )
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("所属县"),
    )
    township = models.ForeignKey(
        "directory.Region", models.PROTECT, related_name="+", verbose_name=_("乡镇(街道)")
    )
    station = models.ForeignKey(
        "directory.Station",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("家站"),
    )
    reception = models.ForeignKey(
        "stations.Reception",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("接待记录"),
    )
    category = models.CharField(_("类别"), max_length=20, choices=OpinionCategory.choices)
    content = models.TextField(_("内容"))
    voter_name = EncryptedTextField(_("反映人"), blank=True)
    voter_phone = EncryptedTextField(_("联系电话"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RECEIVED
    )
    handling_unit = models.ForeignKey(
        "directory.HandlingUnit",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="opinions",
        verbose_name=_("转办单位"),
    )
    answer = models.TextField(_("答复"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("受理时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "township": lambda township_id: Q(township_id=township_id),
        "station": lambda station_id: Q(station_id=station_id),
        "unit": lambda unit_id: Q(handling_unit_id=unit_id),
    }

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["county", "status", "created_at"]),
            models.Index(fields=["township", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()}:{self.content[:20]}"

    def save(self, *args, **kwargs) -> None:
        if self.township_id and not self.county_id:
            self.county_id = self.township.county_id
        super().save(*args, **kwargs)


class OpinionEvent(models.Model):
    """Who did what with an opinion, and when."""

    opinion = models.ForeignKey(Opinion, models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    from_status = models.CharField(_("原状态"), max_length=10, blank=True)
    to_status = models.CharField(_("新状态"), max_length=10, choices=Opinion.Status.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("意见办理记录")
        verbose_name_plural = _("意见办理记录")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.opinion_id} → {self.to_status}"


auditlog.register(Opinion, mask_fields=["voter_name", "voter_phone"])
