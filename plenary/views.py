"""人代会 pages: the sessions, a session with its sittings and attendance rates and motions, the
roll call of a sitting on a phone, the sign-in sheet import (preview, then save), the motions and
the 主席团's decision (转为代表建议 is the suggestions app's page: suggestions:from_motion)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require, scope_level
from accounts.models import Role
from core.actions import form_page, run_action
from core.errors import DomainError
from core.pagination import paginate

from . import selectors, services
from .forms import (
    DecisionForm,
    LeaveApprovalForm,
    MotionForm,
    SessionForm,
    SignInForm,
    SittingForm,
    roll_statuses,
)
from .models import Congress, Motion
from .signin import read_sign_in

SIGN_IN_KEY = "plenary_sign_in_%d"


@login_required
def session_list(request):
    scope_level(request.user, "plenary_session")
    filterset = selectors.SessionFilter(
        request.GET, queryset=selectors.session_list(user=request.user), request=request
    )
    return render(
        request,
        "plenary/session_list.html",
        {
            "page": paginate(request, filterset.qs),
            "filter": filterset,
            "may_create": can(request.user, "plenary.manage"),
        },
    )


@login_required
def session_new(request):
    require(request.user, "plenary.manage")
    congresses = selectors.session_congresses(user=request.user)
    form = SessionForm(request.POST or None, congresses=congresses)
    return form_page(
        request,
        form,
        lambda data: services.session_create(user=request.user, **data),
        template="plenary/session_form.html",
        context={},
        success=_("会议已登记,应出席代表已按开幕日在任的代表生成。"),
        done=lambda session: session.get_absolute_url(),
    )


def _detail(request, session, status=200, sitting_form=None):
    user = request.user
    may_manage = selectors.may_manage(user=user, session=session)
    # A deputy sees their own attendance; the offices (and committee members) everyone's.
    deputy_id = user.deputy_id if user.scope.role == Role.DEPUTY else None
    office = deputy_id is None
    return render(
        request,
        "plenary/session_detail.html",
        {
            "session": session,
            "may_manage": may_manage,
            "sittings": selectors.session_sittings(session=session),
            "motions": selectors.session_motions(session=session) if office else None,
            "delegates": selectors.delegate_tallies(session=session) if office else None,
            "own": selectors.own_attendance(session=session, deputy_id=deputy_id)
            if deputy_id
            else None,
            "sitting_form": sitting_form or (SittingForm() if may_manage else None),
        },
        status=status,
    )


@login_required
def session_detail(request, pk: int):
    return _detail(request, selectors.session_get(user=request.user, pk=pk))


@login_required
@require_POST
def delegates_refresh(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    try:
        count = services.delegates_refresh(user=request.user, session=session)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("应出席代表已更新,共%(n)d名。") % {"n": count})
    return redirect(session.get_absolute_url())


@login_required
@require_POST
def sitting_new(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    form = SittingForm(request.POST)
    return run_action(
        request,
        form,
        lambda data: services.sitting_add(user=request.user, session=session, **data),
        success=_("场次已添加。"),
        done=session.get_absolute_url(),
        rerender=lambda bad: _detail(request, session, status=400, sitting_form=bad),
    )


# Attendance -----------------------------------------------------------------------------------


@login_required
def roll_call(request, pk: int):
    """The roll call of a sitting on a phone: one row per convened deputy, three large buttons."""
    sitting = selectors.sitting_get_for_change(user=request.user, pk=pk)
    form = LeaveApprovalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                count = services.roll_call(
                    user=request.user,
                    sitting=sitting,
                    statuses=roll_statuses(request.POST),
                    **form.cleaned_data,
                )
            except DomainError as error:
                error.add_to(form)
                status = 400
            else:
                messages.success(request, _("已登记%(n)d名代表的出席情况。") % {"n": count})
                return redirect("plenary:roll_call", pk=sitting.pk)
        else:
            status = 400
    return render(
        request,
        "plenary/roll_call.html",
        {"sitting": sitting, "roll": selectors.sitting_roll(sitting=sitting), "form": form},
        status=status,
    )


@login_required
def sign_in(request, pk: int):
    """Upload the sitting's sign-in sheet: the preview shows each row matched or why not; the
    accepted rows are kept in the user's session until saved with sign_in_confirm."""
    sitting = selectors.sitting_get_for_change(user=request.user, pk=pk)
    form = SignInForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        preview = read_sign_in(
            form.cleaned_data["file"],
            by_name=selectors.delegates_by_name(session=sitting.session),
        )
        if preview.error:
            form.add_error("file", preview.error)
            preview = None
        else:
            approved_on = form.cleaned_data["leave_approved_on"]
            request.session[SIGN_IN_KEY % sitting.pk] = {
                "rows": [
                    {
                        "deputy_id": row.deputy.pk,
                        "status": row.status,
                        "reason": row.reason,
                        "approver": row.approver or form.cleaned_data["leave_approved_by"],
                    }
                    for row in preview.accepted
                    if row.deputy is not None
                ],
                "approved_on": approved_on.isoformat() if approved_on else "",
                "mark_missing_absent": form.cleaned_data["mark_missing_absent"],
            }
    return render(
        request,
        "plenary/sign_in.html",
        {"sitting": sitting, "form": form, "preview": preview},
        status=400 if request.method == "POST" and preview is None else 200,
    )


