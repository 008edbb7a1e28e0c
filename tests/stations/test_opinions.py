import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import Opinion, OpinionEvent
from stations.services.opinions import (
    opinion_answer,
    opinion_close,
    opinion_create,
    opinion_forward,
)
from tests import factories as f
from tests.querycount import count_queries

VOTER_NAME = "欧阳春花"
VOTER_PHONE = "13812345678"


def make_opinion(station, *, channel=Opinion.Channel.MAILBOX, content="村道破损,雨天难行", **kw):
    return opinion_create(
        user=None,
        channel=channel,
        township=station.township,
        station=station,
        category=kw.pop("category", "roads"),
        content=content,
        **kw,
    )


def forwarded(opinion, users, unit):
    return opinion_forward(opinion=opinion, user=users["staff"], unit=unit)


def set_age(opinion, days: int) -> None:
    Opinion.objects.filter(pk=opinion.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days, hours=1)
    )


@pytest.fixture
def opinions(world, users):
    """One opinion per place: A1's home and liaison stations, A2 (one forwarded to unit_a), B1."""
    return {
        "home_a1": make_opinion(world.home_a1, voter_name=VOTER_NAME, voter_phone=VOTER_PHONE),
        "liaison_a1": make_opinion(world.liaison_a1, channel=Opinion.Channel.VISIT),
        "a2": make_opinion(world.home_a2, category="water", content="自来水经常停水"),
        "a2_unit": forwarded(make_opinion(world.home_a2), users, world.unit_a),
        "b1": make_opinion(world.home_b1),
    }


def queue(client, query: str = "") -> set[int]:
    response = client.get(reverse("stations:opinion_list") + query)
    assert response.status_code == 200
    return {opinion.pk for opinion in response.context["page"]}


def ids(opinions, *keys) -> set[int]:
    return {opinions[key].pk for key in keys}


# The triage queue -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", ["home_a1", "liaison_a1", "a2", "a2_unit", "b1"]),
        ("staff", ["home_a1", "liaison_a1", "a2", "a2_unit"]),
        ("member", ["home_a1", "liaison_a1", "a2", "a2_unit"]),
        ("township", ["home_a1", "liaison_a1"]),
        ("keeper", ["home_a1"]),
        ("deputy", ["home_a1"]),
        ("unit", ["a2_unit"]),
        ("outsider", ["a2", "a2_unit"]),
    ],
)
def test_queue_shows_each_role_its_own_scope(client_for, opinions, role, expected):
    assert queue(client_for(role)) == ids(opinions, *expected)


def test_queue_puts_open_opinions_first_oldest_first(client_for, world, users, opinions):
    answered_old = make_opinion(world.home_a1)
    set_age(answered_old, 60)
    opinion_answer(opinion=answered_old, user=users["staff"], answer="已修复")
    set_age(opinions["liaison_a1"], 10)
    set_age(opinions["home_a1"], 2)
    page = client_for("township").get(reverse("stations:opinion_list")).context["page"]
    assert [o.pk for o in page] == [
        opinions["liaison_a1"].pk,
        opinions["home_a1"].pk,
        answered_old.pk,
    ]
    assert [o.age_days for o in page] == [10, 2, 60]


def test_queue_shows_code_channel_station_status_unit_and_age(client_for, world, opinions):
    set_age(opinions["a2_unit"], 12)
    html = client_for("staff").get(reverse("stations:opinion_list")).content.decode()
    code = opinions["a2_unit"].tracking_code
    assert code[:8] in html and code not in html
    for text in ("代表信箱", "甲二镇代表之家", "已转办", "甲县交通运输局", ">12<"):
        assert text in html


def test_queue_filters_by_status_channel_category_and_text(client_for, world, opinions):
    client = client_for("staff")
    assert queue(client, "?status=forwarded") == ids(opinions, "a2_unit")
    assert queue(client, "?channel=visit") == ids(opinions, "liaison_a1")
    assert queue(client, "?category=water") == ids(opinions, "a2")
    assert queue(client, "?q=破损&status=received") == ids(opinions, "home_a1", "liaison_a1")


def test_queue_filters_by_township_and_station(client_for, world, opinions):
    client = client_for("staff")
    assert queue(client, f"?township={world.a2.pk}") == ids(opinions, "a2", "a2_unit")
    assert queue(client, f"?station={world.liaison_a1.pk}") == ids(opinions, "liaison_a1")


