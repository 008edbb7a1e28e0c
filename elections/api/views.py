from rest_framework import serializers

from accounts.access import can_view_personal_data
from core.api.views import ScopedReadOnlyViewSet
from core.masking import mask_name
from elections import selectors
from elections.models import RegistrationCheck, RegistrationFinding


class RegistrationCheckSerializer(serializers.ModelSerializer):
    class Meta:
        model = RegistrationCheck
        fields = [
            "id",
            "county",
            "election_day",
            "status",
            "voter_rows",
            "population_rows",
            "missing",
            "wrong",
            "duplicate",
            "created_at",
            "finished_at",
        ]


class RegistrationCheckViewSet(ScopedReadOnlyViewSet):
    """“三零”选民登记比对:选举日、状态和漏登、错登、重登人数。"""

    scope_resource = "registration_check"
    queryset = RegistrationCheck.objects.none()
    selector = staticmethod(selectors.check_list)
    serializer_class = RegistrationCheckSerializer
    filterset_fields = ["status", "election_day"]


class RegistrationFindingSerializer(serializers.ModelSerializer):
    # Voters' names in full only for users who may see personal data (committee staff).
    name = serializers.SerializerMethodField()

    def get_name(self, finding) -> str:
        request = self.context.get("request")
        if request is not None and can_view_personal_data(request.user):
            return finding.name
        return mask_name(finding.name)

    class Meta:
        model = RegistrationFinding
        fields = [
            "id",
            "check_run",
            "kind",
            "reason",
            "township",
            "township_name",
            "village_name",
            "name",
            "id_number_masked",
            "row",
            "detail",
        ]


class RegistrationFindingViewSet(ScopedReadOnlyViewSet):
    """比对结果:漏登、错登、重登的人员(公民身份号码脱敏)。乡镇人员只看到本乡镇。"""

    scope_resource = "registration_finding"
    queryset = RegistrationFinding.objects.none()
    selector = staticmethod(selectors.finding_list)
    serializer_class = RegistrationFindingSerializer
    filterset_fields = ["check_run", "kind", "reason", "township"]
