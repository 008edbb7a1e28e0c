"""The demo county's year of suggestions: the seed's headline figures and rows that
suggestions.services could have written."""

import datetime
import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role, User
from core.crypto import open_sealed_file
from core.workdays import add_months
from demo.seed import CountyBuilder, county_identity, ensure_demo_users
from demo.suggestions import build_suggestions, session_year
from deputies.models import DutyRecord
from directory.models import Level, Mandate, Region
from suggestions.models import (
    Assignment,
    AssignmentMeeting,
    DeadlineExtension,
    Evaluation,
    EvaluationCode,
    ProgressReport,
    ReassignRequest,
    Reply,
    Suggestion,
    SuggestionEvent,
    UnitContact,
)
from suggestions.services import TRANSITIONS, deadline_for
from suggestions.statistics import suggestion_statistics

S = Suggestion.Status
REGISTERED = {S.REGISTERED, S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.EVALUATED, S.CLOSED}
SUPERVISED = REGISTERED - {S.REGISTERED}
POSITIVE = {Evaluation.Result.SATISFIED, Evaluation.Result.BASICALLY}
UNSATISFIED = Evaluation.Result.UNSATISFIED
# What the services may write: the transitions, and an approved extension (status unchanged).
MOVES = {(a, target) for sources, target in TRANSITIONS.values() for a in sources} | {
    (S.ASSIGNED, S.ASSIGNED),
    (S.IN_HANDLING, S.IN_HANDLING),
}


def year_statistics(today: datetime.date, congress_level: str = Suggestion.Congress.COUNTY):
    """The year's statistics of the county congress (the seed's headline is the county's)."""
    year = session_year(today)
    admin = User.objects.get(username="admin")
    return suggestion_statistics(
        user=admin,
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        today=today,
        congress_level=congress_level,
    )


def assert_headline(today: datetime.date) -> None:
    totals = year_statistics(today).totals
    assert totals.supervised == 420
    assert totals.solved == 385
    assert totals.satisfaction_rate == Decimal("96.8")
    assert totals.rehandled > 0
    assert totals.key_supervision > 0


def by_suggestion(model, **filters) -> dict[int, list]:
    rows = defaultdict(list)
    for row in model.objects.filter(**filters).order_by("pk"):
        rows[row.suggestion_id].append(row)
    return rows