def test_queue_filters_by_age(client_for, world, opinions):
    for key, days in (("home_a1", 1), ("liaison_a1", 5), ("a2", 20), ("a2_unit", 45)):
        set_age(opinions[key], days)
    client = client_for("staff")
    assert queue(client, "?age=3") == ids(opinions, "home_a1")
    assert queue(client, "?age=7") == ids(opinions, "home_a1", "liaison_a1")
    assert queue(client, "?age=30") == ids(opinions, "home_a1", "liaison_a1", "a2")
    assert queue(client, "?age=older") == ids(opinions, "a2_unit")


def test_queue_does_not_offer_a_township_outside_the_scope(client_for, world, opinions):
    response = client_for("township").get(
        reverse("stations:opinion_list") + f"?township={world.a2.pk}"
    )
    assert response.context["filter"].errors
    assert {o.pk for o in response.context["page"]} == ids(opinions, "home_a1", "liaison_a1")


def test_unit_queue_offers_only_the_places_of_its_opinions(client_for, world, opinions):
    form = client_for("unit").get(reverse("stations:opinion_list")).context["filter"].form
    assert list(form.fields["township"].queryset) == [world.a2]
    assert list(form.fields["station"].queryset) == [world.home_a2]


def test_queue_offers_the_entry_form_only_to_station_managers(client_for, opinions):
    new_url = reverse("stations:opinion_new")
    assert new_url in client_for("keeper").get(reverse("stations:opinion_list")).content.decode()
    for role in ("deputy", "unit", "member"):
        html = client_for(role).get(reverse("stations:opinion_list")).content.decode()
        assert new_url not in html


# The detail page ------------------------------------------------------------------------------


def detail(client, opinion):
    return client.get(reverse("stations:opinion_detail", args=[opinion.pk]))


def test_detail_shows_content_masked_voter_and_timeline(client_for, world, users, opinions):
    opinion = opinions["home_a1"]
    opinion_forward(opinion=opinion, user=users["township"], unit=world.unit_a, note="请尽快核实")
    users["township"].full_name = "陈乡镇"
    users["township"].save()
    html = detail(client_for("keeper"), opinion).content.decode()
    assert "村道破损,雨天难行" in html
    assert VOTER_NAME not in html and VOTER_PHONE not in html
    assert "欧***" in html and "138****5678" in html
    assert "陈乡镇" in html and "请尽快核实" in html and "已转办" in html
    assert "甲县交通运输局" in html


def test_detail_links_the_reception_it_came_from(client_for, world, users):
    from stations.models import Reception, ReceptionDay

    day = ReceptionDay.objects.create(station=world.home_a1, date=datetime.date(2026, 1, 15))
    reception = Reception.objects.create(
        reception_day=day, deputy=world.deputy_a1, voters_received=3, logged_by=users["keeper"]
    )
    opinion = make_opinion(world.home_a1, channel=Opinion.Channel.RECEPTION, reception=reception)
    html = detail(client_for("staff"), opinion).content.decode()
    assert "2026-01-15" in html and "张甲一" in html
    assert reverse("stations:reception_detail", args=[reception.pk]) in html


@pytest.mark.parametrize(
    ("role", "opinion"),
    [("outsider", "home_a1"), ("staff", "b1"), ("keeper", "liaison_a1"), ("unit", "a2")],
)
def test_detail_outside_the_scope_is_404(client_for, opinions, role, opinion):
    assert detail(client_for(role), opinions[opinion]).status_code == 404


@pytest.mark.parametrize(
    ("role", "opinion", "forms"),
    [
        ("keeper", "home_a1", {"forward_form", "answer_form"}),
        ("township", "home_a1", {"forward_form", "answer_form"}),
        ("staff", "a2_unit", {"answer_form"}),
        ("unit", "a2_unit", {"answer_form"}),
        ("deputy", "home_a1", set()),
        ("member", "home_a1", set()),
    ],
)
def test_detail_offers_only_the_actions_the_user_may_take(
    client_for, opinions, role, opinion, forms
):
    context = detail(client_for(role), opinions[opinion]).context
    offered = {name for name in ("forward_form", "answer_form", "close_form") if name in context}
    assert offered == forms


def test_forward_form_offers_the_units_of_the_opinions_county(client_for, world, opinions):
    form = detail(client_for("staff"), opinions["home_a1"]).context["forward_form"]
    assert list(form.fields["unit"].queryset) == [world.unit_a]


# Actions --------------------------------------------------------------------------------------


