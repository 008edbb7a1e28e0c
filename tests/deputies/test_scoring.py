"""Quantified duty scoring: points, caps and quality factors on hand-built records; the year's
rules are its own; recomputing gives the same rows; the query count does not grow."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from deputies.models import (
    DutyRecord,
    DutyScore,
    ScoringRule,
    ScoringScheme,
)
from deputies.scoring import compute_scores, record_points, scheme_for
from tests import factories as f

K = DutyRecord.Kind
YEAR = 2026


def acts(deputy, kind, n, *, year=YEAR, grade="", start=0):
    source_type = ContentType.objects.get_for_model(deputy)  # any model: scoring reads kinds
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy=deputy,
                kind=kind,
                occurred_on=datetime.date(year, 1 + (i % 12), 1 + (i % 28)),
                title=f"{kind} {i}",
                source_type=source_type,
                source_id=start + i + 1,
                grade=grade,
            )
            for i in range(n)
        ]
    )


def items(deputy, year=YEAR) -> dict:
    score = DutyScore.objects.filter(deputy=deputy, year=year).first()
    return {line.kind: line for line in score.lines()} if score else {}


def test_points_caps_and_quality_factors(world):
    d = world.deputy_a1
    acts(d, K.RECEPTION, 3)  # 3 × 2
    acts(d, K.ACTIVITY, 15)  # 15 × 2 = 30, capped at 24
    acts(d, K.SUGGESTION, 2, grade="solved")  # 2 × 5 × 2.0
    acts(d, K.SUGGESTION, 1, grade="not_registered", start=100)  # 5 × 0.5
    acts(d, K.SUGGESTION, 1, start=200)  # no grade: factor 1
    acts(d, K.RECEPTION, 4, year=YEAR - 1, start=300)  # another year
    assert compute_scores(YEAR) == 1
    lines = items(d)
    assert lines[K.RECEPTION].acts == 3 and lines[K.RECEPTION].points == Decimal("6.00")
    activity = lines[K.ACTIVITY]
    assert (activity.raw_points, activity.cap, activity.points) == (
        Decimal("30.00"),
        Decimal("24.00"),
        Decimal("24.00"),
    )
    assert lines[K.SUGGESTION].acts == 4
    assert lines[K.SUGGESTION].points == Decimal("27.50")  # 20 + 2.5 + 5
    score = DutyScore.objects.get(deputy=d, year=YEAR)
    assert (score.contact, score.suggestion, score.activity) == (
        Decimal("6.00"),
        Decimal("27.50"),
        Decimal("24.00"),
    )
    assert score.total == Decimal("57.50") and score.acts == 22


def test_the_breakdown_adds_up_and_matches_the_records(world):
    d = world.deputy_a2
    acts(d, K.RECEPTION, 20)
    acts(d, K.SUGGESTION, 3, grade="registered")
    compute_scores(YEAR)
    score = DutyScore.objects.get(deputy=d, year=YEAR)
    lines = items(d)
    assert sum(i.points for i in lines.values()) == score.total == Decimal("42.00")
    # Written out, not read back from the rules: 20 × 2 capped at 24; 3 × 5 × 1.2.
    assert {k: (i.acts, i.raw_points, i.points) for k, i in lines.items()} == {
        K.RECEPTION: (20, Decimal("40.00"), Decimal("24.00")),
        K.SUGGESTION: (3, Decimal("18.00"), Decimal("18.00")),
    }
    scheme = scheme_for(YEAR)
    per_kind: dict[str, Decimal] = {}
    for record, points in record_points(scheme, DutyRecord.objects.filter(deputy=d)):
        per_kind[record.kind] = per_kind.get(record.kind, Decimal(0)) + points
    assert per_kind == {K.RECEPTION: Decimal("40.00"), K.SUGGESTION: Decimal("18.00")}


def test_recomputing_gives_the_same_rows(world):
    acts(world.deputy_a1, K.RECEPTION, 5)
    acts(world.deputy_b1, K.ACTIVITY, 2)

    def snapshot():
        return sorted(
            DutyScore.objects.filter(year=YEAR).values_list("deputy_id", "total", "acts")
        ), sorted(
            (score.deputy_id, line.kind, line.points)
            for score in DutyScore.objects.filter(year=YEAR)
            for line in score.lines()
        )

    compute_scores(YEAR)
    first = snapshot()
    compute_scores(YEAR)
    assert snapshot() == first and len(first[0]) == 2


def test_a_rule_change_for_one_year_leaves_the_other_year_alone(world):
    d = world.deputy_a1
    acts(d, K.RECEPTION, 2, year=YEAR - 1)
    acts(d, K.RECEPTION, 2, start=50)
    compute_scores(YEAR - 1)
    compute_scores(YEAR)
    ScoringRule.objects.filter(scheme__year=YEAR, kind=K.RECEPTION).update(points=5)
    compute_scores(YEAR)
    compute_scores(YEAR - 1)
    assert DutyScore.objects.get(deputy=d, year=YEAR).total == Decimal("10.00")
    assert DutyScore.objects.get(deputy=d, year=YEAR - 1).total == Decimal("4.00")


def test_a_new_year_copies_the_latest_rules(world):
    earlier = scheme_for(YEAR)
    ScoringRule.objects.filter(scheme=earlier, kind=K.RECEPTION).update(points=3, cap=None)
    later = scheme_for(YEAR + 1)
    rule = later.rules.get(kind=K.RECEPTION)
    assert (rule.points, rule.cap) == (Decimal("3.00"), None)
    assert later.multipliers.count() == earlier.multipliers.count() > 0
    assert ScoringScheme.objects.count() == 2


def test_a_kind_without_a_rule_does_not_count(world):
    scheme = scheme_for(YEAR)
    scheme.rules.filter(kind=K.VOTER_VISIT).delete()
    acts(world.deputy_a1, K.VOTER_VISIT, 4)
    acts(world.deputy_a1, K.RECEPTION, 1, start=10)
    compute_scores(YEAR)
    assert set(items(world.deputy_a1)) == {K.RECEPTION}


def test_the_query_count_does_not_grow_with_the_number_of_deputies(world):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            compute_scores(YEAR)
        return len(ctx.captured_queries)

    acts(world.deputy_a1, K.RECEPTION, 2)
    scheme_for(YEAR)
    before = queries()
    for i in range(20):
        deputy = f.make_deputy(world.home_a1)
        acts(deputy, K.RECEPTION, 3, start=1000 * (i + 1))
        acts(deputy, K.SUGGESTION, 1, grade="solved", start=1000 * (i + 1) + 500)
    assert queries() == before
    assert DutyScore.objects.filter(year=YEAR).count() == 21


@pytest.mark.parametrize(
    ("steps", "grade"),
    [
        ("submit", "submitted"),
        ("register", "registered"),
        ("not_register", "not_registered"),
        ("evaluate", "solved"),
    ],
)
def test_a_suggestions_duty_records_follow_its_lifecycle(users, world, steps, grade):
    from suggestions import services as s
    from suggestions.models import ReplyCategory

    today = timezone.localdate()
    sug = s.suggestion_create(
        user=users["deputy"],
        lead_deputy=world.deputy_a1,
        title="关于村道的建议",
        content="x",
        category="roads",
    )
    s.public_meeting_add(
        user=users["deputy"], suggestion=sug, date=today, place="院坝", people_met=3, summary="x"
    )
    sug = s.suggestion_submit(user=users["deputy"], suggestion=sug, version=sug.version)
    if steps == "not_register":
        s.suggestion_not_register(
            user=users["staff"], suggestion=sug, version=sug.version, reason="不属于建议范围"
        )
    elif steps in ("register", "evaluate"):
        sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
        if steps == "evaluate":
            sug = s.suggestion_assign(
                user=users["staff"], suggestion=sug, version=sug.version, lead_unit=world.unit_a
            )
            s.suggestion_reply(
                user=users["unit"],
                suggestion=sug,
                version=sug.version,
                category=ReplyCategory.objects.get(code="A"),
                text="已解决",
            )
            sug.refresh_from_db()
            s.deputy_evaluation(
                user=users["deputy"], suggestion=sug, version=sug.version, result="satisfied"
            )
    record = DutyRecord.objects.get(kind=K.SUGGESTION)
    assert record.grade == grade
