"""Reads of the directory (regions, stations, deputies, groups), scoped to the user; the
filter choices (townships, stations, groups) every feature's FilterSet offers."""

import datetime
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.access import can_view_personal_data, get_for_change, get_for_user, scoped
from accounts.roles import Role
from core.crypto import keyed_hash
from core.filters import PortalFilterSet, query_int
from core.idnumbers import normalize_id_number
from core.pinyin import name_q
from core.queries import related_count

from .models import (
    Deputy,
    DeputyGroup,
    Gender,
    HandlingUnit,
    Level,
    Mandate,
    MandateEvent,
    Occupation,
    Region,
    Station,
    in_office_condition,
)

if TYPE_CHECKING:
    from accounts.models import User


def region_list(*, user: "User") -> QuerySet[Region]:
    return scoped(Region.objects.select_related("parent"), user, "region")


def county_for(*, user: "User", county_id: int | None = None) -> Region | None:
    """The user's county; for the administrator, who has none, the one asked for or else the
    first; None for anyone else without a county."""
    scope = user.scope
    if scope.county:
        return Region.objects.filter(pk=scope.county).first()
    if not scope.unrestricted:
        return None
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
    if county_id is not None:
        return counties.filter(pk=county_id).first()
    return counties.first()


def handling_unit_own(*, user: "User") -> HandlingUnit:
    """The handling unit a unit's user works for, with its county."""
    # A unit's account is linked to its unit (ROLE_REQUIRED_LINKS).
    assert user.handling_unit_id is not None
    return HandlingUnit.objects.select_related("county").get(pk=user.handling_unit_id)


def township_choices(*, user: "User") -> QuerySet[Region]:
    """Townships offered in filters: those where the user can see stations."""
    stations = scoped(Station.objects.order_by(), user, "station")
    return Region.objects.filter(
        level=Region.Level.TOWNSHIP, pk__in=stations.values("township_id")
    ).order_by("code")


def deputy_count_subquery():
    """Stationed deputies in office of the outer station (counted only for the rows shown)."""
    return related_count(Deputy, "station", pk__in=Deputy.objects.in_office().values("pk"))


def station_list(*, user: "User") -> QuerySet[Station]:
    return scoped(
        Station.objects.select_related("township", "village").annotate(
            deputy_count=deputy_count_subquery()
        ),
        user,
        "station",
    )


def station_get(*, user: "User", pk: int) -> Station:
    return get_for_user(
        Station.objects.select_related("township", "village", "county"), user, "station", pk=pk
    )


def townships_of(request) -> QuerySet[Region]:
    """The townships a filter offers to the request's user (none without a request)."""
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
        label=_("乡镇(街道)"),
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )

    class Meta:
        model = Station
        fields = ["q", "kind", "township"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(name_q(value) | Q(address__icontains=value))


# Deputies ---------------------------------------------------------------------------------------


def _active_mandates() -> Prefetch:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.filter(is_active=True).order_by("level"),
        to_attr="active_mandates",
    )


def deputy_list(*, user: "User") -> QuerySet[Deputy]:
    """Lists show the stored masked forms, so the encrypted columns are not even read."""
    return scoped(
        Deputy.objects.defer("id_number", "phone")
        .select_related("station__township")
        .prefetch_related(
            _active_mandates(),
            Prefetch(
                "groups",
                queryset=DeputyGroup.objects.only("id", "name").order_by("name"),
                to_attr="group_list",
            ),
        ),
        user,
        "deputy",
    )


def unstationed_deputies(*, user: "User") -> QuerySet[Deputy]:
    """The deputies in the user's scope not yet stationed (未进驻), with their mandates."""
    return scoped(
        Deputy.objects.filter(station__isnull=True)
        .only("id", "name", "gender", "workplace", "county_id")
        .prefetch_related(_active_mandates())
        .order_by("name", "id"),
        user,
        "deputy",
    )


def assignable_stations(*, user: "User") -> QuerySet[Station]:
    return scoped(
        Station.objects.filter(is_active=True)
        .select_related("township")
        .order_by("township__code", "kind", "name"),
        user,
        "station",
    )


def deputy_get(*, user: "User", pk: int) -> Deputy:
    return get_for_user(
        Deputy.objects.select_related("station__township", "station__village").prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.order_by("-is_active", "level")),
            Prefetch(
                "mandates__events",
                queryset=MandateEvent.objects.select_related("vacancy__deputy").order_by(
                    "occurred_on", "pk"
                ),
            ),
            "groups",
        ),
        user,
        "deputy",
        pk=pk,
    )


def deputy_group_list(*, user: "User") -> QuerySet[DeputyGroup]:
    return scoped(
        DeputyGroup.objects.select_related("leader")
        .annotate(member_count=Count("members"))
        .order_by("county_id", "name"),
        user,
        "deputy_group",
    )


def stations_of(request) -> QuerySet[Station]:
    """The stations a filter offers (narrowed to ?township=), none without a request."""
    if request is None:
        return Station.objects.none()
    stations = scoped(Station.objects.only("id", "name"), request.user, "station")
    township = query_int(request.GET.get("township"))
    if township is not None:
        stations = stations.filter(township_id=township)
    return stations


