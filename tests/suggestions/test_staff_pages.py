"""The suggestion register, one suggestion's page and the committee staff's actions on it."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from suggestions import services as s
from suggestions.models import (
    Assignment,
    DeadlineExtension,
    Evaluation,
    ReplyCategory,
    Suggestion,
    SuggestionEvent,
)
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
LIST = reverse("suggestions:list")


def make_suggestion(users, deputy, *, title="关于硬化村道的建议", co_signers=(), **fields):
    suggestion = Suggestion.objects.create(
        title=title,
        content="村道雨天泥泞。",
        category="roads",
        county_id=deputy.station.county_id,
        lead_deputy=deputy,
        created_by=users["admin"],
        **fields,
    )
    suggestion.co_signers.set(co_signers)
    return suggestion


def submitted(users, deputy, **fields):
    return make_suggestion(users, deputy, status=Suggestion.Status.SUBMITTED, **fields)


def assigned_to(suggestion, unit, *, deadline=None, role=Assignment.Role.LEAD):
    Assignment.objects.create(
        suggestion=suggestion,
        unit=unit,
        role=role,
        round=suggestion.round,
        assigned_on=TODAY,
        deadline=deadline or TODAY + datetime.timedelta(days=90),
    )


def titles(response) -> set[str]:
    return {suggestion.title for suggestion in response.context["page"]}


def detail(suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def action(name: str, suggestion) -> str:
    return reverse(f"suggestions:{name}", args=[suggestion.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


# The register, per role ----------------------------------------------------------------------


@pytest.fixture
def spread(users, world):
    """One suggestion per deputy: a1 (co-signed by a2), a1 liaison, a2, and county B."""
    own = submitted(users, world.deputy_a1, title="甲一", co_signers=[world.deputy_a2])
    liaison = submitted(users, world.deputy_a1_liaison, title="联络")
    other = submitted(users, world.deputy_a2, title="甲二", co_signers=[world.deputy_a1])
    foreign = submitted(users, world.deputy_b1, title="乙一")
    assigned_to(liaison, world.unit_a)
    return own, liaison, other, foreign


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"甲一", "联络", "甲二", "乙一"}),
        ("staff", {"甲一", "联络", "甲二"}),
        ("member", {"甲一", "联络", "甲二"}),
        # Township staff keep their township congress's suggestions; these are the county's.
        ("township", set()),
        ("keeper", {"甲一"}),
        ("deputy", {"甲一", "甲二"}),  # own plus co-signed
        ("unit", {"联络"}),  # only what was assigned to it
        ("outsider", set()),
    ],
)
def test_the_register_shows_each_role_its_scope(client_for, spread, role, expected):
    response = client_for(role).get(LIST)
    assert response.status_code == 200
    assert titles(response) == expected


def test_the_register_asks_anonymous_visitors_to_sign_in(client, spread):
    assert client.get(LIST).status_code == 302


def test_the_register_shows_the_lead_unit_of_the_current_round_and_an_overdue_badge(
    client_for, users, world
):
    late = make_suggestion(
        users,
        world.deputy_a1,
        status=Suggestion.Status.IN_HANDLING,
        deadline=TODAY - datetime.timedelta(days=1),
    )
    assigned_to(late, world.unit_a)
    response = client_for("staff").get(LIST)
    (row,) = response.context["page"]
    assert row.lead_unit_name == world.unit_a.name
    assert "逾期" in response.content.decode()


# Filters -------------------------------------------------------------------------------------


def test_the_overdue_filter_takes_open_suggestions_past_their_deadline(client_for, users, world):
    yesterday, tomorrow = TODAY - datetime.timedelta(days=1), TODAY + datetime.timedelta(days=1)
    S = Suggestion.Status
    make_suggestion(users, world.deputy_a1, title="逾期", status=S.IN_HANDLING, deadline=yesterday)
    make_suggestion(users, world.deputy_a1, title="逾期交办", status=S.ASSIGNED, deadline=yesterday)
    make_suggestion(users, world.deputy_a1, title="未到期", status=S.IN_HANDLING, deadline=tomorrow)
    make_suggestion(users, world.deputy_a1, title="已答复", status=S.REPLIED, deadline=yesterday)
    client = client_for("staff")
    assert titles(client.get(LIST, {"overdue": "true"})) == {"逾期", "逾期交办"}
    assert titles(client.get(LIST, {"overdue": "false"})) == {"未到期", "已答复"}


def test_the_register_filters_by_status_unit_key_supervision_year_and_text(
    client_for, users, world
):
    now = timezone.now()
    first = submitted(
        users, world.deputy_a1, title="关于修桥的建议", key_supervision=True, submitted_at=now
    )
    second = make_suggestion(
        users, world.deputy_a2, title="关于养老的建议", number="2026-007", submitted_at=now
    )
    assigned_to(second, world.unit_a)
    client = client_for("staff")
    assert titles(client.get(LIST, {"status": "submitted"})) == {first.title}
    assert titles(client.get(LIST, {"unit": world.unit_a.pk})) == {second.title}
    assert titles(client.get(LIST, {"key_supervision": "true"})) == {first.title}
    assert titles(client.get(LIST, {"q": "2026-007"})) == {second.title}
    assert titles(client.get(LIST, {"q": world.deputy_a1.name})) == {first.title}
    assert titles(client.get(LIST, {"q": "修桥"})) == {first.title}
    assert titles(client.get(LIST, {"year": TODAY.year})) == {first.title, second.title}
    assert titles(client.get(LIST, {"year": TODAY.year - 1})) == set()
    assert titles(client.get(LIST, {"category": "roads"})) == {first.title, second.title}
    draft = make_suggestion(users, world.deputy_a1, title="未提交的草稿")
    assert draft.title not in titles(client.get(LIST, {"year": TODAY.year}))  # by year submitted


def test_the_api_lists_the_suggestions_of_the_users_scope(client_for, spread):
    response = client_for("unit").get("/api/v1/suggestions/")
    assert response.status_code == 200
    rows = response.json()["results"] if "results" in response.json() else response.json()
    assert [row["title"] for row in rows] == ["联络"]
    assert rows[0]["lead_unit_name"] == "甲县交通运输局"
    assert client_for("deputy").get(f"/api/v1/suggestions/{spread[3].pk}/").status_code == 404


# The suggestion's page -----------------------------------------------------------------------


def test_the_page_is_404_outside_the_scope(client_for, spread):
    own, liaison, other, foreign = spread
    assert client_for("unit").get(detail(own)).status_code == 404
    assert client_for("keeper").get(detail(liaison)).status_code == 404
    assert client_for("outsider").get(detail(own)).status_code == 404
    assert client_for("staff").get(detail(foreign)).status_code == 404
    assert client_for("deputy").get(detail(other)).status_code == 200  # co-signed


def test_only_the_county_staff_see_the_action_forms(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    for role in ("staff", "admin"):
        context = client_for(role).get(detail(suggestion)).context
        assert {"register_form", "not_register_form", "convert_form"} <= set(context.keys())
        assert "close_form" not in context
    for role in ("member", "township", "keeper", "deputy"):
        assert "register_form" not in client_for(role).get(detail(suggestion)).context


def test_a_role_that_may_read_but_not_act_gets_403(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    for role in ("member", "keeper", "deputy"):
        response = client_for(role).post(
            action("register", suggestion), {"version": suggestion.version}
        )
        assert response.status_code == 403, role
    # The county congress's suggestion is not the township staff's to see.
    response = client_for("township").post(
        action("register", suggestion), {"version": suggestion.version}
    )
    assert response.status_code == 404
    assert fresh(suggestion).status == Suggestion.Status.SUBMITTED


def test_an_action_url_refuses_get(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    assert client_for("staff").get(action("register", suggestion)).status_code == 405


def test_a_stale_version_shows_the_conflict_and_changes_nothing(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    client = client_for("staff")
    response = client.post(
        action("not_register", suggestion), {"version": suggestion.version + 1, "reason": "重复"}
    )
    assert response.status_code == 302
    assert any("刚被其他人修改过" in m for m in messages_of(response))
    after = fresh(suggestion)
    assert (after.status, after.version, after.not_registered_reason) == ("submitted", 1, "")


def test_closing_a_submitted_suggestion_is_refused_with_a_message(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    response = client_for("staff").post(action("close", suggestion), {"version": 1})
    assert any("不能办结" in m for m in messages_of(response))
    assert fresh(suggestion).status == Suggestion.Status.SUBMITTED
    assert not SuggestionEvent.objects.filter(suggestion=suggestion).exists()


def test_not_registering_without_a_reason_shows_the_form_again(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    response = client_for("staff").post(
        action("not_register", suggestion), {"version": 1, "reason": ""}
    )
    assert response.status_code == 200
    assert response.context["not_register_form"].errors["reason"]
    assert fresh(suggestion).status == Suggestion.Status.SUBMITTED


def test_converting_turns_it_into_an_opinion(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    response = client_for("staff").post(
        action("convert", suggestion), {"version": 1, "reason": "具体群众诉求"}
    )
    assert response.status_code == 302
    assert fresh(suggestion).status == Suggestion.Status.CONVERTED


def test_staff_take_a_suggestion_from_registering_to_closing(client_for, users, world):
    suggestion = submitted(users, world.deputy_a1)
    client = client_for("staff")

    response = client.post(action("register", suggestion), {"version": 1})
    assert response.status_code == 302 and response.url == detail(suggestion)
    suggestion = fresh(suggestion)
    assert suggestion.status == Suggestion.Status.REGISTERED and suggestion.number

    co_unit = f.make_unit(world.county_a, "甲县财政局")
    client.post(
        action("assign", suggestion),
        {
            "version": suggestion.version,
            "lead_unit": world.unit_a.pk,
            "co_units": [co_unit.pk],
            "is_complex": "on",
            "key_supervision": "on",
            "supervising_leader": users["member"].pk,
        },
    )
    suggestion = fresh(suggestion)
    assert suggestion.status == Suggestion.Status.ASSIGNED
    assert suggestion.supervising_leader == users["member"]
    assert {(a.unit_id, a.role) for a in suggestion.assignments.all()} == {
        (world.unit_a.pk, "lead"),
        (co_unit.pk, "co"),
    }

    # The unit answers (its own pages are another feature), without reporting to the public.
    s.suggestion_reply(
        user=users["unit"],
        suggestion=suggestion,
        version=suggestion.version,
        category=ReplyCategory.objects.get(code="A"),
        text="已完工。",
    )
    page = client.get(detail(suggestion)).content.decode()
    assert "未向群众汇报" in page

    suggestion = fresh(suggestion)
    client.post(
        action("paper_evaluation", suggestion),
        {"version": suggestion.version, "result": "satisfied", "comment": "路修好了"},
    )
    assert Evaluation.objects.get(suggestion=suggestion).entered_by == users["staff"]
    s.deputy_evaluation(
        user=users["deputy"], suggestion=suggestion, version=suggestion.version, result="satisfied"
    )

    suggestion = fresh(suggestion)
    response = client.post(action("close", suggestion), {"version": suggestion.version})
    assert fresh(suggestion).status == Suggestion.Status.CLOSED
    page = client.get(detail(suggestion)).content.decode()
    assert "已测评 → 已办结" in page
    assert "已办结。" in messages_of(response)


def test_assigning_with_key_supervision_needs_a_leader(client_for, users, world):
    suggestion = make_suggestion(users, world.deputy_a1, status=Suggestion.Status.REGISTERED)
    response = client_for("staff").post(
        action("assign", suggestion),
        {"version": 1, "lead_unit": world.unit_a.pk, "key_supervision": "on"},
    )
    assert response.status_code == 200
    assert "重点督办须指定督办领导" in str(response.context["assign_form"].errors)
    assert fresh(suggestion).status == Suggestion.Status.REGISTERED
    assert not Assignment.objects.exists()


def test_staff_approve_an_extension_and_the_original_deadline_stays(client_for, users, world):
    deadline = TODAY + datetime.timedelta(days=10)
    suggestion = make_suggestion(
        users,
        world.deputy_a1,
        status=Suggestion.Status.IN_HANDLING,
        deadline=deadline,
        original_deadline=deadline,
    )
    assigned_to(suggestion, world.unit_a, deadline=deadline)
    extension = s.extension_request(
        user=users["unit"],
        suggestion=suggestion,
        requested_deadline=deadline + datetime.timedelta(days=30),
        reason="雨季无法施工",
    )
    url = reverse("suggestions:extension_decide", args=[suggestion.pk, extension.pk])
    assert client_for("member").post(url, {"version": 1, "decision": "approve"}).status_code == 403
    client_for("staff").post(url, {"version": 1, "decision": "approve"})
    suggestion = fresh(suggestion)
    assert suggestion.deadline == extension.requested_deadline
    assert suggestion.original_deadline == deadline
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.APPROVED


# Query counts --------------------------------------------------------------------------------


def _populate(users, world, n: int) -> Suggestion:
    last = None
    for i in range(n):
        last = make_suggestion(
            users,
            world.deputy_a1,
            title=f"建议{i}",
            co_signers=[world.deputy_a2],
            status=Suggestion.Status.IN_HANDLING,
            deadline=TODAY - datetime.timedelta(days=i % 3),
        )
        assigned_to(last, world.unit_a)
    return last


def test_the_register_query_count_does_not_grow_with_data(client_for, users, world):
    _populate(users, world, 3)
    client = client_for("staff")
    before = count_queries(client, LIST)
    _populate(users, world, 9)
    assert count_queries(client, LIST) == before


def _grow_one(users, world, suggestion, n: int) -> None:
    unit = f.make_unit(world.county_a)
    for i in range(n):
        SuggestionEvent.objects.create(
            suggestion=suggestion, actor=users["staff"], to_status="in_handling", round=1
        )
        Evaluation.objects.create(suggestion=suggestion, round=1, kind="public", result="satisfied")
        suggestion.public_meetings.create(date=TODAY, place=f"院坝{i}", people_met=3, summary="…")
        suggestion.progress_reports.create(
            unit=unit, round=1, date=TODAY, place="村委会", attendance=5, feedback="…"
        )
        suggestion.co_signers.add(f.make_deputy(world.home_a2))


def test_the_suggestion_page_query_count_does_not_grow_with_data(client_for, users, world):
    suggestion = _populate(users, world, 1)
    _grow_one(users, world, suggestion, 1)
    client = client_for("staff")
    before = count_queries(client, detail(suggestion))
    _grow_one(users, world, suggestion, 3)
    assert count_queries(client, detail(suggestion)) == before
