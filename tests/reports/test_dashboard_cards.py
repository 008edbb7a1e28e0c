"""Every number on a dashboard that links to a list equals the count of that list, for every role
of the demo: the figure cards, the chart figures and the unit's button. The card and the list
take their definition from one selector, so they cannot drift apart again (the 待办群众意见 card
once counted 已受理 + 已转办 while its link filtered 已受理)."""

import datetime
import re
from html import unescape

import pytest
from django.utils import timezone

from stations.models import Opinion, StationActivity
from stations.services.ledger import activity_save
from stations.services.receptions import reception_log
from tests import factories as f

ROLES = ("admin", "staff", "member", "township", "keeper", "deputy", "unit")

# A figure card: <a … href="URL"> … data-figure="KEY">N<
CARD = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>(?:(?!</a>).)*?data-figure="(\w+)">([\d,]+)<', re.S)
# A chart's figure: <a href="URL" data-chart-figure="KEY">N</a>
CHART_FIGURE = re.compile(r'<a href="([^"]+)" data-chart-figure="(\w+)">([\d,]+)</a>')
# The handling unit's button: 待答复的转办意见(N)
UNIT_BUTTON = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>待答复的转办意见[((](\d+)[))]</a>')


@pytest.fixture
def station_work(users, world):
    """Receptions this month and last, opinions in every status (one forwarded to unit A),
    activities at two stations of two townships."""
    today = timezone.localdate()
    earlier = today.replace(day=1) - datetime.timedelta(days=1)
    for station, deputy, date in (
        (world.home_a1, world.deputy_a1, today),
        (world.home_a1, world.deputy_a1, earlier if earlier.year == today.year else today),
        (world.liaison_a1, world.deputy_a1_liaison, today),
        (world.home_a2, world.deputy_a2, today),
        (world.home_b1, world.deputy_b1, today),
    ):
        day = f.make_reception_day(station, date)
        reception_log(user=users["admin"], day=day, deputy=deputy, voters_received=4)
    for station, status in (
        (world.home_a1, Opinion.Status.RECEIVED),
        (world.home_a1, Opinion.Status.FORWARDED),
        (world.home_a1, Opinion.Status.ANSWERED),
        (world.liaison_a1, Opinion.Status.RECEIVED),
        (world.home_a2, Opinion.Status.FORWARDED),
        (world.home_b1, Opinion.Status.RECEIVED),
    ):
        unit = world.unit_a if station.county_id == world.county_a.pk else None
        forwarded = status != Opinion.Status.RECEIVED
        f.make_opinion(
            users["admin"], station, status=status, handling_unit=unit if forwarded else None
        )
    for station, deputy in ((world.home_a1, world.deputy_a1), (world.home_a2, world.deputy_a2)):
        activity_save(
            user=users["admin"],
            station=station,
            kind=StationActivity.Kind.THEMED,
            date=today,
            theme="乡村振兴政策宣讲",
            deputies=[deputy],
            people_reached=20,
        )


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _list_count(client, url: str) -> int:
    response = client.get(unescape(url))
    assert response.status_code == 200, url
    if "report" in response.context:  # the compliance page: stations listed
        return response.context["report"].totals.stations
    return response.context["page"].paginator.count


def linked_figures(html: str) -> list[tuple[str, str, int]]:
    """(key, url, number) of every number on the page that links to a list."""
    found = [(key, url, _number(n)) for url, key, n in CARD.findall(html)]
    found += [(key, url, _number(n)) for url, key, n in CHART_FIGURE.findall(html)]
    found += [("opinions_forwarded", url, _number(n)) for url, n in UNIT_BUTTON.findall(html)]
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_linked_dashboard_number_equals_its_lists_count(client_for, station_work, role):
    client = client_for(role)
    html = client.get("/").content.decode()
    figures = linked_figures(html)
    assert figures, "the dashboard shows no linked figure"
    mismatches = [
        (key, url, number, count)
        for key, url, number in figures
        if (count := _list_count(client, url)) != number
    ]
    assert not mismatches


@pytest.mark.parametrize(
    ("role", "keys"),
    [
        ("staff", {"receptions", "opinions_open", "activities", "stations_with_gaps"}),
        ("township", {"receptions", "opinions_open", "activities"}),
        ("keeper", {"receptions", "opinions_open", "activities"}),
        ("deputy", {"receptions", "opinions_open", "activities"}),
        ("unit", {"opinions_forwarded"}),
    ],
)
def test_the_cards_are_found_and_count_something(client_for, station_work, role, keys):
    """The parser above finds the cards (a changed template must not make the check vacuous)."""
    figures = {
        key: number
        for key, _url, number in linked_figures(client_for(role).get("/").content.decode())
    }
    assert keys <= set(figures)
    assert all(figures[key] > 0 for key in keys - {"stations_with_gaps"})


def test_open_opinions_card_counts_received_and_forwarded(client_for, station_work):
    """待办群众意见 = 已受理 + 已转办, and its link opens exactly those."""
    html = client_for("staff").get("/").content.decode()
    figures = {key: (url, n) for key, url, n in linked_figures(html)}
    url, number = figures["opinions_open"]
    assert number == 4  # county A: 2 received + 2 forwarded
    assert "open=true" in url
