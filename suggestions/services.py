"""The suggestion lifecycle (代表建议办理), in one place.

    draft → submitted → registered → assigned → in_handling → replied → evaluated → closed
                      ↘ not_registered / converted            ↖ (unsatisfied: handled again) ┘

Every write names the version of the suggestion it read (two people editing at once: the second
gets a conflict message and nothing is lost), checks the transition against TRANSITIONS (rules.py) and the
actor's role, and records who, when and a note in the timeline."""

import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can
from accounts.models import Role
from core.crypto import SealedContent
from core.errors import DomainError
from core.notifications import notify
from core.uploads import UploadRejected, check_pdf
from core.workdays import add_months
from deputies.models import DutyRecord, SuggestionGrade
from deputies.services import duty_records_grade, duty_records_grade_many, duty_records_sync
from directory.models import Deputy, HandlingUnit, Region
from plenary.models import Motion
from plenary.services import motion_mark_converted
from stations.models import Opinion, OpinionCategory
from stations.services.opinions import opinion_create

from . import selectors
from .models import (
    Assignment,
    AssignmentMeeting,
    DeadlineExtension,
    Evaluation,
    EvaluationCode,
    ProgressReport,
    PublicMeeting,
    Reply,
    ReplyCategory,
    Suggestion,
    SuggestionEvent,
)
from .rules import TRANSITIONS

if TYPE_CHECKING:
    from accounts.models import User

S = Suggestion.Status
ACTION_LABELS = {
    "submit": gettext_lazy("提交"),
    "register": gettext_lazy("登记"),
    "not_register": gettext_lazy("不作为代表建议处理(转为参考意见)"),
    "convert": gettext_lazy("不作为代表建议处理(转为群众意见)"),
    "assign": gettext_lazy("交办"),
    "accept": gettext_lazy("开始办理"),
    "reassign": gettext_lazy("改办"),
    "reply": gettext_lazy("答复"),
    "evaluate": gettext_lazy("测评"),
    "rehandle": gettext_lazy("重新办理"),
    "close": gettext_lazy("办结"),
}


def _is_lead_deputy(user: "User", suggestion: Suggestion) -> bool:
    return user.scope.role == Role.DEPUTY and user.deputy_id == suggestion.lead_deputy_id


def _unit_assignment(user: "User", suggestion: Suggestion) -> Assignment | None:
    if not can(user, "suggestion.answer"):
        return None
    return suggestion.assignments.filter(
        unit_id=user.handling_unit_id, round=suggestion.round
    ).first()


def _transition(
    suggestion: Suggestion, *, user: "User", action: str, version: int, note: str = "", **changes
) -> Suggestion:
    """Move ``suggestion`` by ``action`` if its status allows and nobody changed it since
    ``version``; apply ``changes`` and record the event, in the caller's transaction."""
    allowed_from, target = TRANSITIONS[action]
    current = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if current.version != version:
        raise DomainError(_("这条建议刚被其他人修改过,请刷新页面后再操作(您的修改没有保存)。"))
    if current.status not in allowed_from:
        raise DomainError(
            _("建议当前为“%(status)s”,不能%(action)s。")
            % {"status": current.get_status_display(), "action": ACTION_LABELS[action]}
        )
    from_status = current.status
    Suggestion.objects.filter(pk=current.pk).update(
        status=target, version=F("version") + 1, **changes
    )
    current.refresh_from_db()
    grade_duty_records(current)
    SuggestionEvent.objects.create(
        suggestion=current,
        actor=user,
        from_status=from_status,
        to_status=target,
        round=current.round,
        note=note,
    )
    return current


# For the unit side (handling.py): the same transition, the unit's assignment, a plain event.
transition = _transition


def unit_assignment(user: "User", suggestion: Suggestion) -> Assignment | None:
    return _unit_assignment(user, suggestion)


def record_event(suggestion: Suggestion, *, user: "User", note: str) -> SuggestionEvent:
    """A timeline entry that does not move the suggestion (a request, a decision)."""
    return SuggestionEvent.objects.create(
        suggestion=suggestion,
        actor=user,
        from_status=suggestion.status,
        to_status=suggestion.status,
        round=suggestion.round,
        note=note,
    )


