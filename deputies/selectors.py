import datetime
from typing import TYPE_CHECKING

import django_filters
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    When,
    Window,
)
from django.db.models.functions import Rank
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from accounts.access import get_for_user, scoped
from core.filters import PortalFilterSet
from core.pinyin import name_q
from core.queries import related_count
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

from .models import (
    AidHousehold,
    AidVisit,
    DutyRecord,
    DutyScore,
    ManualDutyRecord,
    ScoreRun,
    ScoringScheme,
    SmallProblem,
    Training,
    TrainingAttendance,
)

if TYPE_CHECKING:
    from accounts.models import User

# The roster's reads live in directory.selectors; re-exported for older imports.
__all__ = [
    "DeputyFilter",
    "ScoreFilter",
    "archive_deputy",
    "archive_records",
    "archive_score",
    "archive_training",
    "assignable_stations",
    "deputy_get",
    "deputy_group_list",
    "deputy_list",
    "manual_record_get",
    "manual_record_list",
    "overview_deputy_list",
    "ranked",
    "score_history",
    "score_list",
    "score_run_for",
    "score_run_get",
    "scoring_scheme_for",
    "training_catalogue",
    "training_get",
    "training_list",
    "training_period",
    "training_scope",
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


def score_history(*, user: "User") -> QuerySet[DutyScore]:
    """Every year's scores in scope, the latest year first (the API)."""
    return scoped(DutyScore.objects.select_related("deputy"), user, "duty_score").order_by(
        "-year", "-total", "pk"
    )


def scoring_scheme_for(*, year: int, with_rules: bool = False) -> ScoringScheme | None:
    schemes = ScoringScheme.objects.filter(year=year)
    if with_rules:
        schemes = schemes.prefetch_related("rules", "multipliers")
    return schemes.first()


def score_run_for(*, year: int) -> ScoreRun | None:
    """The year's latest computation (the scores page shows how fresh they are)."""
    return ScoreRun.objects.filter(year=year).first()


def score_run_get(*, pk: int) -> ScoreRun:
    """A computation, for the progress bar of a user who may compute scores (asked first)."""
    return get_object_or_404(ScoreRun, pk=pk)


def archive_deputy(*, user: "User", pk: int) -> Deputy:
    """The deputy whose archive the user asks for: a deputy reads only their own (404 else)."""
    return get_for_user(
        Deputy.objects.select_related("station__township"), user, "duty_score", pk=pk
    )


def archive_score(*, deputy: Deputy, year: int) -> DutyScore | None:
    return DutyScore.objects.filter(deputy=deputy, year=year).first()


def archive_records(*, deputy: Deputy, year: int) -> QuerySet[DutyRecord]:
    """The deputy's duty records of the year, the latest first."""
    return DutyRecord.objects.filter(deputy=deputy, occurred_on__year=year).order_by(
        "-occurred_on", "-pk"
    )


def archive_training(*, deputy: Deputy, year: int) -> dict:
    """The deputy's training hours and courses of the year."""
    return TrainingAttendance.objects.filter(
        deputy=deputy, training__start_date__year=year
    ).aggregate(hours=Sum("hours"), courses=Count("pk"))


def overview_deputy_list(*, user: "User") -> QuerySet[Deputy]:
    """The deputies in scope with their station and township, for 五个一 and 履职预警."""
    return scoped(Deputy.objects.select_related("station__township"), user, "deputy")


# Manual duty records --------------------------------------------------------------------------


def manual_record_list(*, user: "User") -> QuerySet[ManualDutyRecord]:
    """Pending records first, then the decided ones, the latest first."""
    return (
        scoped(ManualDutyRecord.objects.all(), user, "duty_score")
        .select_related("deputy__station", "proposed_by", "decided_by")
        .order_by(
            Case(When(status=ManualDutyRecord.Status.PENDING, then=0), default=1),
            "-proposed_at",
            "-pk",
        )
    )


def manual_record_get(*, user: "User", pk: int) -> ManualDutyRecord:
    return get_for_user(
        ManualDutyRecord.objects.select_related("deputy__station"), user, "duty_score", pk=pk
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


def training_catalogue(*, user: "User") -> QuerySet[Training]:
    """Every course in scope with its trainee-times, the latest first (the API)."""
    return scoped(
        Training.objects.annotate(trainees=Count("attendances")), user, "training"
    ).order_by("-start_date", "pk")


def training_scope(*, user: "User") -> QuerySet[Training]:
    """Every course the user reads (a sign-in sheet may name only these)."""
    return scoped(Training.objects.all(), user, "training")


def training_get(*, user: "User", pk: int) -> Training:
    return get_for_user(Training.objects.all(), user, "training", pk=pk)


def training_totals(courses: QuerySet[Training]) -> dict:
    totals = {"courses": courses.count()}
    totals.update(
        TrainingAttendance.objects.filter(training__in=courses.values("pk")).aggregate(
            trainees=Count("pk"), hours=Sum("hours")
        )
    )
    return totals


# 五个一 acts recorded by deputies: 小难题, 帮扶对象 ---------------------------------------------------


# The 小难题 and 帮扶对象 lists filter by the deputy as the scores do.
class SmallProblemFilter(ScoreFilter):
    class Meta:
        model = SmallProblem
        fields = ScoreFilter.Meta.fields


class AidHouseholdFilter(ScoreFilter):
    class Meta:
        model = AidHousehold
        fields = ScoreFilter.Meta.fields


def small_problem_list(*, user: "User") -> QuerySet[SmallProblem]:
    return scoped(
        SmallProblem.objects.select_related("deputy__station"), user, "small_problem"
    ).order_by("-solved_on", "-pk")


def aid_household_list(*, user: "User") -> QuerySet[AidHousehold]:
    """Households with their number of visits and the latest visit's day."""
    visits = AidVisit.objects.filter(household_id=OuterRef("pk"))
    return (
        scoped(AidHousehold.objects.select_related("deputy__station"), user, "aid_household")
        .annotate(
            visit_count=related_count(AidVisit, "household"),
            last_visit=Subquery(visits.order_by("-visited_on").values("visited_on")[:1]),
        )
        .order_by("-since", "-pk")
    )


def aid_household_get(*, user: "User", pk: int) -> AidHousehold:
    return get_for_user(
        AidHousehold.objects.select_related("deputy__station"), user, "aid_household", pk=pk
    )


def aid_visits(household: AidHousehold) -> QuerySet[AidVisit]:
    return AidVisit.objects.filter(household=household).order_by("-visited_on", "-pk")


def aid_visit_list(*, user: "User") -> QuerySet[AidVisit]:
    return scoped(
        AidVisit.objects.select_related("household__deputy"), user, "aid_household"
    ).order_by("-visited_on", "-pk")