def act(client, opinion, action: str, **data):
    return client.post(reverse(f"stations:opinion_{action}", args=[opinion.pk]), data, follow=True)


def test_the_life_of_a_mailbox_letter(client_for, world, users):
    keeper, township, unit = client_for("keeper"), client_for("township"), client_for("unit")
    response = keeper.post(
        reverse("stations:opinion_new"),
        {
            "channel": "mailbox",
            "station": world.home_a1.pk,
            "category": "water",
            "content": "三组自来水经常停水",
            "voter_name": VOTER_NAME,
            "voter_phone": VOTER_PHONE,
        },
        follow=True,
    )
    opinion = Opinion.objects.get()
    assert response.redirect_chain[-1][0] == reverse("stations:opinion_detail", args=[opinion.pk])
    assert opinion.tracking_code in response.content.decode()  # told to the sender
    assert (opinion.channel, opinion.township, opinion.created_by) == (
        "mailbox",
        world.a1,
        users["keeper"],
    )
    assert opinion not in queue_of(unit)

    response = act(township, opinion, "forward", unit=world.unit_a.pk, note="请核实")
    assert "已转办" in response.content.decode()
    assert opinion.pk in queue(unit)

    response = act(unit, opinion, "answer", answer="已更换主管道,恢复供水")
    assert "已答复" in response.content.decode()

    response = act(keeper, opinion, "close", note="回访满意")
    assert "已办结" in response.content.decode()

    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.CLOSED
    assert opinion.handling_unit == world.unit_a
    assert opinion.answer == "已更换主管道,恢复供水" and opinion.answered_at
    steps = [(e.actor.username, e.from_status, e.to_status, e.note) for e in opinion.events.all()]
    assert steps == [
        ("t_keeper", "", "received", "受理"),
        ("t_township", "received", "forwarded", "请核实"),
        ("t_unit", "forwarded", "answered", "已更换主管道,恢复供水"),
        ("t_keeper", "answered", "closed", "回访满意"),
    ]


def queue_of(client) -> list:
    return list(client.get(reverse("stations:opinion_list")).context["page"])


