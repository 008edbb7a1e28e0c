"""The handling unit's side of suggestions: 交办会 (staff), 改办 (the unit asks, staff decide),
the unit's contact with the lead deputy (沟通), the reply letter (答复函), and the yearly report
on suggestion handling as a Word document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import can, require
from core.crypto import open_sealed_file
from core.docx import CONTENT_TYPE as DOCX_CONTENT_TYPE
from core.errors import DomainError
from core.pagination import paginate

from .. import handling, report, selectors
from ..forms import MeetingAssignForm, MeetingForm, ReassignDecideForm
from ..forms_work import ContactForm, LetterForm, ReassignRequestForm
from .staff import statistics_period_form
from .unit import _unit_suggestion

# 交办会 ----------------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    page = paginate(request, selectors.meeting_list(user=request.user))
    return render(
        request,
        "suggestions/staff/meeting_list.html",
        {"page": page, "may_manage": can(request.user, "suggestion.manage")},
    )


@login_required
def meeting_new(request):
    require(request.user, "suggestion.manage")
    form = MeetingForm(
        request.POST or None, congresses=selectors.congress_choices(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = handling.meeting_create(user=request.user, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("交办会已登记,请在本页交办建议。"))
            return redirect("suggestions:meeting_detail", pk=meeting.pk)
    return render(request, "suggestions/staff/meeting_form.html", {"form": form})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    may_assign = can(request.user, "suggestion.manage", meeting)
    form = None
    if may_assign:
        candidates = selectors.meeting_candidates(user=request.user, meeting=meeting)
        units = selectors.handling_unit_list(user=request.user)
        form = MeetingAssignForm(request.POST or None, candidates=candidates, units=units)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                done = handling.meeting_assign(
                    user=request.user,
                    meeting=meeting,
                    suggestions=list(data["suggestions"]),
                    lead_unit=data["lead_unit"],
                    co_units=list(data["co_units"]),
                    is_complex=data["is_complex"],
                )
            except DomainError as error:
                error.add_to(form)
            else:
                messages.success(request, _("已交办%(n)d件建议。") % {"n": len(done)})
                return redirect("suggestions:meeting_detail", pk=meeting.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "suggestions/staff/meeting_detail.html",
        {
            "meeting": meeting,
            "assigned": selectors.meeting_suggestions(meeting),
            "form": form,
        },
    )


# 改办 ----------------------------------------------------------------------------------------


@login_required
def reassign_request(request, pk: int):
    suggestion = _unit_suggestion(request, pk)
    require(request.user, "suggestion.reassign_request")
    form = ReassignRequestForm(request.POST or None, units=selectors.assignable_units(suggestion))
    if request.method == "POST" and form.is_valid():
        try:
            handling.reassign_request(user=request.user, suggestion=suggestion, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("改办申请已提交,等待常委会工作机构审核。"))
            return redirect("suggestions:unit_workspace")
    assignment = selectors.unit_current_assignment(
        suggestion, unit_id=request.user.handling_unit_id
    )
    return render(
        request,
        "suggestions/unit/reassign_form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "window_end": handling.reassign_window_end(assignment.assigned_on)
            if assignment
            else None,
            "requests": selectors.unit_reassign_requests(
                suggestion, unit_id=request.user.handling_unit_id
            ),
        },
    )


@login_required
def reassign_queue(request):
    require(request.user, "suggestion.reassign_decide")
    pending = selectors.reassign_queue(user=request.user)
    decided = paginate(request, selectors.reassign_queue(user=request.user, pending=False))
    return render(
        request,
        "suggestions/staff/reassign_queue.html",
        {"pending": pending, "page": decided},
    )


@login_required
@require_POST
def reassign_decide(request, pk: int, request_pk: int):
    suggestion = selectors.suggestion_get_for_change(
        user=request.user, pk=pk, action="suggestion.reassign_decide"
    )
    reassign = selectors.reassign_get(suggestion=suggestion, pk=request_pk)
    form = ReassignDecideForm(request.POST, units=selectors.assignable_units(suggestion))
    try:
        if not form.is_valid():
            raise DomainError(" ".join(e for errors in form.errors.values() for e in errors))
        data = form.cleaned_data
        handling.reassign_decide(
            user=request.user,
            request=reassign,
            agree=data["decision"] == "agree",
            version=data["version"],
            new_unit=data["new_unit"],
            reason=data["reason"],
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已审核改办申请。"))
    return redirect("suggestions:detail", pk=suggestion.pk)


# 沟通 and 答复函 -------------------------------------------------------------------------------


@login_required
def contact_add(request, pk: int):
    suggestion = _unit_suggestion(request, pk)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handling.contact_add(user=request.user, suggestion=suggestion, **form.cleaned_data)
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("与代表沟通的情况已登记。"))
            return redirect("suggestions:unit_workspace")
    return render(
        request,
        "suggestions/unit/contact_form.html",
        {
            "form": form,
            "suggestion": suggestion,
            "contacts": selectors.unit_contacts(suggestion),
        },
    )


@login_required
def letter_upload(request, pk: int):
    """Add the signed letter to the unit's reply of the current round."""
    require(request.user, "suggestion.answer")
    reply = selectors.unit_reply_get(user=request.user, pk=pk)
    form = LetterForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            handling.reply_letter_attach(
                user=request.user, reply=reply, letter=form.cleaned_data["letter"]
            )
        except DomainError as error:
            error.add_to(form)
        else:
            messages.success(request, _("答复函已上传。"))
            return redirect("suggestions:unit_workspace")
    return render(
        request,
        "suggestions/unit/letter_form.html",
        {"form": form, "suggestion": reply.suggestion, "reply": reply},
    )


@login_required
def letter_download(request, pk: int, reply_pk: int):
    """The reply letter, for the lead deputy, co-signers, the office and the unit (404 else)."""
    reply = selectors.reply_letter_get(user=request.user, pk=pk, reply_pk=reply_pk)
    response = FileResponse(
        open_sealed_file(reply.letter),
        as_attachment=True,
        filename=reply.letter_name or "答复函.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# 年度代表建议办理情况报告 -----------------------------------------------------------------------


@login_required
def annual_report_docx(request):
    """The report for the period and congress of the statistics page, as a Word document."""
    if not can(request.user, "suggestion.statistics"):
        raise PermissionDenied
    today = timezone.localdate()
    form = statistics_period_form(request, today)
    if not form.is_valid():
        messages.error(request, _("统计期间有误,请重新选择。"))
        return redirect("suggestions:statistics")
    filters = form.filters()
    annual = report.annual_report(
        user=request.user,
        period=form.period(),
        congress_level=filters["congress_level"],
        congress_id=filters["congress_id"],
        today=today,
    )
    response = HttpResponse(report.annual_report_docx(annual), content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{annual.title}.docx"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
