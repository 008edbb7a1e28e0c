from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from stations.models import Mailbox, MailboxOpening, VisitDay
from stations.selectors import visits as selectors


class VisitDaySerializer(serializers.ModelSerializer):
    station_name = serializers.CharField(source="station.name", read_only=True)
    deputies = serializers.SerializerMethodField()

    class Meta:
        model = VisitDay
        fields = ["id", "station", "station_name", "date", "status", "note", "deputies", "activity"]

    def get_deputies(self, day) -> list[dict]:
        return [{"id": deputy.pk, "name": deputy.name} for deputy in day.deputies.all()]


class VisitDayViewSet(ScopedReadOnlyViewSet):
    """选民走访日(每站每月一次)及走访代表;已走访的附走访台账。"""

    scope_resource = "visit_day"
    queryset = VisitDay.objects.none()
    selector = staticmethod(selectors.visit_day_list)
    serializer_class = VisitDaySerializer
    filterset_class = selectors.VisitDayFilter
    ordering_fields = ["date"]


class MailboxSerializer(serializers.ModelSerializer):
    township_name = serializers.CharField(source="township.name", read_only=True)
    village_name = serializers.CharField(source="village.name", read_only=True, default="")
    station_name = serializers.CharField(source="station.name", read_only=True)
    openers = serializers.SerializerMethodField()
    last_opened = serializers.DateField(read_only=True, allow_null=True)
    opening_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Mailbox
        fields = [
            "id",
            "township",
            "township_name",
            "village",
            "village_name",
            "station",
            "station_name",
            "location",
            "openers",
            "open_every_days",
            "set_up_on",
            "is_active",
            "last_opened",
            "opening_count",
        ]

    def get_openers(self, mailbox) -> list[dict]:
        return [{"id": deputy.pk, "name": deputy.name} for deputy in mailbox.openers.all()]


class MailboxViewSet(ScopedReadOnlyViewSet):
    """代表信箱:设置地点、所属家站、开箱代表、开箱周期、最近开箱日期。"""

    scope_resource = "mailbox"
    queryset = Mailbox.objects.none()
    selector = staticmethod(selectors.mailbox_list)
    serializer_class = MailboxSerializer
    filterset_class = selectors.MailboxFilter


class MailboxOpeningSerializer(serializers.ModelSerializer):
    opener_name = serializers.CharField(source="opener.name", read_only=True, default="")

    class Meta:
        model = MailboxOpening
        fields = ["id", "mailbox", "opened_on", "opener", "opener_name", "letters", "note"]


class MailboxOpeningViewSet(ScopedReadOnlyViewSet):
    """代表信箱开箱记录及信件数(信件已登记为群众意见)。"""

    scope_resource = "mailbox"
    queryset = MailboxOpening.objects.none()
    selector = staticmethod(selectors.opening_list)
    serializer_class = MailboxOpeningSerializer
    filterset_fields = ["mailbox", "opened_on"]
    ordering_fields = ["opened_on"]
