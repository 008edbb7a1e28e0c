from core.api.views import CachedListMixin, ScopedReadOnlyViewSet
from directory import selectors
from directory.models import Region, Station

from .serializers import RegionSerializer, StationSerializer


class RegionViewSet(ScopedReadOnlyViewSet):
    """行政区划:县 → 乡镇(街道)→ 村(社区)。"""

    scope_resource = "region"
    queryset = Region.objects.none()
    selector = staticmethod(selectors.region_list)
    serializer_class = RegionSerializer
    filterset_class = selectors.RegionFilter
    ordering_fields = ["code", "name"]


class StationViewSet(CachedListMixin, ScopedReadOnlyViewSet):
    """代表之家和代表联络站。"""

    list_cache_name = "api:stations"

    scope_resource = "station"
    queryset = Station.objects.none()
    selector = staticmethod(selectors.station_list)
    serializer_class = StationSerializer
    filterset_class = selectors.StationFilter
    ordering_fields = ["name", "reception_day", "deputy_count"]
