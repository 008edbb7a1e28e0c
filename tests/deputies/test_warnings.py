"""履职预警: who is listed, who may see the list, and reminders once a quarter."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from deputies.models import DutyRecord
from deputies.warnings import duty_warnings_send
from directory.models import Mandate
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
URL = reverse("deputies:warnings")


def act(deputy, days_ago: int, n: int = 1):
    DutyRecord.objects.create(
        deputy=deputy,
        kind=DutyRecord.Kind.RECEPTION,
        occurred_on=TODAY - datetime.timedelta(days=days_ago),
        title="接待",
        source_type=ContentType.objects.get_for_model(deputy),
        source_id=deputy.pk * 1000 + days_ago * 10 + n,
    )


@pytest.fixture
def warned_world(world):
    act(world.deputy_a1, 10)  # active: not listed
    act(world.deputy_a2, 200)  # last act long ago
    # deputy_a1_liaison never acted; deputy_b1 is in another county
    retired = f.make_deputy(world.home_a1, name="已离任代表")
    Mandate.objects.filter(deputy=retired).update(is_active=False)
    return world


def names(response) -> set[str]:
    return {deputy.name for deputy in response.context["page"]}


def test_the_list_shows_deputies_in_office_without_a_recent_act(client_for, warned_world):
    w = warned_world
    response = client_for("staff").get(URL)
    assert names(response) == {w.deputy_a2.name, w.deputy_a1_liaison.name}
    last = {d.name: d.last_act for d in response.context["page"]}
    assert last[w.deputy_a2.name] == TODAY - datetime.timedelta(days=200)
    assert last[w.deputy_a1_liaison.name] is None
    assert "从未登记" in response.content.decode()


def test_an_act_dated_after_today_is_neither_recent_nor_the_last(client_for, warned_world):
    w = warned_world
    act(w.deputy_a2, -14)  # dated in two weeks (a 述职 entered ahead of its day)
    response = client_for("staff").get(URL)
    assert w.deputy_a2.name in names(response)
    last = {d.name: d.last_act for d in response.context["page"]}
    assert last[w.deputy_a2.name] == TODAY - datetime.timedelta(days=200)


def test_township_staff_see_their_township(client_for, warned_world):
    assert names(client_for("township").get(URL)) == {warned_world.deputy_a1_liaison.name}


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_deputies_and_units_may_not_see_it(client_for, role):
    assert client_for(role).get(URL).status_code == 403


def test_reminders_go_once_a_quarter(users, warned_world):
    w = warned_world
    deputy_user = f.make_user("deputy", "t_liaison_deputy", deputy=w.deputy_a1_liaison)
    first = duty_warnings_send(today=TODAY)
    # deputy_a2 has no account; each township's staff get one summary (A1 and A2).
    assert first == {"deputies": 1, "township_staff": 2}
    assert duty_warnings_send(today=TODAY) == {"deputies": 0, "township_staff": 0}
    assert w.deputy_a2.name in Notification.objects.get(recipient=users["outsider"]).body
    assert Notification.objects.filter(recipient=deputy_user, kind="duty_warning").count() == 1
    summary = Notification.objects.get(recipient=users["township"])
    assert w.deputy_a1_liaison.name in summary.body and "1 名代表" in summary.title
    next_quarter = TODAY + datetime.timedelta(days=95)
    again = duty_warnings_send(today=next_quarter)
    # The liaison deputy again, and deputy_a1, whose last act is now over three months old.
    assert again["deputies"] == 2


def test_the_list_query_count_does_not_grow(client_for, warned_world, world):
    client = client_for("staff")
    before = count_queries(client, URL)
    for i in range(6):
        deputy = f.make_deputy(world.home_a1)
        act(deputy, 300 + i)
    assert count_queries(client, URL) == before
