"""群众意见 over the API: the triage queue and one opinion with its timeline, read-only."""

from django.utils import timezone
from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from core.masking import mask_name, mask_phone
from stations.models import Opinion, OpinionEvent
from stations.selectors import opinions as selectors


class OpinionEventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = OpinionEvent
        fields = ["at", "actor", "from_status", "to_status", "note"]

    def get_actor(self, event) -> str | None:
        return event.actor.get_full_name() if event.actor else None


class OpinionSerializer(serializers.ModelSerializer):
    # The tracking code is the sender's key to their opinion: the API gives only its start, enough
    # to recognise a case the sender quotes.
    code = serializers.SerializerMethodField()
    # Personal data: always masked here (no reveal for voters' names and phones).
    voter_name = serializers.SerializerMethodField()
    voter_phone = serializers.SerializerMethodField()
    station_name = serializers.CharField(source="station.name", read_only=True, default=None)
    township_name = serializers.CharField(source="township.name", read_only=True)
    handling_unit_name = serializers.CharField(
        source="handling_unit.name", read_only=True, default=None
    )
    age_days = serializers.SerializerMethodField()

    class Meta:
        model = Opinion
        fields = [
            "id",
            "code",
            "channel",
            "category",
            "content",
            "status",
            "county",
            "township",
            "township_name",
            "station",
            "station_name",
            "reception",
            "voter_name",
            "voter_phone",
            "handling_unit",
            "handling_unit_name",
            "answer",
            "answered_at",
            "created_at",
            "age_days",
        ]

    def get_code(self, opinion) -> str:
        return opinion.tracking_code[:8]

    def get_voter_name(self, opinion) -> str:
        return mask_name(opinion.voter_name)

    def get_voter_phone(self, opinion) -> str:
        return mask_phone(opinion.voter_phone)

    def get_age_days(self, opinion) -> int:
        return selectors.age_in_days(opinion, self.context.setdefault("now", timezone.now()))


class OpinionDetailSerializer(OpinionSerializer):
    events = OpinionEventSerializer(many=True, read_only=True)

    class Meta(OpinionSerializer.Meta):
        fields = [*OpinionSerializer.Meta.fields, "events"]


class OpinionViewSet(ScopedReadOnlyViewSet):
    """群众意见(接待日、代表信箱、选民走访、线上民意直通车)。默认待办在前、受理时间从早到晚;
    反映人姓名和电话始终脱敏;详情含办理记录。"""

    scope_resource = "opinion"
    queryset = Opinion.objects.none()
    selector = staticmethod(selectors.opinion_list)
    serializer_class = OpinionSerializer
    filterset_class = selectors.OpinionFilter
    ordering_fields = ["created_at", "status", "category"]

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve" and not getattr(self, "swagger_fake_view", False):
            queryset = selectors.with_events(queryset)
        return queryset

    def get_serializer_class(self):
        return OpinionDetailSerializer if self.action == "retrieve" else OpinionSerializer