def suggestion_grade(suggestion: Suggestion) -> str:
    """How far the suggestion went, for the quality factor of its duty records (scoring)."""
    status = suggestion.status
    if status in (S.NOT_REGISTERED, S.CONVERTED):
        return SuggestionGrade.NOT_REGISTERED
    if status in (S.DRAFT, S.SUBMITTED):
        return SuggestionGrade.SUBMITTED
    if status in (S.EVALUATED, S.CLOSED):  # a positive deputy evaluation got it here
        solved = suggestion.replies.filter(
            round=suggestion.round, category__counts_as_solved=True
        ).exists()
        return SuggestionGrade.SOLVED if solved else SuggestionGrade.SATISFIED
    return SuggestionGrade.REGISTERED


def grade_duty_records(suggestion: Suggestion) -> None:
    duty_records_grade(
        source=suggestion, kind=DutyRecord.Kind.SUGGESTION, grade=suggestion_grade(suggestion)
    )


def grade_all_duty_records(suggestions) -> None:
    """grade_duty_records for many suggestions at once (a handful of UPDATEs): for data written
    in bulk, such as the demo."""
    solved = Reply.objects.filter(
        suggestion_id=OuterRef("pk"), round=OuterRef("round"), category__counts_as_solved=True
    )
    done = suggestions.filter(status__in=(S.EVALUATED, S.CLOSED))
    groups: dict[str, QuerySet] = {
        SuggestionGrade.NOT_REGISTERED: suggestions.filter(
            status__in=(S.NOT_REGISTERED, S.CONVERTED)
        ),
        SuggestionGrade.SUBMITTED: suggestions.filter(status__in=(S.DRAFT, S.SUBMITTED)),
        SuggestionGrade.REGISTERED: suggestions.filter(
            status__in=(S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED)
        ),
        SuggestionGrade.SOLVED: done.filter(Exists(solved)),
        SuggestionGrade.SATISFIED: done.exclude(Exists(solved)),
    }
    duty_records_grade_many(
        model=Suggestion, kind=DutyRecord.Kind.SUGGESTION, sources_by_grade=groups
    )


# Before handling -----------------------------------------------------------------------------


def _lead_congress(lead_deputy: Deputy, level: str) -> int:
    """The region whose congress a suggestion led by ``lead_deputy`` at ``level`` belongs to:
    the county, or the township where the township deputy is stationed."""
    if level not in Suggestion.Congress.values:
        raise DomainError(_("请选择建议所属的人大(县级或乡镇)。"), field="congress_level")
    if level not in selectors.deputy_levels(lead_deputy):
        raise DomainError(
            _("%(name)s 不是%(congress)s代表,不能领衔提出该级人大的代表建议。")
            % {"name": lead_deputy.name, "congress": Suggestion.Congress(level).label},
            field="lead_deputy",
        )
    if level == Suggestion.Congress.COUNTY:
        return lead_deputy.county_id
    township_id = lead_deputy.station.township_id if lead_deputy.station else None
    if township_id is None:
        raise DomainError(
            _("%(name)s 尚未进驻家站,无法确定其所属的乡镇人大。") % {"name": lead_deputy.name},
            field="lead_deputy",
        )
    return township_id


def _check_co_signers(co_signers: list[Deputy], *, level: str, county_id: int, congress_id: int):
    """联名代表 come from the lead deputy's congress."""
    if not co_signers:
        return
    members = set(
        selectors.congress_deputies(
            level=level,
            county_id=county_id,
            township_id=congress_id if level == Suggestion.Congress.TOWNSHIP else None,
        )
        .filter(pk__in=[d.pk for d in co_signers])
        .values_list("pk", flat=True)
    )
    outsiders = [d.name for d in co_signers if d.pk not in members]
    if outsiders:
        raise DomainError(
            _("联名代表须是同一人大的代表:%(names)s 不是本%(congress)s的代表。")
            % {"names": "、".join(outsiders), "congress": Suggestion.Congress(level).label},
            field="co_signers",
        )


