from django.urls import reverse
from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from core.masking import mask_name
from stations.models import SmallWish
from stations.selectors import wishes as selectors


class SmallWishSerializer(serializers.ModelSerializer):
    person_name = serializers.SerializerMethodField(help_text="心愿人姓名,脱敏显示(张**)。")
    station_name = serializers.CharField(source="station.name", read_only=True)
    township = serializers.IntegerField(source="station.township_id", read_only=True)
    township_name = serializers.CharField(source="station.township.name", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    claimed_by_name = serializers.CharField(source="claimed_by.name", read_only=True, default=None)
    photo_url = serializers.SerializerMethodField(help_text="照片地址(需登录且有权查看该心愿)。")

    class Meta:
        model = SmallWish
        fields = [
            "id",
            "station",
            "station_name",
            "township",
            "township_name",
            "reception",
            "person_name",
            "content",
            "status",
            "status_display",
            "claimed_by",
            "claimed_by_name",
            "claimed_at",
            "fulfilled_on",
            "fulfillment_note",
            "photo_url",
            "created_at",
        ]

    def get_person_name(self, wish) -> str:
        return mask_name(wish.person_name)

    def get_photo_url(self, wish) -> str | None:
        if not wish.photo:
            return None
        url = reverse("stations:wish_photo", args=[wish.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class SmallWishViewSet(ScopedReadOnlyViewSet):
    """微心愿:登记、认领、实现情况。心愿人姓名一律脱敏。"""

    scope_resource = "small_wish"
    queryset = SmallWish.objects.none()
    selector = staticmethod(selectors.wish_list)
    serializer_class = SmallWishSerializer
    filterset_class = selectors.SmallWishFilter
    ordering_fields = ["created_at", "claimed_at", "fulfilled_on"]
