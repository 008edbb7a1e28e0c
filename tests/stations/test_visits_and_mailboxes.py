"""选民走访日 planned per station and month like reception days, held with a ledger entry that is
each deputy's duty act, and counted by the compliance check; 代表信箱 in every township and
village, opened by the station's deputies, the letters becoming opinions (issue 20, item 10)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from deputies.models import DutyRecord
from stations.models import Mailbox, MailboxOpening, Opinion, StationActivity, VisitDay
from stations.selectors.ledger import Mark, compliance_for
from stations.selectors.visits import mailbox_coverage
from stations.services.visits import (
    mailbox_open,
    visit_day_hold,
    visit_day_plan,
    visit_day_update,
    visit_days_generate,
    visit_reminders_send,
)
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=10)


def test_a_visit_day_is_planned_once_a_month_with_the_stations_deputies(world, users):
    keeper = users["keeper"]
    day = visit_day_plan(
        user=keeper, station=world.home_a1, date=LAST_MONTH, deputies=[world.deputy_a1]
    )
    assert list(day.deputies.all()) == [world.deputy_a1]
    with pytest.raises(DomainError, match="已安排选民走访日"):
        visit_day_plan(
            user=keeper,
            station=world.home_a1,
            date=LAST_MONTH + datetime.timedelta(days=5),
            deputies=[world.deputy_a1],
        )
    with pytest.raises(DomainError, match="不在本站进驻"):
        visit_day_plan(
            user=users["staff"],
            station=world.liaison_a1,
            date=LAST_MONTH,
            deputies=[world.deputy_a1],
        )
    with pytest.raises(DomainError, match="请选择"):
        visit_day_plan(user=users["staff"], station=world.liaison_a1, date=LAST_MONTH, deputies=[])
    with pytest.raises(DomainError, match="只有本站管理员"):
        visit_day_plan(
            user=users["member"], station=world.home_a1, date=TODAY, deputies=[world.deputy_a1]
        )
    assert VisitDay.objects.count() == 1


def test_holding_a_visit_day_logs_the_ledger_and_each_deputys_duty_act(world, users):
    keeper = users["keeper"]
    other = f.make_deputy(world.home_a1, name="李走访")
    day = visit_day_plan(
        user=keeper, station=world.home_a1, date=LAST_MONTH, deputies=[world.deputy_a1]
    )
    with pytest.raises(DomainError, match="登记走访情况"):
        visit_day_update(
            user=keeper, day=day, date=day.date, status="held", note="", deputies=[world.deputy_a1]
        )
    visit_day_hold(
        user=keeper, day=day, deputies=[world.deputy_a1, other], people_reached=40, summary="入户"
    )
    day.refresh_from_db()
    assert day.status == VisitDay.Status.HELD
    assert day.activity.kind == StationActivity.Kind.VOTER_VISIT
    records = DutyRecord.objects.filter(kind="voter_visit", occurred_on=LAST_MONTH)
    assert {r.deputy_id for r in records} == {world.deputy_a1.pk, other.pk}
    with pytest.raises(DomainError, match="不能改期或取消"):
        visit_day_update(
            user=keeper, day=day, date=day.date, status="cancelled", note="", deputies=[]
        )
    report = compliance_for(user=users["staff"], year=LAST_MONTH.year, today=TODAY)
    row = next(r for g in report.townships for r in g.stations if r.station == world.home_a1)
    assert row.visits[LAST_MONTH.month - 1] == Mark.DONE


def test_a_visit_day_to_come_cannot_be_recorded_as_held(world, users):
    day = VisitDay.objects.create(station=world.home_a1, date=TODAY + datetime.timedelta(days=2))
    with pytest.raises(DomainError, match="还没到"):
        visit_day_hold(user=users["keeper"], day=day, deputies=[world.deputy_a1], people_reached=1)
    assert not StationActivity.objects.exists()


def test_visit_days_are_generated_for_every_station_by_the_fewest_visits(world, users):
    created = visit_days_generate(today=TODAY, stations=world.home_a1.__class__.objects.all())
    assert created == VisitDay.objects.count() > 0
    assert visit_days_generate(today=TODAY) == 0  # this month is planned everywhere
    day = VisitDay.objects.get(station=world.home_a1)
    assert day.date.month == TODAY.month and list(day.deputies.all()) == [world.deputy_a1]


def test_visit_day_pages_by_role(world, users, client_for):
    day = visit_day_plan(
        user=users["keeper"], station=world.home_a1, date=LAST_MONTH, deputies=[world.deputy_a1]
    )
    keeper = client_for("keeper")
    assert world.home_a1.name in keeper.get(reverse("stations:visit_days")).content.decode()
    response = keeper.post(
        reverse("stations:visit_day_hold", args=[day.pk]),
        {"deputies": [world.deputy_a1.pk], "people_reached": 12, "summary": "走访脱贫户"},
    )
    assert response.status_code == 302
    assert client_for("deputy").get(reverse("stations:visit_day_new")).status_code == 403
    assert (
        client_for("outsider").get(reverse("stations:visit_day_edit", args=[day.pk])).status_code
        == 404
    )
    bad = keeper.post(
        reverse("stations:visit_day_new"), {"date": LAST_MONTH.isoformat(), "deputies": []}
    )
    assert "请选择参加走访的代表" in bad.content.decode()


@pytest.fixture
def mailbox(world):
    box = Mailbox.objects.create(
        township=world.a1, village=world.liaison_a1.village, station=world.liaison_a1,
        location="甲一村党群服务中心门口", open_every_days=15,
    )  # fmt: skip
    return box


def test_letters_found_at_an_opening_become_mailbox_opinions(world, users, mailbox):
    deputy = f.make_deputy(world.liaison_a1, name="开箱代表")
    mailbox.openers.set([deputy])
    opening = mailbox_open(
        user=users["township"],
        mailbox=mailbox,
        opened_on=TODAY,
        opener=deputy,
        letters=[("roads", "村道破损"), ("medical", "希望村卫生室延长开放时间")],
    )
    assert opening.letters == 2
    opinions = Opinion.objects.filter(channel=Opinion.Channel.MAILBOX)
    assert opinions.count() == 2
    assert {o.township_id for o in opinions} == {world.a1.pk}
    assert {o.station_id for o in opinions} == {world.liaison_a1.pk}


def test_a_bad_opening_saves_nothing(world, users, mailbox):
    for kwargs, message in (
        ({"letters": [("roads", " ")]}, "每封信"),
        ({"opened_on": TODAY + datetime.timedelta(days=1), "letters": []}, "不能晚于今天"),
        ({"opener": None, "letters": [], "user": users["deputy"]}, "只有本站"),
        ({"opener": world.deputy_a1, "letters": []}, "本站进驻"),
    ):
        arguments = {"user": users["staff"], "mailbox": mailbox, "opened_on": TODAY, "opener": None}
        arguments.update(kwargs)
        with pytest.raises(DomainError, match=message):
            mailbox_open(**arguments)
    assert not MailboxOpening.objects.exists() and not Opinion.objects.exists()


def test_a_stationed_deputy_opens_their_stations_mailbox_on_the_page(world, users, client_for):
    box = Mailbox.objects.create(township=world.a1, station=world.home_a1, location="镇政府门口")
    response = client_for("deputy").post(
        reverse("stations:mailbox_detail", args=[box.pk]),
        {
            "opened_on": TODAY.isoformat(),
            "opener": world.deputy_a1.pk,
            "letters-TOTAL_FORMS": "1",
            "letters-INITIAL_FORMS": "0",
            "letters-0-category": "roads",
            "letters-0-content": "路灯不亮",
        },
    )
    assert response.status_code == 302
    assert Opinion.objects.get().content == "路灯不亮"
    assert client_for("unit").get(reverse("stations:mailboxes")).status_code == 403


def test_coverage_per_township(world, users, mailbox):
    extra = f.make_village(world.a1)
    rows = {row.township: row for row in mailbox_coverage(user=users["staff"])}
    a1 = rows[world.a1]
    villages = world.a1.children.filter(level="village").count()
    assert (a1.has_township_box, a1.villages, a1.villages_covered) == (False, villages, 1)
    assert not a1.complete
    Mailbox.objects.create(township=world.a1, station=world.home_a1, location="镇政府")
    Mailbox.objects.create(
        township=world.a1, village=extra, station=world.home_a1, location="村委会"
    )
    a1 = {row.township: row for row in mailbox_coverage(user=users["staff"])}[world.a1]
    assert a1.has_township_box and a1.villages_covered == villages and a1.complete
    assert a1.percent == 100


def test_the_mailbox_list_queries_do_not_grow(world, users, client_for, mailbox):
    client = client_for("staff")
    url = reverse("stations:mailboxes")
    before = count_queries(client, url)
    for _ in range(5):
        township = f.make_township(world.county_a)
        station = f.make_station(township)
        box = Mailbox.objects.create(township=township, station=station, location="政府")
        box.openers.set([f.make_deputy(station)])
        MailboxOpening.objects.create(mailbox=box, opened_on=TODAY, logged_by=users["staff"])
    assert count_queries(client, url) == before


def test_visit_day_reminders_go_once_to_its_deputies_with_accounts(world, users):
    from core.models import Notification

    today = datetime.date(2026, 12, 12)
    day = VisitDay.objects.create(station=world.home_a1, date=today + datetime.timedelta(days=3))
    no_account = f.make_deputy(world.home_a1, name="无账号代表")
    day.deputies.set([world.deputy_a1, no_account])
    cancelled = VisitDay.objects.create(
        station=world.liaison_a1,
        date=today + datetime.timedelta(days=3),
        status=VisitDay.Status.CANCELLED,
    )
    cancelled.deputies.set([world.deputy_a1])
    assert visit_reminders_send(today=today) == 1
    assert visit_reminders_send(today=today) == 0  # idempotent: the daily task may run twice
    notification = Notification.objects.get(kind="visit_reminder")
    assert notification.recipient == users["deputy"]
    assert "选民走访日提醒" in notification.title and world.home_a1.name in notification.title
    assert visit_reminders_send(today=today + datetime.timedelta(days=1)) == 0  # not that day
