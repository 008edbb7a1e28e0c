from rest_framework import serializers

from accounts.access import scoped
from core.api.views import ScopedReadOnlyViewSet
from dutyreports.models import DutyReport


class DutyReportSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    forms_filed = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = DutyReport
        fields = [
            "id",
            "year",
            "deputy",
            "deputy_name",
            "onsite_date",
            "onsite_place",
            "voters_present",
            "written_text",
            "live_link",
            "live_viewers",
            "forms_filed",
            "filed_at",
        ]


def _reports(*, user):
    return scoped(
        DutyReport.objects.select_related("deputy", "campaign"), user, "duty_report"
    ).order_by("-campaign__year", "deputy__name", "pk")


class DutyReportViewSet(ScopedReadOnlyViewSet):
    """代表述职:现场、书面、直播三种方式的述职情况。代表只看到本人的述职。"""

    scope_resource = "duty_report"
    queryset = DutyReport.objects.none()
    selector = staticmethod(_reports)
    serializer_class = DutyReportSerializer
    filterset_fields = ["deputy", "campaign__year"]
