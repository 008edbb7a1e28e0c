from django.urls import reverse

from tests.querycount import count_queries, grow


def test_staff_dashboard_shows_county_figures(client_for, world):
    response = client_for("staff").get(reverse("dashboard"))
    figures = response.context["figures"]
    assert figures.station_total == 3
    assert figures.stations_by_kind == {"代表之家": 2, "代表联络站": 1}
    assert figures.deputy_total == 3
    assert dict(figures.mandates_by_level)["县人大代表"] == 2
    assert dict(figures.mandates_by_level)["乡镇人大代表"] == 1
    by_township = {row["township__name"]: row for row in figures.townships}
    assert by_township[world.a1.name]["homes"] == 1
    assert by_township[world.a1.name]["liaisons"] == 1
    assert by_township[world.a1.name]["deputies"] == 2


def test_township_dashboard_is_limited_to_the_township(client_for, world):
    figures = client_for("township").get("/").context["figures"]
    assert figures.deputy_total == 2
    assert [row["township_id"] for row in figures.townships] == [world.a1.pk]


def test_deputy_dashboard_shows_station_and_next_reception_day(client_for, world):
    response = client_for("deputy").get("/")
    html = response.content.decode()
    assert "甲一镇代表之家" in html and "下次固定接待日" in html
    assert response.context["next_reception"].day == world.home_a1.reception_day


def test_keeper_and_unit_dashboards(client_for, world):
    assert "甲一镇代表之家" in client_for("keeper").get("/").content.decode()
    assert "甲县交通运输局" in client_for("unit").get("/").content.decode()


def test_staff_dashboard_query_count_does_not_grow_with_data(client_for, world):
    client = client_for("staff")
    grow(world, 8)
    small = count_queries(client, "/")
    grow(world, 24)
    assert count_queries(client, "/") == small