def suggestion_create(
    *,
    user: "User",
    lead_deputy: Deputy,
    title: str,
    content: str,
    category: str,
    co_signers=(),
    opinions=(),
    congress_level: str = Suggestion.Congress.COUNTY,
) -> Suggestion:
    """A draft of the ``congress_level`` congress: the lead deputy holds a mandate there, the
    联名代表 are deputies of the same congress."""
    congress_id = _lead_congress(lead_deputy, congress_level)
    draft = Suggestion(
        lead_deputy=lead_deputy,
        county_id=lead_deputy.county_id,
        congress_level=congress_level,
        congress_id=congress_id,
    )
    if not can(user, "suggestion.draft", draft):
        raise DomainError(_("只能以本人名义起草建议,或由该级人大的工作人员代为录入。"))
    if not title.strip() or not content.strip():
        raise DomainError(_("请填写建议的标题和内容。"))
    co_signers = [d for d in co_signers if d.pk != lead_deputy.pk]
    _check_co_signers(
        co_signers,
        level=congress_level,
        county_id=lead_deputy.county_id,
        congress_id=congress_id,
    )
    with transaction.atomic():
        suggestion = Suggestion.objects.create(
            title=title.strip(),
            content=content.strip(),
            category=category,
            county_id=lead_deputy.county_id,
            congress_level=congress_level,
            congress_id=congress_id,
            lead_deputy=lead_deputy,
            created_by=user,
        )
        suggestion.co_signers.set(co_signers)
        suggestion.from_opinions.set(opinions)
        SuggestionEvent.objects.create(
            suggestion=suggestion, actor=user, to_status=S.DRAFT, round=1, note=_("起草")
        )
    return suggestion


def suggestion_from_motion(
    *,
    user: "User",
    motion: Motion,
    category: str,
    decided_on: datetime.date,
    reason: str = "",
) -> Suggestion:
    """转为代表建议: the 主席团 decides to treat a motion as a suggestion. The suggestion belongs to
    the session's congress and names the session (made during it), led by the motion's lead
    deputy with its other signers as co-signers, and is submitted at once (its timeline: drafted
    from the motion, submitted); staff then register and assign it as any other."""
    session = motion.session
    if category not in OpinionCategory.values:
        raise DomainError(_("请选择建议的类别。"), field="category")
    with transaction.atomic():
        motion_mark_converted(user=user, motion=motion, decided_on=decided_on, reason=reason)
        suggestion = Suggestion.objects.create(
            title=motion.title,
            content=motion.content,
            category=category,
            county_id=session.county_id,
            congress_level=session.congress_level,
            congress_id=session.congress_id,
            session=session,
            from_motion=motion,
            lead_deputy=motion.lead_deputy,
            created_by=user,
        )
        co_signers = list(motion.signers.exclude(pk=motion.lead_deputy_id))
        suggestion.co_signers.set(co_signers)
        SuggestionEvent.objects.create(
            suggestion=suggestion,
            actor=user,
            to_status=S.DRAFT,
            round=1,
            note=_("由第%(n)d号议案转来") % {"n": motion.number},
        )
        suggestion = _transition(
            suggestion,
            user=user,
            action="submit",
            version=suggestion.version,
            note=_("主席团决定将第%(n)d号议案转为代表建议") % {"n": motion.number},
            submitted_at=timezone.now(),
        )
        duty_records_sync(
            source=suggestion,
            kind=DutyRecord.Kind.SUGGESTION,
            deputies=[motion.lead_deputy, *co_signers],
            occurred_on=decided_on,
            title=_("提出建议:%(title)s") % {"title": suggestion.title},
        )
        grade_duty_records(suggestion)
    return suggestion


def public_meeting_add(
    *,
    user: "User",
    suggestion: Suggestion,
    date: datetime.date,
    place: str,
    people_met: int,
    summary: str,
) -> PublicMeeting:
    """三见面之一: the deputy met the public before writing."""
    if not can(user, "suggestion.draft", suggestion):
        raise DomainError(_("只有领衔代表或工作人员可以登记与群众见面的情况。"))
    if date > timezone.localdate():
        raise DomainError(_("见面日期不能晚于今天。"), field="date")
    if people_met < 1:
        raise DomainError(_("请填写见面的群众人数。"), field="people_met")
    with transaction.atomic():
        meeting = PublicMeeting.objects.create(
            suggestion=suggestion, date=date, place=place, people_met=people_met, summary=summary
        )
        duty_records_sync(
            source=meeting,
            kind=DutyRecord.Kind.SUGGESTION_MEETING,
            deputies=[suggestion.lead_deputy],
            occurred_on=date,
            title=_("就建议“%(title)s”与群众见面") % {"title": suggestion.title},
        )
    return meeting


