from rest_framework import serializers

from directory.models import HandlingUnit


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