def assert_consistent(county: Region, today: datetime.date) -> None:
    """Every suggestion's status, round, version, numbers, deadlines and timeline agree with its
    rows, as the services would have left them; nothing happens after today."""
    suggestions = list(
        Suggestion.objects.filter(county=county)
        .select_related("lead_deputy__station")
        .prefetch_related("co_signers", "from_opinions")
    )
    inside = {"suggestion__county": county}
    events = by_suggestion(SuggestionEvent, **inside)
    assignments = by_suggestion(Assignment, **inside)
    replies = by_suggestion(Reply, **inside)
    reports = by_suggestion(ProgressReport, **inside)
    evaluations = by_suggestion(Evaluation, **inside)
    extensions = by_suggestion(DeadlineExtension, **inside)
    leaders = set(
        User.objects.filter(
            role__in=(Role.COMMITTEE_MEMBER, Role.COMMITTEE_STAFF), county=county
        ).values_list("pk", flat=True)
    )
    township_leaders = dict(
        User.objects.filter(role=Role.TOWNSHIP_STAFF, township__county=county).values_list(
            "pk", "township_id"
        )
    )
    # Deputies who held a mandate of the congress (one may have resigned since: the demo's
    # mandate events end a county mandate after the suggestions it co-signed).
    county_deputies = set(
        Mandate.objects.filter(level=Level.COUNTY, deputy__station__county=county).values_list(
            "deputy_id", flat=True
        )
    )
    township_deputies = dict(
        Mandate.objects.filter(level=Level.TOWNSHIP, deputy__station__county=county).values_list(
            "deputy_id", "deputy__station__township_id"
        )
    )
    duties = set(
        DutyRecord.objects.filter(kind=DutyRecord.Kind.SUGGESTION).values_list(
            "source_id", "deputy_id"
        )
    )
    for congress_id in {s.congress_id for s in suggestions}:
        numbers = Counter(
            s.number for s in suggestions if s.number and s.congress_id == congress_id
        )
        assert all(n == 1 for n in numbers.values()), "numbers are unique in the congress"
        for year in {number[:4] for number in numbers}:
            sequence = sorted(int(n[5:]) for n in numbers if n.startswith(f"{year}-"))
            assert sequence == list(range(1, len(sequence) + 1)), "numbered without gaps"

    for s in suggestions:
        label = f"{s.number or s.pk} {s.status}"
        timeline = sorted(events[s.pk], key=lambda e: (e.at, e.pk))
        # The lead and the co-signers are deputies of the suggestion's congress.
        if s.congress_level == Suggestion.Congress.COUNTY:
            assert s.congress_id == county.pk, label
            members = county_deputies
        else:
            members = {d for d, t in township_deputies.items() if t == s.congress_id}
        assert s.lead_deputy_id in members, label
        assert {d.pk for d in s.co_signers.all()} <= members, label
        assert timeline[0].to_status == S.DRAFT and timeline[0].from_status == "", label
        for before, after in zip(timeline, timeline[1:], strict=False):
            assert after.from_status == before.to_status, label
            assert (after.from_status, after.to_status) in MOVES, label
            assert after.at > before.at, label
        assert timeline[-1].to_status == s.status, label
        assert timezone.localdate(timeline[-1].at) <= today, label
        assert s.version == len(timeline), label  # every change after the draft bumps it
        assert s.round == timeline[-1].round, label
        assert s.created_at == timeline[0].at, label

        if s.status == S.DRAFT:
            assert s.submitted_at is None and not s.number, label
            continue
        submit = next(e for e in timeline if e.to_status == S.SUBMITTED)
        assert s.submitted_at == submit.at, label
        if s.from_motion_id is None:  # a motion turned into a suggestion met no public first
            assert s.public_meetings.filter(date__lte=timezone.localdate(submit.at)).exists(), label
        for deputy in [s.lead_deputy, *s.co_signers.all()]:
            assert (s.pk, deputy.pk) in duties, label
        for opinion in s.from_opinions.all():  # heard in the lead deputy's township, before
            assert opinion.township_id == s.lead_deputy.station.township_id, label
        assert bool(s.number) == (s.status in REGISTERED), label
        if s.number:
            assert re.fullmatch(r"\d{4}-\d{3}", s.number), label
        if s.status in (S.NOT_REGISTERED, S.CONVERTED):
            assert s.not_registered_reason, label
        if s.status == S.CONVERTED:
            assert s.converted_opinion.station_id == s.lead_deputy.station_id, label
        if s.status not in SUPERVISED:
            assert not assignments[s.pk] and not replies[s.pk], label
            continue

        # Handling rounds.
        assert bool(s.supervising_leader_id) == s.key_supervision, label
        if s.key_supervision and s.congress_level == Suggestion.Congress.COUNTY:
            assert s.supervising_leader_id in leaders, label
        elif s.key_supervision:
            assert township_leaders[s.supervising_leader_id] == s.congress_id, label
        # A re-handling round has its own, shorter period.
        assert s.original_deadline == deadline_for(
            s.assigned_on, is_complex=s.is_complex, rehandling=s.round > 1
        ), label
        current = [a for a in assignments[s.pk] if a.round == s.round]
        leads = [a for a in current if a.role == Assignment.Role.LEAD]
        assert len(leads) == 1, label
        assert all(a.assigned_on == s.assigned_on and a.deadline == s.deadline for a in current)
        approved = [
            e
            for e in extensions[s.pk]
            if e.round == s.round and e.status == DeadlineExtension.Status.APPROVED
        ]
        if approved:
            assert s.deadline == approved[-1].requested_deadline > s.original_deadline, label
            assert timezone.localdate(approved[-1].decided_at) <= s.original_deadline, label
        else:
            assert s.deadline == s.original_deadline, label
        reply = {r.round: r for r in replies[s.pk]}
        reply_events = {(s.pk, e.round): e.at for e in timeline if e.to_status == S.REPLIED}
        deputy_evaluation = {
            e.round: e for e in evaluations[s.pk] if e.kind == Evaluation.Kind.DEPUTY
        }
        for r in reply.values():
            assert r.replied_on <= today, label
            lead_unit = next(
                a.unit_id
                for a in assignments[s.pk]
                if a.round == r.round and a.role == Assignment.Role.LEAD
            )
            assert r.unit_id == lead_unit and r.replied_by.handling_unit_id == lead_unit, label
            reported = any(p.round == r.round for p in reports[s.pk])
            assert r.without_progress_report == (not reported), label
        if s.status in (S.ASSIGNED, S.IN_HANDLING):
            assert s.round not in reply and s.round not in deputy_evaluation, label
        else:
            assert s.round in reply, label
        if s.status == S.REPLIED:
            assert s.round not in deputy_evaluation, label
        if s.status in (S.EVALUATED, S.CLOSED):
            assert deputy_evaluation[s.round].result in POSITIVE, label
            public = [
                e.result
                for e in evaluations[s.pk]
                if e.round == s.round and e.kind == Evaluation.Kind.PUBLIC
            ]
            assert sum(r == UNSATISFIED for r in public) * 2 <= len(public), label
        for earlier in range(1, s.round):
            assert earlier in reply, label
            assert deputy_evaluation[earlier].result == UNSATISFIED, label
            assert deputy_evaluation[earlier].deputy_id == s.lead_deputy_id, label
            units = {
                r: {(a.unit_id, a.role) for a in assignments[s.pk] if a.round == r}
                for r in (earlier, earlier + 1)
            }
            assert units[earlier] == units[earlier + 1], label  # handled again by the same units
        for evaluation in evaluations[s.pk]:
            assert timezone.localdate(evaluation.created_at) <= today, label
            if evaluation.kind == Evaluation.Kind.PUBLIC:
                assert evaluation.code_id or evaluation.entered_by_id, label
                # The public evaluates while the round waits for the deputy's evaluation.
                closing = deputy_evaluation.get(evaluation.round)
                assert closing is None or evaluation.created_at < closing.created_at, label
                assert evaluation.created_at > reply_events[(s.pk, evaluation.round)], label

    codes = EvaluationCode.objects.filter(suggestion__county=county, evaluation__isnull=False)
    assert all(code.used_at is not None and code.used_at > code.created_at for code in codes)
    assert all(code.evaluation.round == code.round for code in codes.select_related("evaluation"))


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the reply letters the demo writes
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    return Region.objects.get(code=county_identity(0)[0])


