"""Reads of small wishes (微心愿): the list with its filters, one wish, and the yearly counts."""

from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import can, get_for_user, scoped
from accounts.models import Role
from core.filters import PortalFilterSet
from directory.models import Deputy, Station
from directory.selectors import stations_of, townships_of

from ..models import SmallWish

if TYPE_CHECKING:
    from accounts.models import User

Status = SmallWish.Status


def wish_list(*, user: "User") -> QuerySet[SmallWish]:
    return scoped(
        SmallWish.objects.select_related("station__township", "claimed_by"), user, "small_wish"
    )


def wish_get(*, user: "User", pk: int) -> SmallWish:
    return get_for_user(
        SmallWish.objects.select_related(
            "station__township", "claimed_by", "created_by", "reception__reception_day"
        ),
        user,
        "small_wish",
        pk=pk,
    )


def wish_status_counts(queryset: QuerySet[SmallWish]) -> dict[str, int]:
    """Wishes of ``queryset`` per status and in total, in one aggregate query."""
    return queryset.order_by().aggregate(
        total=Count("pk"),
        **{status.value: Count("pk", filter=Q(status=status)) for status in Status},
    )


def creatable_stations(*, user: "User") -> QuerySet[Station]:
    """Stations where ``user`` may record a wish: a deputy's own station, a manager's stations."""
    stations = Station.objects.filter(is_active=True).select_related("township")
    scope = user.scope
    if scope.role == Role.DEPUTY:
        return stations.filter(pk=scope.station) if scope.station else stations.none()
    if can(user, "station.keep"):
        return scoped(stations, user, "station")
    return stations.none()


def station_claimers(*, station: Station) -> QuerySet[Deputy]:
    """Deputies who may claim a wish of ``station``: those stationed there."""
    return Deputy.objects.filter(station=station).only("id", "name").order_by("name", "pk")


def wish_counts_by_station(*, user: "User", year: int) -> list[dict]:
    """Per station, the wishes recorded in ``year`` by their present status (one query; only
    stations with wishes appear)."""
    rows = (
        wish_list(user=user)
        .filter(created_at__year=year)
        .values("station_id", "station__name", "station__township__name")
        .annotate(
            total=Count("pk"),
            **{status.value: Count("pk", filter=Q(status=status)) for status in Status},
        )
        .order_by("station__township__code", "station__name")
    )
    return list(rows)


def wish_counts_by_deputy(*, user: "User", year: int) -> list[dict]:
    """Per deputy, the wishes they fulfilled in ``year`` (one query), most first."""
    rows = (
        wish_list(user=user)
        .filter(status=Status.FULFILLED, fulfilled_on__year=year)
        .values("claimed_by_id", "claimed_by__name", "claimed_by__station__name")
        .annotate(fulfilled=Count("pk"))
        .order_by("-fulfilled", "claimed_by__name", "claimed_by_id")
    )
    return list(rows)


def _claimers(request):
    """Deputies in the user's scope who have claimed a wish: a short select, not the roster."""
    if request is None:
        return Deputy.objects.none()
    claimed = SmallWish.objects.filter(claimed_by__isnull=False).values("claimed_by")
    return (
        scoped(Deputy.objects.only("id", "name"), request.user, "deputy")
        .filter(pk__in=claimed)
        .order_by("name", "pk")
    )


class SmallWishFilter(PortalFilterSet):
    q = django_filters.CharFilter(
        label=_("心愿内容"), field_name="content", lookup_expr="icontains"
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="station__township",
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("家站"),
        queryset=stations_of,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Status.choices, empty_label=_("全部状态")
    )
    claimed_by = django_filters.ModelChoiceFilter(
        label=_("认领代表"),
        queryset=_claimers,  # type: ignore[arg-type]
        empty_label=_("全部代表"),
    )

    class Meta:
        model = SmallWish
        fields = ["q", "township", "station", "status", "claimed_by"]

    def qs_except_status(self) -> QuerySet[SmallWish]:
        """The rows of every filter but the status: the base of the per-status counts, so the
        counts stay visible while one status is picked."""
        queryset = self.queryset.all()  # type: ignore[union-attr]  # the views always give one
        if not self.is_bound:
            return queryset
        self.is_valid()  # cleans the form: invalid fields drop out, as in ``qs``
        for name, value in self.form.cleaned_data.items():
            if name != "status":
                queryset = self.filters[name].filter(queryset, value)
        return queryset
