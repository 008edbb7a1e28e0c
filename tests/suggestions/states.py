"""A suggestion put straight into a given status (rows written directly, not through the
services under test), and a snapshot of everything a refused action must leave unchanged."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from deputies.models import DutyRecord
from stations.models import Opinion
from suggestions.models import (
    Assignment,
    DeadlineExtension,
    Evaluation,
    EvaluationCode,
    ProgressReport,
    PublicMeeting,
    Reply,
    Suggestion,
    SuggestionEvent,
)

STATUSES = [
    "draft",
    "submitted",
    "registered",
    "not_registered",
    "converted",
    "assigned",
    "in_handling",
    "replied",
    "evaluated",
    "closed",
]
HANDLED = {"assigned", "in_handling", "replied", "evaluated", "closed"}
ASSIGNED_ON = datetime.date(2026, 1, 31)
DEADLINE = datetime.date(2026, 4, 30)


def suggestion_at(
    world, user, status: str, *, co_unit=None, with_assignment: bool | None = None
) -> Suggestion:
    """A suggestion of deputy_a1 (county A) in ``status``; from "assigned" on (or whenever
    ``with_assignment``), unit_a leads it (and ``co_unit`` co-handles it) in round 1 with the
    deadline DEADLINE."""
    suggestion = Suggestion.objects.create(
        title="关于硬化三组村道的建议",
        content="三组村道雨天泥泞,群众出行困难。",
        category="roads",
        county_id=world.county_a.pk,
        lead_deputy=world.deputy_a1,
        created_by=user,
        status=status,
    )
    DutyRecord.objects.create(  # the lead deputy's record of the suggestion, graded as it goes
        deputy=world.deputy_a1,
        kind=DutyRecord.Kind.SUGGESTION,
        occurred_on=ASSIGNED_ON,
        title="提出建议",
        source_type=ContentType.objects.get_for_model(Suggestion),
        source_id=suggestion.pk,
    )
    PublicMeeting.objects.create(
        suggestion=suggestion,
        date=ASSIGNED_ON,
        place="三组院坝",
        people_met=20,
        summary="希望硬化村道",
    )
    if with_assignment is None:
        with_assignment = status in HANDLED
    if with_assignment:
        Suggestion.objects.filter(pk=suggestion.pk).update(
            number=f"2026-{suggestion.pk:03d}",
            assigned_on=ASSIGNED_ON,
            deadline=DEADLINE,
            original_deadline=DEADLINE,
        )
        Assignment.objects.create(
            suggestion=suggestion,
            unit=world.unit_a,
            role=Assignment.Role.LEAD,
            round=1,
            assigned_on=ASSIGNED_ON,
            deadline=DEADLINE,
        )
        if co_unit is not None:
            Assignment.objects.create(
                suggestion=suggestion,
                unit=co_unit,
                role=Assignment.Role.CO,
                round=1,
                assigned_on=ASSIGNED_ON,
                deadline=DEADLINE,
            )
    suggestion.refresh_from_db()
    return suggestion


def snapshot(suggestion: Suggestion) -> dict:
    """The suggestion's row and every row hanging from it."""
    source = Q(source_type=ContentType.objects.get_for_model(Suggestion), source_id=suggestion.pk)
    return {
        "row": Suggestion.objects.filter(pk=suggestion.pk).values().get(),
        "events": list(SuggestionEvent.objects.filter(suggestion=suggestion).values()),
        "assignments": list(Assignment.objects.filter(suggestion=suggestion).values()),
        "replies": list(Reply.objects.filter(suggestion=suggestion).values()),
        "evaluations": list(Evaluation.objects.filter(suggestion=suggestion).values()),
        "meetings": list(PublicMeeting.objects.filter(suggestion=suggestion).values()),
        "progress": list(ProgressReport.objects.filter(suggestion=suggestion).values()),
        "codes": list(EvaluationCode.objects.filter(suggestion=suggestion).values()),
        "extensions": list(DeadlineExtension.objects.filter(suggestion=suggestion).values()),
        "duty_records": list(DutyRecord.objects.filter(source).values()),
        "all_duty_records": DutyRecord.objects.count(),
        "opinions": Opinion.objects.count(),
    }
