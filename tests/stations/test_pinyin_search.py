"""Stations are found by name in characters, full pinyin or initials on the staff list, the API
and the admin; the keys follow the name on save and are filled for old rows."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from directory.models import Station
from tests.querycount import count_queries, grow

QUERIES = ["甲一镇代表之家", "jiayizhen", "Jia Yi Zhen", "jyzdbzj", "JYZ"]


def _page_names(response) -> set[str]:
    return {station.name for station in response.context["page"].object_list}


@pytest.mark.parametrize("query", QUERIES)
def test_staff_station_list_finds_by_name_pinyin_and_initials(client_for, world, query):
    response = client_for("staff").get(reverse("stations:list"), {"q": query})
    assert _page_names(response) == {"甲一镇代表之家"}


@pytest.mark.parametrize("query", ["jiayizhen", "jyz", "甲一镇"])
def test_api_station_filter_shares_the_search(client_for, world, query):
    rows = client_for("staff").get("/api/v1/stations/", {"q": query}).json()["results"]
    assert [row["name"] for row in rows] == ["甲一镇代表之家"]


@pytest.mark.parametrize("query", ["jiayizhen", "jyz", "甲一镇"])
def test_admin_finds_a_station_by_pinyin(client_for, world, query):
    url = reverse("admin:directory_station_changelist")
    response = client_for("staff").get(url, {"q": query})
    assert [s.pk for s in response.context["cl"].result_list] == [world.home_a1.pk]


def test_the_search_stays_in_scope(client_for, world):
    response = client_for("outsider").get(reverse("stations:list"), {"q": "jyz"})
    assert _page_names(response) == set()


def test_the_keys_follow_the_name(world):
    station = world.liaison_a1
    assert station.name_initials == "jycllz"
    station.name = "陵江联络站"
    station.save(update_fields=["name"])
    station.refresh_from_db()
    assert (station.name_pinyin, station.name_initials) == ("lingjianglianluozhan", "ljllz")


def test_the_data_migration_fills_existing_rows(world):
    Station.objects.update(name_pinyin="", name_initials="")
    migration = importlib.import_module("stations.migrations.0003_station_name_pinyin")
    migration.fill_name_keys(apps, None)
    world.home_a1.refresh_from_db()
    assert world.home_a1.name_initials == "jyzdbzj"


def test_pinyin_search_query_count_is_that_of_a_name_search(client_for, world):
    client = client_for("staff")
    url = reverse("stations:list")
    by_name = count_queries(client, f"{url}?q=甲一镇")
    assert count_queries(client, f"{url}?q=jyz") == by_name
    grow(world, 24)
    assert count_queries(client, f"{url}?q=jiayi") == by_name
