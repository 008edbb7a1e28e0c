from rest_framework import serializers

from directory.models import Region, Station


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "code", "level", "parent", "county"]


class StationSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default=None)
    deputy_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Station
        fields = [
            "id",
            "name",
            "kind",
            "county",
            "township",
            "township_name",
            "village",
            "village_name",
            "address",
            "phone",
            "reception_day",
            "is_active",
            "deputy_count",
        ]
