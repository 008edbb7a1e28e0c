"""群众意见: the triage queue, one opinion with its timeline and action forms, and the entry form
for mailbox letters and visit notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can_view_personal_data
from core.actions import run_action
from core.errors import DomainError
from core.masking import mask_name, mask_phone
from core.pagination import paginate
from core.personal import log_personal_access, wants_reveal

from ..forms.opinions import (
    OpinionAnswerForm,
    OpinionCloseForm,
    OpinionEntryForm,
    OpinionForwardForm,
)
from ..selectors import opinions as selectors
from ..selectors.opinions import may_draft_suggestion, opinion_suggestions
from ..services.opinions import (
    opinion_answer,
    opinion_close,
    opinion_create,
    opinion_forward,
    opinion_may_handle,
)


@login_required
def opinion_list(request):
    filterset = selectors.OpinionFilter(
        request.GET, queryset=selectors.opinion_list(user=request.user), request=request
    )
    page = paginate(request, filterset.qs)
    now = timezone.now()
    for opinion in page:
        opinion.age_days = selectors.age_in_days(opinion, now)
    return render(
        request,
        "stations/opinions/opinion_list.html",
        {
            "filter": filterset,
            "page": page,
            "may_enter": selectors.may_enter_opinions(request.user),
        },
    )


def _action_forms(opinion, actions: set[str], bound: dict) -> dict:
    """The unbound action forms the user may use now, or the bound one being corrected."""
    forms = {}
    if "forward" in actions:
        forms["forward_form"] = bound.get("forward") or OpinionForwardForm(
            units=selectors.forward_units(opinion)
        )
    if "answer" in actions:
        forms["answer_form"] = bound.get("answer") or OpinionAnswerForm()
    if "close" in actions:
        forms["close_form"] = bound.get("close") or OpinionCloseForm()
    return forms


def _render_detail(request, opinion, *, bound: dict | None = None):
    actions = selectors.opinion_actions(request.user, opinion)
    # The citizen's name and number in full, for staff with the personal-data permission who
    # ask for them (to call back): logged like a deputy's ID number.
    reveal = request.method == "GET" and wants_reveal(request)
    if reveal:
        log_personal_access(request, [opinion], ["voter_name", "voter_phone"])
    return render(
        request,
        "stations/opinions/opinion_detail.html",
        {
            "opinion": opinion,
            "voter_name": opinion.voter_name if reveal else mask_name(opinion.voter_name),
            "voter_phone": opinion.voter_phone if reveal else mask_phone(opinion.voter_phone),
            "reveal_personal": reveal,
            "may_reveal": bool(opinion.voter_name or opinion.voter_phone)
            and can_view_personal_data(request.user),
            "age_days": selectors.age_in_days(opinion),
            "events": opinion.events.all(),
            "suggestions": opinion_suggestions(request.user, opinion),
            "may_draft_suggestion": may_draft_suggestion(request.user),
            **_action_forms(opinion, actions, bound or {}),
        },
    )


@login_required
def opinion_detail(request, pk: int):
    return _render_detail(request, selectors.opinion_get(user=request.user, pk=pk))


def _act(request, pk: int, action: str, make_form, perform, done: str):
    """The shape of the three actions: fetch in scope (404), check the role (403), validate, call
    the service; a refusal is shown and nothing changes."""
    opinion = selectors.opinion_get(user=request.user, pk=pk)
    if not opinion_may_handle(request.user, opinion, action):
        raise PermissionDenied
    offered = action in selectors.opinion_actions(request.user, opinion)
    return run_action(
        request,
        make_form(opinion, request.POST),
        lambda data: perform(opinion, data),
        success=done,
        done=reverse("stations:opinion_detail", args=[opinion.pk]),
        # A form the page still shows is shown again with its errors; a stale page's is not.
        rerender=(
            (lambda form: _render_detail(request, opinion, bound={action: form}))
            if offered
            else None
        ),
    )


@login_required
@require_POST
def opinion_forward_view(request, pk: int):
    return _act(
        request,
        pk,
        "forward",
        lambda opinion, data: OpinionForwardForm(data, units=selectors.forward_units(opinion)),
        lambda opinion, data: opinion_forward(
            opinion=opinion, user=request.user, unit=data["unit"], note=data["note"]
        ),
        _("已转办。"),
    )


@login_required
@require_POST
def opinion_answer_view(request, pk: int):
    return _act(
        request,
        pk,
        "answer",
        lambda opinion, data: OpinionAnswerForm(data),
        lambda opinion, data: opinion_answer(
            opinion=opinion, user=request.user, answer=data["answer"]
        ),
        _("已答复。"),
    )


@login_required
@require_POST
def opinion_close_view(request, pk: int):
    return _act(
        request,
        pk,
        "close",
        lambda opinion, data: OpinionCloseForm(data),
        lambda opinion, data: opinion_close(opinion=opinion, user=request.user, note=data["note"]),
        _("已办结。"),
    )


@login_required
def opinion_new(request):
    """A letter from the station mailbox or a note from a voter visit, typed in by the station."""
    if not selectors.may_enter_opinions(request.user):
        raise PermissionDenied
    stations = selectors.managed_stations(user=request.user)
    form = OpinionEntryForm(request.POST or None, stations=stations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            opinion = opinion_create(
                user=request.user,
                channel=data["channel"],
                township=data["station"].township,
                station=data["station"],
                category=data["category"],
                content=data["content"],
                voter_name=data["voter_name"],
                voter_phone=data["voter_phone"],
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(
                request,
                _("意见已登记。查询码:%(code)s,请告知反映人凭此码查询办理情况。")
                % {"code": opinion.tracking_code},
            )
            return redirect("stations:opinion_detail", pk=opinion.pk)
    return render(request, "stations/opinions/opinion_form.html", {"form": form})
