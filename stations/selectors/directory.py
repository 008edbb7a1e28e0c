import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from core.filters import PortalFilterSet
from core.pinyin import name_q
from core.queries import related_count

from ..models import Region, Station


def region_list(*, user) -> QuerySet[Region]:
    return scoped(Region.objects.select_related("parent"), user, "region")


def township_choices(*, user) -> QuerySet[Region]:
    """Townships offered in filters: those where the user can see stations."""
    stations = scoped(Station.objects.order_by(), user, "station")
    return Region.objects.filter(
        level=Region.Level.TOWNSHIP, pk__in=stations.values("township_id")
    ).order_by("code")


def deputy_count_subquery():
    """Stationed deputies of the outer station (counted only for the rows shown)."""
    from deputies.models import Deputy

    return related_count(Deputy, "station")


def station_list(*, user) -> QuerySet[Station]:
    return scoped(
        Station.objects.select_related("township", "village").annotate(
            deputy_count=deputy_count_subquery()
        ),
        user,
        "station",
    )


def station_get(*, user, pk: int) -> Station:
    from accounts.access import get_for_user

    return get_for_user(
        Station.objects.select_related("township", "village", "county"), user, "station", pk=pk
    )


def _townships(request):
    if request is None:
        return Region.objects.none()
    return township_choices(user=request.user)


class RegionFilter(PortalFilterSet):
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Region.Level.choices)
    parent = django_filters.NumberFilter(label=_("上级区划ID"))
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Region
        fields = ["level", "parent", "q"]


class StationFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="search")
    kind = django_filters.ChoiceFilter(
        label=_("类型"), choices=Station.Kind.choices, empty_label=_("全部类型")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"), queryset=_townships, empty_label=_("全部乡镇")
    )

    class Meta:
        model = Station
        fields = ["q", "kind", "township"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name_q(value) | Q(address__icontains=value))
