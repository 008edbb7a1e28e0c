"""Writes of the 人代会: the session and the deputies convened, its sittings, attendance (ticked on a
phone or imported from the sign-in sheet) and the motions with the 主席团's decision. Attending a
session is a duty act: the deputies present at one of its sittings or more hold a duty record of
it, kept in step with every attendance write."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Deputy, Region

from . import rules
from .models import Attendance, Congress, Delegate, Motion, Session, Sitting

if TYPE_CHECKING:
    from accounts.models import User

_STATUS = Attendance.Status


def _congress_record(congress: Region) -> SimpleNamespace:
    """A stand-in for "a session of this congress", to ask the action table before it exists."""
    if congress.level == Region.Level.COUNTY:
        return SimpleNamespace(county_congress_id=congress.pk, township_congress_id=None)
    return SimpleNamespace(county_congress_id=None, township_congress_id=congress.pk)


def _require_manage(user: "User", record) -> None:
    if not can(user, "plenary.manage", record):
        raise DomainError(_("只有该级人大的工作人员可以管理这次会议。"))


# Sessions -------------------------------------------------------------------------------------


def session_create(
    *,
    user: "User",
    congress: Region,
    term: int,
    number: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    venue: str = "",
    note: str = "",
) -> Session:
    """A session of the county's or a township's congress; the deputies holding a mandate of that
    congress on the opening date are convened to it."""
    if congress.level not in (Region.Level.COUNTY, Region.Level.TOWNSHIP):
        raise DomainError(_("请选择县或乡镇的人民代表大会。"), field="congress")
    _require_manage(user, _congress_record(congress))
    if not 1 <= term <= 99:
        raise DomainError(_("请填写正确的届次。"), field="term")
    if not 1 <= number <= 99:
        raise DomainError(_("请填写正确的会次。"), field="number")
    if closes_on < opens_on:
        raise DomainError(_("闭幕日期不能早于开幕日期。"), field="closes_on")
    if Session.objects.filter(congress=congress, term=term, number=number).exists():
        raise DomainError(_("这次会议已经登记过了。"), field="number")
    level = Congress.COUNTY if congress.level == Region.Level.COUNTY else Congress.TOWNSHIP
    county_id = congress.pk if level == Congress.COUNTY else congress.county_id
    if county_id is None:
        raise DomainError(_("请选择县或乡镇的人民代表大会。"), field="congress")
    with transaction.atomic():
        session = Session.objects.create(
            county_id=county_id,
            congress_level=level,
            congress=congress,
            term=term,
            number=number,
            opens_on=opens_on,
            closes_on=closes_on,
            venue=venue.strip(),
            note=note.strip(),
            created_by=user,
        )
        delegates_refresh(user=user, session=session)
    return session


def delegates_refresh(*, user: "User", session: Session) -> int:
    """Convene the deputies holding a mandate of the congress on the opening date: add those
    missing; drop those no longer holding one unless their attendance is recorded. Returns the
    number convened."""
    _require_manage(user, session)
    wanted = {
        deputy.pk: deputy
        for deputy in rules.convened_deputies(
            level=session.congress_level,
            county_id=session.county_id,
            congress_id=session.congress_id,
            day=session.opens_on,
        ).select_related("station")
    }
    with transaction.atomic():
        recorded = Attendance.objects.filter(sitting__session=session).values("deputy_id")
        session.delegates.exclude(deputy_id__in=wanted).exclude(deputy_id__in=recorded).delete()
        present = set(session.delegates.values_list("deputy_id", flat=True))
        county = session.congress_level == Congress.COUNTY
        Delegate.objects.bulk_create(
            [
                Delegate(
                    session=session,
                    deputy=deputy,
                    delegation_id=deputy.station.township_id if county and deputy.station else None,
                )
                for pk, deputy in wanted.items()
                if pk not in present
            ]
        )
    return session.delegates.count()


def sitting_add(
    *, user: "User", session: Session, date: datetime.date, kind: str, title: str = ""
) -> Sitting:
    _require_manage(user, session)
    if kind not in Sitting.Kind.values:
        raise DomainError(_("请选择会议形式。"), field="kind")
    if not session.opens_on <= date <= session.closes_on:
        raise DomainError(_("场次日期应在会期之内。"), field="date")
    return Sitting.objects.create(session=session, date=date, kind=kind, title=title.strip())


# Attendance -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One deputy's attendance to record at a sitting."""

    deputy_id: int
    status: str
    leave_reason: str = ""
    leave_approved_by: str = ""
    leave_approved_on: datetime.date | None = None


def _sync_duty_records(session: Session) -> None:
    """Attending the session (present at one sitting or more) is a duty act of the deputy."""
    present = Deputy.objects.filter(
        pk__in=Attendance.objects.filter(sitting__session=session, status=_STATUS.PRESENT).values(
            "deputy_id"
        )
    )
    duty_records_sync(
        source=session,
        kind=DutyRecord.Kind.SESSION_ATTENDANCE,
        deputies=present,
        occurred_on=session.opens_on,
        title=_("出席%(session)s") % {"session": session.title},
    )