def suggestion_submit(*, user: "User", suggestion: Suggestion, version: int) -> Suggestion:
    if not can(user, "suggestion.draft", suggestion):
        raise DomainError(_("只有领衔代表可以提交建议。"))
    note = ""
    if not suggestion.public_meetings.exists():
        if settings.SUGGESTION_PUBLIC_MEETING_RULE == "refuse":
            raise DomainError(_("提交前请先登记与群众见面的情况(三见面之一)。"))
        note = _("未登记与群众见面的情况")
    with transaction.atomic():
        suggestion = _transition(
            suggestion,
            user=user,
            action="submit",
            version=version,
            note=note,
            submitted_at=timezone.now(),
        )
        deputies = [suggestion.lead_deputy, *suggestion.co_signers.all()]
        duty_records_sync(
            source=suggestion,
            kind=DutyRecord.Kind.SUGGESTION,
            deputies=deputies,
            occurred_on=timezone.localdate(),
            title=_("提出建议:%(title)s") % {"title": suggestion.title},
        )
        grade_duty_records(suggestion)
    return suggestion


def _next_number(suggestion: Suggestion) -> str:
    """The congress's next number of the year (a township congress numbers its own). The
    congress's region row is locked first, so two staff registering at the same moment are
    numbered one after the other (the unique constraint on congress and number is the
    backstop)."""
    Region.objects.select_for_update().filter(pk=suggestion.congress_id).first()
    # Numbered by the year it was submitted in: a session's suggestions share the year.
    submitted = suggestion.submitted_at or timezone.now()
    year = timezone.localtime(submitted).year
    prefix = f"{year}-"
    taken = Suggestion.objects.filter(
        congress_id=suggestion.congress_id, number__startswith=prefix
    ).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in taken if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:03d}"


def suggestion_register(*, user: "User", suggestion: Suggestion, version: int) -> Suggestion:
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以登记建议。"))
    with transaction.atomic():
        return _transition(
            suggestion,
            user=user,
            action="register",
            version=version,
            note=_("登记"),
            number=_next_number(suggestion),
        )


def _notify_not_registered(suggestion: Suggestion, *, how: str, reason: str) -> None:
    """Tell the lead deputy that the submission is not handled as a suggestion, and how."""
    user = getattr(suggestion.lead_deputy, "user", None)
    if user is None or not user.is_active:
        return
    notify(
        recipient=user,
        kind="suggestion_not_registered",
        title=_("建议“%(title)s”不作为代表建议处理") % {"title": suggestion.title},
        body=_("处理方式:%(how)s。理由:%(reason)s") % {"how": how, "reason": reason},
        link=reverse("suggestions:detail", args=[suggestion.pk]),
        dedupe_key=f"suggestion_not_registered:{suggestion.pk}",
    )


def suggestion_not_register(
    *, user: "User", suggestion: Suggestion, version: int, reason: str
) -> Suggestion:
    """不作为代表建议处理, kept as an opinion for reference (转为参考意见): it is not numbered or
    assigned, the office keeps it for the bodies concerned to consult, and the lead deputy is
    told why."""
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以作不作为代表建议处理的决定。"))
    if not reason.strip():
        raise DomainError(_("请说明不作为代表建议处理的理由。"), field="reason")
    with transaction.atomic():
        suggestion = _transition(
            suggestion,
            user=user,
            action="not_register",
            version=version,
            note=_("不作为代表建议处理,转为参考意见:%(reason)s") % {"reason": reason.strip()},
            not_registered_reason=reason.strip(),
        )
        _notify_not_registered(suggestion, how=str(_("转为参考意见")), reason=reason.strip())
    return suggestion