@pytest.mark.parametrize(
    ("setup", "action", "data", "message"),
    [
        ("received", "close", {}, "意见当前为“已受理”,不能办结。"),
        ("closed", "answer", {"answer": "再答一次"}, "意见当前为“已办结”,不能答复。"),
        ("closed", "forward", {"unit": "UNIT"}, "意见当前为“已办结”,不能转办。"),
        ("answered", "answer", {"answer": "补充"}, "意见当前为“已答复”,不能答复。"),
    ],
)
def test_an_illegal_transition_is_refused_with_a_message_and_changes_nothing(
    client_for, world, users, opinions, setup, action, data, message
):
    opinion = opinions["home_a1"]
    if setup in ("answered", "closed"):
        opinion_answer(opinion=opinion, user=users["staff"], answer="已答复内容")
    if setup == "closed":
        opinion_close(opinion=Opinion.objects.get(pk=opinion.pk), user=users["staff"])
    before = Opinion.objects.get(pk=opinion.pk)
    events = OpinionEvent.objects.count()
    data = {k: (world.unit_a.pk if v == "UNIT" else v) for k, v in data.items()}
    response = act(client_for("township"), opinion, action, **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    after = Opinion.objects.get(pk=opinion.pk)
    assert (after.status, after.answer, after.handling_unit_id, after.updated_at) == (
        before.status,
        before.answer,
        before.handling_unit_id,
        before.updated_at,
    )
    assert OpinionEvent.objects.count() == events


def test_an_empty_answer_is_refused_on_the_page(client_for, opinions):
    opinion = opinions["home_a1"]
    response = act(client_for("keeper"), opinion, "answer", answer="   ")
    assert response.status_code == 200
    assert "请填写答复内容。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.RECEIVED and opinion.events.count() == 1


def test_forwarding_to_a_unit_of_another_county_is_refused(client_for, world, opinions):
    opinion = opinions["home_a1"]
    response = act(client_for("staff"), opinion, "forward", unit=world.unit_b.pk)
    assert "只能转给本县的承办单位。" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.RECEIVED and opinion.handling_unit is None


@pytest.mark.parametrize("action", ["forward", "answer", "close"])
@pytest.mark.parametrize("role", ["deputy", "member"])
def test_a_role_that_only_reads_gets_403_on_every_action(client_for, world, opinions, role, action):
    opinion = opinions["home_a1"]
    response = act(client_for(role), opinion, action, unit=world.unit_a.pk, answer="x", note="x")
    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.status == Opinion.Status.RECEIVED and opinion.events.count() == 1


@pytest.mark.parametrize("action", ["forward", "close"])
def test_a_unit_may_only_answer(client_for, world, opinions, action):
    response = act(client_for("unit"), opinions["a2_unit"], action, unit=world.unit_a.pk)
    assert response.status_code == 403


@pytest.mark.parametrize("action", ["forward", "answer", "close"])
def test_actions_outside_the_scope_are_404(client_for, world, opinions, action):
    response = act(client_for("outsider"), opinions["home_a1"], action, answer="x")
    assert response.status_code == 404
    assert act(client_for("unit"), opinions["a2"], action, answer="x").status_code == 404


def test_actions_answer_only_post(client_for, opinions):
    url = reverse("stations:opinion_answer", args=[opinions["home_a1"].pk])
    assert client_for("keeper").get(url).status_code == 405


# The entry form -------------------------------------------------------------------------------


def entry(client, **overrides):
    data = {
        "channel": "visit",
        "station": overrides.pop("station_pk", None),
        "category": "elderly_medical",
        "content": "村卫生室缺少常用药",
        "voter_name": "",
        "voter_phone": "",
    }
    data.update(overrides)
    return client.post(reverse("stations:opinion_new"), data)


def test_keeper_enters_a_visit_note_at_their_station(client_for, world):
    client = client_for("keeper")
    form = client.get(reverse("stations:opinion_new")).context["form"]
    assert list(form.fields["station"].queryset) == [world.home_a1]
    assert form.fields["station"].initial == world.home_a1.pk
    response = entry(client, station_pk=world.home_a1.pk)
    opinion = Opinion.objects.get()
    assert response.status_code == 302
    assert (opinion.channel, opinion.station, opinion.voter_name) == ("visit", world.home_a1, "")


def test_township_staff_enter_for_any_station_of_their_township(client_for, world):
    client = client_for("township")
    form = client.get(reverse("stations:opinion_new")).context["form"]
    assert set(form.fields["station"].queryset) == {world.home_a1, world.liaison_a1}
    entry(client, station_pk=world.liaison_a1.pk)
    assert Opinion.objects.get().township == world.a1


def test_entry_refuses_empty_content_and_saves_nothing(client_for, world):
    response = entry(client_for("keeper"), station_pk=world.home_a1.pk, content="  ")
    assert response.status_code == 200
    assert "请填写意见内容。" in response.content.decode()
    assert not Opinion.objects.exists() and not OpinionEvent.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"channel": "online"}, "选择一个有效的选项"),
        ({"channel": "reception"}, "选择一个有效的选项"),
        ({"voter_phone": "call me"}, "电话号码格式不正确。"),
        ({"category": ""}, "请选择意见类别。"),
        ({"station": ""}, "请选择家站。"),
    ],
)
def test_entry_refuses_bad_input(client_for, world, overrides, message):
    # Township staff choose among their stations (a keeper's one station is not asked:
    # tests/stations/test_single_station_forms.py).
    response = entry(client_for("township"), station_pk=world.home_a1.pk, **overrides)
    assert message in response.content.decode()
    assert not Opinion.objects.exists()


def test_entry_refuses_a_station_the_user_does_not_manage(client_for, world):
    response = entry(client_for("township"), station_pk=world.home_a2.pk)
    assert "请选择您管理的家站。" in response.content.decode()
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("role", ["deputy", "member", "unit"])
def test_entry_form_is_403_for_roles_that_do_not_keep_a_station(client_for, world, role):
    client = client_for(role)
    assert client.get(reverse("stations:opinion_new")).status_code == 403
    assert entry(client, station_pk=world.home_a1.pk).status_code == 403
    assert not Opinion.objects.exists()


# The API --------------------------------------------------------------------------------------


def api_rows(client, query: str = "") -> list[dict]:
    response = client.get("/api/v1/opinions/" + query)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_api_lists_the_scope_with_masked_personal_data(client_for, opinions):
    rows = api_rows(client_for("keeper"))
    assert [row["id"] for row in rows] == [opinions["home_a1"].pk]
    row = rows[0]
    assert row["voter_name"] == "欧***"
    assert row["voter_phone"] == "138****5678"
    assert row["code"] == opinions["home_a1"].tracking_code[:8]
    assert opinions["home_a1"].tracking_code not in str(rows)


