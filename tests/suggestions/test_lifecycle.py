"""The suggestion lifecycle's state machine, deadlines, re-handling and conflicts."""

import datetime

import pytest
from django.utils import timezone

from core.errors import DomainError
from deputies.models import DutyRecord
from stations.models import Opinion
from suggestions import services as s
from suggestions.models import Assignment, Evaluation, EvaluationCode, ReplyCategory, Suggestion
from tests import factories as f

TODAY = timezone.localdate()
A = lambda: ReplyCategory.objects.get(code="A")  # noqa: E731


@pytest.fixture
def draft(users, world):
    return s.suggestion_create(
        user=users["deputy"],
        lead_deputy=world.deputy_a1,
        title="关于硬化三组村道的建议",
        content="三组村道雨天泥泞,群众出行困难。",
        category="roads",
        co_signers=[world.deputy_a2],
    )


def met_public(users, suggestion):
    s.public_meeting_add(
        user=users["deputy"],
        suggestion=suggestion,
        date=TODAY,
        place="三组院坝",
        people_met=23,
        summary="希望硬化村道",
    )


def fresh(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


@pytest.fixture
def replied(users, world, draft):
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    co_unit = f.make_unit(world.county_a, "甲县财政局")
    sug = s.suggestion_assign(
        user=users["staff"],
        suggestion=sug,
        version=sug.version,
        lead_unit=world.unit_a,
        co_units=[co_unit],
        assigned_on=datetime.date(2026, 1, 31),
    )
    sug = s.suggestion_accept(user=users["unit"], suggestion=sug, version=sug.version)
    s.progress_report_add(
        user=users["unit"],
        suggestion=sug,
        date=TODAY,
        place="村委会",
        attendance=30,
        feedback="群众认可施工方案",
    )
    s.suggestion_reply(
        user=users["unit"],
        suggestion=sug,
        version=sug.version,
        category=A(),
        text="已列入今年通组路硬化计划并完工。",
    )
    return fresh(sug)


def test_the_full_life_to_closing(users, replied):
    sug = s.deputy_evaluation(
        user=users["deputy"], suggestion=replied, version=replied.version, result="satisfied"
    )
    assert sug.status == Suggestion.Status.EVALUATED
    sug = s.suggestion_close(user=users["staff"], suggestion=sug, version=sug.version)
    assert sug.status == Suggestion.Status.CLOSED
    assert sug.number == f"{TODAY.year}-001"
    timeline = list(sug.events.values_list("to_status", flat=True))
    assert timeline == [
        "draft",
        "submitted",
        "registered",
        "assigned",
        "in_handling",
        "replied",
        "evaluated",
        "closed",
    ]
    assert all(sug.events.exclude(to_status="draft").values_list("actor", flat=True))
    reply = sug.replies.get()
    assert reply.category.code == "A" and not reply.without_progress_report


def test_submission_is_a_duty_act_of_the_lead_and_co_signers(users, world, replied):
    records = DutyRecord.objects.filter(kind="suggestion")
    assert {r.deputy_id for r in records} == {world.deputy_a1.pk, world.deputy_a2.pk}


def test_meeting_the_public_and_evaluating_are_duty_acts_of_the_lead_deputy(users, world, replied):
    s.deputy_evaluation(
        user=users["deputy"],
        suggestion=replied,
        version=replied.version,
        result=Evaluation.Result.SATISFIED,
    )
    meeting = DutyRecord.objects.get(kind="suggestion_meeting")
    evaluation = DutyRecord.objects.get(kind="suggestion_evaluation")
    assert meeting.deputy_id == evaluation.deputy_id == world.deputy_a1.pk
    assert meeting.source_id == replied.public_meetings.get().pk
    assert evaluation.source_id == replied.evaluations.get(kind="deputy").pk


def test_submission_without_meeting_the_public_is_refused_by_default(users, draft):
    with pytest.raises(DomainError, match="与群众见面"):
        s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    assert fresh(draft).status == Suggestion.Status.DRAFT


def test_or_only_flagged_where_the_deployment_says_so(users, draft, settings):
    settings.SUGGESTION_PUBLIC_MEETING_RULE = "flag"
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    assert sug.status == Suggestion.Status.SUBMITTED
    assert "未登记与群众见面" in sug.events.last().note


@pytest.mark.parametrize(
    ("assigned_on", "is_complex", "deadline"),
    [
        (datetime.date(2026, 1, 31), False, datetime.date(2026, 4, 30)),
        (datetime.date(2026, 11, 30), False, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 8, 31), True, datetime.date(2027, 2, 28)),
        (datetime.date(2026, 3, 15), True, datetime.date(2026, 9, 15)),
    ],
)
def test_deadline_is_three_calendar_months_or_six_for_complex(assigned_on, is_complex, deadline):
    assert s.deadline_for(assigned_on, is_complex=is_complex) == deadline


