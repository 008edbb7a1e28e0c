"""The compliance check: a reception day and a 选民走访日 every month and a themed activity every
quarter."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stations.models import Reception, ReceptionDay, StationActivity, VisitDay
from stations.selectors.ledger import Mark, compliance_for
from tests import factories as f
from tests.querycount import count_queries

D, M, P = Mark.DONE, Mark.MISSED, Mark.PENDING
TODAY = datetime.date(2026, 4, 15)  # January to March are over, so is the first quarter
HELD, PLANNED, CANCELLED = (
    ReceptionDay.Status.HELD,
    ReceptionDay.Status.PLANNED,
    ReceptionDay.Status.CANCELLED,
)


def day(station, date, status=PLANNED):
    return ReceptionDay.objects.create(station=station, date=date, status=status)


def received(station, date, deputy, user):
    """A reception logged on a day still marked planned: it took place all the same."""
    Reception.objects.create(
        reception_day=day(station, date), deputy=deputy, voters_received=5, logged_by=user
    )


def activity(station, date, user, kind=StationActivity.Kind.THEMED):
    StationActivity.objects.create(
        station=station, kind=kind, date=date, theme="活动", created_by=user
    )


def visited(station, date, status=VisitDay.Status.HELD):
    return VisitDay.objects.create(station=station, date=date, status=status)


@pytest.fixture
def year_2026(world, users):
    """home_a1: all done so far. liaison_a1: February and March missed, only a voter visit in Q1
    (in March). home_a2: nothing in 2026 (a reception and a themed activity in 2025 only)."""
    keeper = users["keeper"]
    for month in (1, 2, 3):
        received(world.home_a1, datetime.date(2026, month, 15), world.deputy_a1, keeper)
        visited(world.home_a1, datetime.date(2026, month, 22))
    activity(world.home_a1, datetime.date(2026, 2, 10), keeper)

    day(world.liaison_a1, datetime.date(2026, 1, 15), HELD)
    day(world.liaison_a1, datetime.date(2026, 2, 15), PLANNED)
    day(world.liaison_a1, datetime.date(2026, 3, 15), CANCELLED)
    day(world.liaison_a1, datetime.date(2026, 4, 10), HELD)  # this month: done, never "missed"
    activity(world.liaison_a1, datetime.date(2026, 3, 1), keeper, StationActivity.Kind.VOTER_VISIT)
    activity(world.liaison_a1, datetime.date(2026, 4, 2), keeper)  # Q2, not over yet

    received(world.home_a2, datetime.date(2025, 12, 15), world.deputy_a2, keeper)
    activity(world.home_a2, datetime.date(2025, 2, 1), keeper)

    received(world.home_b1, datetime.date(2026, 1, 15), world.deputy_b1, keeper)


def grid(report):
    return {
        row.station.name: (row.months, row.quarters)
        for group in report.townships
        for row in group.stations
    }


def test_the_grid_and_totals_for_the_current_year(world, users, year_2026):
    report = compliance_for(user=users["staff"], year=2026, today=TODAY)
    assert (report.months_due, report.quarters_due) == (3, 1)
    assert grid(report) == {
        "甲一镇代表之家": ([D, D, D] + [P] * 9, [D, P, P, P]),
        "甲一村联络站": ([D, M, M, D] + [P] * 8, [M, D, P, P]),
        "甲二镇代表之家": ([M, M, M] + [P] * 9, [M, P, P, P]),
    }
    a1, a2 = report.townships
    assert a1.township == world.a1 and a2.township == world.a2
    assert [r.station for r in a1.stations] == [world.home_a1, world.liaison_a1]
    assert (a1.totals.stations, a1.totals.missed_months, a1.totals.missed_quarters) == (2, 2, 1)
    assert a1.totals.stations_with_gaps == 1
    assert (a2.totals.stations, a2.totals.missed_months, a2.totals.missed_quarters) == (1, 3, 1)
    totals = report.totals
    assert (totals.stations, totals.stations_with_gaps) == (3, 2)
    assert (totals.missed_months, totals.missed_quarters) == (5, 2)


def test_a_past_year_counts_every_month_and_quarter(world, users, year_2026):
    rows = grid(compliance_for(user=users["staff"], year=2025, today=TODAY))
    assert rows["甲二镇代表之家"] == ([M] * 11 + [D], [D, M, M, M])
    assert rows["甲一镇代表之家"] == ([M] * 12, [M] * 4)


def test_a_future_year_has_nothing_missed(world, users, year_2026):
    report = compliance_for(user=users["staff"], year=2027, today=TODAY)
    assert (report.totals.missed_months, report.totals.missed_quarters) == (0, 0)
    assert all(
        mark == P for months, quarters in grid(report).values() for mark in months + quarters
    )


@pytest.mark.parametrize(
    ("today", "months_due", "quarters_due"),
    [
        (datetime.date(2026, 1, 1), 0, 0),
        (datetime.date(2026, 3, 31), 2, 0),  # the last day of a month does not close it yet
        (datetime.date(2026, 4, 1), 3, 1),
        (datetime.date(2026, 12, 31), 11, 3),
    ],
)
def test_only_periods_that_are_over_count(users, world, today, months_due, quarters_due):
    report = compliance_for(user=users["staff"], year=2026, today=today)
    assert (report.months_due, report.quarters_due) == (months_due, quarters_due)
    assert report.totals.missed_months == 3 * months_due  # no data at all
    assert report.totals.missed_quarters == 3 * quarters_due


def test_only_stations_with_gaps(users, world, year_2026):
    report = compliance_for(user=users["staff"], year=2026, today=TODAY, gaps_only=True)
    assert set(grid(report)) == {"甲一村联络站", "甲二镇代表之家"}
    assert report.totals.stations == 2 and report.totals.missed_months == 5


def test_an_inactive_station_is_left_out(users, world, year_2026):
    world.home_a2.is_active = False
    world.home_a2.save()
    report = compliance_for(user=users["staff"], year=2026, today=TODAY)
    assert set(grid(report)) == {"甲一镇代表之家", "甲一村联络站"}


@pytest.mark.parametrize(
    ("role", "stations"),
    [
        ("admin", {"甲一镇代表之家", "甲一村联络站", "甲二镇代表之家", "乙一镇代表之家"}),
        ("staff", {"甲一镇代表之家", "甲一村联络站", "甲二镇代表之家"}),
        ("member", {"甲一镇代表之家", "甲一村联络站", "甲二镇代表之家"}),
        ("township", {"甲一镇代表之家", "甲一村联络站"}),
        ("keeper", {"甲一镇代表之家"}),
        ("outsider", {"甲二镇代表之家"}),
    ],
)
def test_each_role_checks_the_stations_of_its_scope(users, world, year_2026, role, stations):
    assert set(grid(compliance_for(user=users[role], year=2026, today=TODAY))) == stations


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_deputies_and_units_do_not_run_the_check(users, client_for, world, role):
    with pytest.raises(PermissionDenied):
        compliance_for(user=users[role], year=2026, today=TODAY)
    assert client_for(role).get(reverse("stations:compliance")).status_code == 403


def test_the_page_shows_townships_subtotals_and_export_links(client_for, world, year_2026):
    response = client_for("staff").get(reverse("stations:compliance"), {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    report = response.context["report"]
    assert report.year == 2026
    assert world.a1.name in html and world.a2.name in html
    assert "甲一村联络站" in html and "乙一镇代表之家" not in html
    assert reverse("export_start", args=["station_ledger"]) in html
    assert 'name="year" value="2026"' in html
    assert f'name="station" value="{world.home_a2.pk}"' in html
    assert "mark-missed" in html


def test_the_page_filters_stations_with_gaps(client_for, world, users):
    keeper = users["keeper"]
    for month in range(1, 13):  # home_a1 kept every rule in 2025
        received(world.home_a1, datetime.date(2025, month, 15), world.deputy_a1, keeper)
        visited(world.home_a1, datetime.date(2025, month, 22))
    for month in (1, 4, 7, 10):
        activity(world.home_a1, datetime.date(2025, month, 20), keeper)
    client = client_for("staff")
    everything = grid(client.get(reverse("stations:compliance"), {"year": 2025}).context["report"])
    assert everything["甲一镇代表之家"] == ([D] * 12, [D] * 4)
    response = client.get(reverse("stations:compliance"), {"year": 2025, "gaps": 1})
    assert set(grid(response.context["report"])) == {"甲一村联络站", "甲二镇代表之家"}
    assert "甲一镇代表之家" not in response.content.decode()


def test_the_page_defaults_to_the_current_year(client_for, world):
    response = client_for("keeper").get(reverse("stations:compliance"), {"year": "x"})
    assert response.context["report"].year == timezone.localdate().year


def test_three_queries_whatever_the_number_of_stations(users, world, year_2026):
    def measure():
        with CaptureQueriesContext(connection) as ctx:
            compliance_for(user=users["staff"], year=2026, today=TODAY)
        return len(ctx.captured_queries)

    # Stations, months held, quarters with a themed activity, months visited (visit days and
    # the ledger's visit entries).
    assert measure() == 5
    _grow(world, users, 9)
    assert measure() == 5


def _grow(world, users, n):
    for i in range(n):
        township = world.a1 if i % 2 else f.make_township(world.county_a)
        station = f.make_station(township)
        deputy = f.make_deputy(station)
        received(station, datetime.date(2026, 1 + i % 3, 15), deputy, users["keeper"])
        activity(station, datetime.date(2026, 1 + i % 12, 5), users["keeper"])


def test_page_query_count_does_not_grow_with_stations(client_for, users, world, year_2026):
    client = client_for("staff")
    url = reverse("stations:compliance") + "?year=2026"
    before = count_queries(client, url)
    _grow(world, users, 9)
    # Session and user, then the report's three queries.
    assert count_queries(client, url) == before


def test_a_visit_day_is_due_every_month_like_a_reception_day(world, users, year_2026):
    """选民走访日: a month counts when a visit day was held or a visit was entered in the ledger;
    a planned or cancelled visit day does not; the month under way is pending."""
    visited(world.liaison_a1, datetime.date(2026, 1, 20), VisitDay.Status.PLANNED)
    visited(world.liaison_a1, datetime.date(2026, 2, 20), VisitDay.Status.CANCELLED)
    visited(world.liaison_a1, datetime.date(2026, 4, 3))
    report = compliance_for(user=users["staff"], year=2026, today=TODAY)
    visits = {row.station.name: row.visits for g in report.townships for row in g.stations}
    assert visits["甲一镇代表之家"] == [D, D, D] + [P] * 9
    assert visits["甲一村联络站"] == [M, M, D, D] + [P] * 8  # March: the ledger's visit entry
    assert visits["甲二镇代表之家"] == [M, M, M] + [P] * 9
    assert report.totals.missed_visits == 5
    a1 = report.townships[0]
    home = next(r for r in a1.stations if r.station == world.home_a1)
    assert not home.has_gaps
