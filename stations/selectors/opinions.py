"""Reads of opinions (群众意见): the triage queue, one opinion with its timeline, and who may act."""

import datetime
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can, can_read, get_for_user, scoped
from core.filters import OnlyFilter, PortalFilterSet, query_int
from directory.models import HandlingUnit, Region, Station

from ..models import Opinion, OpinionCategory, OpinionEvent
from ..rules import OPINION_TRANSITIONS, opinion_may_handle

if TYPE_CHECKING:
    from accounts.models import User

OPEN_STATUSES = (Opinion.Status.RECEIVED, Opinion.Status.FORWARDED)


def opinion_list(*, user: "User") -> QuerySet[Opinion]:
    """The triage queue: opinions still waiting for an answer first, oldest first; then the
    answered and closed ones, also oldest first."""
    waiting = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return scoped(
        Opinion.objects.select_related("station", "township", "handling_unit")
        .annotate(queue_rank=waiting)
        .order_by("queue_rank", "created_at", "pk"),
        user,
        "opinion",
    )


def opinion_get(*, user: "User", pk: int) -> Opinion:
    """One opinion with everything its page shows; 404 outside the user's scope."""
    return get_for_user(
        Opinion.objects.select_related(
            "station",
            "township",
            "handling_unit",
            "created_by",
            "reception__deputy",
            "reception__reception_day",
        ).prefetch_related(
            Prefetch("events", queryset=OpinionEvent.objects.select_related("actor"))
        ),
        user,
        "opinion",
        pk=pk,
    )


def with_events(opinions: QuerySet[Opinion]) -> QuerySet[Opinion]:
    """The opinions with their timeline and who did each step (one query more)."""
    return opinions.prefetch_related(
        Prefetch("events", queryset=OpinionEvent.objects.select_related("actor"))
    )


def age_in_days(opinion: Opinion, now: datetime.datetime | None = None) -> int:
    return ((now or timezone.now()) - opinion.created_at).days


def opinion_actions(user: "User", opinion: Opinion) -> set[str]:
    """The actions the user may take on the opinion now (role and status)."""
    return {
        action
        for action, (allowed_from, _target) in OPINION_TRANSITIONS.items()
        if opinion.status in allowed_from and opinion_may_handle(user, opinion, action)
    }


def forward_units(opinion: Opinion) -> QuerySet[HandlingUnit]:
    """Units an opinion may be forwarded to: the active ones of its county."""
    return HandlingUnit.objects.filter(county_id=opinion.county_id, is_active=True).order_by(
        "kind", "name"
    )


def opinion_suggestions(user: "User", opinion: Opinion) -> list:
    """The suggestions drawn from this opinion that the user may read (one query)."""
    # Through the reverse relation: the stations app does not import suggestions (above it).
    return list(
        scoped(opinion.suggestions.all(), user, "suggestion")
        .select_related("lead_deputy")
        .order_by("pk")
    )


def may_draft_suggestion(user: "User") -> bool:
    """Deputies draft suggestions; committee staff enter them on a deputy's behalf."""
    return can(user, "suggestion.draft")


def may_enter_opinions(user: "User") -> bool:
    """Station managers type in mailbox letters and visit notes."""
    return can(user, "station.keep")


def managed_stations(*, user: "User") -> QuerySet[Station]:
    """Stations whose mailbox and visits the user keeps (entry form choices)."""
    if not may_enter_opinions(user):
        return Station.objects.none()
    return scoped(
        Station.objects.filter(is_active=True)
        .select_related("township")
        .order_by("township__code", "kind", "name"),
        user,
        "station",
    )


def _visible_opinions(user: "User") -> QuerySet[Opinion]:
    return scoped(Opinion.objects.order_by(), user, "opinion")


def _stations(request) -> QuerySet[Station]:
    if request is None:
        return Station.objects.none()
    user = request.user
    if can_read(user, "station"):
        stations = scoped(Station.objects.only("id", "name"), user, "station")
    else:  # a handling unit: the stations of the opinions forwarded to it
        stations = Station.objects.filter(pk__in=_visible_opinions(user).values("station_id")).only(
            "id", "name"
        )
    township = query_int(request.GET.get("township"))
    if township is not None:
        stations = stations.filter(township_id=township)
    return stations.order_by("name")


def _townships(request) -> QuerySet[Region]:
    if request is None:
        return Region.objects.none()
    user = request.user
    if can_read(user, "station"):
        stations = scoped(Station.objects.order_by(), user, "station")
        ids: QuerySet = stations.values("township_id")
    else:
        ids = _visible_opinions(user).values("township_id")
    return Region.objects.filter(level=Region.Level.TOWNSHIP, pk__in=ids).order_by("code")


# Age filter value -> (older than N days, within N days), by the time the opinion was received.
AGES = {
    "3": (None, 3),
    "7": (None, 7),
    "30": (None, 30),
    "7to30": (7, 30),
    "older": (30, None),
}


class OpinionFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("内容"), field_name="content", lookup_expr="icontains")
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Opinion.Status.choices, empty_label=_("全部状态")
    )
    channel = django_filters.ChoiceFilter(
        label=_("渠道"), choices=Opinion.Channel.choices, empty_label=_("全部渠道")
    )
    category = django_filters.ChoiceFilter(
        label=_("类别"), choices=OpinionCategory.choices, empty_label=_("全部类别")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        queryset=_townships,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("家站"),
        queryset=_stations,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    age = django_filters.ChoiceFilter(
        label=_("受理时长"),
        choices=[
            ("3", _("3天内")),
            ("7", _("7天内")),
            ("30", _("30天内")),
            ("7to30", _("7至30天")),
            ("older", _("超过30天")),
        ],
        method="filter_age",
        empty_label=_("不限"),
    )
    # The dashboard's open opinions by age: received or forwarded, not yet answered.
    open = OnlyFilter(label=_("待办"), only_label=_("仅看待办"), method="filter_open")

    class Meta:
        model = Opinion
        fields = ["q", "status", "channel", "category", "township", "station", "age", "open"]

    def filter_open(self, queryset, name, value: bool | None):
        if value is None:
            return queryset
        pending = Q(status__in=OPEN_STATUSES)
        return queryset.filter(pending) if value else queryset.exclude(pending)

    def filter_age(self, queryset, name, value):
        if value not in AGES:
            return queryset
        older_than, within = AGES[value]
        now = timezone.now()
        if within is not None:
            queryset = queryset.filter(created_at__gte=now - datetime.timedelta(days=within))
        if older_than is not None:
            queryset = queryset.filter(created_at__lt=now - datetime.timedelta(days=older_than))
        return queryset
