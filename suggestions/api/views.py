from core.api.views import ScopedReadOnlyViewSet
from directory.models import HandlingUnit
from suggestions import selectors
from suggestions.models import AssignmentMeeting

from .serializers import AssignmentMeetingSerializer, HandlingUnitSerializer


class HandlingUnitViewSet(ScopedReadOnlyViewSet):
    """承办单位。"""

    scope_resource = "handling_unit"
    queryset = HandlingUnit.objects.none()
    selector = staticmethod(selectors.handling_unit_list)
    serializer_class = HandlingUnitSerializer
    filterset_class = selectors.HandlingUnitFilter
    ordering_fields = ["name", "kind"]


class AssignmentMeetingViewSet(ScopedReadOnlyViewSet):
    """交办会,及每次交办的建议件数(县级由常委会工作人员、乡镇由乡镇人大工作人员查看)。"""

    scope_resource = "assignment_meeting"
    queryset = AssignmentMeeting.objects.none()
    selector = staticmethod(selectors.meeting_list)
    serializer_class = AssignmentMeetingSerializer
    filterset_class = selectors.AssignmentMeetingFilter
    ordering_fields = ["date"]
