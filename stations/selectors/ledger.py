"""Reads of the activity ledger (家站活动台账) and the yearly compliance check (履职检查)."""

import datetime
import enum
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from accounts.access import can, get_for_user, scope_level, scoped
from core.filters import PortalFilterSet
from core.queries import related_count
from directory.models import Deputy, Region, Station
from directory.selectors import stations_of, townships_of

from ..models import ActivityPhoto, Reception, ReceptionDay, StationActivity, VisitDay

if TYPE_CHECKING:
    from accounts.models import User

YearMonth = tuple[int, int]

# --- The ledger ----------------------------------------------------------------------------------


def _deputy_names() -> Prefetch:
    return Prefetch("deputies", queryset=Deputy.objects.only("id", "name").order_by("name"))


def activity_list(*, user: "User") -> QuerySet[StationActivity]:
    return scoped(
        StationActivity.objects.select_related("station__township")
        .prefetch_related(_deputy_names())
        .annotate(photo_count=related_count(ActivityPhoto, "activity")),
        user,
        "activity",
    )


def with_photo_ids(activities: QuerySet[StationActivity]) -> QuerySet[StationActivity]:
    """The activities with their photos' ids only (the API links each photo, one query)."""
    return activities.prefetch_related(
        Prefetch("photos", queryset=ActivityPhoto.objects.only("id", "activity_id").order_by("pk"))
    )


def activity_get(*, user: "User", pk: int) -> StationActivity:
    return get_for_user(
        StationActivity.objects.select_related("station__township", "created_by").prefetch_related(
            _deputy_names(), Prefetch("photos", queryset=ActivityPhoto.objects.order_by("pk"))
        ),
        user,
        "activity",
        pk=pk,
    )


def activity_photo_get(*, user: "User", pk: int) -> ActivityPhoto:
    """A photo of an activity the user may read: 403 for roles that read no ledger at all, 404
    for a photo of an activity outside the scope."""
    readable = scoped(StationActivity.objects.order_by(), user, "activity")
    photo = ActivityPhoto.objects.filter(pk=pk, activity__in=readable.values("pk")).first()
    if photo is None:
        raise Http404
    return photo


def managed_stations(*, user: "User") -> QuerySet[Station]:
    """Stations whose ledger the user keeps (accounts.access.can_manage_station, for many)."""
    if not can(user, "station.keep"):
        return Station.objects.none()
    return scoped(Station.objects.filter(is_active=True), user, "station")


def activity_deputy_choices(*, user: "User") -> QuerySet[Deputy]:
    """Deputies offered on the ledger form: those stationed at a station the user manages."""
    return (
        Deputy.objects.filter(station__in=managed_stations(user=user).values("pk"))
        .select_related("station")
        .only("id", "name", "station_id", "station__name")
        .order_by("station_id", "name")
    )


class ActivityFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("主题/情况"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="station__township",
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("家站"),
        queryset=stations_of,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=StationActivity.Kind.choices, empty_label=_("全部类型")
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="date__year")

    class Meta:
        model = StationActivity
        fields = ["q", "township", "station", "kind", "year"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(theme__icontains=value) | Q(summary__icontains=value))


# --- Compliance: a monthly reception day and a quarterly themed activity per station -----------


def can_see_compliance(user: "User") -> bool:
    return can(user, "station.check_compliance")


class Mark(enum.StrEnum):
    DONE = "done"  # a reception held / a themed activity logged
    MISSED = "missed"  # the period is over and nothing was done
    PENDING = "pending"  # the period is not over yet: not counted as missed


def _periods_over(year: int, today: datetime.date, per_year: int) -> int:
    """How many of the year's ``per_year`` periods (12 months, 4 quarters) have ended by today."""
    if year < today.year:
        return per_year
    if year > today.year:
        return 0
    months_over = today.month - 1
    return months_over * per_year // 12


# The one rule of monthly reception compliance, used by the compliance page, the dashboard and
# the annual workbook: a month is due (and can be missed) once it is over; the month under way
# is not yet due, whatever day of it today is.