def groups_of(request) -> QuerySet[DeputyGroup]:
    """The deputy groups a filter offers, none without a request."""
    if request is None:
        return DeputyGroup.objects.none()
    return scoped(DeputyGroup.objects.only("id", "name"), request.user, "deputy_group")


class DeputyFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("姓名/工作单位"), method="search")
    level = django_filters.ChoiceFilter(
        label=_("代表层级"), choices=Level.choices, method="filter_level", empty_label=_("全部层级")
    )
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="station__township",
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("进驻家站"),
        queryset=stations_of,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    unstationed = django_filters.ChoiceFilter(
        label=_("未进驻家站"),
        choices=[("true", _("是")), ("false", _("否"))],
        method="filter_unstationed",
        empty_label=_("不限"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("代表小组"),
        queryset=groups_of,  # type: ignore[arg-type]
        method="filter_group",
        empty_label=_("全部小组"),
    )
    directly_elected = django_filters.ChoiceFilter(
        label=_("直接选举"),
        choices=[("true", _("是")), ("false", _("否"))],
        method="filter_directly_elected",
        empty_label=_("不限"),
    )
    # The list shows the deputies in office unless asked otherwise: a deputy whose mandates all
    # ended (or are suspended) is kept for the records but is no longer on the roster.
    in_office = django_filters.ChoiceFilter(
        label=_("任职状态"),
        choices=[("all", _("全部(含已离任、暂停)")), ("former", _("已离任或暂停"))],
        method="filter_in_office",
        empty_label=_("在任"),
    )
    gender = django_filters.ChoiceFilter(
        label=_("性别"), choices=Gender.choices, empty_label=_("不限")
    )
    occupation = django_filters.ChoiceFilter(
        label=_("职业类别"), choices=Occupation.choices, empty_label=_("不限")
    )

    class Meta:
        model = Deputy
        fields = [
            "q",
            "level",
            "township",
            "station",
            "unstationed",
            "group",
            "directly_elected",
            "in_office",
            "gender",
            "occupation",
        ]

    @property
    def qs(self):
        queryset = super().qs
        # The default (no choice) is the deputies in office.
        if not (self.data or {}).get("in_office"):
            queryset = queryset.filter(in_office_condition())
        return queryset

    def filter_in_office(self, queryset, name, value: str):
        if value == "former":
            return queryset.exclude(in_office_condition())
        return queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = (
            name_q(value)
            | Q(workplace__icontains=value)
            # A 代表证号 finds its holder (exact, as printed on the certificate).
            | Q(Exists(Mandate.objects.filter(deputy=OuterRef("pk"), certificate_number=value)))
        )
        # Looking a person up by ID number is for those who may see ID numbers.
        if self.request is not None and can_view_personal_data(self.request.user):
            condition |= Q(id_number_hash=keyed_hash(normalize_id_number(value)))
        return queryset.filter(condition)

    def filter_level(self, queryset, name, value):
        return queryset.with_active_level(value) if value else queryset

    def filter_group(self, queryset, name, value: DeputyGroup | None):
        return queryset.in_group(value.pk) if value else queryset

    def filter_unstationed(self, queryset, name, value: str):
        return queryset.filter(station__isnull=value == "true") if value else queryset

    def filter_directly_elected(self, queryset, name, value: str):
        return queryset.directly_elected(value == "true") if value else queryset


# The searchable pickers' sources (core.widgets.SearchPicker): each answers a few characters of a
# name, its pinyin or its initials with up to PICKS matches the user may read, each with what tells
# namesakes apart. The form behind the picker still validates against its own queryset.

PICKS = 20


def _clean_query(query: str) -> str:
    return query.strip()[:40]


def deputy_picks(*, user: "User", query: str, county_level: bool = False) -> list[dict]:
    """Deputies by name; ``county_level``: only county deputies in office (those who attend
    inspections, research and meetings)."""
    deputies = scoped(Deputy.objects.all(), user, "deputy")
    query = _clean_query(query)
    if not query:
        return []
    if county_level:
        deputies = deputies.filter(
            pk__in=Mandate.objects.filter(level=Level.COUNTY, is_active=True).values("deputy_id")
        )
    deputies = deputies.filter(name_q(query)).select_related("station__township")
    return [
        {
            "id": deputy.pk,
            "label": deputy.name,
            "detail": " · ".join(
                (deputy.station.name, deputy.station.township.name)
                if deputy.station
                else (str(_("未进驻")),)
            ),
        }
        for deputy in deputies.order_by("name", "pk")[:PICKS]
    ]


def station_picks(*, user: "User", query: str) -> list[dict]:
    stations = scoped(Station.objects.filter(is_active=True), user, "station")
    query = _clean_query(query)
    if not query:
        return []
    stations = (
        stations.filter(name_q(query))
        .select_related("township")
        .order_by("township__code", "kind", "name")
    )
    return [
        {
            "id": station.pk,
            "label": station.name,
            "detail": f"{station.township.name} · {station.get_kind_display()}",
        }
        for station in stations[:PICKS]
    ]


def unit_picks(*, user: "User", query: str) -> list[dict]:
    units = scoped(HandlingUnit.objects.filter(is_active=True), user, "handling_unit")
    query = _clean_query(query)
    if not query:
        return []
    units = units.filter(name__icontains=query).order_by("kind", "name")
    return [
        {"id": unit.pk, "label": unit.name, "detail": unit.get_kind_display()}
        for unit in units[:PICKS]
    ]


# The term (届) -------------------------------------------------------------------------------


def term_start(
    *, county_id: int, level: str = Level.COUNTY, township_id: int | None = None
) -> datetime.date | None:
    """The day the current term of the county's (or a township's) congress began: the earliest
    start of the mandates in office at ``level`` (a by-elected deputy starts later, the term does
    not). None when no mandate records its start."""
    mandates = Mandate.objects.filter(is_active=True, level=level, deputy__county_id=county_id)
    if township_id is not None:
        mandates = mandates.filter(deputy__station__township_id=township_id)
    return mandates.aggregate(start=Min("started_on"))["start"]


def term_start_for(*, user: "User") -> datetime.date | None:
    """The first day of the current term of the user's county congress (本届以来 on the
    statistics pages); for the administrator, of the first county."""
    county = county_for(user=user)
    return None if county is None else term_start(county_id=county.pk)


# The life of a mandate ----------------------------------------------------------------------


def mandate_get_for_change(*, user: "User", pk: int) -> Mandate:
    """A mandate to record an event on: 404 outside the user's scope, 403 for a user who sees
    it but does not keep its records (accounts.access "mandate.record")."""
    return get_for_change(
        Mandate.objects.select_related("deputy__station__township"),
        user,
        "mandate",
        "mandate.record",
        pk=pk,
    )


def vacancy_list(*, user: "User") -> QuerySet[Mandate]:
    """缺额: mandates of the current term ended by 辞职, 罢免, 终止 or death and not yet filled by a
    补选 — the county and higher levels for the county office, the township level for a
    township's 主席团. The current term: the latest the county has mandates of at that
    level."""
    latest_term = (
        Mandate.objects.filter(
            level=OuterRef("level"), deputy__county_id=OuterRef("deputy__county_id")
        )
        .order_by("-term")
        .values("term")[:1]
    )
    mandates = Mandate.objects.filter(
        is_active=False,
        ended_on__isnull=False,
        events__kind__in=MandateEvent.VACATING,
        term=Subquery(latest_term),
    ).filter(~Exists(MandateEvent.objects.filter(vacancy=OuterRef("pk"))))
    role = user.scope.role
    if role == Role.TOWNSHIP_STAFF:
        mandates = mandates.filter(level=Level.TOWNSHIP)
    elif role == Role.COMMITTEE_STAFF:
        mandates = mandates.exclude(level=Level.TOWNSHIP)
    return scoped(
        mandates.select_related("deputy__station__township")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=MandateEvent.objects.filter(kind__in=MandateEvent.VACATING),
                to_attr="ending_events",
            )
        )
        .distinct()
        .order_by("-ended_on", "pk"),
        user,
        "mandate",
    )


