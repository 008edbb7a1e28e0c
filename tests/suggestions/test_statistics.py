"""The statistics of suggestions against hand-built data, the statistics page, its access and its
query count."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from suggestions.models import Assignment, Evaluation, Reply, ReplyCategory, Suggestion
from suggestions.statistics import rate, suggestion_statistics
from tests import factories as f
from tests.querycount import count_queries

S = Suggestion.Status
R = Evaluation.Result
TODAY = datetime.date(2026, 11, 27)
URL = reverse("suggestions:statistics")


def build(
    users,
    deputy,
    unit,
    *,
    status,
    category="roads",
    submitted=datetime.date(2026, 1, 20),
    deadline=datetime.date(2026, 5, 20),
    reply: tuple[str, datetime.date] | None = None,
    deputy_results=(),
    public=(),
    rounds=1,
    key=False,
):
    """A suggestion in ``status`` with its assignment, reply and evaluations written directly,
    as the services would have left them. ``deputy_results`` lists the deputy evaluation of each
    round in order (an unsatisfied one is followed by another round)."""
    suggestion = Suggestion.objects.create(
        title=f"{category}-{status}",
        content="内容",
        category=category,
        county_id=deputy.station.county_id,
        lead_deputy=deputy,
        created_by=users["admin"],
        status=status,
        round=rounds,
        key_supervision=key,
        submitted_at=timezone.make_aware(datetime.datetime.combine(submitted, datetime.time(9))),
        deadline=deadline if status in SUPERVISED else None,
    )
    if status in SUPERVISED:
        for round_ in range(1, rounds + 1):
            Assignment.objects.create(
                suggestion=suggestion,
                unit=unit,
                role=Assignment.Role.LEAD,
                round=round_,
                assigned_on=submitted,
                deadline=deadline,
            )
    if reply:
        code, replied_on = reply
        Reply.objects.create(
            suggestion=suggestion,
            unit=unit,
            round=rounds,
            category=ReplyCategory.objects.get(code=code),
            text="答复",
            replied_on=replied_on,
            replied_by=users["unit"],
        )
    for round_, result in enumerate(deputy_results, start=1):
        Evaluation.objects.create(
            suggestion=suggestion,
            round=round_,
            kind=Evaluation.Kind.DEPUTY,
            result=result,
            deputy=deputy,
        )
    for result in public:
        Evaluation.objects.create(
            suggestion=suggestion, round=rounds, kind=Evaluation.Kind.PUBLIC, result=result
        )
    return suggestion


SUPERVISED = {S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.EVALUATED, S.CLOSED}


@pytest.fixture
def county_data(users, world):
    d, unit = world.deputy_a1, world.unit_a
    other_unit = f.make_unit(world.county_a, "甲县水务局")
    on_time = ("A", datetime.date(2026, 5, 1))
    late = ("A", datetime.date(2026, 6, 1))
    build(users, d, unit, status=S.CLOSED, reply=on_time, deputy_results=[R.SATISFIED], key=True)
    build(users, d, unit, status=S.EVALUATED, reply=late, deputy_results=[R.BASICALLY])
    build(
        users,
        d,
        other_unit,
        status=S.CLOSED,
        category="water",
        reply=("B", datetime.date(2026, 4, 1)),
        deputy_results=[R.SATISFIED],
        public=[R.SATISFIED, R.BASICALLY, R.UNSATISFIED],
    )
    # Unsatisfied in round 1, handled again, then satisfied: counts once, by its latest result.
    build(
        users,
        d,
        other_unit,
        status=S.EVALUATED,
        category="water",
        reply=on_time,
        deputy_results=[R.UNSATISFIED, R.SATISFIED],
        rounds=2,
    )
    # Unsatisfied and in handling again: evaluated, not satisfied, re-handled, overdue.
    build(
        users,
        d,
        unit,
        status=S.IN_HANDLING,
        deadline=datetime.date(2026, 11, 1),
        deputy_results=[R.UNSATISFIED],
        rounds=2,
    )
    build(users, d, unit, status=S.REPLIED, reply=("C", datetime.date(2026, 3, 1)))
    build(users, d, unit, status=S.ASSIGNED, deadline=datetime.date(2026, 12, 30))
    build(users, d, unit, status=S.REGISTERED)
    build(users, d, unit, status=S.NOT_REGISTERED)
    build(users, d, unit, status=S.SUBMITTED)
    # Outside the period, another county, and a draft: never counted.
    build(users, d, unit, status=S.CLOSED, submitted=datetime.date(2025, 12, 31), reply=on_time)
    build(users, world.deputy_b1, world.unit_b, status=S.CLOSED, reply=on_time)
    Suggestion.objects.create(
        title="草稿",
        content="x",
        category="roads",
        county=world.county_a,
        lead_deputy=d,
        created_by=users["admin"],
    )
    return {"unit": unit, "other_unit": other_unit}


def stats(user):
    return suggestion_statistics(
        user=user, start=datetime.date(2026, 1, 1), end=datetime.date(2026, 12, 31), today=TODAY
    )


def test_the_figures_match_the_hand_built_register(users, world, county_data):
    t = stats(users["staff"]).totals
    assert (t.total, t.registered, t.supervised, t.key_supervision) == (10, 8, 7, 1)
    # Latest replies A, A, B, A (round 2), C: three count as solved.
    assert t.solved == 3
    assert (t.evaluated, t.satisfied, t.satisfaction_rate) == (5, 4, Decimal("80.0"))
    assert t.rehandled == 2
    assert t.overdue == 1
    # Five replies, of which one came after its deadline; one round overdue with no reply.
    assert (t.replies, t.on_time, t.on_time_rate) == (5, 4, Decimal("66.7"))


def test_the_breakdowns_add_up_to_the_totals(users, world, county_data):
    result = stats(users["staff"])
    units = dict(result.by_unit)
    assert set(units) == {world.unit_a.name, "甲县水务局"}
    assert sum(f.supervised for f in units.values()) == result.totals.supervised
    categories = dict(result.by_category)
    assert categories["道路交通"].total == 8 and categories["安全饮水"].total == 2
    assert categories["安全饮水"].solved == 1 and categories["安全饮水"].satisfied == 2
    statuses = dict(result.by_status)
    assert (
        statuses["已办结"] == 2
        and statuses["不作为代表建议处理(转为参考意见)"] == 1
        and statuses["草稿"] == 0
    )
    assert dict(result.by_reply_category) == {
        "A 已解决或基本解决": 3,
        "B 正在解决或列入计划解决": 1,
        "C 因条件限制需以后解决": 1,
    }
    assert result.public_votes == [("满意", 1), ("基本满意", 1), ("不满意", 1)]
    assert result.public_satisfaction_rate == Decimal("66.7")


def test_a_category_that_stops_counting_as_solved_changes_the_figure(users, world, county_data):
    ReplyCategory.objects.filter(code="B").update(counts_as_solved=True)
    assert stats(users["staff"]).totals.solved == 4


def test_the_figures_follow_the_scope(users, world, county_data):
    assert stats(users["admin"]).totals.total == 11  # both counties
    assert stats(users["staff"]).totals.total == 10
    other_county_staff = f.make_user("committee_staff", county=world.county_b)
    assert stats(other_county_staff).totals.total == 1


def test_rate_rounds_half_up_and_has_no_value_without_a_denominator():
    assert rate(397, 410) == Decimal("96.8")
    assert rate(1, 8) == Decimal("12.5")
    assert rate(0, 0) is None


def test_the_page_shows_the_figures_for_the_chosen_year(client_for, world, county_data):
    response = client_for("staff").get(URL, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="supervised">7<' in html
    assert 'data-figure="solved">3<' in html
    assert 'data-figure="satisfaction">80.0%<' in html
    assert "甲县水务局" in html
    # Every filter's empty choice reads 全部 (the congress one said "---------").
    assert "---------" not in html


def test_the_page_takes_a_date_range(client_for, world, county_data):
    response = client_for("staff").get(URL, {"start": "2025-12-01", "end": "2025-12-31"})
    assert response.context["statistics"].totals.total == 1


def test_a_reversed_range_is_refused_with_a_message(client_for, world, county_data):
    response = client_for("staff").get(URL, {"start": "2026-12-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["statistics"] is None
    assert "开始日期不能晚于结束日期" in response.content.decode()


def test_a_malformed_date_is_refused_with_a_message(client_for, world):
    response = client_for("staff").get(URL, {"start": "2026-13-45"})
    assert response.context["statistics"] is None
    assert "自" in response.content.decode() and "alert-danger" in response.content.decode()


@pytest.mark.parametrize("role", ["deputy", "unit", "keeper"])
def test_roles_outside_the_committee_cannot_see_the_statistics(client_for, role):
    assert client_for(role).get(URL).status_code == 403


@pytest.mark.parametrize("role", ["admin", "staff", "member", "township"])
def test_committee_roles_see_the_statistics(client_for, role):
    assert client_for(role).get(URL).status_code == 200


def test_township_staff_see_only_their_township_congress(client_for, world, county_data):
    # The county congress's suggestions are not the township staff's, wherever the lead lives.
    assert client_for("township").get(URL, {"year": 2026}).context["statistics"].totals.total == 0
    Suggestion.objects.filter(lead_deputy__station__township=world.a1).update(
        congress_level=Suggestion.Congress.TOWNSHIP, congress=world.a1
    )
    own = client_for("township").get(URL, {"year": 2026}).context["statistics"]
    other = client_for("outsider").get(URL, {"year": 2026}).context["statistics"]
    assert own.totals.total == 10 and other.totals.total == 0


def test_the_page_query_count_does_not_grow_with_data(client_for, users, world, county_data):
    client = client_for("staff")
    before = count_queries(client, URL + "?year=2026")
    for i in range(6):
        unit = f.make_unit(world.county_a, f"新增单位{i}")
        build(
            users,
            world.deputy_a2,
            unit,
            status=S.CLOSED,
            category=["education", "water", "roads"][i % 3],
            reply=("A", datetime.date(2026, 5, 1)),
            deputy_results=[R.SATISFIED],
            public=[R.SATISFIED],
        )
    assert count_queries(client, URL + "?year=2026") == before


API = reverse("suggestion-statistics-list")


def test_the_api_gives_the_same_figures_as_the_page(client_for, world, county_data):
    data = client_for("staff").get(API, {"year": 2026}).json()
    assert data["start"] == "2026-01-01" and data["end"] == "2026-12-31"
    totals = data["totals"]
    assert (totals["supervised"], totals["solved"], totals["satisfaction_rate"]) == (7, 3, "80.0")
    assert {row["name"] for row in data["by_unit"]} == {world.unit_a.name, "甲县水务局"}
    assert data["public_votes"][0] == {"name": "满意", "count": 1}


def test_the_api_refuses_a_bad_period_with_400(client_for):
    response = client_for("staff").get(API, {"start": "2026-05-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "开始日期不能晚于结束日期" in response.content.decode()


@pytest.mark.parametrize("role", ["deputy", "unit", "keeper"])
def test_the_api_refuses_roles_outside_the_committee(client_for, role):
    assert client_for(role).get(API).status_code == 403


def test_a_rejected_reply_no_longer_counts_as_solved(users, world):
    suggestion = build(
        users,
        world.deputy_a1,
        world.unit_a,
        status=S.IN_HANDLING,
        deputy_results=[R.UNSATISFIED],
        rounds=2,
    )
    Reply.objects.create(
        suggestion=suggestion,
        unit=world.unit_a,
        round=1,
        category=ReplyCategory.objects.get(code="A"),
        text="已解决",
        replied_on=datetime.date(2026, 3, 1),
        replied_by=users["unit"],
    )
    result = stats(users["staff"])
    assert result.totals.solved == 0 and result.by_reply_category == []
    assert result.totals.replies == 1  # the reply still counts for timeliness