def months_due(start: datetime.date, end: datetime.date, today: datetime.date) -> list[YearMonth]:
    """The calendar months from ``start`` to ``end`` that are over by ``today``, oldest first."""
    months = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month) and (year, month) < (today.year, today.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def reception_months(
    stations: QuerySet[Station], start: datetime.date, end: datetime.date
) -> dict[int, set[YearMonth]]:
    """Station id -> the (year, month)s from ``start`` to ``end`` with a reception day that took
    place: marked held, or with at least one reception logged on it (a keeper may log receptions
    and forget the status). One query."""
    rows = (
        ReceptionDay.objects.filter(station__in=stations, date__range=(start, end))
        .filter(
            Q(status=ReceptionDay.Status.HELD)
            | Exists(Reception.objects.filter(reception_day=OuterRef("pk")))
        )
        .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
        .values("station_id", "year", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    held: dict[int, set[YearMonth]] = defaultdict(set)
    for row in rows:
        held[row["station_id"]].add((row["year"], row["month"]))
    return held


def visit_months(
    stations: QuerySet, start: datetime.date, end: datetime.date
) -> dict[int, set[YearMonth]]:
    """Station id -> the (year, month)s from ``start`` to ``end`` with a 选民走访日 that took
    place: a visit day marked held, or a 选民走访日 entry in the ledger. Two queries; months are
    due by the same rule as reception days (months_due)."""
    held: dict[int, set[YearMonth]] = defaultdict(set)
    for model, filters in (
        (VisitDay, Q(status=VisitDay.Status.HELD)),
        (StationActivity, Q(kind=StationActivity.Kind.VOTER_VISIT)),
    ):
        rows = (
            model.objects.filter(filters, station__in=stations, date__range=(start, end))
            .annotate(year=ExtractYear("date"), month=ExtractMonth("date"))
            .values("station_id", "year", "month")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            held[row["station_id"]].add((row["year"], row["month"]))
    return held


def _marks(done: set[int], count: int, over: int) -> list[Mark]:
    return [
        Mark.DONE if n in done else Mark.MISSED if n <= over else Mark.PENDING
        for n in range(1, count + 1)
    ]


@dataclass
class StationCompliance:
    station: Station
    months: list[Mark]  # January … December
    quarters: list[Mark]  # Q1 … Q4
    visits: list[Mark] = field(default_factory=list)  # 选民走访日, January … December

    @property
    def missed_months(self) -> int:
        return self.months.count(Mark.MISSED)

    @property
    def missed_visits(self) -> int:
        return self.visits.count(Mark.MISSED)

    @property
    def missed_quarters(self) -> int:
        return self.quarters.count(Mark.MISSED)

    @property
    def has_gaps(self) -> bool:
        return bool(self.missed_months or self.missed_quarters or self.missed_visits)


@dataclass
class ComplianceTotals:
    stations: int = 0
    stations_with_gaps: int = 0
    missed_months: int = 0
    missed_quarters: int = 0
    missed_visits: int = 0

    def add(self, row: StationCompliance) -> None:
        self.stations += 1
        self.stations_with_gaps += row.has_gaps
        self.missed_months += row.missed_months
        self.missed_quarters += row.missed_quarters
        self.missed_visits += row.missed_visits


@dataclass
class TownshipCompliance:
    township: Region
    stations: list[StationCompliance] = field(default_factory=list)
    totals: ComplianceTotals = field(default_factory=ComplianceTotals)


@dataclass
class ComplianceReport:
    year: int
    today: datetime.date
    months_due: int  # months of the year already over
    quarters_due: int
    townships: list[TownshipCompliance]
    totals: ComplianceTotals


def _months_held(stations: QuerySet, year: int) -> dict[int, set[int]]:
    """Station id -> the months of ``year`` with a reception day that took place."""
    held = reception_months(stations, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return {pk: {month for _year, month in months} for pk, months in held.items()}


def _quarters_with_themed_activity(stations: QuerySet, year: int) -> dict[int, set[int]]:
    rows = (
        StationActivity.objects.filter(
            station__in=stations, date__year=year, kind=StationActivity.Kind.THEMED
        )
        .annotate(quarter=ExtractQuarter("date"))
        .values("station_id", "quarter")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return _by_station(rows, "quarter")


def _by_station(rows: Iterable[dict], period: str) -> dict[int, set[int]]:
    done: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        done[row["station_id"]].add(row[period])
    return done


def _group_by_township(rows: Iterable[StationCompliance]) -> list[TownshipCompliance]:
    townships: dict[int, TownshipCompliance] = {}
    for row in rows:
        group = townships.get(row.station.township_id)
        if group is None:
            group = townships[row.station.township_id] = TownshipCompliance(row.station.township)
        group.stations.append(row)
        group.totals.add(row)
    return list(townships.values())


def compliance_for(
    *,
    user: "User",
    year: int,
    today: datetime.date,
    gaps_only: bool = False,
    missed_month: int | None = None,
) -> ComplianceReport:
    """For ``year``, every active station in the user's scope with, per month, whether a
    reception day and a 选民走访日 took place and, per quarter, whether a themed activity was
    logged; months and
    quarters not over by ``today`` are pending, never missed (months_due). ``gaps_only`` keeps the
    stations with a gap, ``missed_month`` those that missed that month (a dashboard bar). Five
    queries whatever the number of stations: the stations, the months held, the quarters with a
    themed activity, the months visited (visit days, visit entries)."""
    if not can_see_compliance(user):
        raise PermissionDenied
    scope_level(user, "station")  # the station policy must allow the role too
    stations = scoped(Station.objects.filter(is_active=True), user, "station")
    ids = stations.values("pk")
    months_held = _months_held(ids, year)
    quarters_done = _quarters_with_themed_activity(ids, year)
    visited = {
        pk: {month for _year, month in months}
        for pk, months in visit_months(
            ids, datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        ).items()
    }
    due = len(months_due(datetime.date(year, 1, 1), datetime.date(year, 12, 31), today))
    quarters_due = _periods_over(year, today, 4)

    rows = []
    for station in stations.select_related("township").order_by("township__code", "kind", "name"):
        row = StationCompliance(
            station=station,
            months=_marks(months_held.get(station.pk, set()), 12, due),
            quarters=_marks(quarters_done.get(station.pk, set()), 4, quarters_due),
            visits=_marks(visited.get(station.pk, set()), 12, due),
        )
        if missed_month is not None and row.months[missed_month - 1] != Mark.MISSED:
            continue
        if row.has_gaps or not gaps_only:
            rows.append(row)
    townships = _group_by_township(rows)
    totals = ComplianceTotals()
    for row in rows:
        totals.add(row)
    return ComplianceReport(
        year=year,
        today=today,
        months_due=due,
        quarters_due=quarters_due,
        townships=townships,
        totals=totals,
    )
