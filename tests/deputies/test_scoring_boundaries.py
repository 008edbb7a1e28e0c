"""Duty scoring with every expected figure written out: the default rules and factors as
docs/features.md states them, the first and last day of the year, caps reached and passed, and a
scoring run that crashes ends FAILED."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from core.errors import DomainError
from deputies import scoring
from deputies.models import DutyRecord, DutyScore, ScoreRun, ScoringMultiplier, ScoringScheme
from deputies.scoring import compute_scores, record_points, scheme_for, score_run_execute
from tests import factories as f

K = DutyRecord.Kind
YEAR = 2026
D = datetime.date

# kind → (dimension, points per act, yearly cap), copied from the table in docs/features.md by hand.
README_RULES = {
    "reception": ("contact", Decimal("2.00"), Decimal("24.00")),
    "voter_visit": ("contact", Decimal("1.00"), Decimal("20.00")),
    "small_wish": ("contact", Decimal("2.00"), Decimal("20.00")),
    "small_problem": ("contact", Decimal("2.00"), Decimal("20.00")),
    "aid": ("contact", Decimal("2.00"), Decimal("20.00")),
    "suggestion_meeting": ("contact", Decimal("1.00"), Decimal("10.00")),
    "member_contact": ("contact", Decimal("1.00"), Decimal("12.00")),
    "suggestion": ("suggestion", Decimal("5.00"), Decimal("40.00")),
    "suggestion_evaluation": ("suggestion", Decimal("1.00"), Decimal("5.00")),
    "activity": ("activity", Decimal("2.00"), Decimal("24.00")),
    "training": ("activity", Decimal("2.00"), Decimal("10.00")),
    "duty_report": ("contact", Decimal("5.00"), Decimal("5.00")),
    "session_speech": ("activity", Decimal("3.00"), Decimal("9.00")),
    "session_attendance": ("activity", Decimal("5.00"), Decimal("10.00")),
    "legislative_opinion": ("activity", Decimal("2.00"), Decimal("10.00")),
    "research": ("activity", Decimal("3.00"), Decimal("15.00")),
    "meeting": ("activity", Decimal("2.00"), Decimal("10.00")),
    "other": ("activity", Decimal("1.00"), Decimal("5.00")),
}
README_FACTORS = {
    "not_registered": Decimal("0.50"),
    "submitted": Decimal("1.00"),
    "registered": Decimal("1.20"),
    "satisfied": Decimal("1.50"),
    "solved": Decimal("2.00"),
}


def act(deputy, kind, day, *, grade="", n=1, start=0):
    source_type = ContentType.objects.get_for_model(deputy)
    DutyRecord.objects.bulk_create(
        DutyRecord(
            deputy=deputy,
            kind=kind,
            occurred_on=day,
            title=f"{kind} {i}",
            source_type=source_type,
            source_id=start + i + 1,
            grade=grade,
        )
        for i in range(n)
    )


def lines(deputy, year=YEAR) -> dict:
    score = DutyScore.objects.filter(deputy=deputy, year=year).first()
    return {line.kind: line for line in score.lines()} if score else {}


def test_a_new_years_rules_are_the_readmes_defaults(db):
    scheme = scheme_for(YEAR)
    assert scheme.min_records == 3
    rules = {r.kind: (r.group, r.points, r.cap) for r in scheme.rules.all()}
    assert rules == README_RULES
    factors = {(m.kind, m.grade): m.factor for m in scheme.multipliers.all()}
    assert factors == {("suggestion", grade): f for grade, f in README_FACTORS.items()}


def test_an_existing_years_rules_are_read_in_one_query(db, django_assert_num_queries):
    scheme = scheme_for(YEAR)
    with django_assert_num_queries(1):  # the scheme of the year, nothing created
        assert scheme_for(YEAR) == scheme
    assert ScoringScheme.objects.count() == 1
    assert scheme.rules.count() == 18


def test_a_year_copies_min_records_from_the_year_before(db):
    ScoringScheme.objects.filter(pk=scheme_for(YEAR).pk).update(min_records=5)
    assert scheme_for(YEAR + 1).min_records == 5
    assert scheme_for(YEAR + 1).pk == ScoringScheme.objects.get(year=YEAR + 1).pk


@pytest.mark.parametrize("kind", list(README_RULES))
def test_each_kind_earns_its_points_and_stops_at_its_cap(world, kind):
    group, points, cap = README_RULES[kind]
    capped_after = int(cap / points)
    one, at_cap, past_cap = world.deputy_a1, world.deputy_a2, world.deputy_b1
    act(one, kind, D(YEAR, 6, 1))
    act(at_cap, kind, D(YEAR, 6, 1), n=capped_after)
    act(past_cap, kind, D(YEAR, 6, 1), n=capped_after + 1)
    assert compute_scores(YEAR) == 3
    assert (lines(one)[kind].group, lines(one)[kind].points) == (group, points)
    assert lines(at_cap)[kind].points == cap
    line = lines(past_cap)[kind]
    assert (line.acts, line.raw_points, line.cap, line.points) == (
        capped_after + 1,
        cap + points,
        cap,
        cap,
    )
    score = DutyScore.objects.get(deputy=past_cap, year=YEAR)
    assert getattr(score, group) == cap and score.total == cap


@pytest.mark.parametrize(
    ("grade", "points"),
    [
        ("not_registered", Decimal("2.50")),
        ("submitted", Decimal("5.00")),
        ("registered", Decimal("6.00")),
        ("satisfied", Decimal("7.50")),
        ("solved", Decimal("10.00")),
        ("", Decimal("5.00")),  # no grade: factor 1
    ],
)
def test_a_suggestions_points_follow_its_grade(world, grade, points):
    act(world.deputy_a1, K.SUGGESTION, D(YEAR, 3, 1), grade=grade)
    compute_scores(YEAR)
    assert lines(world.deputy_a1)[K.SUGGESTION].points == points
    scheme = scheme_for(YEAR)
    [(record, each)] = record_points(scheme, DutyRecord.objects.all())
    assert each == points


def test_record_points_leaves_a_kind_without_a_rule_out(world):
    scheme = scheme_for(YEAR)
    scheme.rules.filter(kind=K.OTHER).delete()
    act(world.deputy_a1, K.OTHER, D(YEAR, 3, 1))
    act(world.deputy_a1, K.TRAINING, D(YEAR, 3, 2), start=10)
    points = {r.kind: p for r, p in record_points(scheme, DutyRecord.objects.order_by("pk"))}
    assert points == {K.OTHER: None, K.TRAINING: Decimal("2.00")}


def test_a_factor_for_another_kind_does_not_apply(world):
    scheme = scheme_for(YEAR)
    ScoringMultiplier.objects.create(
        scheme=scheme, kind=K.RECEPTION, grade="solved", factor=Decimal("3.0")
    )
    act(world.deputy_a1, K.RECEPTION, D(YEAR, 3, 1), grade="solved")
    act(world.deputy_a1, K.TRAINING, D(YEAR, 3, 1), grade="solved", start=10)
    compute_scores(YEAR)
    assert lines(world.deputy_a1)[K.RECEPTION].points == Decimal("6.00")
    assert lines(world.deputy_a1)[K.TRAINING].points == Decimal("2.00")


@pytest.mark.parametrize(
    ("day", "counted"),
    [
        (D(YEAR - 1, 12, 31), False),
        (D(YEAR, 1, 1), True),
        (D(YEAR, 12, 30), True),
        (D(YEAR, 12, 31), True),
        (D(YEAR + 1, 1, 1), False),
    ],
)
def test_the_year_runs_from_1_january_to_31_december(world, day, counted):
    act(world.deputy_a1, K.RECEPTION, day)
    assert compute_scores(YEAR) == (1 if counted else 0)
    expected = {K.RECEPTION: Decimal("2.00")} if counted else {}
    assert {k: line.points for k, line in lines(world.deputy_a1).items()} == expected


def test_the_score_row_holds_the_three_dimensions_and_the_acts(world):
    d = world.deputy_a1
    act(d, K.RECEPTION, D(YEAR, 1, 1), n=3)  # contact 6
    act(d, K.SUGGESTION, D(YEAR, 2, 1), grade="registered", start=10)  # suggestion 6
    act(d, K.RESEARCH, D(YEAR, 12, 31), n=2, start=20)  # activity 6
    compute_scores(YEAR)
    score = DutyScore.objects.get(deputy=d, year=YEAR)
    assert (score.total, score.contact, score.suggestion, score.activity, score.acts) == (
        Decimal("18.00"),
        Decimal("6.00"),
        Decimal("6.00"),
        Decimal("6.00"),
        6,
    )


# The scoring run -------------------------------------------------------------------------------


def _run(user=None, year=YEAR) -> ScoreRun:
    return ScoreRun.objects.create(year=year, requested_by=user)


def test_a_run_computes_and_ends_done(world):
    act(world.deputy_a1, K.RECEPTION, D(YEAR, 5, 1))
    run = _run()
    assert score_run_execute(run.pk) == "done"
    run.refresh_from_db()
    assert (run.status, run.deputies, run.error) == (ScoreRun.Status.DONE, 1, "")
    assert run.finished_at is not None
    assert score_run_execute(run.pk) == "skipped"  # a redelivered task does nothing


def test_a_crashed_run_ends_failed_with_the_error(world, monkeypatch):
    def crash(year):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scoring, "compute_scores", crash)
    run = _run()
    with pytest.raises(RuntimeError):
        score_run_execute(run.pk)
    run.refresh_from_db()
    assert run.status == ScoreRun.Status.FAILED
    assert run.error == "RuntimeError: disk full"
    assert run.finished_at is not None and run.deputies == 0
    assert score_run_execute(run.pk) == "skipped"


def test_a_long_error_is_kept_to_2000_characters(world, monkeypatch):
    def crash(year):
        raise RuntimeError("x" * 3000)

    monkeypatch.setattr(scoring, "compute_scores", crash)
    run = _run()
    with pytest.raises(RuntimeError):
        score_run_execute(run.pk)
    error = ScoreRun.objects.get(pk=run.pk).error
    assert len(error) == 2000 and error.startswith("RuntimeError: xxx")


def test_starting_a_run_queues_its_task_once(users):
    from core.models import OutboxMessage

    run = scoring.score_run_start(user=users["staff"], year=YEAR)
    message = OutboxMessage.objects.get()
    assert (message.task_name, message.args) == ("deputies.tasks.run_scoring", [run.pk])


def test_a_run_only_starts_for_a_pending_run(world):
    run = _run()
    ScoreRun.objects.filter(pk=run.pk).update(status=ScoreRun.Status.RUNNING)
    assert score_run_execute(run.pk) == "skipped"
    assert ScoreRun.objects.get(pk=run.pk).status == ScoreRun.Status.RUNNING


@pytest.mark.parametrize("role", ["admin", "staff"])
def test_score_managers_start_a_run_for_years_from_2000_to_this_year(users, role):
    from django.utils import timezone

    this_year = timezone.localdate().year
    for year in (2000, this_year):
        run = scoring.score_run_start(user=users[role], year=year)
        assert (run.year, run.status, run.requested_by) == (year, "pending", users[role])
    for year in (1999, this_year + 1):
        with pytest.raises(DomainError):
            scoring.score_run_start(user=users[role], year=year)
    assert ScoreRun.objects.count() == 2


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "unit", "outsider"])
def test_other_roles_may_not_start_a_run(users, role):
    with pytest.raises(PermissionDenied):
        scoring.score_run_start(user=users[role], year=YEAR)
    assert ScoreRun.objects.count() == 0


def test_a_score_manager_of_no_county_still_has_the_role(db):
    user = f.make_user("committee_staff")
    assert scoring.score_run_start(user=user, year=2020).year == 2020


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
