from rest_framework.routers import DefaultRouter

from deputies.api.views import DeputyGroupViewSet, DeputyViewSet
from stations.api.views import RegionViewSet, StationViewSet
from suggestions.api.views import HandlingUnitViewSet

router = DefaultRouter()
router.register("regions", RegionViewSet, basename="region")
router.register("stations", StationViewSet, basename="station")
router.register("deputies", DeputyViewSet, basename="deputy")
router.register("deputy-groups", DeputyGroupViewSet, basename="deputy-group")
router.register("handling-units", HandlingUnitViewSet, basename="handling-unit")
