import datetime
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Sum, Window
from django.db.models.functions import Rank
from django.utils.translation import gettext_lazy as _

from accounts.access import get_for_user, scoped
from core.filters import PortalFilterSet
from core.pinyin import name_q
from directory.models import Deputy, DeputyGroup, Level, Mandate
from directory.selectors import (
    DeputyFilter,
    assignable_stations,
    deputy_get,
    deputy_group_list,
    deputy_list,
    groups_of,
    stations_of,
    townships_of,
    unstationed_deputies,
)

from .models import DutyScore, Training, TrainingAttendance

if TYPE_CHECKING:
    from accounts.models import User

# The roster's reads live in directory.selectors; re-exported for older imports.
__all__ = [
    "DeputyFilter",
    "ScoreFilter",
    "archive_deputy",
    "assignable_stations",
    "deputy_get",
    "deputy_group_list",
    "deputy_list",
    "ranked",
    "score_list",
    "training_list",
    "training_period",
    "training_totals",
    "unstationed_deputies",
]


# The duty archive and scores (履职档案、考核得分) ------------------------------------------------


def score_list(*, user: "User", year: int) -> QuerySet[DutyScore]:
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
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("进驻家站"),
        field_name="deputy__station",
        queryset=stations_of,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    group = django_filters.ModelChoiceFilter(
        label=_("代表小组"),
        queryset=groups_of,  # type: ignore[arg-type]
        method="filter_group",
        empty_label=_("全部小组"),
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


def archive_deputy(*, user: "User", pk: int) -> Deputy:
    """The deputy whose archive the user asks for: a deputy reads only their own (404 else)."""
    return get_for_user(
        Deputy.objects.select_related("station__township"), user, "duty_score", pk=pk
    )


# Training -----------------------------------------------------------------------------------


def training_list(*, user: "User", year: int) -> QuerySet[Training]:
    """The year's courses in scope, each with its trainee-times and hours."""
    return training_period(
        user=user, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31)
    )


def training_period(
    *, user: "User", start: datetime.date, end: datetime.date
) -> QuerySet[Training]:
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