def suggestion_convert_to_opinion(
    *, user: "User", suggestion: Suggestion, version: int, reason: str
) -> Opinion:
    """不作为代表建议处理, passed on as the public's opinion (转为群众意见): an opinion at the lead
    deputy's station, in the triage queue there, linked from the suggestion."""
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以作不作为代表建议处理的决定。"))
    if not reason.strip():
        raise DomainError(_("请说明不作为代表建议处理的理由。"), field="reason")
    if suggestion.lead_deputy.station is None:
        raise DomainError(_("领衔代表尚未进驻家站,请先为其安排进驻家站。"))
    with transaction.atomic():
        suggestion = _transition(
            suggestion,
            user=user,
            action="convert",
            version=version,
            note=_("不作为代表建议处理,转为群众意见:%(reason)s") % {"reason": reason.strip()},
            not_registered_reason=reason.strip(),
        )
        station = suggestion.lead_deputy.station
        assert station is not None  # checked above
        opinion = opinion_create(
            user=user,
            channel=Opinion.Channel.VISIT,
            township=station.township,
            station=station,
            category=suggestion.category,
            content=f"{suggestion.title}\n{suggestion.content}",
        )
        Suggestion.objects.filter(pk=suggestion.pk).update(converted_opinion=opinion)
        _notify_not_registered(suggestion, how=str(_("转为群众意见")), reason=reason.strip())
    return opinion


# Handling ------------------------------------------------------------------------------------


def deadline_for(
    assigned_on: datetime.date, *, is_complex: bool, rehandling: bool = False
) -> datetime.date:
    """The handling deadline: 3 months from assignment, 6 for a complex suggestion; a second
    answer after an unsatisfied evaluation has its own, shorter period (1 month by default)."""
    if rehandling:
        months = settings.SUGGESTION_REHANDLE_DEADLINE_MONTHS
    elif is_complex:
        months = settings.SUGGESTION_COMPLEX_DEADLINE_MONTHS
    else:
        months = settings.SUGGESTION_DEADLINE_MONTHS
    return add_months(assigned_on, months)


def suggestion_assign(
    *,
    user: "User",
    suggestion: Suggestion,
    version: int,
    lead_unit: HandlingUnit,
    co_units=(),
    is_complex: bool = False,
    key_supervision: bool = False,
    supervising_leader=None,
    assigned_on: datetime.date | None = None,
    meeting: AssignmentMeeting | None = None,
) -> Suggestion:
    """Hand the suggestion to its units; at a 交办会 when ``meeting`` is given (the assignments
    link to it)."""
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以交办。"))
    units = [lead_unit, *co_units]
    allowed = set(
        selectors.assignable_units(suggestion)
        .filter(pk__in=[unit.pk for unit in units])
        .values_list("pk", flat=True)
    )
    if any(unit.pk not in allowed for unit in units):
        if suggestion.congress_level == Suggestion.Congress.TOWNSHIP:
            raise DomainError(
                _("乡镇人大代表建议只能交本乡镇人民政府及其所属单位办理。"), field="lead_unit"
            )
        raise DomainError(_("只能交给本县的承办单位。"), field="lead_unit")
    if lead_unit in co_units:
        raise DomainError(_("主办单位不能同时是协办单位。"), field="co_units")
    if key_supervision and supervising_leader is None:
        raise DomainError(_("重点督办须指定督办领导。"), field="supervising_leader")
    assigned_on = assigned_on or timezone.localdate()
    deadline = deadline_for(assigned_on, is_complex=is_complex)
    with transaction.atomic():
        suggestion = _transition(
            suggestion,
            user=user,
            action="assign",
            version=version,
            note=_("交%(unit)s主办,期限 %(deadline)s")
            % {"unit": lead_unit.name, "deadline": deadline.isoformat()},
            is_complex=is_complex,
            key_supervision=key_supervision,
            supervising_leader=supervising_leader,
            assigned_on=assigned_on,
            deadline=deadline,
            original_deadline=deadline,
        )
        _create_assignments(suggestion, lead_unit, co_units, assigned_on, deadline, meeting=meeting)
    return suggestion