@login_required
@require_POST
def sign_in_confirm(request, pk: int):
    sitting = selectors.sitting_get_for_change(user=request.user, pk=pk)
    pending = request.session.get(SIGN_IN_KEY % sitting.pk)
    if not pending:
        messages.error(request, _("没有待保存的签到表,请重新上传。"))
        return redirect("plenary:sign_in", pk=sitting.pk)
    approved_on = (
        datetime.date.fromisoformat(pending["approved_on"]) if pending["approved_on"] else None
    )
    entries = [
        services.Entry(
            deputy_id=row["deputy_id"],
            status=row["status"],
            leave_reason=row["reason"],
            leave_approved_by=row["approver"],
            leave_approved_on=approved_on if row["approver"] else None,
        )
        for row in pending["rows"]
    ]
    try:
        count = services.sign_in_save(
            user=request.user,
            sitting=sitting,
            entries=entries,
            mark_missing_absent=pending["mark_missing_absent"],
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("plenary:sign_in", pk=sitting.pk)
    del request.session[SIGN_IN_KEY % sitting.pk]
    messages.success(request, _("签到表已导入,登记%(n)d名代表的出席情况。") % {"n": count})
    return redirect(sitting.session.get_absolute_url())


# Motions --------------------------------------------------------------------------------------


@login_required
def motion_list(request):
    scope_level(request.user, "motion")
    filterset = selectors.MotionFilter(
        request.GET, queryset=selectors.motion_list(user=request.user), request=request
    )
    return render(
        request,
        "plenary/motion_list.html",
        {"page": paginate(request, filterset.qs), "filter": filterset},
    )


def _motion_form(session, data=None):
    return MotionForm(
        data,
        deputies=selectors.session_deputies(session=session),
        delegations=selectors.session_delegations(session=session),
        county_level=session.congress_level == Congress.COUNTY,
        initial={"submitted_on": min(timezone.localdate(), session.closes_on)},
    )


@login_required
def motion_new(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    form = _motion_form(session, request.POST or None)
    return form_page(
        request,
        form,
        lambda data: services.motion_create(user=request.user, session=session, **data),
        template="plenary/motion_form.html",
        context={"session": session},
        success=_("议案已登记,待主席团决定。"),
        done=lambda motion: motion.get_absolute_url(),
    )


def _motion_page(request, motion, status=200, decision_form=None):
    may_decide = (
        can(request.user, "plenary.manage", motion) and motion.decision == Motion.Decision.PENDING
    )
    today = timezone.localdate()
    return render(
        request,
        "plenary/motion_detail.html",
        {
            "motion": motion,
            "signers": selectors.motion_signers(motion=motion),
            "suggestion_id": getattr(getattr(motion, "suggestion", None), "pk", None)
            if motion.decision == Motion.Decision.SUGGESTION
            else None,
            "decision_form": decision_form
            or (DecisionForm(initial={"decided_on": today}) if may_decide else None),
        },
        status=status,
    )


@login_required
def motion_detail(request, pk: int):
    return _motion_page(request, selectors.motion_get(user=request.user, pk=pk))


@login_required
@require_POST
def motion_decide(request, pk: int):
    motion = selectors.motion_get_for_change(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    return run_action(
        request,
        form,
        lambda data: services.motion_decide(user=request.user, motion=motion, **data),
        success=_("主席团的决定已登记。"),
        done=motion.get_absolute_url(),
        rerender=lambda bad: _motion_page(request, motion, status=400, decision_form=bad),
    )
