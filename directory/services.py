"""The life of a mandate: recording its events (资格审查, 辞职, 罢免, 终止, 暂停 and 恢复, 任期届满,
death) and filling a vacancy by 补选. Each event is one transaction that writes the event and
brings the mandate's is_active, ended_on and suspended_since in step with it; the roster,
stations, rotations and statistics read is_active, so they follow from that date on."""

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError

from .models import Deputy, DeputyGroup, Level, Mandate, MandateEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

Kind = MandateEvent.Kind
Body = MandateEvent.Body

# Who may decide each kind of event (blank: none needs naming — death, the term's expiry).
DECIDERS: dict[str, tuple[str, ...]] = {
    Kind.QUALIFIED: (Body.STANDING_COMMITTEE, Body.PRESIDIUM),
    Kind.BY_ELECTED: (Body.VOTERS, Body.CONGRESS, Body.STANDING_COMMITTEE),
    Kind.RESIGNED: (Body.STANDING_COMMITTEE, Body.PRESIDIUM),
    Kind.RECALLED: (Body.VOTERS, Body.CONGRESS, Body.STANDING_COMMITTEE),
    Kind.TERMINATED: (Body.STANDING_COMMITTEE, Body.PRESIDIUM),
    Kind.SUSPENDED: (Body.STANDING_COMMITTEE, Body.PRESIDIUM),
    Kind.RESUMED: (Body.STANDING_COMMITTEE, Body.PRESIDIUM),
    Kind.TERM_EXPIRED: (),
    Kind.DIED: (),
}
# Kinds whose record is a decision with a document (资格审查报告, 接受辞职的决定, 公告).
NEEDS_DOCUMENT = (Kind.QUALIFIED, Kind.RESIGNED, Kind.RECALLED, Kind.TERMINATED)
# The kinds a staff member records on an existing mandate (补选 makes a new one).
RECORDABLE = tuple(kind for kind in Kind if kind != Kind.BY_ELECTED)


def kinds_for(mandate: Mandate) -> list[tuple[str, "StrOrPromise"]]:
    """The events the mandate's state allows, as (kind, label): none once it ended, 恢复 only
    while suspended."""
    if mandate.ended_on is not None or not (mandate.is_active or mandate.is_suspended):
        return []
    if mandate.is_suspended:
        return [(Kind.RESUMED.value, Kind.RESUMED.label)]
    return [(kind.value, kind.label) for kind in RECORDABLE if kind != Kind.RESUMED]


def _require_office(user: "User", mandate: Mandate) -> None:
    if not can(user, "mandate.record", mandate):
        raise DomainError(
            _(
                "县级及以上代表的任职事项由县人大常委会工作人员登记,乡镇代表的由本乡镇人大主席团登记。"
            )
        )


def _check_event(
    *,
    mandate: Mandate,
    kind: str,
    occurred_on: datetime.date,
    decided_by: str,
    document_number: str,
    ground: str,
    today: datetime.date,
) -> None:
    if occurred_on > today:
        raise DomainError(_("日期不能晚于今天。"), field="occurred_on")
    allowed = DECIDERS[kind]
    if allowed and not decided_by:
        raise DomainError(_("请选择决定机关。"), field="decided_by")
    if decided_by and decided_by not in allowed:
        raise DomainError(
            _("%(kind)s不能由%(body)s决定。")
            % {"kind": Kind(kind).label, "body": Body(decided_by).label},
            field="decided_by",
        )
    township = mandate.level == Level.TOWNSHIP
    if township and decided_by == Body.STANDING_COMMITTEE:
        raise DomainError(_("乡镇人大不设常委会,请选择乡镇人大主席团。"), field="decided_by")
    if not township and decided_by == Body.PRESIDIUM:
        raise DomainError(_("县级以上人大代表的事项由人大常委会决定。"), field="decided_by")
    if kind in NEEDS_DOCUMENT and not document_number:
        raise DomainError(_("请填写文号。"), field="document_number")
    grounds = {
        Kind.TERMINATED: MandateEvent.TERMINATION_GROUNDS,
        Kind.SUSPENDED: MandateEvent.SUSPENSION_GROUNDS,
    }.get(kind)  # type: ignore[call-overload]
    if grounds is None and ground:
        raise DomainError(_("只有代表资格终止和暂停执行代表职务需要填写法定事由。"), field="ground")
    if grounds is not None and ground not in grounds:
        raise DomainError(
            _("代表资格终止须选择代表法第四十九条规定的事由。")
            if kind == Kind.TERMINATED
            else _("暂停执行代表职务须选择代表法第四十八条规定的事由。"),
            field="ground",
        )


