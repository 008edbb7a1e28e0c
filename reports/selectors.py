"""Figures for the dashboards, each a fixed number of aggregate queries over the user's scope."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from accounts.access import scoped
from deputies.models import Deputy, Level, Mandate
from stations.models import Station


@dataclass
class AreaFigures:
    stations_by_kind: dict[str, int]
    station_total: int
    deputy_total: int
    mandates_by_level: list[tuple[str, int]]
    directly_elected: int
    townships: list[dict] = field(default_factory=list)


def area_figures(*, user) -> AreaFigures:
    """Stations by kind, deputies by level and stations per township, within the user's scope.

    Queries: stations by kind (1), deputies total (1), active mandates by level (1),
    directly elected deputies (1), per-township table (1)."""
    stations = scoped(Station.objects.all(), user, "station")
    deputies = scoped(Deputy.objects.all(), user, "deputy")

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
            deputies=Count("deputies", distinct=True),
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
