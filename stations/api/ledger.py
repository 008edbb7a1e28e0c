from django.urls import reverse
from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from stations.models import StationActivity
from stations.selectors import ledger as selectors


class StationActivitySerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    township = serializers.IntegerField(source="station.township_id", read_only=True)
    township_name = serializers.CharField(source="station.township.name", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    deputies = serializers.SerializerMethodField()
    photos = serializers.SerializerMethodField()

    class Meta:
        model = StationActivity
        fields = [
            "id",
            "station",
            "station_name",
            "township",
            "township_name",
            "kind",
            "kind_display",
            "date",
            "theme",
            "deputies",
            "people_reached",
            "summary",
            "photos",
            "created_at",
        ]

    def get_deputies(self, activity) -> list[dict]:
        return [{"id": deputy.pk, "name": deputy.name} for deputy in activity.deputies.all()]

    def get_photos(self, activity) -> list[str]:
        """Links to the scoped photo view, never to MEDIA_URL."""
        request = self.context.get("request")
        urls = [
            reverse("stations:activity_photo", args=[photo.pk]) for photo in activity.photos.all()
        ]
        return [request.build_absolute_uri(url) for url in urls] if request else urls


class StationActivityViewSet(ScopedReadOnlyViewSet):
    """家站活动台账:季度专题活动、选民走访日、法律进社区等,含参加代表和照片链接。"""

    scope_resource = "activity"
    queryset = StationActivity.objects.none()
    selector = staticmethod(selectors.activity_list)
    serializer_class = StationActivitySerializer
    filterset_class = selectors.ActivityFilter
    ordering_fields = ["date", "people_reached"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            return queryset
        return selectors.with_photo_ids(queryset)
