"""The bounds of evaluation and extension, each expected value written out: exactly half of the
public unsatisfied, the assignments' own deadline after an approved extension, the version check
of an approval, the number of evaluation codes, the grade a closed round gives."""

import datetime

import pytest
from django.utils import timezone

from core.errors import DomainError
from core.workdays import add_months
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from suggestions import services as s
from suggestions.models import (
    Assignment,
    DeadlineExtension,
    Evaluation,
    EvaluationCode,
    Reply,
    ReplyCategory,
    Suggestion,
    SuggestionEvent,
)

from .states import DEADLINE, snapshot, suggestion_at

TODAY = timezone.localdate()
U, SAT = Evaluation.Result.UNSATISFIED, Evaluation.Result.SATISFIED


def _public(sug, results):
    for result in results:
        Evaluation.objects.create(
            suggestion=sug, round=sug.round, kind=Evaluation.Kind.PUBLIC, result=result
        )


@pytest.mark.parametrize(
    ("public", "deputy", "status", "round"),
    [
        ([], SAT, "evaluated", 1),
        ([U, SAT], SAT, "evaluated", 1),  # exactly half: not mostly unsatisfied
        ([U, U, SAT, SAT], SAT, "evaluated", 1),
        ([U, U, SAT], SAT, "in_handling", 2),  # more than half
        ([U, U, U, SAT, SAT], SAT, "in_handling", 2),
        ([U], SAT, "in_handling", 2),
        ([SAT, SAT], U, "in_handling", 2),  # the deputy unsatisfied
        ([SAT], Evaluation.Result.BASICALLY, "evaluated", 1),
    ],
)
def test_the_public_sends_it_back_only_when_more_than_half_are_unsatisfied(
    users, world, public, deputy, status, round
):
    sug = suggestion_at(world, users["staff"], "replied")
    _public(sug, public)
    sug = s.deputy_evaluation(
        user=users["deputy"], suggestion=sug, version=sug.version, result=deputy
    )
    assert (sug.status, sug.round) == (status, round)
    assert Assignment.objects.filter(suggestion=sug, round=2).count() == (round == 2)


def test_handled_again_the_same_units_get_a_new_round_and_deadline(users, world):
    co = users["unit"].handling_unit.__class__.objects.create(
        name="甲县财政局", county=world.county_a
    )
    sug = suggestion_at(world, users["staff"], "replied", co_unit=co)
    sug = s.deputy_evaluation(user=users["deputy"], suggestion=sug, version=sug.version, result=U)
    # Re-handling has its own, shorter period (1 month by default), not a new 3 months.
    expected_deadline = s.deadline_for(TODAY, is_complex=False, rehandling=True)
    assert expected_deadline == add_months(TODAY, 1)
    assert (sug.round, sug.assigned_on, sug.deadline, sug.original_deadline) == (
        2,
        TODAY,
        expected_deadline,
        expected_deadline,
    )
    rows = list(
        Assignment.objects.filter(suggestion=sug).values_list("round", "unit__name", "role")
    )
    assert sorted(rows) == [
        (1, "甲县交通运输局", "lead"),
        (1, "甲县财政局", "co"),
        (2, "甲县交通运输局", "lead"),
        (2, "甲县财政局", "co"),
    ]


@pytest.mark.parametrize(("code", "grade"), [("A", "solved"), ("D", "satisfied")])
def test_a_satisfied_round_grades_the_duty_record_by_the_reply(users, world, code, grade):
    sug = suggestion_at(world, users["staff"], "in_handling")
    duty_records_sync(
        source=sug,
        kind=DutyRecord.Kind.SUGGESTION,
        deputies=[world.deputy_a1],
        occurred_on=TODAY,
        title="提出建议",
    )
    category = ReplyCategory.objects.get(code=code)
    s.suggestion_reply(
        user=users["unit"], suggestion=sug, version=sug.version, category=category, text="已办"
    )
    sug.refresh_from_db()
    assert DutyRecord.objects.get(kind="suggestion").grade == "registered"
    s.deputy_evaluation(user=users["deputy"], suggestion=sug, version=sug.version, result=SAT)
    assert DutyRecord.objects.get(kind="suggestion").grade == grade


# Extensions ----------------------------------------------------------------------------------


