from core.api.views import ScopedReadOnlyViewSet
from directory.models import HandlingUnit
from suggestions import selectors

from .serializers import HandlingUnitSerializer


class HandlingUnitViewSet(ScopedReadOnlyViewSet):
    """承办单位。"""

    scope_resource = "handling_unit"
    queryset = HandlingUnit.objects.none()
    selector = staticmethod(selectors.handling_unit_list)
    serializer_class = HandlingUnitSerializer
    filterset_class = selectors.HandlingUnitFilter
    ordering_fields = ["name", "kind"]