def test_assignment_records_units_deadline_and_key_supervision(users, world, draft):
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    with pytest.raises(DomainError, match="督办领导"):
        s.suggestion_assign(
            user=users["staff"],
            suggestion=sug,
            version=sug.version,
            lead_unit=world.unit_a,
            key_supervision=True,
        )
    with pytest.raises(DomainError, match="本县"):
        s.suggestion_assign(
            user=users["staff"], suggestion=sug, version=sug.version, lead_unit=world.unit_b
        )
    sug = s.suggestion_assign(
        user=users["staff"],
        suggestion=sug,
        version=sug.version,
        lead_unit=world.unit_a,
        is_complex=True,
        key_supervision=True,
        supervising_leader=users["member"],
        assigned_on=datetime.date(2026, 8, 31),
    )
    assert (sug.deadline, sug.original_deadline) == (
        datetime.date(2027, 2, 28),
        datetime.date(2027, 2, 28),
    )
    assert sug.key_supervision and sug.supervising_leader == users["member"]
    assert list(sug.assignments.values_list("unit__name", "role")) == [("甲县交通运输局", "lead")]


def test_reply_without_a_progress_report_is_flagged(users, world, draft):
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    sug = s.suggestion_assign(
        user=users["staff"], suggestion=sug, version=sug.version, lead_unit=world.unit_a
    )
    reply = s.suggestion_reply(
        user=users["unit"], suggestion=sug, version=sug.version, category=A(), text="已办理"
    )
    assert reply.without_progress_report


def test_unsatisfied_evaluation_sends_it_back_with_a_new_round_and_deadline(users, world, replied):
    sug = s.deputy_evaluation(
        user=users["deputy"],
        suggestion=replied,
        version=replied.version,
        result="unsatisfied",
        comment="路面质量差",
    )
    assert (sug.status, sug.round) == (Suggestion.Status.IN_HANDLING, 2)
    assert sug.deadline == s.deadline_for(TODAY, is_complex=False, rehandling=True)
    second = sug.assignments.filter(round=2)
    assert {(a.unit.name, a.role) for a in second} == {
        ("甲县交通运输局", "lead"),
        ("甲县财政局", "co"),
    }
    assert sug.assignments.filter(round=1).count() == 2  # the first round is kept
    assert sug.events.last().to_status == "in_handling" and "重新办理" in sug.events.last().note
    # The second round runs again to a satisfied end.
    s.suggestion_reply(
        user=users["unit"], suggestion=sug, version=sug.version, category=A(), text="返工重修"
    )
    sug = fresh(sug)
    sug = s.deputy_evaluation(
        user=users["deputy"], suggestion=sug, version=sug.version, result="basically"
    )
    assert sug.status == Suggestion.Status.EVALUATED
    assert sug.replies.count() == 2 and sug.evaluations.filter(kind="deputy").count() == 2


def test_mostly_unsatisfied_public_also_sends_it_back(users, replied):
    codes = s.evaluation_codes_issue(user=users["staff"], suggestion=replied, count=3)
    for code, result in zip(codes, ["unsatisfied", "unsatisfied", "satisfied"], strict=True):
        s.public_evaluation_by_code(code=code.code, result=result)
    sug = s.deputy_evaluation(
        user=users["deputy"], suggestion=replied, version=replied.version, result="satisfied"
    )
    assert sug.status == Suggestion.Status.IN_HANDLING and sug.round == 2


def test_an_evaluation_code_counts_once(users, replied):
    code = s.evaluation_codes_issue(user=users["staff"], suggestion=replied, count=1)[0]
    s.public_evaluation_by_code(code=code.code, result="satisfied")
    with pytest.raises(DomainError, match="已经使用过"):
        s.public_evaluation_by_code(code=code.code, result="unsatisfied")
    with pytest.raises(DomainError, match="无效"):
        s.public_evaluation_by_code(code="guess", result="unsatisfied")
    assert Evaluation.objects.filter(kind="public").count() == 1
    assert EvaluationCode.objects.get().used_at is not None


def test_two_people_editing_at_once_the_second_gets_a_conflict(users, world, draft):
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    stale_version = sug.version
    s.suggestion_register(user=users["staff"], suggestion=sug, version=stale_version)
    with pytest.raises(DomainError, match="刚被其他人修改过"):
        s.suggestion_not_register(
            user=users["admin"], suggestion=sug, version=stale_version, reason="重复"
        )
    assert fresh(sug).status == Suggestion.Status.REGISTERED


ILLEGAL = [
    ("register", "draft"),
    ("assign", "submitted"),
    ("accept", "registered"),
    ("reply", "registered"),
    ("close", "replied"),
    ("evaluate", "in_handling"),
]