def test_api_never_reveals_voters_even_to_those_who_may_see_personal_data(client_for, opinions):
    body = client_for("admin").get(f"/api/v1/opinions/{opinions['home_a1'].pk}/?reveal=1").json()
    assert VOTER_NAME not in str(body) and VOTER_PHONE not in str(body)


def test_api_detail_carries_the_timeline(client_for, world, users, opinions):
    opinion = opinions["a2_unit"]
    body = client_for("unit").get(f"/api/v1/opinions/{opinion.pk}/").json()
    assert body["handling_unit_name"] == "甲县交通运输局"
    assert [(e["from_status"], e["to_status"]) for e in body["events"]] == [
        ("", "received"),
        ("received", "forwarded"),
    ]
    assert body["events"][1]["actor"] == "t_staff"


def test_api_scopes_and_filters(client_for, world, opinions):
    assert {r["id"] for r in api_rows(client_for("unit"))} == ids(opinions, "a2_unit")
    staff = client_for("staff")
    assert {r["id"] for r in api_rows(staff, "?status=received&channel=visit")} == ids(
        opinions, "liaison_a1"
    )
    assert (
        client_for("outsider").get(f"/api/v1/opinions/{opinions['home_a1'].pk}/").status_code == 404
    )
    assert staff.get("/api/v1/opinions/?status=lost").status_code == 400


# Query counts ---------------------------------------------------------------------------------


def grow_opinions(world, users, n: int) -> None:
    stations = [world.home_a1, world.liaison_a1, world.home_a2]
    for i in range(n):
        opinion = make_opinion(stations[i % 3], voter_name=VOTER_NAME)
        if i % 2:
            opinion = forwarded(opinion, users, world.unit_a)
        if i % 4 == 3:
            opinion_answer(opinion=opinion, user=users["staff"], answer="已处理")


@pytest.mark.parametrize("role", ["staff", "township", "unit"])
def test_queue_query_count_does_not_grow_with_data(client_for, world, users, role):
    client = client_for(role)
    url = reverse("stations:opinion_list") + "?status=&age="
    grow_opinions(world, users, 6)
    small = count_queries(client, url)
    grow_opinions(world, users, 18)
    assert count_queries(client, url) == small
    # session, user, 2FA device, count, page, township choices, station choices
    assert small <= 7


def test_detail_query_count_does_not_grow_with_events(client_for, world, users):
    client = client_for("keeper")
    opinion = make_opinion(world.home_a1)
    url = reverse("stations:opinion_detail", args=[opinion.pk])
    grow_opinions(world, users, 3)
    small = count_queries(client, url)
    for i in range(6):
        OpinionEvent.objects.create(
            opinion=opinion, actor=users["staff"], to_status="received", note=f"补充{i}"
        )
    f.make_unit(world.county_a)
    grow_opinions(world, users, 9)
    assert count_queries(client, url) == small


def test_api_list_query_count_does_not_grow_with_data(client_for, world, users):
    client = client_for("staff")
    grow_opinions(world, users, 6)
    small = count_queries(client, "/api/v1/opinions/")
    grow_opinions(world, users, 18)
    assert count_queries(client, "/api/v1/opinions/") == small


@pytest.mark.parametrize(
    ("role", "offered"),
    [("deputy", True), ("staff", True), ("admin", True), ("keeper", False), ("member", False)],
)
def test_the_opinion_page_offers_to_turn_it_into_a_suggestion(client_for, opinions, role, offered):
    opinion = opinions["home_a1"]
    html = detail(client_for(role), opinion).content.decode()
    link = reverse("suggestions:new") + f"?opinions={opinion.pk}"
    assert (link in html) is offered


def test_the_opinion_page_lists_the_suggestions_drawn_from_it(client_for, world, users, opinions):
    from suggestions.models import Suggestion

    opinion = opinions["home_a1"]
    other_county = Suggestion.objects.create(
        title="乙县的建议",
        content="x",
        category="roads",
        county=world.county_b,
        lead_deputy=world.deputy_b1,
        created_by=users["admin"],
    )
    own = Suggestion.objects.create(
        title="关于修缮村道的建议",
        content="x",
        category="roads",
        county=world.county_a,
        lead_deputy=world.deputy_a1,
        created_by=users["admin"],
    )
    for suggestion in (own, other_county):
        suggestion.from_opinions.add(opinion)
    html = detail(client_for("staff"), opinion).content.decode()
    assert "关于修缮村道的建议" in html and "乙县的建议" not in html