def _request(users, sug, until=datetime.date(2026, 7, 31)):
    return s.extension_request(
        user=users["unit"], suggestion=sug, requested_deadline=until, reason="需等待资金下达"
    )


def test_an_approved_extension_moves_the_deadline_of_the_round_and_its_assignments(users, world):
    co = users["unit"].handling_unit.__class__.objects.create(
        name="甲县财政局", county=world.county_a
    )
    sug = suggestion_at(world, users["staff"], "in_handling", co_unit=co)
    extension = _request(users, sug)
    assert (extension.round, extension.status) == (1, DeadlineExtension.Status.PENDING)
    s.extension_decide(user=users["staff"], extension=extension, approve=True, version=sug.version)
    after = Suggestion.objects.get(pk=sug.pk)
    assert (after.deadline, after.original_deadline, after.version) == (
        datetime.date(2026, 7, 31),
        DEADLINE,
        sug.version + 1,
    )
    assert set(Assignment.objects.filter(suggestion=sug).values_list("deadline", flat=True)) == {
        datetime.date(2026, 7, 31)
    }
    extension.refresh_from_db()
    assert (extension.status, extension.decided_by) == ("approved", users["staff"])
    event = SuggestionEvent.objects.get(suggestion=sug)
    assert (event.from_status, event.to_status, event.note) == (
        "in_handling",
        "in_handling",
        "批准延期至 2026-07-31(原期限 2026-04-30)",
    )


