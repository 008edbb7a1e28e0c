"""The station directory's reads live in ``directory.selectors``; re-exported here."""

from directory.selectors import (
    RegionFilter,
    StationFilter,
    deputy_count_subquery,
    region_list,
    station_get,
    station_list,
    township_choices,
    townships_of,
)

__all__ = [
    "RegionFilter",
    "StationFilter",
    "deputy_count_subquery",
    "region_list",
    "station_get",
    "station_list",
    "township_choices",
    "townships_of",
]
