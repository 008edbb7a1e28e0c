"""The handling unit's side of a suggestion, beside the lifecycle in services.py: the 交办会 at
which suggestions are assigned in a batch, 改办 (a unit asks, within a few working days of
assignment, that a suggestion go to another unit; staff decide), the unit's contact with the
lead deputy before answering (见面 / 电话沟通), and the signed reply letter (答复函) added after the
reply."""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from accounts.models import Role
from accounts.models import User as UserModel
from core.errors import DomainError
from core.notifications import notify
from core.workdays import add_workdays
from directory.models import HandlingUnit, Region

from . import selectors, services
from .models import (
    Assignment,
    AssignmentMeeting,
    DeadlineExtension,
    ReassignRequest,
    Reply,
    Suggestion,
    UnitContact,
)

if TYPE_CHECKING:
    from accounts.models import User

S = Suggestion.Status


# 交办会 ----------------------------------------------------------------------------------------


def meeting_create(
    *,
    user: "User",
    congress: Region,
    date: datetime.date,
    place: str,
    chaired_by: str,
    notes: str = "",
) -> AssignmentMeeting:
    """Record a 交办会 of the county's congress or a township's."""
    county_id: int | None
    if congress.level == Region.Level.COUNTY:
        congress_level, county_id = Suggestion.Congress.COUNTY, congress.pk
    else:
        congress_level, county_id = Suggestion.Congress.TOWNSHIP, congress.county_id
    if county_id is None:
        raise DomainError(_("请选择县或乡镇的人大。"), field="congress")
    meeting = AssignmentMeeting(
        county_id=county_id,
        congress_level=congress_level,
        congress=congress,
        date=date,
        place=place.strip(),
        chaired_by=chaired_by.strip(),
        notes=notes.strip(),
        created_by=user,
    )
    if not can(user, "suggestion.manage", meeting):
        raise DomainError(_("只有该级人大的工作人员可以登记交办会。"))
    if date > timezone.localdate():
        raise DomainError(_("交办会日期不能晚于今天。"), field="date")
    if not meeting.place or not meeting.chaired_by:
        raise DomainError(_("请填写交办会的地点和主持人。"), field="place")
    meeting.save()
    return meeting


def meeting_assign(
    *,
    user: "User",
    meeting: AssignmentMeeting,
    suggestions: list[Suggestion],
    lead_unit: HandlingUnit,
    co_units=(),
    is_complex: bool = False,
) -> list[Suggestion]:
    """Assign a batch of registered suggestions at the meeting, each through suggestion_assign
    (its own rules), all or none: one refusal names the suggestion and nothing is saved."""
    if not can(user, "suggestion.manage", meeting):
        raise DomainError(_("只有该级人大的工作人员可以在交办会上交办建议。"))
    if not suggestions:
        raise DomainError(_("请选择要交办的建议。"), field="suggestions")
    done = []
    with transaction.atomic():
        for suggestion in suggestions:
            if suggestion.congress_id != meeting.congress_id:
                raise DomainError(
                    _("建议“%(title)s”不属于本次交办会的人大。") % {"title": suggestion.title},
                    field="suggestions",
                )
            try:
                done.append(
                    services.suggestion_assign(
                        user=user,
                        suggestion=suggestion,
                        version=suggestion.version,
                        lead_unit=lead_unit,
                        co_units=co_units,
                        is_complex=is_complex,
                        assigned_on=meeting.date,
                        meeting=meeting,
                    )
                )
            except DomainError as error:
                raise DomainError(
                    _("建议“%(title)s”:%(message)s")
                    % {"title": suggestion.title, "message": error.message},
                    field="suggestions",
                ) from None
    return done


# 改办 ----------------------------------------------------------------------------------------


def reassign_window_end(assigned_on: datetime.date) -> datetime.date:
    """The last day a unit may ask for 改办: N working days after assignment."""
    return add_workdays(assigned_on, settings.SUGGESTION_REASSIGN_WINDOW_WORKDAYS).date


def _lead_assignment(user: "User", suggestion: Suggestion) -> Assignment:
    if not can(user, "suggestion.reassign_request"):
        raise DomainError(_("只有主办单位可以申请改办。"))
    assignment = (
        suggestion.assignments.filter(
            unit_id=user.handling_unit_id, round=suggestion.round, role=Assignment.Role.LEAD
        )
        .select_related("unit")
        .first()
    )
    if assignment is None:
        raise DomainError(_("只有本轮的主办单位可以申请改办。"))
    return assignment