def test_demo_year_of_suggestions_reproduces_the_seeds_figures(demo):
    today = timezone.localdate()
    assert_headline(today)
    assert_consistent(demo, today)
    totals = year_statistics(today).totals
    assert totals.total > totals.supervised  # and a tail: submitted, not registered, converted
    statuses = set(Suggestion.objects.values_list("status", flat=True))
    assert statuses == set(S.values)
    assert Suggestion.objects.filter(is_complex=True).exists()
    assert Suggestion.from_opinions.through.objects.exists()
    assert Reply.objects.filter(without_progress_report=True).exists()
    assert Evaluation.objects.filter(code__isnull=False).exists()
    assert Evaluation.objects.filter(kind="public", entered_by__isnull=False).exists()
    year = session_year(today)
    if today > datetime.date(year, 6, 30):  # time enough since the session for these
        assert totals.overdue >= 3
        assert DeadlineExtension.objects.filter(status="approved").count() >= 2

    # The demo deputy: suggestions at every stage, one replied and waiting for his evaluation.
    deputy = User.objects.get(username="deputy").deputy
    led = Suggestion.objects.filter(lead_deputy=deputy)
    assert {S.DRAFT, S.SUBMITTED, S.IN_HANDLING, S.REPLIED} <= set(
        led.values_list("status", flat=True)
    )
    assert led.filter(status__in=(S.EVALUATED, S.CLOSED)).exists()
    waiting = led.get(status=S.REPLIED)
    assert not waiting.evaluations.filter(kind="deputy", round=waiting.round).exists()

    # The demo unit: one to accept, one due within a week, one overdue, one replied.
    unit = User.objects.get(username="unit").handling_unit
    current = [
        a
        for a in Assignment.objects.filter(unit=unit, role="lead").select_related("suggestion")
        if a.round == a.suggestion.round
    ]
    by_status = defaultdict(list)
    for a in current:
        by_status[a.suggestion.status].append((a.deadline - today).days)
    assert by_status[S.ASSIGNED] and by_status[S.REPLIED]
    if today > datetime.date(year, 6, 30):
        assert any(0 <= days <= 7 for days in by_status[S.IN_HANDLING])
        assert any(days < 0 for days in by_status[S.IN_HANDLING])

    # The township congress of the demo township staff: its own suggestions, led and co-signed
    # by its deputies, handled by the township's bodies, tracked by the township staff; one
    # handled again within its one-month period.
    township_user = User.objects.get(username="township")
    township = Suggestion.objects.filter(congress=township_user.township_id)
    assert township.count() >= 6
    assert set(township.values_list("congress_level", flat=True)) == {"township"}
    assert {S.SUBMITTED, S.IN_HANDLING, S.CLOSED} <= set(township.values_list("status", flat=True))
    units = Assignment.objects.filter(suggestion__in=township).values_list("unit__name", flat=True)
    assert units and all(name.startswith(township_user.township.name) for name in units)
    registered = SuggestionEvent.objects.filter(suggestion__in=township, to_status=S.REGISTERED)
    assert set(registered.values_list("actor", flat=True)) == {township_user.pk}
    again = township.get(round=2)
    assert again.deadline == add_months(again.assigned_on, 1) >= today
    assert year_statistics(today, "township").totals.supervised >= 3

    # The units' side (issue 22 §3): the 交办会 with its assignments, contacts before most
    # replies (by phone for some, none for a few), 改办 agreed and refused, a few letters.
    meeting = AssignmentMeeting.objects.get(congress=demo)
    assert meeting.date <= today and meeting.assignments.count() > 100
    assert {"agreed", "refused"} <= set(ReassignRequest.objects.values_list("status", flat=True))
    assert not ReassignRequest.objects.filter(decided_at__date__gt=today).exists()
    contacts = UnitContact.objects.filter(suggestion__county=demo)
    assert contacts.filter(kind="phone").exists() and contacts.filter(kind="meeting").exists()
    assert not contacts.filter(date__gt=today).exists()
    assert Reply.objects.filter(without_contact=True).exists()
    letter = Reply.objects.exclude(letter="").first()
    assert open_sealed_file(letter.letter).read().startswith(b"%PDF-")
    figures = year_statistics(today).totals
    assert 0 < figures.meeting_rate < figures.contact_rate < 100

    # Built once: a second run creates nothing.
    counts = [
        model.objects.count()
        for model in (Suggestion, SuggestionEvent, Evaluation, EvaluationCode, DutyRecord, User)
    ]
    assert build_suggestions(demo, seed=0) is False
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert [
        model.objects.count()
        for model in (Suggestion, SuggestionEvent, Evaluation, EvaluationCode, DutyRecord, User)
    ] == counts