def _create_assignments(
    suggestion, lead_unit, co_units, assigned_on, deadline, *, meeting=None
) -> None:
    Assignment.objects.bulk_create(
        [
            Assignment(
                suggestion=suggestion,
                unit=lead_unit,
                role=Assignment.Role.LEAD,
                round=suggestion.round,
                assigned_on=assigned_on,
                deadline=deadline,
                meeting=meeting,
            )
        ]
        + [
            Assignment(
                suggestion=suggestion,
                unit=unit,
                role=Assignment.Role.CO,
                round=suggestion.round,
                assigned_on=assigned_on,
                deadline=deadline,
                meeting=meeting,
            )
            for unit in co_units
        ]
    )


def suggestion_accept(*, user: "User", suggestion: Suggestion, version: int) -> Suggestion:
    assignment = _unit_assignment(user, suggestion)
    if assignment is None or assignment.role != Assignment.Role.LEAD:
        raise DomainError(_("只有主办单位可以开始办理。"))
    with transaction.atomic():
        return _transition(
            suggestion, user=user, action="accept", version=version, note=_("主办单位开始办理")
        )


def progress_report_add(
    *,
    user: "User",
    suggestion: Suggestion,
    date: datetime.date,
    place: str,
    attendance: int,
    feedback: str,
) -> ProgressReport:
    """三见面之二: the unit reported its progress to the public."""
    assignment = _unit_assignment(user, suggestion)
    if assignment is None:
        raise DomainError(_("只有本轮承办单位可以登记向群众汇报的情况。"))
    if suggestion.status not in (S.ASSIGNED, S.IN_HANDLING):
        raise DomainError(
            _("建议当前为“%(status)s”,不在办理中。") % {"status": suggestion.get_status_display()}
        )
    if date > timezone.localdate():
        raise DomainError(_("汇报日期不能晚于今天。"), field="date")
    return ProgressReport.objects.create(
        suggestion=suggestion,
        unit=assignment.unit,
        round=suggestion.round,
        date=date,
        place=place,
        attendance=attendance,
        feedback=feedback,
    )


def suggestion_reply(
    *,
    user: "User",
    suggestion: Suggestion,
    version: int,
    category: ReplyCategory,
    text: str,
    letter: Any = None,
) -> Reply:
    """The lead unit's answer, with its signed letter (答复函, a PDF) when given; a reply without
    a progress report to the public this round is accepted but flagged to staff, and so is one
    without any contact with the lead deputy (refused when SUGGESTION_CONTACT_RULE says so)."""
    assignment = _unit_assignment(user, suggestion)
    if assignment is None or assignment.role != Assignment.Role.LEAD:
        raise DomainError(_("只有主办单位可以答复。"))
    if not text.strip():
        raise DomainError(_("请填写答复内容。"), field="text")
    if not category.is_active:
        raise DomainError(_("该答复类别已停用。"), field="category")
    reported = suggestion.progress_reports.filter(round=suggestion.round).exists()
    contacted = suggestion.unit_contacts.filter(round=suggestion.round).exists()
    if not contacted and settings.SUGGESTION_CONTACT_RULE == "refuse":
        raise DomainError(_("答复前请先登记与领衔代表见面或电话沟通的情况。"))
    if letter:
        check_reply_letter(letter)
    with transaction.atomic():
        suggestion = _transition(
            suggestion,
            user=user,
            action="reply",
            version=version,
            note=_("答复类别:%(category)s") % {"category": category},
        )
        # A request for more time is moot once the answer is in.
        DeadlineExtension.objects.filter(
            suggestion=suggestion, status=DeadlineExtension.Status.PENDING
        ).update(status=DeadlineExtension.Status.CLOSED, decided_at=timezone.now())
        try:
            with transaction.atomic():
                reply = Reply.objects.create(
                    suggestion=suggestion,
                    unit=assignment.unit,
                    round=suggestion.round,
                    category=category,
                    text=text.strip(),
                    without_progress_report=not reported,
                    without_contact=not contacted,
                    replied_on=timezone.localdate(),
                    replied_by=user,
                )
        except IntegrityError:
            raise DomainError(_("本轮已经答复过了。")) from None
        if letter:
            store_reply_letter(reply, letter)
        return reply


def check_reply_letter(letter: Any) -> None:
    """答复函: a PDF by its content, within the upload limit; a DomainError on the form's field."""
    try:
        check_pdf(letter, message=_("答复函应为盖章后扫描的PDF文件。"))
    except UploadRejected as error:
        raise DomainError(str(error), field="letter") from None


