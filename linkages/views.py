"""三联 pages: the pairings of committee members with deputies and their contacts; a deputy's
linked voters and the contacts with them (on a phone)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, get_for_user, require, scope_level
from accounts.models import Role
from core.errors import DomainError
from core.filters import query_int
from core.pagination import paginate
from core.personal import log_personal_access
from directory.models import Deputy, Region

from . import selectors, services
from .forms import (
    MemberContactForm,
    ProblemForm,
    ProblemUpdateForm,
    VoterContactForm,
    VoterForm,
)
from .models import ProjectProblem


@login_required
def member_links(request):
    """结对联系代表: who is paired with whom, and how often they met this year."""
    scope_level(request.user, "member_link")
    links = selectors.member_link_list(user=request.user)
    if request.GET.get("mine") and request.user.scope.role == Role.COMMITTEE_MEMBER:
        links = links.filter(member=request.user)
    page = paginate(request, links)
    return render(
        request,
        "linkages/member_links.html",
        {"page": page, "is_member": request.user.scope.role == Role.COMMITTEE_MEMBER},
    )


@login_required
def member_contact_new(request, pk: int):
    link = selectors.member_link_get(user=request.user, pk=pk)
    require(request.user, "member_link.contact", link)
    form = MemberContactForm(
        request.POST or None, initial={"date": timezone.localdate(), "mode": "face"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_contact_log(user=request.user, link=link, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("联系情况已登记。"))
            return redirect("linkages:member_links")
    recent = link.contacts.select_related("logged_by")[:10]
    return render(
        request,
        "linkages/member_contact_form.html",
        {"link": link, "form": form, "recent": recent},
    )


def _deputy_for_voters(request) -> Deputy | None:
    """The deputy whose voters are shown: the deputy themself, or ?deputy= for others."""
    user = request.user
    if user.scope.role == Role.DEPUTY:
        return user.deputy
    deputy_id = query_int(request.GET.get("deputy"))
    if deputy_id is None:
        return None
    return get_for_user(Deputy.objects.select_related("station"), user, "voter", pk=deputy_id)


@login_required
def voters(request):
    """联系选民: a deputy's linked voters, with the form to add one."""
    scope_level(request.user, "voter")
    deputy = _deputy_for_voters(request)
    voters = selectors.voter_list(user=request.user)
    if deputy is not None:
        voters = voters.filter(deputy=deputy)
    form = None
    if deputy is not None and services.may_keep_voters(request.user, deputy):
        villages = Region.objects.filter(
            parent_id=deputy.station.township_id if deputy.station else None
        ).order_by("name")
        form = VoterForm(request.POST or None, villages=villages)
        if request.method == "POST" and form.is_valid():
            try:
                services.voter_add(user=request.user, deputy=deputy, **form.cleaned_data)
            except DomainError as error:
                error.add_to(form)
            else:
                messages.success(request, _("联系选民已登记。"))
                return redirect(request.get_full_path())
    elif request.method == "POST":
        raise PermissionDenied
    page = paginate(request, voters)
    # The deputy's own voters in full: they are the ones who call them. Each view is logged.
    reveal = deputy is not None and can(request.user, "voter.call", deputy)
    if reveal and page.object_list:
        log_personal_access(request, page.object_list, ["name", "phone"])
    return render(
        request,
        "linkages/voters.html",
        {"page": page, "deputy": deputy, "form": form, "reveal_personal": reveal},
    )


@login_required
def voter_contact_new(request, pk: int):
    voter = selectors.voter_get(user=request.user, pk=pk)
    if not services.may_keep_voters(request.user, voter.deputy):
        raise PermissionDenied
    form = VoterContactForm(
        request.POST or None, initial={"date": timezone.localdate(), "mode": "face"}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.voter_contact_log(user=request.user, voter=voter, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("联系情况已登记,计入履职档案。"))
            return redirect(f"{reverse('linkages:voters')}?deputy={voter.deputy_id}")
    recent = voter.contacts.all()[:10]
    return render(
        request,
        "linkages/voter_contact_form.html",
        {"voter": voter, "form": form, "recent": recent},
    )


# Leaders and key projects ------------------------------------------------------------------


@login_required
def projects(request):
    """常委会领导联系重点项目: the projects and how many of their problems were solved."""
    scope_level(request.user, "key_project")
    projects = selectors.project_list(user=request.user)
    page = paginate(request, projects)
    return render(
        request,
        "linkages/projects.html",
        {"page": page, "figures": selectors.project_figures(projects)},
    )


@login_required
def project_detail(request, pk: int):
    scope_level(request.user, "key_project")
    project = selectors.project_get(user=request.user, pk=pk)
    may_edit = services.may_edit_project(request.user, project)
    form = ProblemForm(initial={"raised_on": timezone.localdate()}) if may_edit else None
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        form = ProblemForm(request.POST)
        if form.is_valid():
            try:
                services.problem_add(user=request.user, project=project, **form.cleaned_data)
            except DomainError as error:
                error.add_to(form)
            else:
                messages.success(request, _("问题已登记。"))
                return redirect("linkages:project_detail", pk=project.pk)
    problems = list(project.problems.select_related("updated_by"))
    if may_edit:
        for problem in problems:
            problem.form = ProblemUpdateForm(instance=problem, prefix=f"p{problem.pk}")
    return render(
        request,
        "linkages/project_detail.html",
        {"project": project, "problems": problems, "form": form, "may_edit": may_edit},
    )


@login_required
@require_POST
def problem_update(request, pk: int):
    problem = get_object_or_404(ProjectProblem.objects.select_related("project"), pk=pk)
    project = selectors.project_get(user=request.user, pk=problem.project_id)
    if not services.may_edit_project(request.user, project):
        raise PermissionDenied
    form = ProblemUpdateForm(request.POST, instance=problem, prefix=f"p{problem.pk}")
    if not form.is_valid():
        messages.error(request, _("请检查问题的状态和日期。"))
        return redirect("linkages:project_detail", pk=project.pk)
    problem.refresh_from_db()  # the form wrote into the instance; the service decides
    try:
        services.problem_update(user=request.user, problem=problem, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("问题状态已更新。"))
    return redirect("linkages:project_detail", pk=project.pk)