def _apply(mandate: Mandate, kind: str, occurred_on: datetime.date) -> list[str]:
    """Bring the mandate in step with the event; the fields changed. Refuses an event the
    mandate's state does not allow."""
    if mandate.ended_on is not None or (not mandate.is_active and not mandate.is_suspended):
        raise DomainError(_("该代表任职已经终止,不能再登记任职事项。"))
    if kind == Kind.QUALIFIED:
        if mandate.events.filter(kind=Kind.QUALIFIED).exists():
            raise DomainError(_("该任职已经登记过代表资格审查。"))
        mandate.started_on = occurred_on
        return ["started_on"]
    if mandate.started_on and occurred_on < mandate.started_on:
        raise DomainError(
            _("日期不能早于任职开始日期(%(date)s)。") % {"date": f"{mandate.started_on:%Y-%m-%d}"},
            field="occurred_on",
        )
    if kind in MandateEvent.ENDING:
        mandate.is_active, mandate.ended_on, mandate.suspended_since = False, occurred_on, None
        return ["is_active", "ended_on", "suspended_since"]
    if kind == Kind.SUSPENDED:
        if mandate.is_suspended:
            raise DomainError(_("该代表已在暂停执行代表职务期间。"))
        mandate.is_active, mandate.suspended_since = False, occurred_on
        return ["is_active", "suspended_since"]
    # RESUMED
    if not mandate.is_suspended:
        raise DomainError(_("该代表没有被暂停执行代表职务,无需恢复。"))
    assert mandate.suspended_since is not None
    if occurred_on < mandate.suspended_since:
        raise DomainError(
            _("恢复日期不能早于暂停日期(%(date)s)。")
            % {"date": f"{mandate.suspended_since:%Y-%m-%d}"},
            field="occurred_on",
        )
    if Mandate.objects.filter(
        deputy_id=mandate.deputy_id, level=mandate.level, is_active=True
    ).exists():
        raise DomainError(_("同一代表在同一层级只能有一个在任职务。"))
    mandate.is_active, mandate.suspended_since = True, None
    return ["is_active", "suspended_since"]