def attendance_record(
    *, user: "User", sitting: Sitting, entries: Iterable[Entry], source: str
) -> int:
    """Record (or correct) the attendance of convened deputies at a sitting. A leave names who
    approved it and when (a leave already approved keeps its approval). Refused whole, nothing
    saved, when a deputy was not convened or a leave lacks its approval. Returns the number of
    deputies recorded."""
    session = sitting.session
    _require_manage(user, session)
    if sitting.date > timezone.localdate():
        raise DomainError(_("会议还没有举行,不能登记出席情况。"))
    # One entry per deputy, the last one standing (a sheet that names a deputy twice).
    entries = list({entry.deputy_id: entry for entry in entries}.values())
    convened = set(session.delegates.values_list("deputy_id", flat=True))
    strangers = [entry.deputy_id for entry in entries if entry.deputy_id not in convened]
    if strangers:
        names = "、".join(Deputy.objects.filter(pk__in=strangers).values_list("name", flat=True))
        raise DomainError(
            _("%(names)s 不是本次会议应出席的代表,不能登记出席情况。")
            % {"names": names or _("所选代表")}
        )
    existing = {a.deputy_id: a for a in sitting.attendances.all()}
    now = timezone.now()
    rows = []
    for entry in entries:
        if entry.status not in _STATUS.values:
            raise DomainError(_("出席情况只能是出席、请假或缺席。"))
        row = existing.get(entry.deputy_id) or Attendance(
            sitting=sitting, deputy_id=entry.deputy_id
        )
        if entry.status == _STATUS.LEAVE:
            approved_by = entry.leave_approved_by.strip()
            approved_on = entry.leave_approved_on
            if not approved_by and row.status == _STATUS.LEAVE:
                approved_by, approved_on = row.leave_approved_by, row.leave_approved_on
            if not approved_by or approved_on is None:
                raise DomainError(_("请假须登记批准人和批准日期。"), field="leave_approved_by")
            if approved_on > timezone.localdate():
                raise DomainError(_("批准日期不能晚于今天。"), field="leave_approved_on")
            row.leave_reason = entry.leave_reason.strip()[:100] or row.leave_reason
            row.leave_approved_by = approved_by[:40]
            row.leave_approved_on = approved_on
        else:
            row.leave_reason, row.leave_approved_by, row.leave_approved_on = "", "", None
        row.status = entry.status
        row.source = source
        row.recorded_by = user
        row.recorded_at = now
        rows.append(row)
    with transaction.atomic():
        Attendance.objects.bulk_create([row for row in rows if row.pk is None])
        Attendance.objects.bulk_update(
            [row for row in rows if row.pk is not None],
            [
                "status",
                "leave_reason",
                "leave_approved_by",
                "leave_approved_on",
                "source",
                "recorded_by",
                "recorded_at",
            ],
        )
        _sync_duty_records(session)
    return len(rows)


def roll_call(
    *,
    user: "User",
    sitting: Sitting,
    statuses: Mapping[int, str],
    leave_approved_by: str = "",
    leave_approved_on: datetime.date | None = None,
) -> int:
    """The phone's roll call: the status ticked for each deputy; a leave ticked here takes the
    approval given on the page."""
    return attendance_record(
        user=user,
        sitting=sitting,
        entries=[
            Entry(
                deputy_id=deputy_id,
                status=status,
                leave_approved_by=leave_approved_by,
                leave_approved_on=leave_approved_on,
            )
            for deputy_id, status in statuses.items()
        ],
        source=Attendance.Source.PHONE,
    )


def sign_in_save(
    *, user: "User", sitting: Sitting, entries: Iterable[Entry], mark_missing_absent: bool = False
) -> int:
    """Save the accepted rows of a sign-in sheet; with ``mark_missing_absent``, the convened
    deputies the sheet does not name and nothing recorded yet did not come: 缺席."""
    entries = list(entries)
    with transaction.atomic():
        saved = attendance_record(
            user=user, sitting=sitting, entries=entries, source=Attendance.Source.SIGN_IN
        )
        if mark_missing_absent:
            named = {entry.deputy_id for entry in entries}
            recorded = sitting.attendances.values("deputy_id")
            missing = (
                sitting.session.delegates.exclude(deputy_id__in=recorded)
                .exclude(deputy_id__in=named)
                .values_list("deputy_id", flat=True)
            )
            saved += attendance_record(
                user=user,
                sitting=sitting,
                entries=[Entry(deputy_id=pk, status=_STATUS.ABSENT) for pk in missing],
                source=Attendance.Source.SIGN_IN,
            )
    return saved


