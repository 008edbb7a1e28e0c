"""代表建议: the register, one suggestion's page with its three meetings and timeline, and the
office's actions on it (登记、不作为代表建议处理(转为参考意见或群众意见)、交办、延期审批、纸质测评、
办结): the county's staff for the county congress's suggestions, a township's staff for its own."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require
from accounts.models import Role
from core.actions import form_page, run_action
from core.errors import DomainError
from core.pagination import paginate
from directory.selectors import term_start_for
from plenary.selectors import motion_get_for_change

from .. import selectors, services
from .. import statistics as selectors_statistics
from ..exporters import FILTER_FIELDS as EXPORT_FILTERS
from ..forms import (
    AssignForm,
    CloseForm,
    ConvertForm,
    ExtensionDecideForm,
    MotionConvertForm,
    NotRegisterForm,
    PaperEvaluationForm,
    ReassignDecideForm,
    RegisterForm,
    StatisticsPeriodForm,
)
from ..models import DeadlineExtension, ReassignRequest, Suggestion


@login_required
def suggestion_list(request):
    filterset = selectors.SuggestionFilter(
        request.GET, queryset=selectors.suggestion_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    today = timezone.localdate()
    for suggestion in page:
        suggestion.overdue = selectors.is_overdue(suggestion, today)
    return render(
        request,
        "suggestions/staff/list.html",
        {
            "filter": filterset,
            "page": page,
            "may_export": can(request.user, "suggestion.statistics"),
            "export_filters": [
                (name, request.GET[name]) for name in EXPORT_FILTERS if request.GET.get(name)
            ],
        },
    )


def _assign_form(suggestion, data=None) -> AssignForm:
    return AssignForm(
        data,
        suggestion=suggestion,
        units=selectors.assignable_units(suggestion),
        leaders=selectors.supervising_leaders(suggestion),
    )


# Action → (form factory taking the suggestion and the POST data or None).
FORMS = {
    "register": lambda s, data=None: RegisterForm(data, suggestion=s),
    "not_register": lambda s, data=None: NotRegisterForm(data, suggestion=s),
    "convert": lambda s, data=None: ConvertForm(data, suggestion=s),
    "assign": _assign_form,
    "paper_evaluation": lambda s, data=None: PaperEvaluationForm(data, suggestion=s),
    "close": lambda s, data=None: CloseForm(data, suggestion=s),
}


def _render_detail(request, suggestion, *, bound: dict | None = None):
    actions = selectors.staff_actions(request.user, suggestion)
    bound = bound or {}
    forms = {
        f"{action}_form": bound.get(action) or make(suggestion)
        for action, make in FORMS.items()
        if action in actions
    }
    extensions = list(suggestion.extensions.all())
    pending = [e for e in extensions if e.status == DeadlineExtension.Status.PENDING]
    if "decide_extension" in actions:
        for extension in pending:
            extension.form = ExtensionDecideForm(suggestion=suggestion)
    assignments = sorted(suggestion.assignments.all(), key=lambda a: (a.round, a.role != "lead"))
    reassign_requests = list(suggestion.reassign_requests.all())
    reassign_form = None
    if any(r.status == ReassignRequest.Status.PENDING for r in reassign_requests) and can(
        request.user, "suggestion.reassign_decide", suggestion
    ):
        reassign_form = ReassignDecideForm(
            suggestion=suggestion, units=selectors.assignable_units(suggestion)
        )
    return render(
        request,
        "suggestions/staff/detail.html",
        {
            "suggestion": suggestion,
            "overdue": selectors.is_overdue(suggestion),
            "assignments": assignments,
            "evaluation_counts": selectors.evaluation_counts(suggestion),
            "extensions": extensions,
            "may_decide": "decide_extension" in actions,
            "rehandle_months": settings.SUGGESTION_REHANDLE_DEADLINE_MONTHS,
            # The flag is for the committee and local staff, not for the unit or the deputy.
            "show_flags": request.user.scope.role not in (Role.DEPUTY, Role.HANDLING_UNIT),
            "events": _timeline(suggestion),
            "contacts": list(suggestion.unit_contacts.all()),
            "reassign_requests": reassign_requests,
            "reassign_form": reassign_form,
            "may_read_letter": request.user.scope.role in selectors.LETTER_READERS,
            "is_lead_deputy": request.user.scope.role == Role.DEPUTY
            and request.user.deputy_id == suggestion.lead_deputy_id,
            "unit_assignment": next(
                (
                    a
                    for a in assignments
                    if a.round == suggestion.round
                    and request.user.scope.role == Role.HANDLING_UNIT
                    and a.unit_id == request.user.handling_unit_id
                ),
                None,
            ),
            **forms,
        },
    )


def _timeline(suggestion) -> list:
    labels = dict(Suggestion.Status.choices)
    events = list(suggestion.events.all())
    for event in events:
        event.from_label = labels.get(event.from_status, "")
    return events


@login_required
def suggestion_detail(request, pk: int):
    return _render_detail(request, selectors.suggestion_get(user=request.user, pk=pk))


def _get_managed(request, pk: int):
    """The suggestion in scope (404 outside), and 403 for a role that may read but not act."""
    suggestion = selectors.suggestion_get(user=request.user, pk=pk)
    require(request.user, "suggestion.manage", suggestion)
    return suggestion


def _act(request, pk: int, action: str, perform, done: str):
    """Validate the action's form and call the service; a refusal (an illegal transition, a
    stale version) is shown and nothing changes."""
    suggestion = _get_managed(request, pk)
    offered = action in selectors.staff_actions(request.user, suggestion)
    return run_action(
        request,
        FORMS[action](suggestion, request.POST),
        lambda data: perform(suggestion, data),
        success=done,
        done=reverse("suggestions:detail", args=[suggestion.pk]),
        # A form the page still shows is shown again with its errors.
        rerender=(
            (lambda form: _render_detail(request, suggestion, bound={action: form}))
            if offered
            else None
        ),
    )


@login_required
@require_POST
def suggestion_register_view(request, pk: int):
    return _act(
        request,
        pk,
        "register",
        lambda s, data: services.suggestion_register(
            user=request.user, suggestion=s, version=data["version"]
        ),
        _("已登记。"),
    )


@login_required
@require_POST
def suggestion_not_register_view(request, pk: int):
    return _act(
        request,
        pk,
        "not_register",
        lambda s, data: services.suggestion_not_register(
            user=request.user, suggestion=s, version=data["version"], reason=data["reason"]
        ),
        _("已作不作为代表建议处理,转为参考意见。"),
    )


@login_required
@require_POST
def suggestion_convert_view(request, pk: int):
    return _act(
        request,
        pk,
        "convert",
        lambda s, data: services.suggestion_convert_to_opinion(
            user=request.user, suggestion=s, version=data["version"], reason=data["reason"]
        ),
        _("已作不作为代表建议处理,转为群众意见办理。"),
    )


@login_required
@require_POST
def suggestion_assign_view(request, pk: int):
    return _act(
        request,
        pk,
        "assign",
        lambda s, data: services.suggestion_assign(
            user=request.user,
            suggestion=s,
            version=data["version"],
            lead_unit=data["lead_unit"],
            co_units=list(data["co_units"]),
            is_complex=data["is_complex"],
            key_supervision=data["key_supervision"],
            supervising_leader=data["supervising_leader"],
        ),
        _("已交办。"),
    )


@login_required
@require_POST
def suggestion_paper_evaluation_view(request, pk: int):
    return _act(
        request,
        pk,
        "paper_evaluation",
        lambda s, data: services.public_evaluation_paper(
            user=request.user, suggestion=s, result=data["result"], comment=data["comment"]
        ),
        _("已录入纸质测评表。"),
    )


@login_required
@require_POST
def suggestion_close_view(request, pk: int):
    return _act(
        request,
        pk,
        "close",
        lambda s, data: services.suggestion_close(
            user=request.user, suggestion=s, version=data["version"], note=data["note"]
        ),
        _("已办结。"),
    )


@login_required
@require_POST
def extension_decide_view(request, pk: int, ext_pk: int):
    suggestion = _get_managed(request, pk)
    extension = selectors.extension_get(suggestion=suggestion, pk=ext_pk)
    form = ExtensionDecideForm(request.POST, suggestion=suggestion)
    try:
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        services.extension_decide(
            user=request.user,
            extension=extension,
            approve=form.cleaned_data["decision"] == "approve",
            version=form.cleaned_data["version"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审批延期申请。"))
    return redirect("suggestions:detail", pk=suggestion.pk)


def statistics_period_form(request, today) -> StatisticsPeriodForm:
    """The period and congress asked on the statistics page (this year when nothing is)."""
    return StatisticsPeriodForm(
        request.GET or {"year": today.year},
        today=today,
        congresses=selectors.congress_choices(user=request.user),
        term_start=term_start_for(user=request.user),
    )


@login_required
def suggestion_statistics_view(request):
    """建议办理统计 for a year or a date range, in the user's scope."""
    if not can(request.user, "suggestion.statistics"):
        raise PermissionDenied
    today = timezone.localdate()
    form = statistics_period_form(request, today)
    statistics = None
    if form.is_valid():
        statistics = selectors_statistics.suggestion_statistics(
            user=request.user, today=today, **form.filters()
        )
    congress = form.cleaned_data.get("congress") if form.is_valid() else None
    return render(
        request,
        "suggestions/staff/statistics.html",
        {
            "form": form,
            "statistics": statistics,
            "may_report": statistics is not None,
            "report_congress": congress.pk if congress else "",
        },
    )


@login_required
def suggestion_from_motion_view(request, pk: int):
    """The 主席团 decides that a 人代会 motion be treated as a suggestion (转为代表建议): the
    suggestion is created in the session's congress, made during the session, and staff go on to
    register and assign it."""
    motion = motion_get_for_change(user=request.user, pk=pk)
    form = MotionConvertForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.suggestion_from_motion(user=request.user, motion=motion, **data),
        template="suggestions/staff/from_motion.html",
        context={"motion": motion},
        success=_("议案已转为代表建议,请登记交办。"),
        done=lambda suggestion: reverse("suggestions:detail", args=[suggestion.pk]),
    )
