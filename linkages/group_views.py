"""代表小组+ pages: each deputy group with its members, leader (组长), the year's themed tasks
and the activities its members took part in. Staff read every group of the county; a deputy
opens the groups they belong to."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, require, scope_level
from core.actions import form_page
from core.filters import query_int
from core.pagination import paginate

from . import selectors, services
from .forms import GroupActivityForm, GroupTaskForm


def _year(request) -> int:
    this_year = timezone.localdate().year
    year = query_int(request.GET.get("year"), maximum=this_year + 1)
    return year if year and year >= 2000 else this_year


@login_required
def group_list(request):
    scope_level(request.user, "group_work")
    year = _year(request)
    groups = selectors.group_list(user=request.user, year=year)
    return render(
        request, "linkages/groups.html", {"page": paginate(request, groups), "year": year}
    )


@login_required
def group_detail(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    year = _year(request)
    return render(
        request,
        "linkages/group_detail.html",
        {
            "group": group,
            "year": year,
            "members": selectors.group_members(group),
            "tasks": selectors.group_tasks(group, year=year),
            "activities": selectors.group_activities(group, year=year),
            "may_manage": can(request.user, "group_work.manage", group),
        },
    )


@login_required
def group_task_new(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    require(request.user, "group_work.manage", group)
    form = GroupTaskForm(request.POST or None, initial={"year": timezone.localdate().year})
    return form_page(
        request,
        form,
        lambda data: services.group_task_add(user=request.user, group=group, **data),
        template="linkages/group_form.html",
        context={"group": group, "heading": _("新增专题任务")},
        success=_("专题任务已登记。"),
        done=lambda task: reverse("linkages:group_detail", args=[group.pk]) + f"?year={task.year}",
    )


@login_required
def group_activity_new(request, pk: int):
    group = selectors.group_get(user=request.user, pk=pk)
    require(request.user, "group_work.manage", group)
    today = timezone.localdate()
    form = GroupActivityForm(
        request.POST or None,
        initial={"date": today},
        tasks=selectors.group_tasks(group, year=today.year),
        members=selectors.group_members(group),
    )
    return form_page(
        request,
        form,
        lambda data: services.group_activity_log(user=request.user, group=group, **data),
        template="linkages/group_form.html",
        context={"group": group, "heading": _("登记小组活动")},
        success=_("小组活动已登记,参加的代表已记入履职档案。"),
        done=lambda activity: (
            reverse("linkages:group_detail", args=[group.pk]) + f"?year={activity.date.year}"
        ),
    )