def reassign_request(
    *,
    user: "User",
    suggestion: Suggestion,
    reason: str,
    suggested_unit: HandlingUnit | None = None,
    today: datetime.date | None = None,
) -> ReassignRequest:
    """The lead unit asks, within the window, that the suggestion go to another unit."""
    assignment = _lead_assignment(user, suggestion)
    today = today or timezone.localdate()
    if suggestion.status not in (S.ASSIGNED, S.IN_HANDLING):
        raise DomainError(
            _("建议当前为“%(status)s”,不能申请改办。") % {"status": suggestion.get_status_display()}
        )
    last_day = reassign_window_end(assignment.assigned_on)
    if today > last_day:
        raise DomainError(
            _(
                "改办申请应在交办后%(days)d个工作日内提出(本件截至%(date)s),"
                "已超过期限,请按期办理或申请延期。"
            )
            % {
                "days": settings.SUGGESTION_REASSIGN_WINDOW_WORKDAYS,
                "date": f"{last_day:%Y-%m-%d}",
            }
        )
    if not reason.strip():
        raise DomainError(_("请说明申请改办的理由。"), field="reason")
    if suggested_unit is not None:
        if suggested_unit.pk == assignment.unit_id:
            raise DomainError(_("建议改由的单位不能是本单位。"), field="suggested_unit")
        if not selectors.assignable_units(suggestion).filter(pk=suggested_unit.pk).exists():
            raise DomainError(_("建议改由的单位不是本级的承办单位。"), field="suggested_unit")
    try:
        with transaction.atomic():
            request = ReassignRequest.objects.create(
                suggestion=suggestion,
                round=suggestion.round,
                unit=assignment.unit,
                suggested_unit=suggested_unit,
                reason=reason.strip(),
                requested_by=user,
            )
            services.record_event(
                suggestion,
                user=user,
                note=_("%(unit)s申请改办:%(reason)s")
                % {"unit": assignment.unit.name, "reason": reason.strip()},
            )
    except IntegrityError:
        raise DomainError(_("本件已有待审核的改办申请。")) from None
    return request


def _notify_unit(unit_id: int, *, request: ReassignRequest, title: str, body: str) -> None:
    users = UserModel.objects.filter(
        role=Role.HANDLING_UNIT, handling_unit_id=unit_id, is_active=True
    )
    for recipient in users:
        notify(
            recipient=recipient,
            kind="suggestion_reassign",
            title=title,
            body=body,
            link=reverse("suggestions:unit_workspace"),
            dedupe_key=f"suggestion_reassign:{request.pk}:{unit_id}:{recipient.pk}",
        )