@pytest.mark.parametrize(("action", "status"), ILLEGAL)
def test_illegal_transitions_are_refused_with_a_message(users, world, draft, action, status):
    Suggestion.objects.filter(pk=draft.pk).update(status=status)
    sug = fresh(draft)
    Assignment.objects.create(
        suggestion=sug, unit=world.unit_a, role="lead", round=1, assigned_on=TODAY, deadline=TODAY
    )
    calls = {
        "register": lambda: s.suggestion_register(
            user=users["staff"], suggestion=sug, version=sug.version
        ),
        "assign": lambda: s.suggestion_assign(
            user=users["staff"], suggestion=sug, version=sug.version, lead_unit=world.unit_a
        ),
        "accept": lambda: s.suggestion_accept(
            user=users["unit"], suggestion=sug, version=sug.version
        ),
        "reply": lambda: s.suggestion_reply(
            user=users["unit"], suggestion=sug, version=sug.version, category=A(), text="x"
        ),
        "close": lambda: s.suggestion_close(
            user=users["staff"], suggestion=sug, version=sug.version
        ),
        "evaluate": lambda: s.deputy_evaluation(
            user=users["deputy"], suggestion=sug, version=sug.version, result="satisfied"
        ),
    }
    with pytest.raises(DomainError, match="不能"):
        calls[action]()
    assert fresh(sug).status == status and fresh(sug).version == sug.version


def test_wrong_roles_are_refused(users, world, draft):
    with pytest.raises(DomainError):
        s.suggestion_submit(user=users["township"], suggestion=draft, version=draft.version)
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    with pytest.raises(DomainError, match="工作人员"):
        s.suggestion_register(user=users["deputy"], suggestion=sug, version=sug.version)
    other_county_staff = f.make_user("committee_staff", "b_staff", county=world.county_b)
    with pytest.raises(DomainError):
        s.suggestion_register(user=other_county_staff, suggestion=sug, version=sug.version)
    assert fresh(sug).status == Suggestion.Status.SUBMITTED


def test_not_registered_needs_a_reason_and_converting_makes_an_opinion(users, world, draft):
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    with pytest.raises(DomainError, match="理由"):
        s.suggestion_not_register(
            user=users["staff"], suggestion=sug, version=sug.version, reason=" "
        )
    opinion = s.suggestion_convert_to_opinion(
        user=users["staff"], suggestion=sug, version=sug.version, reason="具体群众诉求"
    )
    assert fresh(sug).status == Suggestion.Status.CONVERTED
    assert opinion.station == world.home_a1 and opinion.status == Opinion.Status.RECEIVED


def test_a_suggestion_of_an_unstationed_deputy_is_not_made_a_station_opinion(users, world, draft):
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    type(world.deputy_a1).objects.filter(pk=world.deputy_a1.pk).update(station=None)
    with pytest.raises(DomainError, match="尚未进驻家站"):
        s.suggestion_convert_to_opinion(
            user=users["staff"], suggestion=fresh(sug), version=sug.version, reason="具体群众诉求"
        )
    assert fresh(sug).status == Suggestion.Status.SUBMITTED


def test_extension_keeps_the_original_deadline(users, world, replied):
    sug = Suggestion.objects.get(pk=replied.pk)
    Suggestion.objects.filter(pk=sug.pk).update(status="in_handling")
    sug = fresh(sug)
    with pytest.raises(DomainError, match="晚于"):
        s.extension_request(
            user=users["unit"], suggestion=sug, requested_deadline=sug.deadline, reason="x"
        )
    extension = s.extension_request(
        user=users["unit"],
        suggestion=sug,
        requested_deadline=datetime.date(2026, 7, 31),
        reason="需等待资金下达",
    )
    s.extension_decide(user=users["staff"], extension=extension, approve=True, version=sug.version)
    sug = fresh(sug)
    assert (sug.deadline, sug.original_deadline) == (
        datetime.date(2026, 7, 31),
        datetime.date(2026, 4, 30),
    )
    with pytest.raises(DomainError, match="审批过"):
        s.extension_decide(
            user=users["staff"], extension=extension, approve=False, version=sug.version
        )


def test_registration_numbers_follow_the_highest_of_the_year(users, world, draft):
    for number in ("2026-001", "2026-007"):
        Suggestion.objects.create(
            number=number.replace("2026", str(TODAY.year)),
            title="已编号",
            content="x",
            category="roads",
            county=world.county_a,
            lead_deputy=world.deputy_a2,
            created_by=users["admin"],
        )
    met_public(users, draft)
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    assert sug.number == f"{TODAY.year}-008"


def test_a_suggestion_evaluated_by_code_can_be_deleted_with_its_codes(users, replied):
    code = s.evaluation_codes_issue(user=users["staff"], suggestion=replied, count=1)[0]
    s.public_evaluation_by_code(code=code.code, result=Evaluation.Result.SATISFIED)
    replied.delete()
    assert not EvaluationCode.objects.exists() and not Evaluation.objects.exists()