def mandate_event_record(
    *,
    user: "User",
    mandate: Mandate,
    kind: str,
    occurred_on: datetime.date,
    decided_by: str = "",
    document_number: str = "",
    ground: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> MandateEvent:
    """Record one event of a mandate and apply it, in one transaction (nothing saved on a
    refusal)."""
    _require_office(user, mandate)
    if kind not in RECORDABLE:
        raise DomainError(_("补选请在缺额页面办理。"), field="kind")
    document_number = document_number.strip()
    _check_event(
        mandate=mandate,
        kind=kind,
        occurred_on=occurred_on,
        decided_by=decided_by,
        document_number=document_number,
        ground=ground,
        today=today or timezone.localdate(),
    )
    with transaction.atomic():
        # Lock the mandate: two staff recording an end at once leave one.
        locked = Mandate.objects.select_for_update().get(pk=mandate.pk)
        locked.deputy = mandate.deputy
        changed = _apply(locked, kind, occurred_on)
        locked.save(update_fields=changed)
        event = MandateEvent.objects.create(
            mandate=locked,
            kind=kind,
            occurred_on=occurred_on,
            decided_by=decided_by,
            document_number=document_number,
            ground=ground,
            note=note.strip(),
            recorded_by=user,
        )
        if kind in MandateEvent.ENDING and mandate.level == Level.COUNTY:
            _leave_groups(mandate.deputy)
    for field in changed:
        setattr(mandate, field, getattr(locked, field))
    return event


def _leave_groups(deputy: Deputy) -> None:
    """代表小组 are of county deputies: one whose county mandate ended leaves them (and stops
    leading one); the audit log keeps the membership."""
    if Mandate.objects.filter(deputy=deputy, level=Level.COUNTY, is_active=True).exists():
        return
    DeputyGroup.objects.filter(leader=deputy).update(leader=None)
    for group in DeputyGroup.objects.filter(members=deputy):
        group.members.remove(deputy)


def vacancy_is_open(vacancy: Mandate) -> bool:
    """Ended by an event that leaves a vacancy (辞职, 罢免, 终止, death), and not yet filled."""
    return (
        vacancy.ended_on is not None
        and vacancy.events.filter(kind__in=MandateEvent.VACATING).exists()
        and not MandateEvent.objects.filter(vacancy=vacancy).exists()
    )


def mandate_by_elect(
    *,
    user: "User",
    vacancy: Mandate,
    deputy: Deputy,
    elected_on: datetime.date,
    decided_by: str,
    qualified_on: datetime.date,
    qualified_by: str,
    document_number: str,
    certificate_number: str = "",
    today: datetime.date | None = None,
) -> Mandate:
    """补选: the elected deputy's new mandate in the vacancy's level, term and constituency,
    beginning on its own 代表资格审查 (``qualified_on``), with both events recorded."""
    _require_office(user, vacancy)
    today = today or timezone.localdate()
    if not vacancy_is_open(vacancy):
        raise DomainError(
            _("该选区没有待补选的缺额(任职未因辞职、罢免、终止或去世而出缺,或已补选)。")
        )
    if deputy.county_id != vacancy.deputy.county_id:
        raise DomainError(_("补选的代表须是本县的代表。"), field="deputy")
    assert vacancy.ended_on is not None
    if elected_on < vacancy.ended_on:
        raise DomainError(
            _("补选日期不能早于出缺日期(%(date)s)。") % {"date": f"{vacancy.ended_on:%Y-%m-%d}"},
            field="elected_on",
        )
    if qualified_on < elected_on:
        raise DomainError(_("代表资格审查日期不能早于补选日期。"), field="qualified_on")
    mandate = Mandate(
        deputy=deputy,
        level=vacancy.level,
        term=vacancy.term,
        constituency=vacancy.constituency,
        directly_elected=vacancy.directly_elected,
        is_active=True,
        started_on=qualified_on,
        certificate_number=certificate_number.strip(),
    )
    for kind, date, body, number in (
        (Kind.BY_ELECTED, elected_on, decided_by, ""),
        (Kind.QUALIFIED, qualified_on, qualified_by, document_number.strip()),
    ):
        try:
            _check_event(
                mandate=mandate,
                kind=kind,
                occurred_on=date,
                decided_by=body,
                document_number=number,
                ground="",
                today=today,
            )
        except DomainError as error:
            # Both events share the form's date and body fields by kind.
            if kind == Kind.QUALIFIED and error.field in ("occurred_on", "decided_by"):
                error.field = {"occurred_on": "qualified_on", "decided_by": "qualified_by"}[
                    error.field
                ]
            elif error.field == "occurred_on":
                error.field = "elected_on"
            raise
    if Mandate.objects.filter(deputy=deputy, level=vacancy.level, is_active=True).exists():
        raise DomainError(
            _("%(name)s已是在任的%(level)s。")
            % {"name": deputy.name, "level": Level(vacancy.level).label},
            field="deputy",
        )
    try:
        with transaction.atomic():
            Mandate.objects.select_for_update().filter(pk=vacancy.pk).first()
            mandate.save()
            MandateEvent.objects.create(
                mandate=mandate,
                kind=Kind.BY_ELECTED,
                occurred_on=elected_on,
                decided_by=decided_by,
                vacancy=vacancy,
                recorded_by=user,
            )
            MandateEvent.objects.create(
                mandate=mandate,
                kind=Kind.QUALIFIED,
                occurred_on=qualified_on,
                decided_by=qualified_by,
                document_number=document_number.strip(),
                recorded_by=user,
            )
    except IntegrityError:
        if (
            mandate.certificate_number
            and Mandate.objects.filter(
                level=mandate.level,
                term=mandate.term,
                certificate_number=mandate.certificate_number,
            ).exists()
        ):
            raise DomainError(
                _("同一层级、同一届次已有使用该代表证号的代表。"), field="certificate_number"
            ) from None
        raise DomainError(_("该缺额已经补选。")) from None
    return mandate
