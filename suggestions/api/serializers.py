from rest_framework import serializers

from directory.models import HandlingUnit
from suggestions.models import AssignmentMeeting


class HandlingUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = HandlingUnit
        fields = [
            "id",
            "name",
            "county",
            "township",
            "kind",
            "contact_person",
            "phone",
            "is_active",
        ]


class AssignmentMeetingSerializer(serializers.ModelSerializer):
    congress_name = serializers.CharField(source="congress.name", read_only=True)
    assigned = serializers.IntegerField(read_only=True, help_text="本次交办会交办的建议件数")

    class Meta:
        model = AssignmentMeeting
        fields = [
            "id",
            "congress_level",
            "congress",
            "congress_name",
            "date",
            "place",
            "chaired_by",
            "notes",
            "assigned",
        ]
