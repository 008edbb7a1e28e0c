import datetime

import django_filters
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Sum, Window
from django.db.models.functions import Rank
from django.utils.translation import gettext_lazy as _

from accounts.access import can_view_personal_data, get_for_user, scoped
from core.crypto import keyed_hash
from core.filters import PortalFilterSet, query_int
from core.idnumbers import normalize_id_number
from core.pinyin import name_q
from stations.models import Station
from stations.selectors import township_choices

from .models import (
    Deputy,
    DeputyGroup,
    DutyScore,
    Gender,
    Level,
    Mandate,
    Occupation,
    Training,
    TrainingAttendance,
)


def _active_mandates() -> Prefetch:
    return Prefetch(
        "mandates",
        queryset=Mandate.objects.filter(is_active=True).order_by("level"),
        to_attr="active_mandates",
    )


def deputy_list(*, user) -> QuerySet[Deputy]:
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


def unstationed_deputies(*, user) -> QuerySet[Deputy]:
    """The deputies in the user's scope not yet stationed (未进驻), with their mandates."""
    return scoped(
        Deputy.objects.filter(station__isnull=True)
        .only("id", "name", "gender", "workplace", "county_id")
        .prefetch_related(_active_mandates())
        .order_by("name", "id"),
        user,
        "deputy",
    )


def assignable_stations(*, user) -> QuerySet[Station]:
    return scoped(
        Station.objects.filter(is_active=True)
        .select_related("township")
        .order_by("township__code", "kind", "name"),
        user,
        "station",
    )


def deputy_get(*, user, pk: int) -> Deputy:
    return get_for_user(
        Deputy.objects.select_related("station__township", "station__village").prefetch_related(
            Prefetch("mandates", queryset=Mandate.objects.order_by("-is_active", "level")),
            "groups",
        ),
        user,
        "deputy",
        pk=pk,
    )


def deputy_group_list(*, user) -> QuerySet[DeputyGroup]:
    from django.db.models import Count

    return scoped(
        DeputyGroup.objects.select_related("leader")
        .annotate(member_count=Count("members"))
        .order_by("county_id", "name"),
        user,
        "deputy_group",
    )


def _townships(request):
    return township_choices(user=request.user) if request else Station.objects.none()


def _stations(request):
    if request is None:
        return Station.objects.none()
    stations = scoped(Station.objects.only("id", "name"), request.user, "station")
    township = query_int(request.GET.get("township"))
    if township is not None:
        stations = stations.filter(township_id=township)
    return stations


def _groups(request):
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
        queryset=_townships,
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("进驻家站"), queryset=_stations, empty_label=_("全部家站")
    )
    unstationed = django_filters.ChoiceFilter(
        label=_("未进驻家站"),
        choices=[("true", _("是")), ("false", _("否"))],
        method="filter_unstationed",
        empty_label=_("不限"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("代表小组"), queryset=_groups, method="filter_group", empty_label=_("全部小组")
    )
    directly_elected = django_filters.ChoiceFilter(
        label=_("直接选举"),
        choices=[("true", _("是")), ("false", _("否"))],
        method="filter_directly_elected",
        empty_label=_("不限"),
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
            "gender",
            "occupation",
        ]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        condition = name_q(value) | Q(workplace__icontains=value)
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


# The duty archive and scores (履职档案、考核得分) ------------------------------------------------


def score_list(*, user, year: int) -> QuerySet[DutyScore]:
    return scoped(
        DutyScore.objects.filter(year=year).select_related("deputy__station__township"),
        user,
        "duty_score",
    )


def ranked(scores: QuerySet[DutyScore], min_records: int) -> QuerySet[DutyScore]:
    """The scores with enough records, ranked by total within the given (filtered) set: equal
    totals share a rank."""
    return (
        scores.filter(acts__gte=min_records)
        .annotate(rank=Window(Rank(), order_by=F("total").desc()))
        .order_by("-total", "deputy__name", "pk")
    )


class ScoreFilter(PortalFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="deputy__station__township",
        queryset=_townships,
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("进驻家站"),
        field_name="deputy__station",
        queryset=_stations,
        empty_label=_("全部家站"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("代表小组"), queryset=_groups, method="filter_group", empty_label=_("全部小组")
    )
    level = django_filters.ChoiceFilter(
        label=_("代表层级"), choices=Level.choices, method="filter_level", empty_label=_("全部层级")
    )
    q = django_filters.CharFilter(label=_("姓名"), method="search")

    class Meta:
        model = DutyScore
        fields = ["township", "station", "group", "level", "q"]

    def filter_group(self, queryset, name, value: DeputyGroup | None):
        return queryset.filter(deputy__groups=value) if value else queryset

    def search(self, queryset, name, value: str):
        return queryset.filter(name_q(value, "deputy__")) if value.strip() else queryset

    def filter_level(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            Exists(
                Mandate.objects.filter(deputy_id=OuterRef("deputy_id"), level=value, is_active=True)
            )
        )


def archive_deputy(*, user, pk: int) -> Deputy:
    """The deputy whose archive the user asks for: a deputy reads only their own (404 else)."""
    return get_for_user(
        Deputy.objects.select_related("station__township"), user, "duty_score", pk=pk
    )


# Training -----------------------------------------------------------------------------------


def training_list(*, user, year: int) -> QuerySet[Training]:
    """The year's courses in scope, each with its trainee-times and hours."""
    return training_period(
        user=user, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )


def training_period(*, user, start: datetime.date, end: datetime.date) -> QuerySet[Training]:
    """The courses in scope that started in the period, each with its trainee-times and hours."""
    return (
        scoped(Training.objects.all(), user, "training")
        .filter(start_date__range=(start, end))
        .annotate(trainees=Count("attendances"), trainee_hours=Sum("attendances__hours"))
        .order_by("-start_date", "name")
    )


def training_totals(courses: QuerySet[Training]) -> dict:
    totals = {"courses": courses.count()}
    totals.update(
        TrainingAttendance.objects.filter(training__in=courses.values("pk")).aggregate(
            trainees=Count("pk"), hours=Sum("hours")
        )
    )
    return totals
