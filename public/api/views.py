from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from public.models import DutyStory
from public.selectors import DutyStoryFilter, duty_story_api_list


class DutyStorySerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True, default="")

    class Meta:
        model = DutyStory
        fields = [
            "id",
            "title",
            "outlet",
            "published_on",
            "link",
            "text",
            "station",
            "station_name",
            "deputies",
            "is_published",
            "published_at",
        ]


class DutyStoryViewSet(ScopedReadOnlyViewSet):
    """履职故事:工作人员录入的履职故事(含未公开的草稿),按县范围。"""

    scope_resource = "duty_story"
    queryset = DutyStory.objects.none()
    selector = staticmethod(duty_story_api_list)
    serializer_class = DutyStorySerializer
    filterset_class = DutyStoryFilter
    search_fields = ["title", "outlet"]
