"""Reads of the stations app, scoped to the user; one FilterSet per list (STYLE.md)."""

from .directory import (
    RegionFilter,
    StationFilter,
    deputy_count_subquery,
    region_list,
    station_get,
    station_list,
    township_choices,
)

__all__ = [
    "RegionFilter",
    "StationFilter",
    "deputy_count_subquery",
    "region_list",
    "station_get",
    "station_list",
    "township_choices",
]