# Motions --------------------------------------------------------------------------------------


def _next_motion_number(session: Session) -> int:
    Session.objects.select_for_update().filter(pk=session.pk).first()
    last = session.motions.order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def motion_create(
    *,
    user: "User",
    session: Session,
    title: str,
    content: str,
    kind: str,
    lead_deputy: Deputy,
    signers: Iterable[Deputy] = (),
    delegation: Region | None = None,
    submitted_on: datetime.date,
) -> Motion:
    """A motion put to the session: by deputies jointly — at least ten at a county session, five
    at a township's (地方组织法), every one convened to the session — or by a delegation of a
    county session, led by its head."""
    _require_manage(user, session)
    if not title.strip() or not content.strip():
        raise DomainError(_("请填写议案的案由和内容。"), field="title")
    if not session.opens_on <= submitted_on <= session.closes_on:
        raise DomainError(_("议案应在会议期间提出(提出日期在会期之内)。"), field="submitted_on")
    signers = [d for d in signers if d.pk != lead_deputy.pk]
    everyone = [lead_deputy, *signers]
    convened = set(
        session.delegates.filter(deputy__in=[d.pk for d in everyone]).values_list(
            "deputy_id", flat=True
        )
    )
    outsiders = [d.name for d in everyone if d.pk not in convened]
    if outsiders:
        raise DomainError(
            _("%(names)s 不是本次会议的代表,不能提出或联名提出议案。")
            % {"names": "、".join(outsiders)},
            field="signers",
        )
    if kind == Motion.Kind.JOINT:
        delegation = None
        needed = rules.MIN_SIGNERS[Congress(session.congress_level)]
        if len(everyone) < needed:
            raise DomainError(
                _("代表联名提出议案须有%(needed)d名以上代表联名(含领衔代表),现有%(n)d名。")
                % {"needed": needed, "n": len(everyone)},
                field="signers",
            )
    elif kind == Motion.Kind.DELEGATION:
        if session.congress_level != Congress.COUNTY:
            raise DomainError(_("乡镇人民代表大会不设代表团,议案须由代表联名提出。"), field="kind")
        if delegation is None:
            raise DomainError(_("请选择提出议案的代表团。"), field="delegation")
        if not session.delegates.filter(delegation=delegation, deputy=lead_deputy).exists():
            raise DomainError(
                _("领衔代表须是%(d)s代表团的代表(代表团团长)。") % {"d": delegation.name},
                field="lead_deputy",
            )
    else:
        raise DomainError(_("请选择议案的提出方式。"), field="kind")
    with transaction.atomic():
        motion = Motion.objects.create(
            session=session,
            number=_next_motion_number(session),
            title=title.strip(),
            content=content.strip(),
            kind=kind,
            lead_deputy=lead_deputy,
            delegation=delegation,
            submitted_on=submitted_on,
            created_by=user,
        )
        motion.signers.set(everyone)
    return motion


def _check_decision(user: "User", motion: Motion, decided_on: datetime.date) -> None:
    _require_manage(user, motion.session)
    if motion.decision != Motion.Decision.PENDING:
        raise DomainError(_("主席团已对这件议案作出决定。"))
    if decided_on < motion.submitted_on or decided_on > timezone.localdate():
        raise DomainError(_("决定日期应在议案提出之后、不晚于今天。"), field="decided_on")


def motion_decide(
    *, user: "User", motion: Motion, decision: str, decided_on: datetime.date, reason: str = ""
) -> Motion:
    """The 主席团 puts the motion on the agenda (列入会议议程) or declines it (不予列入, with the
    reason). 转为代表建议 creates a suggestion: suggestions.services.suggestion_from_motion."""
    _check_decision(user, motion, decided_on)
    if decision == Motion.Decision.REJECTED and not reason.strip():
        raise DomainError(_("不予列入会议议程的,请填写理由。"), field="reason")
    if decision not in (Motion.Decision.AGENDA, Motion.Decision.REJECTED):
        raise DomainError(_("请选择主席团的决定。"), field="decision")
    return _decide(user, motion, decision, decided_on, reason)


def motion_mark_converted(
    *, user: "User", motion: Motion, decided_on: datetime.date, reason: str = ""
) -> Motion:
    """转为代表建议: the decision's half of suggestions.services.suggestion_from_motion, called in
    its transaction with the suggestion it creates."""
    _check_decision(user, motion, decided_on)
    return _decide(user, motion, Motion.Decision.SUGGESTION, decided_on, reason)


def _decide(
    user: "User", motion: Motion, decision: str, decided_on: datetime.date, reason: str
) -> Motion:
    motion.decision = decision
    motion.decided_on = decided_on
    motion.decision_reason = reason.strip()
    motion.decided_by = user
    motion.save(update_fields=["decision", "decided_on", "decision_reason", "decided_by"])
    return motion
