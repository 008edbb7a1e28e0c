from rest_framework import serializers

from core.api.fields import PersonalDataField
from core.masking import mask_name
from deputies.models import AidHousehold, AidVisit, DutyScore, SmallProblem
from directory.models import Deputy, DeputyGroup, Mandate, MandateEvent


class MandateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mandate
        fields = [
            "level",
            "term",
            "constituency",
            "directly_elected",
            "is_active",
            "started_on",
            "ended_on",
            "certificate_number",
        ]


class MandateEventSerializer(serializers.ModelSerializer):
    deputy = serializers.IntegerField(source="mandate.deputy_id", read_only=True)
    deputy_name = serializers.CharField(source="mandate.deputy.name", read_only=True)
    level = serializers.CharField(source="mandate.level", read_only=True)
    term = serializers.IntegerField(source="mandate.term", read_only=True)
    constituency = serializers.CharField(source="mandate.constituency", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    ground_display = serializers.CharField(source="get_ground_display", read_only=True)
    decided_by_display = serializers.CharField(source="get_decided_by_display", read_only=True)

    class Meta:
        model = MandateEvent
        fields = [
            "id",
            "mandate",
            "deputy",
            "deputy_name",
            "level",
            "term",
            "constituency",
            "kind",
            "kind_display",
            "occurred_on",
            "decided_by",
            "decided_by_display",
            "document_number",
            "ground",
            "ground_display",
            "vacancy",
            "note",
        ]


class DeputySerializer(serializers.ModelSerializer):
    id_number = PersonalDataField("id_number", masked_attr="id_number_masked")
    phone = PersonalDataField("phone", masked_attr="phone_masked")
    # A deputy not yet stationed (未进驻) has null here.
    station_name = serializers.CharField(source="station.name", read_only=True, allow_null=True)
    township = serializers.IntegerField(
        source="station.township_id", read_only=True, allow_null=True
    )
    township_name = serializers.CharField(
        source="station.township.name", read_only=True, allow_null=True
    )
    mandates = MandateSerializer(source="active_mandates", many=True, read_only=True)
    groups = serializers.SerializerMethodField()

    class Meta:
        model = Deputy
        fields = [
            "id",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "phone",
            "party",
            "education",
            "occupation",
            "occupation_title",
            "workplace",
            "county",
            "station",
            "station_name",
            "township",
            "township_name",
            "mandates",
            "groups",
        ]

    def get_groups(self, deputy) -> list[dict]:
        return [{"id": group.pk, "name": group.name} for group in deputy.group_list]


class DeputyGroupSerializer(serializers.ModelSerializer):
    member_count = serializers.IntegerField(read_only=True)
    leader_name = serializers.CharField(source="leader.name", read_only=True, default=None)

    class Meta:
        model = DeputyGroup
        fields = ["id", "name", "county", "theme", "leader", "leader_name", "member_count"]


class DutyScoreSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = DutyScore
        fields = [
            "id",
            "deputy",
            "deputy_name",
            "year",
            "total",
            "contact",
            "suggestion",
            "activity",
            "acts",
            "computed_at",
        ]


class SmallProblemSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = SmallProblem
        fields = ["id", "deputy", "deputy_name", "solved_on", "place", "description", "created_at"]


class AidVisitSerializer(serializers.ModelSerializer):
    class Meta:
        model = AidVisit
        fields = ["id", "visited_on", "help_given"]


class AidHouseholdSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    # Personal data: the head's surname only.
    head_name = serializers.SerializerMethodField()
    visit_count = serializers.IntegerField(read_only=True)
    last_visit = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = AidHousehold
        fields = [
            "id",
            "deputy",
            "deputy_name",
            "head_name",
            "address",
            "difficulty",
            "help_plan",
            "since",
            "ended_on",
            "visit_count",
            "last_visit",
        ]

    def get_head_name(self, household: AidHousehold) -> str:
        return mask_name(household.head_name)
