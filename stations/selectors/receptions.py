import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.access import can, get_for_user, scoped
from accounts.models import Role
from core.filters import PortalFilterSet
from core.pinyin import name_q
from core.queries import related_count
from directory.models import Deputy, Station
from directory.selectors import townships_of

from ..models import Opinion, Reception, ReceptionDay, ReceptionPhoto

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class ReceptionTotals:
    receptions: int  # reception records (接待记录, 次)
    voters_received: int  # the voters they received (接待选民, 人次)


def reception_totals(receptions: QuerySet[Reception]) -> ReceptionTotals:
    """The two figures of a set of receptions, as every page names them: the records and the
    voters received. The dashboard, the annual report and the public pages count through this,
    so that a figure is never shown under the other's label. One query."""
    totals = receptions.order_by().aggregate(n=Count("pk"), voters=Sum("voters_received"))
    return ReceptionTotals(receptions=totals["n"] or 0, voters_received=totals["voters"] or 0)


def reception_list(*, user: "User") -> QuerySet[Reception]:
    return scoped(
        Reception.objects.select_related("reception_day", "station__township", "deputy").annotate(
            opinion_count=related_count(Opinion, "reception")
        ),
        user,
        "reception",
    )


def reception_get(*, user: "User", pk: int) -> Reception:
    return get_for_user(
        Reception.objects.select_related(
            "reception_day", "station__township", "deputy", "logged_by"
        ).prefetch_related("opinions", "small_wishes", "photos"),
        user,
        "reception",
        pk=pk,
    )


def reception_photo_get(*, user: "User", pk: int) -> ReceptionPhoto:
    """A photo of a reception the user may read (403/404 outside the scope, as the reception)."""
    photo = get_object_or_404(ReceptionPhoto.objects.select_related("reception"), pk=pk)
    reception_get(user=user, pk=photo.reception_id)
    return photo


def reception_day_list(*, user: "User") -> QuerySet[ReceptionDay]:
    return scoped(
        ReceptionDay.objects.select_related("station__township").prefetch_related(
            Prefetch("on_duty", queryset=Deputy.objects.only("id", "name").order_by("name"))
        ),
        user,
        "reception_day",
    )


def reception_day_get(*, user: "User", pk: int) -> ReceptionDay:
    return get_for_user(
        ReceptionDay.objects.select_related("station__township"), user, "reception_day", pk=pk
    )


def managed_stations(*, user: "User") -> QuerySet[Station]:
    if not can(user, "station.keep"):
        return Station.objects.none()
    return scoped(Station.objects.all(), user, "station")


def loggable_days(*, user: "User", today: datetime.date) -> QuerySet[ReceptionDay]:
    """Reception days a user may log a reception for: past or today, not cancelled, in the last
    half year, at their own station (deputy) or the stations they manage, most recent first."""
    days = (
        ReceptionDay.objects.select_related("station")
        .filter(date__lte=today, date__gte=today - datetime.timedelta(days=183))
        .exclude(status=ReceptionDay.Status.CANCELLED)
    )
    if user.scope.role == Role.DEPUTY:
        days = days.filter(station_id=user.scope.station)  # type: ignore[misc]  # None: no row
    else:
        days = days.filter(station__in=managed_stations(user=user))
    return days.order_by("-date", "station__name")


# A user who manages more stations than this picks the reception day by searching (a county's
# staff would otherwise get a select of every station's days in half a year, 700 and more).
DAY_SELECT_MAX_STATIONS = 3


def reception_day_searchable(*, user: "User") -> bool:
    if user.scope.role in (Role.DEPUTY, Role.STATION_KEEPER):
        return False
    return managed_stations(user=user)[: DAY_SELECT_MAX_STATIONS + 1].count() > (
        DAY_SELECT_MAX_STATIONS
    )


def reception_day_picks(*, user: "User", query: str, today: datetime.date) -> list[dict]:
    """The reception form's picker: loggable days whose station matches a few characters of its
    name, pinyin or initials, or whose date contains the digits typed ("05-18", "0518")."""
    query = query.strip()[:40]
    if not query:
        return []
    condition = name_q(query, prefix="station__")
    digits = query.replace("-", "").replace("/", "").replace(".", "")
    if digits.isdigit() and len(digits) <= 8:
        dates = [
            day
            for day in (today - datetime.timedelta(days=n) for n in range(184))
            if digits in f"{day:%Y%m%d}"
        ]
        condition |= Q(date__in=dates)
    days = (
        loggable_days(user=user, today=today).filter(condition).select_related("station__township")
    )
    return [
        {
            "id": day.pk,
            "label": f"{day.date:%Y-%m-%d} {day.station.name}",
            "detail": day.station.township.name if day.station.township else "",
        }
        for day in days[:20]
    ]


def loggable_deputies(*, user: "User") -> QuerySet[Deputy]:
    if user.scope.role == Role.DEPUTY:
        return Deputy.objects.filter(pk=user.deputy_id)  # type: ignore[misc]  # None: no row
    return Deputy.objects.filter(station__in=managed_stations(user=user)).order_by("name")


def _stations(request):
    return (
        scoped(Station.objects.only("id", "name"), request.user, "station")
        if request
        else Station.objects.none()
    )


class ReceptionFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("代表/情况"), method="search")
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="station__township",
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("家站"),
        queryset=_stations,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="reception_day__date__year")
    month = django_filters.NumberFilter(label=_("月份"), field_name="reception_day__date__month")

    class Meta:
        model = Reception
        fields = ["q", "township", "station", "year", "month"]

    def search(self, queryset, name, value):
        value = value.strip()
        return (
            queryset.filter(name_q(value, "deputy__") | Q(summary__icontains=value))
            if value
            else queryset
        )


class ReceptionDayFilter(PortalFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="station__township",
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("家站"),
        queryset=_stations,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=ReceptionDay.Status.choices, empty_label=_("全部")
    )
    date_from = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte")

    class Meta:
        model = ReceptionDay
        fields = ["township", "station", "status", "date_from", "date_to"]
