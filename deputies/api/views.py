import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.views import CachedListMixin, PersonalDataRevealMixin, ScopedReadOnlyViewSet
from core.filters import PortalFilterSet
from deputies import selectors
from deputies.models import AidHousehold, DutyScore, SmallProblem, Training
from directory import selectors as roster
from directory.models import Deputy, DeputyGroup, MandateEvent

from .serializers import (
    AidHouseholdSerializer,
    DeputyGroupSerializer,
    DeputySerializer,
    DutyScoreSerializer,
    MandateEventSerializer,
    SmallProblemSerializer,
)


class DeputyViewSet(CachedListMixin, PersonalDataRevealMixin, ScopedReadOnlyViewSet):
    """人大代表及其在任职务。身份证号码和手机号码默认脱敏;有权限的用户加 `reveal=1` 查看完整信息,每次均记录访问日志。"""

    personal_fields = ("id_number", "phone")
    list_cache_name = "api:deputies"

    def get_queryset(self):
        queryset = super().get_queryset()
        # Revealing reads the encrypted columns the list selector defers.
        return queryset.defer(None) if getattr(self, "_reveal", False) else queryset

    scope_resource = "deputy"
    queryset = Deputy.objects.none()
    selector = staticmethod(roster.deputy_list)
    serializer_class = DeputySerializer
    filterset_class = roster.DeputyFilter
    ordering_fields = ["name", "birth_date"]


class MandateEventViewSet(ScopedReadOnlyViewSet):
    """代表任职事项:代表资格审查、补选、辞职、罢免、代表资格终止、暂停和恢复执行代表职务、任期届满、去世,各有日期、文号和决定机关。"""

    scope_resource = "mandate_event"
    queryset = MandateEvent.objects.none()
    selector = staticmethod(roster.mandate_event_list)
    serializer_class = MandateEventSerializer
    filterset_class = roster.MandateEventFilter
    ordering_fields = ["occurred_on"]


class DeputyGroupFilter(PortalFilterSet):
    class Meta:
        model = DeputyGroup
        fields = ["county"]


class DeputyGroupViewSet(ScopedReadOnlyViewSet):
    """代表小组(代表小组+)。"""

    scope_resource = "deputy_group"
    queryset = DeputyGroup.objects.none()
    selector = staticmethod(roster.deputy_group_list)
    serializer_class = DeputyGroupSerializer
    filterset_class = DeputyGroupFilter
    search_fields = ["name", "theme"]


class DutyScoreFilter(selectors.ScoreFilter):
    year = django_filters.NumberFilter(label=_("年度"))

    class Meta(selectors.ScoreFilter.Meta):
        fields = ["year", *selectors.ScoreFilter.Meta.fields]


class DutyScoreViewSet(ScopedReadOnlyViewSet):
    """考核得分:每名代表每年的总分和三个维度(联系群众、建议质量、参加活动)。代表只看到本人的得分。"""

    scope_resource = "duty_score"
    queryset = DutyScore.objects.none()
    selector = staticmethod(selectors.score_history)
    serializer_class = DutyScoreSerializer
    filterset_class = DutyScoreFilter
    ordering_fields = ["total", "year", "acts"]


class TrainingSerializer(serializers.ModelSerializer):
    trainees = serializers.IntegerField(read_only=True)

    class Meta:
        model = Training
        fields = [
            "id",
            "county",
            "name",
            "kind",
            "mode",
            "start_date",
            "end_date",
            "hours",
            "place",
            "trainees",
        ]


class TrainingFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="start_date__year")

    class Meta:
        model = Training
        fields = ["year", "kind", "mode", "county"]


class TrainingViewSet(ScopedReadOnlyViewSet):
    """代表培训:培训班及参训人次。"""

    scope_resource = "training"
    queryset = Training.objects.none()
    selector = staticmethod(selectors.training_catalogue)
    serializer_class = TrainingSerializer
    filterset_class = TrainingFilter


class SmallProblemApiFilter(selectors.SmallProblemFilter):
    solved_after = django_filters.DateFilter(
        label=_("解决日期自"), field_name="solved_on", lookup_expr="gte"
    )
    solved_before = django_filters.DateFilter(
        label=_("解决日期至"), field_name="solved_on", lookup_expr="lte"
    )

    class Meta(selectors.SmallProblemFilter.Meta):
        fields = [*selectors.SmallProblemFilter.Meta.fields, "deputy"]


class SmallProblemViewSet(ScopedReadOnlyViewSet):
    """群众小难题:代表直接为群众解决的具体问题(五个一:解决一个具体问题)。代表只看到本人的记录。"""

    scope_resource = "small_problem"
    queryset = SmallProblem.objects.none()
    selector = staticmethod(selectors.small_problem_list)
    serializer_class = SmallProblemSerializer
    filterset_class = SmallProblemApiFilter
    ordering_fields = ["solved_on"]


class AidHouseholdApiFilter(selectors.AidHouseholdFilter):
    class Meta(selectors.AidHouseholdFilter.Meta):
        fields = [*selectors.AidHouseholdFilter.Meta.fields, "deputy"]


class AidHouseholdViewSet(ScopedReadOnlyViewSet):
    """帮扶对象:代表结对帮扶的困难群众家庭,含走访次数和最近走访日期;户主姓名脱敏。"""

    scope_resource = "aid_household"
    queryset = AidHousehold.objects.none()
    selector = staticmethod(selectors.aid_household_list)
    serializer_class = AidHouseholdSerializer
    filterset_class = AidHouseholdApiFilter
    ordering_fields = ["since"]
