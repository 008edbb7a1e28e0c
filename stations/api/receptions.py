from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from stations.models import Reception, ReceptionDay
from stations.selectors import receptions as selectors


class ReceptionDaySerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    on_duty = serializers.SerializerMethodField()

    class Meta:
        model = ReceptionDay
        fields = ["id", "station", "station_name", "date", "status", "note", "on_duty"]

    def get_on_duty(self, day) -> list[dict]:
        return [{"id": deputy.pk, "name": deputy.name} for deputy in day.on_duty.all()]


class ReceptionSerializer(serializers.ModelSerializer):
    date = serializers.DateField(source="reception_day.date", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    opinion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Reception
        fields = [
            "id",
            "reception_day",
            "date",
            "station",
            "station_name",
            "deputy",
            "deputy_name",
            "voters_received",
            "summary",
            "opinion_count",
            "created_at",
        ]


class ReceptionDayViewSet(ScopedReadOnlyViewSet):
    """每月固定接待日及值班代表。"""

    scope_resource = "reception_day"
    queryset = ReceptionDay.objects.none()
    selector = staticmethod(selectors.reception_day_list)
    serializer_class = ReceptionDaySerializer
    filterset_class = selectors.ReceptionDayFilter
    ordering_fields = ["date"]


class ReceptionViewSet(ScopedReadOnlyViewSet):
    """接待记录;代表只能看到自己的接待。"""

    scope_resource = "reception"
    queryset = Reception.objects.none()
    selector = staticmethod(selectors.reception_list)
    serializer_class = ReceptionSerializer
    filterset_class = selectors.ReceptionFilter
    ordering_fields = ["reception_day__date", "voters_received"]
