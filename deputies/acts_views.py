"""五个一 acts a deputy records on a phone — 小难题 solved, households helped (帮扶对象) and their
visits — and the staff's lists of them (by scope). One page per list: a deputy sees their own
records with the form on top; staff see their area's."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, scope_level
from core.actions import form_page
from core.pagination import paginate

from . import selectors, services
from .forms import AidHouseholdForm, AidVisitForm, SmallProblemForm


def _own_form(request, action: str, form_class, **initial):
    """The deputy's form on a list page (None for staff, who only read)."""
    if request.user.deputy is None or not can(request.user, action):
        return None
    return form_class(request.POST or None, initial=initial)


@login_required
def small_problems(request):
    """群众小难题: a deputy records and reads their own; staff read those of their area."""
    scope_level(request.user, "small_problem")
    filterset = selectors.SmallProblemFilter(
        request.GET, queryset=selectors.small_problem_list(user=request.user), request=request
    )
    context = {"filter": filterset, "page": paginate(request, filterset.qs)}
    form = _own_form(
        request, "small_problem.record", SmallProblemForm, solved_on=timezone.localdate()
    )
    if form is None:
        return render(request, "deputies/small_problems.html", context)
    return form_page(
        request,
        form,
        lambda data: services.small_problem_record(
            user=request.user, deputy=request.user.deputy, **data
        ),
        template="deputies/small_problems.html",
        context=context,
        success=_("已记录,计入履职档案(五个一:解决一个具体问题)。"),
        done=reverse("deputies:small_problems"),
    )


@login_required
def aid_households(request):
    """帮扶对象: a deputy takes on a household and reads their own; staff read their area's."""
    scope_level(request.user, "aid_household")
    filterset = selectors.AidHouseholdFilter(
        request.GET, queryset=selectors.aid_household_list(user=request.user), request=request
    )
    context = {"filter": filterset, "page": paginate(request, filterset.qs)}
    form = _own_form(request, "aid.keep", AidHouseholdForm, since=timezone.localdate())
    if form is None:
        return render(request, "deputies/aid_households.html", context)
    return form_page(
        request,
        form,
        lambda data: services.aid_household_add(
            user=request.user, deputy=request.user.deputy, **data
        ),
        template="deputies/aid_households.html",
        context=context,
        success=_("已登记帮扶对象,计入履职档案(五个一:帮扶一户困难群众)。"),
        done=lambda household: reverse("deputies:aid_household", args=[household.pk]),
    )


@login_required
def aid_household(request, pk: int):
    """One household: who, what help, and the visits; its deputy records a visit here."""
    household = selectors.aid_household_get(user=request.user, pk=pk)
    context = {
        "household": household,
        "visits": selectors.aid_visits(household),
        "may_keep": can(request.user, "aid.keep", household),
    }
    if not context["may_keep"] or household.ended_on is not None:
        return render(request, "deputies/aid_household.html", context)
    return form_page(
        request,
        AidVisitForm(request.POST or None, initial={"visited_on": timezone.localdate()}),
        lambda data: services.aid_visit_record(user=request.user, household=household, **data),
        template="deputies/aid_household.html",
        context=context,
        success=_("已记录这次走访,计入履职档案。"),
        done=reverse("deputies:aid_household", args=[household.pk]),
    )
