"""The handling unit's workspace: assigned suggestions, accept, progress report, reply,
extension request."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import require
from core.errors import DomainError
from core.pagination import paginate

from .. import selectors, services
from ..forms_work import ExtensionForm, ProgressReportForm, ReplyForm, VersionForm
from ..models import Suggestion

URGENT_DAYS = 7


def _unit_suggestion(request, pk: int) -> Suggestion:
    """403 for any role but a handling unit, 404 for a suggestion never assigned to it."""
    require(request.user, "suggestion.answer")
    return selectors.suggestion_get_brief(user=request.user, pk=pk)


@login_required
def unit_workspace(request):
    """待办 (still to handle, nearest deadline first) or 已答复 (answered, latest first)."""
    require(request.user, "suggestion.answer")
    show_done = request.GET.get("show") == "done"
    counts = selectors.unit_assignment_counts(user=request.user)
    page = paginate(request, selectors.unit_assignment_list(user=request.user, done=show_done))
    today = timezone.localdate()
    extensions = selectors.latest_extensions([assignment.suggestion for assignment in page])
    rows = []
    for assignment in page:
        days_left = (assignment.deadline - today).days
        urgent = not show_done and days_left < URGENT_DAYS
        extension = extensions.get(assignment.suggestion_id)
        rows.append((assignment, days_left, abs(days_left), urgent, extension))
    return render(
        request,
        "suggestions/unit/workspace.html",
        {"page": page, "rows": rows, "show_done": show_done, "counts": counts},
    )


@login_required
@require_POST
def suggestion_accept(request, pk: int):
    suggestion = _unit_suggestion(request, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请求无效,请刷新页面后再试。"))
        return redirect("suggestions:unit_workspace")
    try:
        services.suggestion_accept(
            user=request.user, suggestion=suggestion, version=form.cleaned_data["version"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已开始办理。请在办理中向群众汇报进展。"))
    return redirect("suggestions:unit_workspace")


@login_required
def progress_add(request, pk: int):
    suggestion = _unit_suggestion(request, pk)
    form = ProgressReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.progress_report_add(
                user=request.user, suggestion=suggestion, **form.cleaned_data
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("向群众汇报的情况已登记。"))
            return redirect("suggestions:unit_workspace")
    return render(
        request, "suggestions/unit/progress_form.html", {"form": form, "suggestion": suggestion}
    )


@login_required
def suggestion_reply(request, pk: int):
    suggestion = _unit_suggestion(request, pk)
    form = ReplyForm(
        request.POST or None, request.FILES or None, initial={"version": suggestion.version}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.suggestion_reply(
                user=request.user,
                suggestion=suggestion,
                version=data["version"],
                category=data["category"],
                text=data["text"],
                letter=data.get("letter"),
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("答复已提交,等待代表和群众测评。"))
            return redirect("suggestions:unit_workspace")
    reported = suggestion.progress_reports.filter(round=suggestion.round).exists()
    contacted = suggestion.unit_contacts.filter(round=suggestion.round).exists()
    return render(
        request,
        "suggestions/unit/reply_form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "without_progress_report": not reported,
            "without_contact": not contacted,
            "contact_refused": settings.SUGGESTION_CONTACT_RULE == "refuse",
        },
    )


@login_required
def extension_request(request, pk: int):
    suggestion = _unit_suggestion(request, pk)
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.extension_request(
                user=request.user, suggestion=suggestion, **form.cleaned_data
            )
        except DomainError as exc:
            exc.add_to(form)
        else:
            messages.success(request, _("延期申请已提交,等待常委会工作机构审批。"))
            return redirect("suggestions:unit_workspace")
    return render(
        request, "suggestions/unit/extension_form.html", {"form": form, "suggestion": suggestion}
    )
