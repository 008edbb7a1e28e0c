"""Regions and stations live in ``directory``; re-exported for older imports."""

from directory.models import (
    STATION_SCOPE_LOOKUPS,
    Region,
    Station,
    StationQuerySet,
    next_reception_date,
)

__all__ = ["STATION_SCOPE_LOOKUPS", "Region", "Station", "StationQuerySet", "next_reception_date"]
