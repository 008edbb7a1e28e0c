"""The deputy and station lists reuse their rendered content (core.listcache) until a roster
record changes, per user and query string; revealing personal data never goes through it."""

import re

import pytest
from django.urls import reverse

from core import listcache
from core.models import PersonalDataAccess
from tests import factories as f
from tests.querycount import count_queries

DEPUTIES = reverse("deputies:list")
STATIONS = reverse("stations:list")
DEPUTIES_API = reverse("deputy-list")
STATIONS_API = reverse("station-list")


def without_csrf(content: bytes) -> bytes:
    """The page minus its CSRF tokens, which are masked afresh on every request."""
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


@pytest.fixture(autouse=True)
def list_cache(settings):
    settings.LIST_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()


@pytest.mark.parametrize("url", [DEPUTIES, STATIONS, DEPUTIES_API, STATIONS_API])
def test_a_repeated_list_is_served_from_the_cache(client_for, world, url):
    client = client_for("staff")
    first = client.get(url)
    warm = count_queries(client, url)
    assert without_csrf(client.get(url).content) == without_csrf(first.content)
    # Only the session and the user are read; the list itself is not queried again.
    assert warm <= 3


def test_a_change_to_a_deputy_shows_at_once(client_for, world):
    client = client_for("staff")
    assert world.deputy_a1.name in client.get(DEPUTIES).content.decode()
    world.deputy_a1.name = "改名后的代表"
    world.deputy_a1.save()
    assert "改名后的代表" in client.get(DEPUTIES).content.decode()


def test_a_change_of_group_membership_shows_at_once(client_for, world):
    client = client_for("staff")
    assert world.group_a.name in client.get(DEPUTIES_API).content.decode()
    world.group_a.members.clear()
    assert world.group_a.name not in client.get(DEPUTIES_API).content.decode()


def test_a_new_station_and_a_renamed_township_show_at_once(client_for, world):
    client = client_for("staff")
    client.get(STATIONS)
    f.make_station(world.a1, name="新建联络站")
    world.a1.name = "改名镇"
    world.a1.save()
    html = client.get(STATIONS).content.decode()
    assert "新建联络站" in html and "改名镇" in html


def test_each_user_and_query_has_its_own_entry(client_for, world):
    assert world.deputy_b1.name in client_for("admin").get(DEPUTIES).content.decode()
    township = client_for("township").get(DEPUTIES).content.decode()
    assert world.deputy_b1.name not in township and world.deputy_a2.name not in township
    staff = client_for("staff")
    staff.get(DEPUTIES)
    filtered = staff.get(DEPUTIES, {"q": world.deputy_a2.name}).content.decode()
    assert world.deputy_a2.name in filtered and world.deputy_a1.name not in filtered


def test_a_changed_scope_is_a_new_entry(client_for, users, world):
    township = users["township"]
    client = client_for("township")
    assert world.deputy_a2.name not in client.get(DEPUTIES).content.decode()
    township.township = world.a2
    township.save()
    assert world.deputy_a2.name in client.get(DEPUTIES).content.decode()


def test_revealing_personal_data_bypasses_the_cache_and_is_logged_each_time(client_for, world):
    client = client_for("staff")
    client.get(DEPUTIES_API)
    for _ in range(2):
        response = client.get(DEPUTIES_API, {"reveal": "1"})
        assert response.status_code == 200
    assert PersonalDataAccess.objects.count() == 2 * len(response.json()["results"])


def test_refusals_are_not_cached(client_for):
    client = client_for("unit")  # a handling unit may not read the deputy roster
    assert client.get(DEPUTIES_API).status_code == 403
    assert client.get(DEPUTIES_API).status_code == 403


def test_turned_off_it_renders_every_time(client_for, world, settings):
    settings.LIST_CACHE_SECONDS = 0
    client = client_for("staff")
    client.get(DEPUTIES)
    assert count_queries(client, DEPUTIES) > 3


def test_bump_makes_every_entry_stale(rf, users, world):
    calls = []
    request = rf.get(DEPUTIES)
    request.user = users["staff"]

    def build():
        calls.append(1)
        return "x"

    listcache.cached(request, "t", build)
    listcache.cached(request, "t", build)
    listcache.bump()
    listcache.cached(request, "t", build)
    assert len(calls) == 2
