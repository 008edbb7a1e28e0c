"""The handling units' side of the demo's suggestions (issue 22 §3), written after the year's
suggestions are saved: the 交办会 on the builder's assign day with the assignments made at it,
the units' contacts with the lead deputy before most replies (by phone for some, none for a
few), two 改办 requests (one agreed, one refused) and the signed letters of a few replies. All
dated in the past, deterministic (the builder's seeded random)."""

import datetime
import random
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from core.workdays import add_workdays
from suggestions.models import (
    Assignment,
    AssignmentMeeting,
    ReassignRequest,
    Reply,
    Suggestion,
    UnitContact,
)
from suggestions.services import deadline_for, store_reply_letter

LETTERS = 6  # replies with a signed letter
CONTACT_SUMMARIES = (
    "向代表通报了办理方案和资金安排,代表表示认可,并提出尽快开工的意见。",
    "陪同代表到现场察看,就实施范围和时间节点交换了意见。",
    "电话向代表说明办理进展和存在的困难,代表理解并希望纳入下年度计划。",
    "就答复内容征求代表意见,代表建议补充群众反映的具体问题。",
)
MEETING_CHAIRS = ("县人大常委会副主任", "县人民政府副县长")


def tiny_pdf(text: str) -> bytes:
    """A minimal valid one-page PDF (ASCII text only), with a correct cross-reference table."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(date: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(hour, 0)))


def build_unit_side(builder: Any, records: list) -> None:
    rng: random.Random = random.Random(f"unit-side-{builder.congress.code}")
    staff = builder.staff
    limit = builder.limit
    suggestions = [r.s for r in records]
    meeting = None
    if builder.assign_day <= limit:
        meeting = AssignmentMeeting.objects.create(
            county=builder.county,
            congress_level=builder.congress_level,
            congress=builder.congress,
            date=builder.assign_day,
            place=f"{builder.congress.name}人大常委会第一会议室"
            if builder.congress_level == Suggestion.Congress.COUNTY
            else f"{builder.congress.name}人民政府会议室",
            chaired_by=rng.choice(MEETING_CHAIRS)
            if builder.congress_level == Suggestion.Congress.COUNTY
            else f"{builder.congress.name}人大主席团主席",
            notes="会议通报了本次人代会期间代表建议的登记情况,逐件明确了主办、协办单位和办理期限,"
            "要求各承办单位答复前与领衔代表见面沟通。",
            created_by=staff,
        )
        Assignment.objects.filter(
            suggestion__in=suggestions, round=1, assigned_on=builder.assign_day
        ).update(meeting=meeting)

    replies = list(
        Reply.objects.filter(suggestion__in=suggestions)
        .select_related("suggestion", "unit")
        .order_by("pk")
    )
    assigned_on = {
        (a.suggestion_id, a.round): a.assigned_on
        for a in Assignment.objects.filter(suggestion__in=suggestions, role=Assignment.Role.LEAD)
    }
    refuse = settings.SUGGESTION_CONTACT_RULE == "refuse"
    contacts, without = [], []
    for reply in replies:
        start = assigned_on.get((reply.suggestion_id, reply.round), reply.replied_on)
        roll = rng.random()
        if roll < 0.08 and not refuse:
            without.append(reply.pk)
            continue
        kind = UnitContact.Kind.PHONE if roll < 0.3 else UnitContact.Kind.MEETING
        span = max(0, (reply.replied_on - start).days)
        date = reply.replied_on - datetime.timedelta(days=rng.randint(0, min(span, 20)))
        contacts.append(
            UnitContact(
                suggestion_id=reply.suggestion_id,
                unit=reply.unit,
                round=reply.round,
                kind=kind,
                date=date,
                participants=f"{reply.suggestion.lead_deputy.name}代表,{reply.unit.name}分管负责人",
                summary=rng.choice(CONTACT_SUMMARIES),
                recorded_by=reply.replied_by,
            )
        )
    UnitContact.objects.bulk_create(contacts, batch_size=1000)
    Reply.objects.filter(pk__in=without).update(without_contact=True)

    for reply in replies[:LETTERS]:
        store_reply_letter(
            reply,
            ContentFile(tiny_pdf(f"Reply letter {reply.suggestion.number}"), name="答复函.pdf"),
        )

    if meeting is not None:
        _reassign_requests(builder, rng, meeting, records)


def _reassign_requests(builder: Any, rng: random.Random, meeting, records: list) -> None:
    """Two 改办 requests from the meeting's assignments: one agreed (the suggestion went to the
    unit that handles it now, with its deadline from that day), one refused. The requests carry
    the history; the built timelines keep the lifecycle's own moves."""
    asked = add_workdays(meeting.date, 2).date
    decided = add_workdays(meeting.date, 3).date
    if decided > builder.limit:
        return
    at_meeting = [
        r
        for r in records
        if r.round == 1
        and r.s.assigned_on == meeting.date
        and r.replies
        and not r.extensions
        and min(reply.replied_on for reply in r.replies) > decided
    ]
    if len(at_meeting) < 2:
        return
    agreed_record, refused_record = at_meeting[1], at_meeting[0]
    others = [u for u in builder.units.values() if u not in agreed_record.plan.units]
    if not others:
        return
    former = rng.choice(others)
    suggestion = agreed_record.s
    lead = Assignment.objects.get(suggestion=suggestion, round=1, role=Assignment.Role.LEAD)
    deadline = deadline_for(decided, is_complex=suggestion.is_complex)
    requests = [
        ReassignRequest(
            suggestion=suggestion,
            round=1,
            unit=former,
            suggested_unit=lead.unit,
            reason=f"该事项主要涉及{lead.unit.name}的职责,本单位无相应职能和资金渠道。",
            requested_by=builder.unit_users.get(former.pk) or builder.staff,
            requested_at=_at(asked, 10),
            status=ReassignRequest.Status.AGREED,
            new_unit=lead.unit,
            decision_reason="经核实,同意改由该单位主办。",
            decided_by=builder.staff,
            decided_at=_at(decided, 15),
        ),
        ReassignRequest(
            suggestion=refused_record.s,
            round=1,
            unit=refused_record.plan.units[0],
            reason="该事项涉及多个部门,建议改由乡镇人民政府主办。",
            requested_by=builder.unit_users.get(refused_record.plan.units[0].pk) or builder.staff,
            requested_at=_at(asked, 11),
            status=ReassignRequest.Status.REFUSED,
            decision_reason="该事项属本单位职责范围,请按期办理,可商请相关单位协办。",
            decided_by=builder.staff,
            decided_at=_at(decided, 16),
        ),
    ]
    ReassignRequest.objects.bulk_create(requests)
    for request in requests:  # auto_now_add wrote today: the history's own time instead
        ReassignRequest.objects.filter(pk=request.pk).update(requested_at=request.requested_at)
    # The agreed one was handled from the day it was reassigned.
    Assignment.objects.filter(pk=lead.pk).update(
        assigned_on=decided, deadline=deadline, meeting=None
    )
    Assignment.objects.filter(suggestion=suggestion, round=1, role=Assignment.Role.CO).update(
        assigned_on=decided, deadline=deadline
    )
    if suggestion.round == 1:
        Suggestion.objects.filter(pk=suggestion.pk).update(
            assigned_on=decided, deadline=deadline, original_deadline=deadline
        )