def test_the_figures_hold_whatever_the_day(db, settings, tmp_path):
    """Early in April the year's suggestions are squeezed into a few weeks, in the first quarter
    the year is last year; the figures and the consistency hold on every day."""
    settings.MEDIA_ROOT = tmp_path  # the reply letters the demo writes
    county = CountyBuilder(code="510824", name="苍溪县", seed=0).build()
    ensure_demo_users()
    year = timezone.localdate().year
    for today in (
        datetime.date(year, 4, 1),
        datetime.date(year, 7, 15),
        datetime.date(year, 12, 31),
        datetime.date(year + 1, 3, 31),
    ):
        with transaction.atomic():
            assert build_suggestions(county, seed=0, today=today)
            assert_headline(today)
            assert_consistent(county, today)
            late = Suggestion.objects.filter(
                submitted_at__date__gt=today
            ) | Suggestion.objects.filter(assigned_on__gt=today)
            assert not late.exists()
            assert not Assignment.objects.filter(assigned_on__gt=today).exists()
            if today.month == 12:
                overdue = Suggestion.objects.filter(
                    status__in=(S.ASSIGNED, S.IN_HANDLING), deadline__lt=today
                )
                assert overdue.count() >= 3
                due = today + datetime.timedelta(days=7)
                assert Suggestion.objects.filter(
                    status=S.IN_HANDLING, deadline__gte=today, deadline__lte=due
                ).exists()
            transaction.set_rollback(True)
