from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from legislation import selectors
from legislation.models import Draft, LegislativeOpinion


class DraftSerializer(serializers.ModelSerializer):
    opinion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Draft
        fields = [
            "id",
            "county",
            "title",
            "level",
            "issuer",
            "document_number",
            "summary",
            "deadline",
            "status",
            "all_stations",
            "for_deputies",
            "published_on",
            "reported_on",
            "opinion_count",
        ]


class DraftViewSet(ScopedReadOnlyViewSet):
    """立法征求意见稿:发至本人所在家站(或全部家站)的草案,及收到的意见条数。"""

    scope_resource = "legislative_draft"
    queryset = Draft.objects.none()
    selector = staticmethod(selectors.draft_list)
    serializer_class = DraftSerializer
    filterset_class = selectors.DraftFilter


class LegislativeOpinionSerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True, default=None)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True, default=None)

    class Meta:
        model = LegislativeOpinion
        # The public sender's name and contact are never served.
        fields = [
            "id",
            "draft",
            "channel",
            "article",
            "content",
            "station",
            "station_name",
            "deputy",
            "deputy_name",
            "occasion",
            "participants",
            "source_opinion",
            "created_at",
        ]


class LegislativeOpinionViewSet(ScopedReadOnlyViewSet):
    """立法意见:工作人员看到本县全部意见,家站看到本站登记的,代表看到本人提出的。"""

    scope_resource = "legislative_opinion"
    queryset = LegislativeOpinion.objects.none()
    selector = staticmethod(selectors.opinion_list)
    serializer_class = LegislativeOpinionSerializer
    filterset_class = selectors.LegislativeOpinionFilter
