"""Exports of station work. The station ledger (家站台账) for a year is a workbook laid out like the
ledger book kept on paper: one sheet per section, each a small class below with its columns and a
generator of rows. It runs as a background export (core.exports): rows stream from the database
(``.iterator()``, a fixed number of queries per sheet) into core.excel's constant-memory,
formula-safe writer.

Every sheet reads through accounts.access with the exporting user, so a deputy's export holds
only their own receptions, exactly as the pages show them. Names of voters and wish persons are
masked (core.masking)."""

from operator import itemgetter

from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core.exports import (
    CHUNK_SIZE,
    Column,
    Exporter,
    MergedNames,
    Sheet,
    choice_label,
    local_date,
    register,
)
from core.filters import query_int, query_year
from core.masking import mask_name
from core.queries import related_count
from directory import selectors as directory

from .models import Opinion, OpinionCategory, Reception, SmallWish, StationActivity


class LedgerSheet(Sheet):
    """One section of the station ledger for one year: the station's records of ``model`` in
    that year, read through accounts.access as ``resource``, in ledger order."""

    model: type[Model]
    resource: str
    year_lookup: str  # the lookup that takes the year
    ordering: tuple[str, ...]

    def title(self) -> str:
        return _("%(station)s %(year)d年 %(section)s") % {
            "station": self.exporter.station.name,
            "year": self.exporter.year,
            "section": self.verbose_name,
        }

    def queryset(self) -> QuerySet:
        exporter = self.exporter
        records = self.model.objects.filter(
            station=exporter.station, **{self.year_lookup: exporter.year}
        )
        return scoped(records, self.user, self.resource).order_by(*self.ordering)

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for row in self.queryset().values(*self.fields()).iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(row)


class ReceptionSheet(LedgerSheet):
    verbose_name = gettext_lazy("接待记录")
    model, resource = Reception, "reception"
    year_lookup, ordering = "reception_day__date__year", ("reception_day__date", "pk")
    columns = (
        Column(gettext_lazy("接待日期"), 12, "reception_day__date"),
        Column(gettext_lazy("接待代表"), 12, "deputy__name"),
        Column(gettext_lazy("接待选民人数"), 14, "voters_received"),
        Column(gettext_lazy("接待情况"), 60, "summary"),
        Column(gettext_lazy("意见条数"), 10, "opinion_count"),
    )

    def rows(self):
        receptions = self.queryset().annotate(opinion_count=related_count(Opinion, "reception"))
        for row in receptions.values(*self.fields()).iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(row)


class ActivitySheet(LedgerSheet):
    verbose_name = gettext_lazy("活动台账")
    model, resource = StationActivity, "activity"
    year_lookup, ordering = "date__year", ("date", "pk")
    columns = (
        Column(gettext_lazy("活动日期"), 12, "date"),
        Column(gettext_lazy("类型"), 14, "kind", choice_label(StationActivity.Kind.choices)),
        Column(gettext_lazy("主题"), 30, "theme"),
        Column(gettext_lazy("参加代表"), 30, itemgetter("deputies")),  # merged in rows()
        Column(gettext_lazy("参与群众人数"), 14, "people_reached"),
        Column(gettext_lazy("活动情况"), 60, "summary"),
    )

    def rows(self):
        activities = self.queryset()
        # Two streams in the same order, merged here: the participating deputies come from one
        # query over the link table instead of one query per chunk of activities.
        links = (
            StationActivity.deputies.through.objects.filter(
                stationactivity__in=activities.values("pk")
            )
            .order_by("stationactivity__date", "stationactivity_id", "deputy__name")
            .values_list("stationactivity_id", "deputy__name")
        )
        deputies = MergedNames(links.iterator(chunk_size=CHUNK_SIZE))
        for row in activities.values("pk", *self.fields()).iterator(chunk_size=CHUNK_SIZE):
            row["deputies"] = deputies.take_next(row["pk"])
            yield self.cells(row)


class OpinionSheet(LedgerSheet):
    verbose_name = gettext_lazy("群众意见")
    model, resource = Opinion, "opinion"
    year_lookup, ordering = "created_at__year", ("created_at", "pk")
    columns = (
        Column(gettext_lazy("受理日期"), 12, "created_at", local_date),
        Column(gettext_lazy("渠道"), 14, "channel", choice_label(Opinion.Channel.choices)),
        Column(gettext_lazy("类别"), 12, "category", choice_label(OpinionCategory.choices)),
        Column(gettext_lazy("意见内容"), 60, "content"),
        Column(gettext_lazy("办理状态"), 10, "status", choice_label(Opinion.Status.choices)),
        Column(gettext_lazy("反映人"), 10, "voter_name", mask_name),
    )


class SmallWishSheet(LedgerSheet):
    verbose_name = gettext_lazy("微心愿")
    model, resource = SmallWish, "small_wish"
    year_lookup, ordering = "created_at__year", ("created_at", "pk")
    columns = (
        Column(gettext_lazy("登记日期"), 12, "created_at", local_date),
        Column(gettext_lazy("心愿人"), 10, "person_name", mask_name),
        Column(gettext_lazy("心愿内容"), 50, "content"),
        Column(gettext_lazy("状态"), 10, "status", choice_label(SmallWish.Status.choices)),
        Column(gettext_lazy("认领代表"), 12, "claimed_by__name", lambda name: name or ""),
        Column(gettext_lazy("实现日期"), 12, "fulfilled_on"),
    )


@register
class StationLedgerExporter(Exporter):
    """家站台账: one station's ledger for a year, one sheet per section."""

    identifier = "station_ledger"
    verbose_name = gettext_lazy("家站台账")
    sheet_classes = (ReceptionSheet, ActivitySheet, OpinionSheet, SmallWishSheet)

    @classmethod
    def clean_params(cls, user, data) -> dict:
        """A station the user may read (404 outside the scope, 403 for a role that reads no
        stations, as the station's page answers) and ``year`` within range, else this year."""
        station_id = query_int(data.get("station"))
        if station_id is None:
            raise Http404
        station = directory.station_get(user=user, pk=station_id)
        this_year = timezone.localdate().year
        year = query_year(data.get("year"), default=this_year, last=this_year + 1)
        return {"station": station.pk, "year": year}

    def __init__(self, *, user, params) -> None:
        super().__init__(user=user, params=params)
        self.station = directory.station_get(user=user, pk=params["station"])
        self.year = params["year"]

    def title(self) -> str:
        return _("%(station)s %(year)d年台账") % {"station": self.station.name, "year": self.year}

    def filename(self) -> str:
        return f"{self.station.name}-{self.year}-台账.xlsx"