def store_reply_letter(reply: Reply, letter: Any) -> None:
    """Seal and store the letter on the reply (the caller checked it)."""
    reply.letter_name = str(getattr(letter, "name", "") or "答复函.pdf")[:200]
    reply.letter.save("letter.sealed", SealedContent(letter), save=False)
    reply.save(update_fields=["letter", "letter_name"])


def extension_request(
    *, user: "User", suggestion: Suggestion, requested_deadline: datetime.date, reason: str
) -> DeadlineExtension:
    assignment = _unit_assignment(user, suggestion)
    if assignment is None or assignment.role != Assignment.Role.LEAD:
        raise DomainError(_("只有主办单位可以申请延期。"))
    if suggestion.status not in (S.ASSIGNED, S.IN_HANDLING):
        raise DomainError(
            _("建议当前为“%(status)s”,不在办理中。") % {"status": suggestion.get_status_display()}
        )
    if suggestion.deadline is None or requested_deadline <= suggestion.deadline:
        raise DomainError(_("延期后的期限应晚于现在的期限。"), field="requested_deadline")
    if not reason.strip():
        raise DomainError(_("请说明延期理由。"), field="reason")
    return DeadlineExtension.objects.create(
        suggestion=suggestion,
        round=suggestion.round,
        requested_by=user,
        requested_deadline=requested_deadline,
        reason=reason.strip(),
    )


def extension_decide(
    *, user: "User", extension: DeadlineExtension, approve: bool, version: int
) -> DeadlineExtension:
    """Staff approve or reject; approval moves the deadline, the original stays on record."""
    suggestion = extension.suggestion
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以审批延期。"))
    with transaction.atomic():
        updated = DeadlineExtension.objects.filter(
            pk=extension.pk, status=DeadlineExtension.Status.PENDING
        ).update(
            status=DeadlineExtension.Status.APPROVED
            if approve
            else DeadlineExtension.Status.REJECTED,
            decided_by=user,
            decided_at=timezone.now(),
        )
        if not updated:
            raise DomainError(_("该延期申请已经审批过了。"))
        if approve:
            changed = Suggestion.objects.filter(pk=suggestion.pk, version=version).update(
                deadline=extension.requested_deadline, version=F("version") + 1
            )
            if not changed:
                raise DomainError(
                    _("这条建议刚被其他人修改过,请刷新页面后再操作(您的修改没有保存)。")
                )
            Assignment.objects.filter(suggestion=suggestion, round=suggestion.round).update(
                deadline=extension.requested_deadline
            )
            SuggestionEvent.objects.create(
                suggestion=suggestion,
                actor=user,
                from_status=suggestion.status,
                to_status=suggestion.status,
                round=suggestion.round,
                note=_("批准延期至 %(date)s(原期限 %(original)s)")
                % {
                    "date": extension.requested_deadline.isoformat(),
                    "original": suggestion.original_deadline,  # a date formats as ISO
                },
            )
    extension.refresh_from_db()
    return extension


# After handling ------------------------------------------------------------------------------


def evaluation_codes_issue(
    *, user: "User", suggestion: Suggestion, count: int
) -> list[EvaluationCode]:
    """One-time codes for the people concerned (群众测评), one vote each."""
    if not can(user, "suggestion.evaluate", suggestion):
        raise DomainError(_("只有工作人员或领衔代表可以发放测评码。"))
    if suggestion.status != S.REPLIED:
        raise DomainError(_("建议答复后才能组织测评。"))
    if not 1 <= count <= 200:
        raise DomainError(_("一次可发放1至200个测评码。"), field="count")
    return EvaluationCode.objects.bulk_create(
        [EvaluationCode(suggestion=suggestion, round=suggestion.round) for _ in range(count)]
    )


