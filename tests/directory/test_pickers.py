"""The directory's picker sources (core.widgets.SearchPicker on the staff forms): deputies,
stations and units the user may read, found by a few characters, with what tells them apart; a
fixed number of queries however many match; and the forms that use them carry only the chosen
options."""

from django.urls import reverse

from tests import factories as f
from tests.querycount import count_queries

DEPUTIES = reverse("directory:deputy_search")
STATIONS = reverse("directory:station_search")
UNITS = reverse("directory:unit_search")


def _results(response) -> list[tuple[str, str]]:
    assert response.status_code == 200
    return [(row["label"], row["detail"]) for row in response.json()["results"]]


def test_deputies_are_found_in_the_users_scope_with_their_station(client_for, world):
    f.make_deputy(world.home_a2, name="李玲")
    f.make_deputy(world.home_b1, name="李玲江")  # another county
    staff, township = client_for("staff"), client_for("township")
    expected = [("李玲", f"{world.home_a2.name} · {world.a2.name}")]
    for query in ("李玲", "liling"):
        assert _results(staff.get(DEPUTIES, {"q": query})) == expected, query
    assert _results(township.get(DEPUTIES, {"q": "李玲"})) == []  # township A1 reads A1 only
    assert _results(staff.get(DEPUTIES, {"q": ""})) == []


def test_the_county_level_filter_leaves_out_township_deputies(client_for, world):
    labels = [row[0] for row in _results(client_for("staff").get(DEPUTIES, {"q": "李"}))]
    assert world.deputy_a1_liaison.name in labels  # 李联络, a township deputy
    county_only = client_for("staff").get(DEPUTIES, {"q": "李", "level": "county"})
    assert world.deputy_a1_liaison.name not in [row[0] for row in _results(county_only)]


def test_stations_and_units_are_found_by_name_in_the_users_county(client_for, world):
    staff = client_for("staff")
    assert _results(staff.get(STATIONS, {"q": "甲二"})) == [
        (world.home_a2.name, f"{world.a2.name} · 代表之家")
    ]
    assert _results(staff.get(STATIONS, {"q": "乙一"})) == []  # county B
    assert [row[0] for row in _results(staff.get(UNITS, {"q": "交通"}))] == [world.unit_a.name]


def test_a_role_that_reads_no_deputies_is_refused(client_for):
    unit = client_for("unit")
    assert unit.get(DEPUTIES, {"q": "张"}).status_code == 403
    assert unit.get(STATIONS, {"q": "甲"}).status_code == 403
    # A unit reads itself only.
    assert [row[0] for row in _results(unit.get(UNITS, {"q": "局"}))] == ["甲县交通运输局"]


def test_the_sources_answer_in_a_fixed_number_of_queries(client_for, world):
    client = client_for("staff")
    before = [count_queries(client, f"{url}?q=z") for url in (DEPUTIES, STATIONS, UNITS)]
    for n in range(12):
        station = f.make_station(world.a1, name=f"中{n}站")
        f.make_deputy(station, name=f"张{n}号")
        f.make_unit(world.county_a, f"中{n}局")
    after = [count_queries(client, f"{url}?q=z") for url in (DEPUTIES, STATIONS, UNITS)]
    assert after == before


def test_the_assignment_form_carries_only_the_chosen_units(client_for, world, users):
    from tests.suggestions.states import suggestion_at

    for n in range(10):
        f.make_unit(world.county_a, f"候选单位{n}")
    suggestion = suggestion_at(world, users["staff"], "registered")
    html = client_for("staff").get(reverse("suggestions:detail", args=[suggestion.pk])).content
    page = html.decode()
    assert "候选单位" not in page and f'data-picker-source="{UNITS}"' in page
