import django_filters

from core.api.views import CachedListMixin, PersonalDataRevealMixin, ScopedReadOnlyViewSet
from deputies import selectors
from deputies.models import Deputy, DeputyGroup

from .serializers import DeputyGroupSerializer, DeputySerializer


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
    selector = staticmethod(selectors.deputy_list)
    serializer_class = DeputySerializer
    filterset_class = selectors.DeputyFilter
    ordering_fields = ["name", "birth_date"]


class DeputyGroupFilter(django_filters.FilterSet):
    class Meta:
        model = DeputyGroup
        fields = ["county"]


class DeputyGroupViewSet(ScopedReadOnlyViewSet):
    """代表小组(代表小组+)。"""

    scope_resource = "deputy_group"
    queryset = DeputyGroup.objects.none()
    selector = staticmethod(selectors.deputy_group_list)
    serializer_class = DeputyGroupSerializer
    filterset_class = DeputyGroupFilter
    search_fields = ["name", "theme"]