def test_an_extension_leaves_an_earlier_rounds_assignments_alone(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    Suggestion.objects.filter(pk=sug.pk).update(round=2)
    Assignment.objects.create(
        suggestion=sug,
        unit=world.unit_a,
        role=Assignment.Role.LEAD,
        round=2,
        assigned_on=TODAY,
        deadline=DEADLINE,
    )
    sug.refresh_from_db()
    extension = _request(users, sug)
    s.extension_decide(user=users["staff"], extension=extension, approve=True, version=sug.version)
    deadlines = dict(Assignment.objects.filter(suggestion=sug).values_list("round", "deadline"))
    assert deadlines == {1: DEADLINE, 2: datetime.date(2026, 7, 31)}


def test_a_rejected_extension_changes_no_deadline(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    extension = _request(users, sug)
    before = snapshot(sug)
    s.extension_decide(user=users["staff"], extension=extension, approve=False, version=sug.version)
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.REJECTED
    after = snapshot(sug)
    assert after.pop("extensions") != before.pop("extensions")
    assert after == before


def test_an_approval_against_a_stale_version_saves_nothing(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    extension = _request(users, sug)
    before = snapshot(sug)
    with pytest.raises(DomainError, match="刚被其他人修改过"):
        s.extension_decide(
            user=users["staff"], extension=extension, approve=True, version=sug.version - 1
        )
    assert snapshot(sug) == before
    assert DeadlineExtension.objects.get(pk=extension.pk).status == "pending"


@pytest.mark.parametrize(
    ("until", "reason", "field"),
    [
        (DEADLINE, "资金", "requested_deadline"),  # the same day is not later
        (DEADLINE - datetime.timedelta(days=1), "资金", "requested_deadline"),
        (DEADLINE + datetime.timedelta(days=1), "  ", "reason"),
    ],
)
def test_an_extension_must_be_later_and_give_a_reason(users, world, until, reason, field):
    sug = suggestion_at(world, users["staff"], "in_handling")
    with pytest.raises(DomainError) as excinfo:
        s.extension_request(
            user=users["unit"], suggestion=sug, requested_deadline=until, reason=reason
        )
    assert excinfo.value.field == field
    assert not DeadlineExtension.objects.exists()


def test_a_day_later_is_enough(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    extension = _request(users, sug, until=DEADLINE + datetime.timedelta(days=1))
    assert extension.requested_deadline == datetime.date(2026, 5, 1)


def test_no_extension_without_a_deadline(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    Suggestion.objects.filter(pk=sug.pk).update(deadline=None)
    sug.refresh_from_db()
    with pytest.raises(DomainError, match="晚于"):
        _request(users, sug)


# Evaluation codes, public evaluation, meetings ------------------------------------------------


@pytest.mark.parametrize(("count", "made"), [(0, None), (1, 1), (200, 200), (201, None)])
def test_between_1_and_200_codes_at_a_time(users, world, count, made):
    sug = suggestion_at(world, users["staff"], "replied")
    if made is None:
        with pytest.raises(DomainError):
            s.evaluation_codes_issue(user=users["staff"], suggestion=sug, count=count)
    else:
        codes = s.evaluation_codes_issue(user=users["staff"], suggestion=sug, count=count)
        assert len(codes) == made == EvaluationCode.objects.count()
        assert {c.round for c in codes} == {1}


@pytest.mark.parametrize("status", ["in_handling", "evaluated"])
def test_codes_and_paper_forms_only_after_the_reply(users, world, status):
    sug = suggestion_at(world, users["staff"], status)
    with pytest.raises(DomainError):
        s.evaluation_codes_issue(user=users["staff"], suggestion=sug, count=1)
    with pytest.raises(DomainError):
        s.public_evaluation_paper(user=users["staff"], suggestion=sug, result=SAT)
    assert not Evaluation.objects.exists() and not EvaluationCode.objects.exists()


def test_a_paper_form_is_a_public_evaluation_of_the_round(users, world):
    sug = suggestion_at(world, users["staff"], "replied")
    evaluation = s.public_evaluation_paper(
        user=users["staff"], suggestion=sug, result=U, comment="路面仍有坑"
    )
    assert (evaluation.kind, evaluation.round, evaluation.result, evaluation.entered_by) == (
        "public",
        1,
        "unsatisfied",
        users["staff"],
    )


def test_a_code_of_an_earlier_round_no_longer_counts(users, world):
    sug = suggestion_at(world, users["staff"], "replied")
    code = s.evaluation_codes_issue(user=users["staff"], suggestion=sug, count=1)[0]
    Suggestion.objects.filter(pk=sug.pk).update(round=2)
    with pytest.raises(DomainError, match="不在测评阶段"):
        s.public_evaluation_by_code(code=code.code, result=SAT)
    assert EvaluationCode.objects.get(pk=code.pk).used_at is None  # rolled back
    assert not Evaluation.objects.exists()


def test_a_code_counts_only_while_the_suggestion_awaits_evaluation(users, world):
    sug = suggestion_at(world, users["staff"], "replied")
    code = s.evaluation_codes_issue(user=users["staff"], suggestion=sug, count=1)[0]
    Suggestion.objects.filter(pk=sug.pk).update(status="evaluated")
    with pytest.raises(DomainError, match="不在测评阶段"):
        s.public_evaluation_by_code(code=code.code, result=SAT)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize(
    ("days", "people", "field"),
    [(1, 5, "date"), (0, 0, "people_met"), (0, 1, None), (-30, 5, None)],
)
def test_a_public_meeting_is_in_the_past_with_at_least_one_person(
    users, world, days, people, field
):
    sug = suggestion_at(world, users["staff"], "draft")
    call = dict(
        user=users["deputy"],
        suggestion=sug,
        date=TODAY + datetime.timedelta(days=days),
        place="院坝",
        people_met=people,
        summary="x",
    )
    if field is None:
        meeting = s.public_meeting_add(**call)
        record = DutyRecord.objects.get(kind="suggestion_meeting")
        assert (record.deputy_id, record.occurred_on) == (world.deputy_a1.pk, meeting.date)
    else:
        with pytest.raises(DomainError) as excinfo:
            s.public_meeting_add(**call)
        assert excinfo.value.field == field
        assert sug.public_meetings.count() == 1  # only the one the builder made


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users


def test_a_draft_starts_round_one_with_its_opinions(users, world):
    from stations.models import Opinion

    opinion = Opinion.objects.create(
        channel=Opinion.Channel.MAILBOX,
        county=world.county_a,
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="村道破损",
    )
    sug = s.suggestion_create(
        user=users["deputy"],
        lead_deputy=world.deputy_a1,
        title="  关于村道的建议 ",
        content="内容",
        category="roads",
        co_signers=[world.deputy_a1, world.deputy_a2],
        opinions=[opinion],
    )
    assert (sug.title, sug.status, sug.round, sug.version) == ("关于村道的建议", "draft", 1, 1)
    assert list(sug.from_opinions.all()) == [opinion]
    assert list(sug.co_signers.all()) == [world.deputy_a2]  # the lead is not a co-signer
    event = SuggestionEvent.objects.get(suggestion=sug)
    assert (event.from_status, event.to_status, event.round, event.note) == ("", "draft", 1, "起草")


def test_submitting_makes_graded_duty_records_for_the_lead_and_co_signers(users, world):
    sug = suggestion_at(world, users["staff"], "draft")
    DutyRecord.objects.all().delete()  # the builder's record: here submitting makes them
    sug.co_signers.add(world.deputy_a2)
    s.suggestion_submit(user=users["deputy"], suggestion=sug, version=sug.version)
    records = DutyRecord.objects.filter(kind="suggestion").order_by("deputy_id")
    assert [(r.deputy_id, r.grade, r.occurred_on) for r in records] == [
        (world.deputy_a1.pk, "submitted", TODAY),
        (world.deputy_a2.pk, "submitted", TODAY),
    ]


def test_a_suggestion_is_numbered_by_the_year_it_was_submitted_in(users, world):
    sug = suggestion_at(world, users["staff"], "submitted")
    submitted = timezone.make_aware(datetime.datetime(2025, 12, 31, 20, 0))
    Suggestion.objects.filter(pk=sug.pk).update(submitted_at=submitted)
    sug.refresh_from_db()
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    assert sug.number == "2025-001"


def test_converting_notes_why_and_makes_an_opinion_at_the_leads_station(users, world):
    for reason in ("属于群众意见", "具体群众诉求"):
        sug = suggestion_at(world, users["staff"], "submitted")
        opinion = s.suggestion_convert_to_opinion(
            user=users["staff"], suggestion=sug, version=sug.version, reason=reason
        )
        event = SuggestionEvent.objects.filter(suggestion=sug).latest("pk")
        expected = f"不作为代表建议处理,转为群众意见:{reason}"
        assert (event.to_status, event.note) == ("converted", expected)
        assert (opinion.station, opinion.channel, opinion.content) == (
            world.home_a1,
            "visit",
            "关于硬化三组村道的建议\n三组村道雨天泥泞,群众出行困难。",
        )


def test_the_lead_unit_cannot_also_co_handle(users, world):
    sug = suggestion_at(world, users["staff"], "registered")
    before = snapshot(sug)
    with pytest.raises(DomainError) as excinfo:
        s.suggestion_assign(
            user=users["staff"],
            suggestion=sug,
            version=sug.version,
            lead_unit=world.unit_a,
            co_units=[world.unit_a],
        )
    assert (excinfo.value.message, excinfo.value.field) == (
        "主办单位不能同时是协办单位。",
        "co_units",
    )
    assert snapshot(sug) == before


@pytest.mark.parametrize(("title", "content"), [(" ", "内容"), ("标题", " "), ("", "")])
def test_a_draft_needs_a_title_and_a_content(users, world, title, content):
    with pytest.raises(DomainError, match="请填写建议的标题和内容"):
        s.suggestion_create(
            user=users["deputy"],
            lead_deputy=world.deputy_a1,
            title=title,
            content=content,
            category="roads",
        )
    assert not Suggestion.objects.exists()


def test_a_reply_needs_a_text_and_an_active_category(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    before = snapshot(sug)
    category = ReplyCategory.objects.get(code="A")
    with pytest.raises(DomainError) as excinfo:
        s.suggestion_reply(
            user=users["unit"], suggestion=sug, version=sug.version, category=category, text=" "
        )
    assert excinfo.value.field == "text"
    ReplyCategory.objects.filter(pk=category.pk).update(is_active=False)
    category.refresh_from_db()
    with pytest.raises(DomainError, match="该答复类别已停用") as excinfo:
        s.suggestion_reply(
            user=users["unit"], suggestion=sug, version=sug.version, category=category, text="已办"
        )
    assert excinfo.value.field == "category"
    assert snapshot(sug) == before


@pytest.mark.parametrize("status", ["replied", "evaluated", "closed"])
def test_no_extension_once_handling_is_over(users, world, status):
    sug = suggestion_at(world, users["staff"], status)
    with pytest.raises(DomainError, match="不在办理中"):
        _request(users, sug)
    assert not DeadlineExtension.objects.exists()


def test_the_decision_returns_the_extension_as_decided(users, world):
    sug = suggestion_at(world, users["staff"], "in_handling")
    extension = _request(users, sug)
    decided = s.extension_decide(
        user=users["staff"], extension=extension, approve=True, version=sug.version
    )
    assert (decided.pk, decided.status, decided.decided_by) == (
        extension.pk,
        "approved",
        users["staff"],
    )


@pytest.mark.parametrize(
    ("status", "days", "refused"),
    [("in_handling", 0, None), ("assigned", 0, None), ("replied", 0, "不在办理中"),
     ("in_handling", 1, "汇报日期不能晚于今天")],
)  # fmt: skip
def test_progress_is_reported_while_handling_and_not_in_the_future(
    users, world, status, days, refused
):
    sug = suggestion_at(world, users["staff"], status)
    call = dict(
        user=users["unit"],
        suggestion=sug,
        date=TODAY + datetime.timedelta(days=days),
        place="村委会",
        attendance=9,
        feedback="认可",
    )
    if refused is None:
        report = s.progress_report_add(**call)
        assert (report.unit, report.round, report.attendance) == (world.unit_a, 1, 9)
    else:
        with pytest.raises(DomainError, match=refused):
            s.progress_report_add(**call)
        assert not sug.progress_reports.exists()


@pytest.mark.parametrize(("role", "entered_by"), [("deputy", None), ("staff", "staff")])
def test_a_deputy_evaluation_records_who_entered_it(users, world, role, entered_by):
    sug = suggestion_at(world, users["staff"], "replied")
    s.deputy_evaluation(user=users[role], suggestion=sug, version=sug.version, result=SAT)
    evaluation = Evaluation.objects.get(kind="deputy")
    assert evaluation.deputy == world.deputy_a1
    assert evaluation.entered_by == (users[entered_by] if entered_by else None)


def test_one_deputy_evaluation_and_one_reply_a_round(users, world):
    sug = suggestion_at(world, users["staff"], "replied")
    Evaluation.objects.create(
        suggestion=sug, round=1, kind=Evaluation.Kind.DEPUTY, result=U, deputy=world.deputy_a1
    )
    with pytest.raises(DomainError, match="本轮代表测评已经完成"):
        s.deputy_evaluation(user=users["deputy"], suggestion=sug, version=sug.version, result=SAT)
    assert Suggestion.objects.get(pk=sug.pk).status == "replied"
    sug = suggestion_at(world, users["staff"], "in_handling")
    category = ReplyCategory.objects.get(code="A")
    s.suggestion_reply(
        user=users["unit"], suggestion=sug, version=sug.version, category=category, text="一"
    )
    Suggestion.objects.filter(pk=sug.pk).update(status="in_handling")
    sug.refresh_from_db()
    with pytest.raises(DomainError, match="本轮已经答复过了"):
        s.suggestion_reply(
            user=users["unit"], suggestion=sug, version=sug.version, category=category, text="二"
        )
    assert Suggestion.objects.get(pk=sug.pk).status == "in_handling"


def test_closing_notes_why(users, world):
    for note, expected in (("", "办结"), ("已全部完成", "已全部完成")):
        sug = suggestion_at(world, users["staff"], "evaluated")
        s.suggestion_close(user=users["staff"], suggestion=sug, version=sug.version, note=note)
        assert SuggestionEvent.objects.filter(suggestion=sug).latest("pk").note == expected


def test_grading_many_at_once_matches_the_lifecycle(users, world):
    expected = {
        "draft": "submitted",
        "submitted": "submitted",
        "not_registered": "not_registered",
        "converted": "not_registered",
        "registered": "registered",
        "in_handling": "registered",
        "replied": "registered",
        "evaluated": "solved",  # with an A reply
        "closed": "satisfied",  # with a D reply
    }
    made = {status: suggestion_at(world, users["staff"], status) for status in expected}
    for status, code in (("evaluated", "A"), ("closed", "D")):
        Reply.objects.create(
            suggestion=made[status],
            unit=world.unit_a,
            round=1,
            category=ReplyCategory.objects.get(code=code),
            text="答复",
            replied_on=TODAY,
            replied_by=users["unit"],
        )
    DutyRecord.objects.update(grade="")
    s.grade_all_duty_records(Suggestion.objects.all())
    grades = {
        status: DutyRecord.objects.get(kind="suggestion", source_id=sug.pk).grade
        for status, sug in made.items()
    }
    assert grades == expected