def vacancy_get_for_change(*, user: "User", pk: int) -> Mandate:
    """An ended mandate to fill by 补选 (404 for a mandate in office); the service checks that
    its end left a vacancy not yet filled."""
    return get_for_change(
        Mandate.objects.filter(is_active=False, ended_on__isnull=False).select_related(
            "deputy__station__township"
        ),
        user,
        "mandate",
        "mandate.record",
        pk=pk,
    )


def by_election_deputies(*, user: "User", vacancy: Mandate) -> QuerySet[Deputy]:
    """Who may be picked as the 补选's deputy: the vacancy's county's deputies the user sees."""
    return scoped(Deputy.objects.filter(county_id=vacancy.deputy.county_id), user, "deputy")


def mandate_event_list(*, user: "User") -> QuerySet[MandateEvent]:
    return scoped(
        MandateEvent.objects.select_related("mandate__deputy", "vacancy").order_by(
            "-occurred_on", "-pk"
        ),
        user,
        "mandate_event",
    )


class MandateEventFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("事项"), choices=MandateEvent.Kind.choices, empty_label=_("全部事项")
    )
    level = django_filters.ChoiceFilter(
        label=_("代表层级"),
        field_name="mandate__level",
        choices=Level.choices,
        empty_label=_("全部层级"),
    )
    term = django_filters.NumberFilter(label=_("届次"), field_name="mandate__term")
    deputy = django_filters.NumberFilter(label=_("代表ID"), field_name="mandate__deputy_id")
    mandate = django_filters.NumberFilter(label=_("任职ID"), field_name="mandate_id")
    occurred_after = django_filters.DateFilter(
        label=_("日期自"), field_name="occurred_on", lookup_expr="gte"
    )
    occurred_before = django_filters.DateFilter(
        label=_("日期至"), field_name="occurred_on", lookup_expr="lte"
    )

    class Meta:
        model = MandateEvent
        fields = ["kind", "level", "term", "deputy", "mandate", "occurred_after", "occurred_before"]