def reassign_decide(
    *,
    user: "User",
    request: ReassignRequest,
    agree: bool,
    version: int,
    new_unit: HandlingUnit | None = None,
    reason: str = "",
) -> ReassignRequest:
    """同意: the lead assignment of the round goes to ``new_unit`` (or the one the unit named),
    with a new deadline from today; 不同意: with a reason, the unit keeps it. The unit is told."""
    suggestion = request.suggestion
    if not can(user, "suggestion.reassign_decide", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以审核改办申请。"))
    if request.status != ReassignRequest.Status.PENDING:
        raise DomainError(_("该改办申请已经审核过了。"))
    title_args = {"title": suggestion.title}
    if not agree:
        if not reason.strip():
            raise DomainError(_("不同意改办时请说明理由。"), field="reason")
        with transaction.atomic():
            _close(request, user=user, status=ReassignRequest.Status.REFUSED, reason=reason)
            services.record_event(
                suggestion,
                user=user,
                note=_("不同意改办,仍由%(unit)s办理:%(reason)s")
                % {"unit": request.unit.name, "reason": reason.strip()},
            )
            _notify_unit(
                request.unit_id,
                request=request,
                title=_("建议“%(title)s”的改办申请未获同意") % title_args,
                body=_("理由:%(reason)s。请按期办理。") % {"reason": reason.strip()},
            )
        return request
    new_unit = new_unit or request.suggested_unit
    if new_unit is None:
        raise DomainError(_("同意改办时请选择改由哪个单位主办。"), field="new_unit")
    if new_unit.pk == request.unit_id:
        raise DomainError(_("改由的单位不能是申请改办的单位。"), field="new_unit")
    if not selectors.assignable_units(suggestion).filter(pk=new_unit.pk).exists():
        raise DomainError(_("只能改由本级的承办单位主办。"), field="new_unit")
    today = timezone.localdate()
    deadline = services.deadline_for(
        today, is_complex=suggestion.is_complex, rehandling=suggestion.round > 1
    )
    with transaction.atomic():
        _close(
            request,
            user=user,
            status=ReassignRequest.Status.AGREED,
            reason=reason,
            new_unit=new_unit,
        )
        updated = services.transition(
            suggestion,
            user=user,
            action="reassign",
            version=version,
            note=_("同意改办:由%(old)s改由%(new)s主办,期限 %(deadline)s")
            % {"old": request.unit.name, "new": new_unit.name, "deadline": deadline.isoformat()},
            assigned_on=today,
            deadline=deadline,
            original_deadline=deadline,
        )
        round_assignments = Assignment.objects.filter(suggestion=suggestion, round=updated.round)
        round_assignments.filter(unit=new_unit, role=Assignment.Role.CO).delete()
        round_assignments.filter(role=Assignment.Role.LEAD).update(
            unit=new_unit, assigned_on=today, deadline=deadline, meeting=None
        )
        round_assignments.update(deadline=deadline)
        DeadlineExtension.objects.filter(
            suggestion=suggestion, status=DeadlineExtension.Status.PENDING
        ).update(status=DeadlineExtension.Status.CLOSED, decided_at=timezone.now())
        _notify_unit(
            request.unit_id,
            request=request,
            title=_("建议“%(title)s”已同意改办") % title_args,
            body=_("已改由%(unit)s主办。") % {"unit": new_unit.name},
        )
        _notify_unit(
            new_unit.pk,
            request=request,
            title=_("建议“%(title)s”改由本单位主办") % title_args,
            body=_("办理期限 %(deadline)s。") % {"deadline": deadline.isoformat()},
        )
    return request


def _close(request: ReassignRequest, *, user: "User", status: str, reason: str, new_unit=None):
    updated = ReassignRequest.objects.filter(
        pk=request.pk, status=ReassignRequest.Status.PENDING
    ).update(
        status=status,
        decision_reason=reason.strip(),
        new_unit=new_unit,
        decided_by=user,
        decided_at=timezone.now(),
    )
    if not updated:
        raise DomainError(_("该改办申请已经审核过了。"))
    request.refresh_from_db()


# 沟通 and 答复函 -------------------------------------------------------------------------------


def contact_add(
    *,
    user: "User",
    suggestion: Suggestion,
    kind: str,
    date: datetime.date,
    participants: str,
    summary: str,
) -> UnitContact:
    """The unit met or phoned the lead deputy about the suggestion before answering."""
    assignment = services.unit_assignment(user, suggestion)
    if assignment is None:
        raise DomainError(_("只有本轮承办单位可以登记与代表沟通的情况。"))
    if suggestion.status not in (S.ASSIGNED, S.IN_HANDLING):
        raise DomainError(
            _("建议当前为“%(status)s”,不在办理中。") % {"status": suggestion.get_status_display()}
        )
    if kind not in UnitContact.Kind.values:
        raise DomainError(_("请选择沟通方式(见面或电话沟通)。"), field="kind")
    if date > timezone.localdate():
        raise DomainError(_("沟通日期不能晚于今天。"), field="date")
    if suggestion.assigned_on and date < suggestion.assigned_on:
        raise DomainError(_("沟通日期不能早于交办日期。"), field="date")
    if not participants.strip() or not summary.strip():
        raise DomainError(_("请填写参加人员和沟通情况。"), field="summary")
    return UnitContact.objects.create(
        suggestion=suggestion,
        unit=assignment.unit,
        round=suggestion.round,
        kind=kind,
        date=date,
        participants=participants.strip(),
        summary=summary.strip(),
        recorded_by=user,
    )


def reply_letter_attach(*, user: "User", reply: Reply, letter: Any) -> Reply:
    """Add (or replace) the signed letter of a reply the user's unit gave."""
    if not can(user, "suggestion.answer") or user.handling_unit_id != reply.unit_id:
        raise DomainError(_("只有答复的承办单位可以上传答复函。"))
    if not letter:
        raise DomainError(_("请选择答复函PDF文件。"), field="letter")
    services.check_reply_letter(letter)
    with transaction.atomic():
        services.store_reply_letter(reply, letter)
    return reply