def public_evaluation_by_code(*, code: str, result: str, comment: str = "") -> Evaluation:
    """A person concerned evaluates with their code; the code works once."""
    with transaction.atomic():
        claimed = EvaluationCode.objects.filter(code=code, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise DomainError(_("测评码无效或已经使用过。"), field="code")
        record = EvaluationCode.objects.select_related("suggestion").get(code=code)
        if record.suggestion.status != S.REPLIED or record.round != record.suggestion.round:
            raise DomainError(_("这条建议目前不在测评阶段。"))
        return Evaluation.objects.create(
            suggestion=record.suggestion,
            round=record.round,
            kind=Evaluation.Kind.PUBLIC,
            result=result,
            comment=comment,
            code=record,
        )


def public_evaluation_paper(
    *, user: "User", suggestion: Suggestion, result: str, comment: str = ""
) -> Evaluation:
    """A paper evaluation form entered by staff."""
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以录入纸质测评表。"))
    if suggestion.status != S.REPLIED:
        raise DomainError(_("建议答复后才能录入测评。"))
    return Evaluation.objects.create(
        suggestion=suggestion,
        round=suggestion.round,
        kind=Evaluation.Kind.PUBLIC,
        result=result,
        comment=comment,
        entered_by=user,
    )


def deputy_evaluation(
    *, user: "User", suggestion: Suggestion, version: int, result: str, comment: str = ""
) -> Suggestion:
    """The lead deputy's evaluation closes the round: satisfied or basically satisfied — and the
    public not mostly unsatisfied — makes it evaluated; otherwise it is handled again, with a new
    deadline and the same units, and the history of the round is kept."""
    if not can(user, "suggestion.evaluate", suggestion):
        raise DomainError(_("只有领衔代表可以进行代表测评。"))
    with transaction.atomic():
        try:
            with transaction.atomic():
                evaluation = Evaluation.objects.create(
                    suggestion=suggestion,
                    round=suggestion.round,
                    kind=Evaluation.Kind.DEPUTY,
                    result=result,
                    comment=comment,
                    deputy=suggestion.lead_deputy,
                    entered_by=None if _is_lead_deputy(user, suggestion) else user,
                )
        except IntegrityError:
            raise DomainError(_("本轮代表测评已经完成。")) from None
        duty_records_sync(
            source=evaluation,
            kind=DutyRecord.Kind.SUGGESTION_EVALUATION,
            deputies=[suggestion.lead_deputy],
            occurred_on=timezone.localdate(),
            title=_("测评建议“%(title)s”的办理(第%(round)d轮)")
            % {"title": suggestion.title, "round": suggestion.round},
        )
        public = list(
            suggestion.evaluations.filter(
                round=suggestion.round, kind=Evaluation.Kind.PUBLIC
            ).values_list("result", flat=True)
        )
        unsatisfied_public = sum(r == Evaluation.Result.UNSATISFIED for r in public)
        if result == Evaluation.Result.UNSATISFIED or (
            public and unsatisfied_public * 2 > len(public)
        ):
            return _rehandle(suggestion, user=user, version=version)
        return _transition(
            suggestion,
            user=user,
            action="evaluate",
            version=version,
            note=_("代表测评:%(r)s") % {"r": Evaluation.Result(result).label},
        )


def _rehandle(suggestion: Suggestion, *, user: "User", version: int) -> Suggestion:
    today = timezone.localdate()
    deadline = deadline_for(today, is_complex=suggestion.is_complex, rehandling=True)
    previous = list(suggestion.assignments.filter(round=suggestion.round).select_related("unit"))
    suggestion = _transition(
        suggestion,
        user=user,
        action="rehandle",
        version=version,
        note=_("测评不满意,重新办理(办理期限%(months)d个月),期限 %(deadline)s")
        % {
            "months": settings.SUGGESTION_REHANDLE_DEADLINE_MONTHS,
            "deadline": deadline.isoformat(),
        },
        round=F("round") + 1,
        deadline=deadline,
        original_deadline=deadline,
        assigned_on=today,
    )
    lead = next(a.unit for a in previous if a.role == Assignment.Role.LEAD)
    _create_assignments(
        suggestion,
        lead,
        [a.unit for a in previous if a.role == Assignment.Role.CO],
        today,
        deadline,
    )
    return suggestion


def suggestion_close(
    *, user: "User", suggestion: Suggestion, version: int, note: str = ""
) -> Suggestion:
    if not can(user, "suggestion.manage", suggestion):
        raise DomainError(_("只有该级人大的工作人员可以办结。"))
    with transaction.atomic():
        return _transition(
            suggestion, user=user, action="close", version=version, note=note or _("办结")
        )
