"""The public opinion form's station picker: the page carries only the chosen station (the county
has 121), the public source finds stations of the public county by name, pinyin or initials in a
fixed number of queries, and the form still refuses a station of another county."""

from django.test import Client
from django.urls import reverse

from tests import factories as f
from tests.querycount import count_queries

SEARCH = reverse("public:station_search")
FORM = reverse("public:opinion_new")


def _found(**params) -> list[tuple[str, str]]:
    response = Client().get(SEARCH, params)
    assert response.status_code == 200
    return [(row["label"], row["detail"]) for row in response.json()["results"]]


def test_the_source_finds_the_public_countys_stations(public_county, world):
    f.make_station(world.a1, name="陵江镇代表之家")
    for query in ("陵江", "lingjiang", "ljz"):
        assert _found(q=query) == [("陵江镇代表之家", world.a1.name)], query
    assert _found(q=world.home_b1.name) == []  # another county
    assert _found(q="") == []


def test_the_form_carries_only_the_chosen_station(public_county, world):
    for n in range(5):
        f.make_station(world.a2, name=f"候选{n}站")
    page = Client().get(FORM, {"station": world.home_a1.pk}).content.decode()
    assert "候选" not in page and f'data-picker-source="{SEARCH}"' in page
    assert f'<option value="{world.home_a1.pk}" selected>' in page


def test_the_source_answers_in_a_fixed_number_of_queries(public_county, world):
    client = Client()
    few = count_queries(client, f"{SEARCH}?q=zhan")
    for n in range(12):
        f.make_station(world.a1, name=f"站{n}")
    assert count_queries(client, f"{SEARCH}?q=zhan") == few
