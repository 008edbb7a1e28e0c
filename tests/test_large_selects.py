"""No page of the portal offers a long drop-down list: a county has 2,192 deputies, 121 stations
and dozens of handling units, and a <select> of them is unusable on a phone (and heavy). Such a
choice is a core.widgets.SearchPicker fed by a scoped endpoint, which carries only the chosen
options. With more than MAX_OPTIONS deputies, stations and units in the staff's county, every page
of every URL the staff (and the other roles) may open is rendered and each <select> counted, so a
new large select cannot come back."""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import Deputy
from tests import factories as f

from .permission_matrix import EXPECTED
from .suggestions.states import suggestion_at
from .test_permission_matrix import (  # noqa: F401
    URLS,
    concrete_url,
    objects,
    station_work,
    suggestion_with_evaluation,
)

MAX_OPTIONS = 60
MANY = MAX_OPTIONS + 5


class _Selects(HTMLParser):
    """The number of options of each <select> of a page, by its name."""

    def __init__(self):
        super().__init__()
        self.counts: dict[str, int] = {}
        self._current: str | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "select":
            self._current = dict(attrs).get("name") or dict(attrs).get("id") or "?"
            self.counts[self._current] = 0
        elif tag == "option" and self._current is not None:
            self.counts[self._current] += 1

    def handle_endtag(self, tag):
        if tag == "select":
            self._current = None


def large_selects(html: str) -> dict[str, int]:
    parser = _Selects()
    parser.feed(html)
    return {name: count for name, count in parser.counts.items() if count > MAX_OPTIONS}


def test_the_counter_finds_a_large_select():
    options = "".join(f"<option value={n}>{n}</option>" for n in range(MAX_OPTIONS + 1))
    html = f'<select name="a"><option>1</option></select><select name="b">{options}</select>'
    assert large_selects(html) == {"b": MAX_OPTIONS + 1}


@pytest.fixture
def crowded(objects, world, users):  # noqa: F811
    """More deputies, stations and units in county A (township A1) than a select may list, and
    records in the states whose pages carry the forms that choose among them."""
    registered = suggestion_at(world, users["staff"], "registered")  # the assignment form
    waiting = f.make_deputy(world.home_a1, name="待进驻")
    Deputy.objects.filter(pk=waiting.pk).update(station=None)  # the form stationing deputies
    objects = {**objects, "registered-suggestion": registered}
    for n in range(MANY):
        # Homes, not liaison stations: a liaison station brings a village of its own, and a
        # township's villages (a voter's village) are rightly a short select.
        station = f.make_station(world.a1, name=f"甲一第{n}代表之家")
        f.make_deputy(station, name=f"代表甲{n}")
        f.make_unit(world.county_a, f"甲县第{n}局")
    return objects


# Pages that are not the portal's own forms: Django admin (its own autocomplete and filters) and
# the API (JSON, and its browsable renderer).
SKIP_PREFIXES = ("admin:", "/admin/", "api", "/api/")


def _pages(role: str, records) -> list[tuple[str, str]]:
    """Every page of the matrix the role may open, and the pages of records in other states."""
    pages = [
        (key, concrete_url(key, url, records))
        for key, url in URLS
        if not key.startswith(SKIP_PREFIXES) and EXPECTED[key][role] == 200
    ]
    if role == "staff":
        pages.append(
            (
                "registered suggestion",
                reverse("suggestions:detail", args=[records["registered-suggestion"].pk]),
            )
        )
    return pages


@pytest.mark.parametrize("role", ["staff", "township", "keeper", "deputy", "unit"])
def test_no_page_offers_a_select_of_more_than_sixty_options(crowded, users, role):
    client = Client()
    client.force_login(users[role])
    found = {}
    for key, target in _pages(role, crowded):
        response = client.get(target)
        if response.status_code != 200 or response.streaming:
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        large = large_selects(response.content.decode())
        if large:
            found[key] = large
    assert not found, (
        f"{role} is offered selects of more than {MAX_OPTIONS} options (use "
        f"core.widgets.SearchPicker with a scoped endpoint): {found}"
    )
