"""The life of an opinion: received → forwarded to a handling unit / answered → closed.

Transitions live in stations.rules (OPINION_TRANSITIONS); anything else is refused with a message. Every step records who,
when and a note (OpinionEvent)."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core.errors import DomainError
from deputies.models import DutyRecord, ReceptionGrade
from deputies.services import duty_records_grade
from directory.models import HandlingUnit, Region, Station

from ..models import Opinion, OpinionEvent, Reception
from ..rules import OPINION_TRANSITIONS as TRANSITIONS
from ..rules import opinion_may_handle

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

S = Opinion.Status


def opinion_create(
    *,
    user: "User | AnonymousUser | None",
    channel: str,
    township: Region,
    category: str,
    content: str,
    station: Station | None = None,
    reception: Reception | None = None,
    voter_name: str = "",
    voter_phone: str = "",
) -> Opinion:
    content = (content or "").strip()
    if not content:
        raise DomainError(_("请填写意见内容。"), field="content")
    if station is not None and station.township_id != township.pk:
        raise DomainError(_("家站不属于所选乡镇(街道)。"), field="station")
    with transaction.atomic():
        opinion = Opinion.objects.create(  # type: ignore[misc]  # a township's county_id is set
            channel=channel,
            county_id=township.county_id,
            township=township,
            station=station,
            reception=reception,
            category=category,
            content=content,
            voter_name=(voter_name or "").strip(),
            voter_phone=(voter_phone or "").strip(),
            created_by=user if user is not None and user.is_authenticated else None,
        )
        OpinionEvent.objects.create(
            opinion=opinion, actor=opinion.created_by, to_status=S.RECEIVED, note=_("受理")
        )
    return opinion


def _may_handle(user: "User", opinion: Opinion, action: str) -> bool:
    in_scope = scoped(Opinion.objects.filter(pk=opinion.pk), user, "opinion").exists()
    return in_scope and opinion_may_handle(user, opinion, action)


ACTION_LABELS = {
    "forward": gettext_lazy("转办"),
    "answer": gettext_lazy("答复"),
    "close": gettext_lazy("办结"),
}


def _transition(*, opinion: Opinion, user: "User", action: str, note: str, **changes) -> Opinion:
    allowed_from, target = TRANSITIONS[action]
    if not _may_handle(user, opinion, action):
        raise DomainError(_("您无权办理这条意见。"))
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.status not in allowed_from:
            raise DomainError(
                _("意见当前为“%(status)s”,不能%(action)s。")
                % {"status": locked.get_status_display(), "action": ACTION_LABELS[action]}
            )
        from_status = locked.status
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.status = target
        locked.save()
        OpinionEvent.objects.create(
            opinion=locked, actor=user, from_status=from_status, to_status=target, note=note
        )
    return locked


def opinion_forward(
    *, opinion: Opinion, user: "User", unit: HandlingUnit, note: str = ""
) -> Opinion:
    if unit.county_id != opinion.county_id:
        raise DomainError(_("只能转给本县的承办单位。"), field="unit")
    return _transition(
        opinion=opinion,
        user=user,
        action="forward",
        note=note or _("转%(unit)s办理") % {"unit": unit.name},
        handling_unit=unit,
    )


def opinion_answer(*, opinion: Opinion, user: "User", answer: str) -> Opinion:
    answer = (answer or "").strip()
    if not answer:
        raise DomainError(_("请填写答复内容。"), field="answer")
    with transaction.atomic():
        answered = _transition(
            opinion=opinion,
            user=user,
            action="answer",
            note=answer[:200],
            answer=answer,
            answered_at=timezone.now(),
        )
        reception = answered.reception
        if reception is not None and answered.handling_unit_id is None:
            # Answered at the station, not forwarded: the reception solved a problem directly
            # (五个一: 解决一个具体问题).
            duty_records_grade(
                source=reception,
                kind=DutyRecord.Kind.RECEPTION,
                grade=ReceptionGrade.ANSWERED,
            )
    return answered


def opinion_close(*, opinion: Opinion, user: "User", note: str = "") -> Opinion:
    return _transition(opinion=opinion, user=user, action="close", note=note or _("办结"))
