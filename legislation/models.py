"""立法意见征集: drafts of laws and regulations sent down for comment, the opinions gathered on
them from the public, deputies and stations, and the summary reported to the upper congress."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField
from directory.models import Deputy, Region, Station


def _draft_file_path(draft: "Draft", filename: str) -> str:
    # Sealed (core.crypto.SealedContent): the stored bytes are not the document until opened.
    return f"legislation/drafts/{draft.county_id}/{timezone.now():%Y%m%d%H%M%S%f}.sealed"


def _reached_by_station(station_ids) -> Q:
    """Drafts published to one of these stations (by a subquery: no duplicate rows)."""
    return Q(
        pk__in=Draft.stations.through.objects.filter(station_id__in=station_ids).values("draft_id")
    )


def _station_lookup(station_id: int) -> Q:
    station = Station.objects.filter(pk=station_id)
    return Q(all_stations=True, county__in=station.values("county_id")) | _reached_by_station(
        [station_id]
    )


def _township_lookup(township_id: int) -> Q:
    return Q(
        all_stations=True, county__in=Region.objects.filter(pk=township_id).values("county_id")
    ) | _reached_by_station(Station.objects.filter(township_id=township_id).values("pk"))


def _deputy_lookup(deputy_id: int) -> Q:
    deputy = Deputy.objects.filter(pk=deputy_id)
    return Q(for_deputies=True) & (
        Q(all_stations=True, county__in=deputy.values("county_id"))
        | _reached_by_station(deputy.values("station_id"))
    )


class LiaisonPoint(models.Model):
    """A station designated 基层立法联系点: it gathers opinions on drafts for the upper congress."""

    station = models.OneToOneField(
        "directory.Station",
        models.CASCADE,
        related_name="liaison_point",
        verbose_name=_("家站"),
    )
    since = models.DateField(_("设立日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("基层立法联系点")
        verbose_name_plural = _("基层立法联系点")
        ordering = ["station__name"]

    def __str__(self) -> str:
        return str(self.station)


class Draft(models.Model):
    """A draft law, regulation or normative document sent down for comment."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省人大常委会")
        CITY = "city", _("市人大常委会")
        COUNTY = "county", _("县人大常委会")

    class Status(models.TextChoices):
        OPEN = "open", _("征集中")
        CLOSED = "closed", _("已截止")
        REPORTED = "reported", _("已汇总报送")

    county = models.ForeignKey(
        "directory.Region",
        models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    title = models.CharField(_("草案名称"), max_length=200)
    level = models.CharField(_("征求意见机关层级"), max_length=10, choices=Level.choices)
    issuer = models.CharField(_("征求意见机关"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=60, blank=True)
    summary = models.TextField(_("内容摘要"), blank=True)
    text = models.TextField(_("草案文本"), blank=True)
    file = models.FileField(_("草案文件"), upload_to=_draft_file_path, blank=True)
    file_name = models.CharField(_("原文件名"), max_length=200, blank=True)
    # Told from the file's bytes on upload (core.uploads.validate_document): pdf, docx or doc.
    file_type = models.CharField(_("文件格式"), max_length=4, blank=True)
    deadline = models.DateField(_("意见截止日期"), db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    all_stations = models.BooleanField(_("发至全部家站"), default=False)
    stations = models.ManyToManyField(
        "directory.Station", blank=True, related_name="+", verbose_name=_("发至家站")
    )
    for_deputies = models.BooleanField(_("发至代表"), default=True)
    published_on = models.DateField(_("发布日期"), default=timezone.localdate)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("发布人"),
    )
    summary_note = models.TextField(_("汇总说明"), blank=True)
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(county_id=county_id),
        "township": _township_lookup,
        "station": _station_lookup,
        "self": _deputy_lookup,
    }

    class Meta:
        verbose_name = _("立法征求意见稿")
        verbose_name_plural = _("立法征求意见稿")
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("legislation:detail", args=[self.pk])

    @property
    def accepting(self) -> bool:
        """Open for comment today: still 征集中 and the deadline not passed."""
        return self.status == self.Status.OPEN and self.deadline >= timezone.localdate()

    def reaches_station(self, station) -> bool:
        if station is None:
            return False
        if self.all_stations:
            return station.county_id == self.county_id
        return self.stations.filter(pk=station.pk).exists()


class LegislativeOpinion(models.Model):
    """One opinion on a draft, from whichever channel it came."""

    class Channel(models.TextChoices):
        PUBLIC = "public", _("群众网上提交")
        DEPUTY = "deputy", _("人大代表")
        STATION = "station", _("家站(立法联系点)")
        ONLINE = "online", _("线上民意直通车转入")

    draft = models.ForeignKey(
        Draft, models.CASCADE, related_name="opinions", verbose_name=_("征求意见稿")
    )
    channel = models.CharField(_("来源"), max_length=10, choices=Channel.choices)
    article = models.CharField(_("涉及条款"), max_length=40, blank=True)
    content = models.TextField(_("意见内容"))
    deputy = models.ForeignKey(
        "directory.Deputy",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("代表"),
    )
    station = models.ForeignKey(
        "directory.Station",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("家站"),
    )
    occasion = models.CharField(_("征集形式"), max_length=60, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), null=True, blank=True)
    source_opinion = models.ForeignKey(
        "stations.Opinion",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("来源群众意见"),
    )
    sender_name = EncryptedTextField(_("提出人"), blank=True)
    sender_contact = EncryptedTextField(_("联系方式"), blank=True, input_kind="tel")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("登记人"),
    )
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    SCOPE_LOOKUPS = {
        "county": lambda county_id: Q(draft__county_id=county_id),
        "township": lambda township_id: (
            Q(station__township_id=township_id) | Q(deputy__station__township_id=township_id)
        ),
        "station": lambda station_id: Q(station_id=station_id),
        "self": lambda deputy_id: Q(deputy_id=deputy_id),
    }

    class Meta:
        verbose_name = _("立法意见")
        verbose_name_plural = _("立法意见")
        ordering = ["article", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "source_opinion"],
                condition=Q(source_opinion__isnull=False),
                name="legislative_opinion_routed_once",
            )
        ]

    def __str__(self) -> str:
        return self.content[:40]


class ArticleSummary(models.Model):
    """The staff's summary of the opinions on one article: adopted or not, and why."""

    class Adoption(models.TextChoices):
        ADOPTED = "adopted", _("建议采纳")
        PARTLY = "partly", _("部分采纳")
        NOT_ADOPTED = "not_adopted", _("不予采纳")
        REFERENCE = "reference", _("留作参考")

    draft = models.ForeignKey(
        Draft, models.CASCADE, related_name="article_summaries", verbose_name=_("征求意见稿")
    )
    article = models.CharField(_("涉及条款"), max_length=40, blank=True)
    adoption = models.CharField(_("采纳意见"), max_length=12, choices=Adoption.choices)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("条款汇总")
        verbose_name_plural = _("条款汇总")
        ordering = ["article"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "article"], name="article_summary_once")
        ]

    def __str__(self) -> str:
        return self.article or str(_("总体意见"))
