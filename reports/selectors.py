"""Figures for the dashboards, each a fixed number of aggregate queries over the user's scope."""

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Q

from accounts.access import can_read, scoped
from directory.models import Deputy, Level, Mandate, Station
from stations.models import Opinion, Reception, SmallWish, StationActivity
from stations.selectors.opinions import OPEN_STATUSES
from stations.selectors.receptions import ReceptionTotals, reception_totals

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from accounts.models import User


@dataclass
class AreaFigures:
    stations_by_kind: dict["StrPromise", int]
    station_total: int
    deputy_total: int
    mandates_by_level: list[tuple["StrPromise", int]]
    directly_elected: int
    townships: list[dict] = field(default_factory=list)


def area_figures(*, user: "User") -> AreaFigures:
    """Stations by kind, deputies by level and stations per township, within the user's scope.

    Queries: stations by kind (1), deputies total (1), active mandates by level (1),
    directly elected deputies (1), per-township table (1)."""
    stations = scoped(Station.objects.all(), user, "station")
    # Deputies in office: one whose mandates all ended (or are suspended) is no longer counted.
    deputies = scoped(Deputy.objects.in_office(), user, "deputy")

    by_kind = {
        row["kind"]: row["n"] for row in stations.order_by().values("kind").annotate(n=Count("pk"))
    }
    stations_by_kind = {kind.label: by_kind.get(kind.value, 0) for kind in Station.Kind}

    level_counts = dict(
        Mandate.objects.filter(is_active=True, deputy__in=deputies)
        .order_by()
        .values_list("level")
        .annotate(n=Count("pk"))
    )
    mandates_by_level = [(level.label, level_counts.get(level.value, 0)) for level in Level]
    directly_elected = deputies.directly_elected().count()

    townships = list(
        stations.order_by("township__code")
        .values("township_id", "township__name")
        .annotate(
            homes=Count("pk", filter=Q(kind=Station.Kind.HOME), distinct=True),
            liaisons=Count("pk", filter=Q(kind=Station.Kind.LIAISON), distinct=True),
            deputies=Count(
                "deputies",
                filter=Q(deputies__in=Deputy.objects.in_office().values("pk")),
                distinct=True,
            ),
        )
    )
    return AreaFigures(
        stations_by_kind=stations_by_kind,
        station_total=sum(by_kind.values()),
        deputy_total=deputies.count(),
        mandates_by_level=mandates_by_level,
        directly_elected=directly_elected,
        townships=townships,
    )


@dataclass
class WorkFigures:
    year: int
    receptions: int
    voters_received: int
    activities: int
    opinions_by_status: dict["StrPromise", int]
    opinions_open: int
    opinions_forwarded: int
    wishes_by_status: dict["StrPromise", int]


def work_figures(*, user: "User", year: int) -> WorkFigures:
    """This year's station work within the user's scope. Queries: the year's station work (4),
    opinions by status (1), wishes by status (1); a role without a resource gets zeros."""
    work = station_work(user=user, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    opinions = {}
    if can_read(user, "opinion"):
        opinions = dict(
            scoped(Opinion.objects.all(), user, "opinion")
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
    wishes = {}
    if can_read(user, "small_wish"):
        wishes = dict(
            scoped(SmallWish.objects.all(), user, "small_wish")
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
    return WorkFigures(
        year=year,
        receptions=work.receptions,
        voters_received=work.voters_received,
        activities=work.activities,
        opinions_by_status={
            status.label: opinions.get(status.value, 0) for status in Opinion.Status
        },
        # The opinion list's ?open=true (OpinionFilter.filter_open): the same statuses.
        opinions_open=sum(opinions.get(status, 0) for status in OPEN_STATUSES),
        opinions_forwarded=opinions.get(Opinion.Status.FORWARDED, 0),
        wishes_by_status={status.label: wishes.get(status.value, 0) for status in SmallWish.Status},
    )


@dataclass
class StationWork:
    receptions: int
    voters_received: int
    activities: int
    opinions: int
    opinions_answered: int
    wishes: int
    wishes_fulfilled: int


def station_work(*, user: "User", start: datetime.date, end: datetime.date) -> StationWork:
    """Station work in the period within the user's scope (4 queries); a role without a resource
    gets zeros. The dashboard's figures of the year are this function over the calendar year."""
    receptions = ReceptionTotals(receptions=0, voters_received=0)
    if can_read(user, "reception"):
        receptions = reception_totals(
            scoped(
                Reception.objects.filter(reception_day__date__range=(start, end)),
                user,
                "reception",
            )
        )
    activities = (
        scoped(StationActivity.objects.filter(date__range=(start, end)), user, "activity").count()
        if can_read(user, "activity")
        else 0
    )
    opinions = {"n": 0, "answered": 0}
    if can_read(user, "opinion"):
        opinions = scoped(Opinion.objects.all(), user, "opinion").aggregate(
            n=Count("pk", filter=Q(created_at__date__range=(start, end))),
            answered=Count("pk", filter=Q(answered_at__date__range=(start, end))),
        )
    wishes = {"n": 0, "fulfilled": 0}
    if can_read(user, "small_wish"):
        wishes = scoped(SmallWish.objects.all(), user, "small_wish").aggregate(
            n=Count("pk", filter=Q(created_at__date__range=(start, end))),
            fulfilled=Count("pk", filter=Q(fulfilled_on__range=(start, end))),
        )
    return StationWork(
        receptions=receptions.receptions,
        voters_received=receptions.voters_received,
        activities=activities,
        opinions=opinions["n"] or 0,
        opinions_answered=opinions["answered"] or 0,
        wishes=wishes["n"] or 0,
        wishes_fulfilled=wishes["fulfilled"] or 0,
    )


def next_reception_day(*, station_id: int, today):
    """The station's next planned reception day with its on-duty deputies (2 queries), or None."""
    from stations.models import ReceptionDay

    return (
        ReceptionDay.objects.filter(
            station_id=station_id, date__gte=today, status=ReceptionDay.Status.PLANNED
        )
        .prefetch_related("on_duty")
        .order_by("date")
        .first()
    )
