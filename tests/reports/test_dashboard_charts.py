"""The county charts of the staff dashboard: every figure equals the count of the list it links
to, the page's queries do not grow with the data, and other roles keep their own dashboards."""

import datetime

import pytest
from django.utils import timezone

from stations.models import Opinion
from stations.services.opinions import opinion_create
from stations.services.receptions import reception_log
from suggestions.models import Suggestion
from suggestions.statistics import suggestion_statistics
from tests import factories as f
from tests.querycount import count_queries, grow

S = Suggestion.Status


def _opinion(users, world, *, age_days: int, status=Opinion.Status.RECEIVED):
    opinion = opinion_create(
        user=users["keeper"],
        channel="mailbox",
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="路",
    )
    Opinion.objects.filter(pk=opinion.pk).update(
        status=status, created_at=timezone.now() - datetime.timedelta(days=age_days, hours=1)
    )


def _suggestion(users, world, *, status, deadline=None):
    return Suggestion.objects.create(
        number=f"S{Suggestion.objects.count() + 1:03d}",
        title="关于硬化村道的建议",
        content="内容",
        category="roads",
        county=world.county_a,
        lead_deputy=world.deputy_a1,
        created_by=users["admin"],
        status=status,
        submitted_at=timezone.now(),
        deadline=deadline,
        original_deadline=deadline,
    )


@pytest.fixture
def county_work(users, world):
    today = timezone.localdate()
    day = f.make_reception_day(world.home_a1, today)
    reception_log(user=users["keeper"], day=day, deputy=world.deputy_a1, voters_received=7)
    other = f.make_deputy(world.home_a1, name="陈甲一")
    reception_log(user=users["keeper"], day=day, deputy=other, voters_received=3)
    for age, status in (
        (1, Opinion.Status.RECEIVED),
        (10, Opinion.Status.FORWARDED),
        (40, Opinion.Status.RECEIVED),
        (40, Opinion.Status.ANSWERED),
    ):
        _opinion(users, world, age_days=age, status=status)
    late = today - datetime.timedelta(days=1)
    _suggestion(users, world, status=S.IN_HANDLING, deadline=late)
    _suggestion(users, world, status=S.ASSIGNED, deadline=today + datetime.timedelta(days=30))
    _suggestion(users, world, status=S.REGISTERED)


def _list_count(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    if "report" in response.context:  # the compliance page, with ?gaps=1
        return response.context["report"].totals.stations
    return response.context["page"].paginator.count


@pytest.mark.parametrize("role", ["staff", "township"])
def test_every_chart_figure_equals_the_list_it_links_to(client_for, county_work, role):
    client = client_for(role)
    charts = client.get("/").context["charts"]
    checked = 0
    for chart in charts.charts:
        # missing_receptions: each month's bar opens the stations that missed that month.
        for bar in chart.bars:
            assert _list_count(client, bar.url) == bar.value, (chart.key, bar.label, bar.url)
            checked += 1
    overdue = charts.overdue
    assert _list_count(client, overdue.suggestions_url) == overdue.suggestions
    assert _list_count(client, overdue.opinions_url) == overdue.opinions
    assert _list_count(client, overdue.stations_url) == overdue.stations_with_gaps
    assert checked > 30


def test_staff_charts_count_the_county_work(client_for, county_work, users):
    response = client_for("staff").get("/")
    charts = {chart.key: chart for chart in response.context["charts"].charts}
    month = timezone.localdate().month
    receptions = charts["receptions"].bars[month - 1]
    assert (receptions.value, receptions.second) == (2, 10)
    assert [bar.value for bar in charts["opinion_age"].bars] == [1, 1, 1]
    assert dict((bar.label, bar.value) for bar in charts["suggestion_status"].bars)["办理中"] == 1
    overdue = response.context["charts"].overdue
    assert (overdue.suggestions, overdue.opinions) == (1, 1)
    today = timezone.localdate()
    statistics = suggestion_statistics(
        user=users["staff"],
        start=datetime.date(today.year, 1, 1),
        end=datetime.date(today.year, 12, 31),
    )
    assert response.context["charts"].satisfaction_rate == statistics.totals.satisfaction_rate
    html = response.content.decode()
    # Data in a JSON block and the script from a file: nothing inline for the CSP to block.
    assert '<script id="dashboard-charts" type="application/json">' in html
    assert "vendor/echarts/echarts.min.js" in html and "js/dashboard.js" in html
    assert "?overdue=true" in html and "gaps=1" in html


def test_township_charts_are_limited_to_the_township(client_for, county_work, users, world):
    day = f.make_reception_day(world.home_a2, timezone.localdate())
    reception_log(user=users["staff"], day=day, deputy=world.deputy_a2, voters_received=5)
    month = timezone.localdate().month
    staff = {c.key: c for c in client_for("staff").get("/").context["charts"].charts}
    township = {c.key: c for c in client_for("township").get("/").context["charts"].charts}
    assert staff["receptions"].bars[month - 1].value == 3
    assert township["receptions"].bars[month - 1].value == 2


@pytest.mark.parametrize("role", ["keeper", "deputy", "unit"])
def test_other_roles_keep_their_own_dashboard(client_for, county_work, role):
    response = client_for(role).get("/")
    assert response.status_code == 200
    assert "charts" not in response.context
    assert "dashboard-charts" not in response.content.decode()


def test_member_sees_the_county_charts(client_for, county_work):
    assert client_for("member").get("/").context["charts"].charts


def test_dashboard_query_count_does_not_grow_with_data(client_for, users, world):
    client = client_for("staff")
    grow(world, 8)
    small = count_queries(client, "/")
    grow(world, 24)
    today = timezone.localdate()
    for station, deputy in ((world.home_a1, world.deputy_a1), (world.home_a2, world.deputy_a2)):
        day = f.make_reception_day(station, today)
        reception_log(user=users["staff"], day=day, deputy=deputy, voters_received=1)
    for age in (1, 10, 40):
        _opinion(users, world, age_days=age)
    for status in (S.IN_HANDLING, S.REGISTERED):
        _suggestion(users, world, status=status, deadline=today)
    assert count_queries(client, "/") == small
