import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import get_for_user, scoped
from directory.models import Deputy, DeputyGroup, Region

from .models import GroupActivity, GroupTask, KeyProject, MemberLink, ProjectProblem, Voter

if TYPE_CHECKING:
    from accounts.models import User


def member_link_list(*, user: "User") -> QuerySet[MemberLink]:
    """The pairings in scope, each with this year's contacts and the last contact."""
    start = datetime.date(timezone.localdate().year, 1, 1)
    return (
        scoped(
            MemberLink.objects.select_related("member", "deputy__station__township"),
            user,
            "member_link",
        )
        .annotate(
            contacts_this_year=Count("contacts", filter=Q(contacts__date__gte=start)),
            last_contact=Max("contacts__date"),
        )
        .order_by("ended_on", "member__full_name", "member_id", "deputy__name")
    )


def member_link_get(*, user: "User", pk: int) -> MemberLink:
    return get_for_user(
        MemberLink.objects.select_related("member", "deputy__station"),
        user,
        "member_link",
        pk=pk,
    )


def voter_list(*, user: "User") -> QuerySet[Voter]:
    return (
        scoped(Voter.objects.select_related("deputy", "village"), user, "voter")
        .annotate(contact_count=Count("contacts"), last_contact=Max("contacts__date"))
        .order_by("deputy__name", "deputy_id", "pk")
    )


def voter_get(*, user: "User", pk: int) -> Voter:
    return get_for_user(Voter.objects.select_related("deputy__station"), user, "voter", pk=pk)


def voter_deputy_get(*, user: "User", pk: int) -> Deputy:
    """A deputy whose voters the user may read (404 else), with their station."""
    return get_for_user(Deputy.objects.select_related("station"), user, "voter", pk=pk)


def village_choices(*, deputy: Deputy) -> QuerySet[Region]:
    """The villages of the township of the deputy's station (none for an unstationed deputy)."""
    return Region.objects.filter(
        parent_id=deputy.station.township_id if deputy.station else None
    ).order_by("name")


def project_list(*, user: "User") -> QuerySet[KeyProject]:
    return (
        scoped(KeyProject.objects.select_related("leader"), user, "key_project")
        .annotate(
            problems_total=Count("problems"),
            problems_solved=Count("problems", filter=Q(problems__status="solved")),
        )
        .order_by("status", "name")
    )


def project_get(*, user: "User", pk: int) -> KeyProject:
    return get_for_user(
        KeyProject.objects.select_related("leader", "county"), user, "key_project", pk=pk
    )


def problem_get(*, user: "User", pk: int) -> ProjectProblem:
    """A problem of a key project the user may read (403/404 else), with the project."""
    problem = get_object_or_404(ProjectProblem.objects.select_related("project"), pk=pk)
    problem.project = project_get(user=user, pk=problem.project_id)
    return problem


def project_figures(projects: QuerySet[KeyProject]) -> dict:
    """The seed's kind of figure: projects linked, problems solved."""
    problems = ProjectProblem.objects.filter(project__in=projects.values("pk"))
    return {
        "projects": projects.count(),
        **problems.aggregate(problems=Count("pk"), solved=Count("pk", filter=Q(status="solved"))),
    }


# 代表小组+ ----------------------------------------------------------------------------------


def group_list(*, user: "User", year: int) -> QuerySet[DeputyGroup]:
    """The deputy groups the user opens (a deputy: their own), each with its leader, member
    count and the year's tasks and activities."""
    tasks = GroupTask.objects.filter(group=OuterRef("pk"), year=year).values("group")
    activities = GroupActivity.objects.filter(group=OuterRef("pk"), date__year=year).values("group")
    return scoped(
        DeputyGroup.objects.select_related("leader", "leader__station")
        .annotate(
            member_count=Count("members", distinct=True),
            task_count=Subquery(tasks.annotate(n=Count("pk")).values("n")[:1]),
            activity_count=Subquery(activities.annotate(n=Count("pk")).values("n")[:1]),
        )
        .order_by("county_id", "name"),
        user,
        "group_work",
    )


def group_get(*, user: "User", pk: int) -> DeputyGroup:
    return get_for_user(
        DeputyGroup.objects.select_related("leader", "leader__station", "county"),
        user,
        "group_work",
        pk=pk,
    )


def group_members(group: DeputyGroup) -> QuerySet[Deputy]:
    return group.members.select_related("station", "station__township").order_by(
        "name_pinyin", "pk"
    )


def group_tasks(group: DeputyGroup, *, year: int) -> QuerySet[GroupTask]:
    return group.tasks.filter(year=year).annotate(activity_count=Count("activities")).order_by("pk")


def group_activities(group: DeputyGroup, *, year: int) -> QuerySet[GroupActivity]:
    return (
        group.activities.filter(date__year=year)
        .select_related("task")
        .prefetch_related(
            Prefetch("participants", queryset=Deputy.objects.only("id", "name").order_by("pk"))
        )
    )


def group_activity_list(*, user: "User") -> QuerySet[GroupActivity]:
    return scoped(
        GroupActivity.objects.select_related("group", "task").prefetch_related(
            Prefetch("participants", queryset=Deputy.objects.only("id", "name").order_by("pk"))
        ),
        user,
        "group_work",
    )


def group_task_list(*, user: "User") -> QuerySet[GroupTask]:
    return scoped(
        GroupTask.objects.select_related("group")
        .annotate(activity_count=Count("activities"))
        .order_by("group_id", "-year", "pk"),
        user,
        "group_work",
    )
