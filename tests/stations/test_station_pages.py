import datetime

import pytest
from django.urls import reverse

from directory.models import next_reception_date
from tests.querycount import count_queries, grow


def test_station_list_shows_kind_township_and_deputy_count(client_for, world):
    response = client_for("staff").get(reverse("stations:list"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "甲一镇代表之家" in html and "甲一村联络站" in html and "甲二镇代表之家" in html
    assert "乙一镇代表之家" not in html
    rows = {s.name: s.deputy_count for s in response.context["page"]}
    assert rows["甲一镇代表之家"] == 1


def test_station_list_filters_by_kind_township_and_search(client_for, world):
    client = client_for("staff")
    names = lambda r: {s.name for s in r.context["page"]}  # noqa: E731
    assert names(client.get("/stations/?kind=liaison")) == {"甲一村联络站"}
    assert names(client.get(f"/stations/?township={world.a2.pk}")) == {"甲二镇代表之家"}
    assert names(client.get("/stations/?q=甲一")) == {"甲一镇代表之家", "甲一村联络站"}


def test_station_list_refuses_a_township_outside_the_scope(client_for, world):
    response = client_for("township").get(f"/stations/?township={world.a2.pk}")
    assert response.status_code == 200
    assert response.context["filter"].errors  # the choice is not offered, so it is invalid
    assert "甲二镇代表之家" not in response.content.decode()


def test_station_detail_lists_its_deputies_with_masked_phones(client_for, world):
    response = client_for("township").get(reverse("stations:detail", args=[world.home_a1.pk]))
    html = response.content.decode()
    assert "张甲一" in html
    assert world.deputy_a1.phone not in html
    assert world.deputy_a1.phone[:3] + "****" + world.deputy_a1.phone[-4:] in html


def test_station_detail_names_its_keeper(client_for, users, world):
    users["keeper"].full_name = "刘管理"
    users["keeper"].save()
    html = (
        client_for("staff")
        .get(reverse("stations:detail", args=[world.home_a1.pk]))
        .content.decode()
    )
    assert "刘管理" in html


def test_station_detail_of_another_county_is_404(client_for, world):
    assert (
        client_for("staff").get(reverse("stations:detail", args=[world.home_b1.pk])).status_code
        == 404
    )


def test_unknown_station_is_404(client_for, world):
    assert client_for("admin").get(reverse("stations:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("today", "day", "expected"),
    [
        (datetime.date(2026, 11, 10), 15, datetime.date(2026, 11, 15)),
        (datetime.date(2026, 11, 15), 15, datetime.date(2026, 11, 15)),
        (datetime.date(2026, 11, 16), 15, datetime.date(2026, 12, 15)),
        (datetime.date(2026, 12, 31), 5, datetime.date(2027, 1, 5)),
        (datetime.date(2027, 1, 31), 28, datetime.date(2027, 2, 28)),
    ],
)
def test_next_reception_date(today, day, expected):
    assert next_reception_date(day, today) == expected


def test_station_list_query_count_does_not_grow_with_data(client_for, world):
    client = client_for("staff")
    grow(world, 8)
    small = count_queries(client, "/stations/")
    grow(world, 24)
    assert count_queries(client, "/stations/") == small
    # session, user, scope (2: permissions are not needed here), township choices, count, page
    assert small <= 6


def test_station_detail_query_count_does_not_grow_with_deputies(client_for, world):
    client = client_for("staff")
    url = reverse("stations:detail", args=[world.home_a1.pk])
    grow(world, 6)
    small = count_queries(client, url)
    grow(world, 18)
    assert count_queries(client, url) == small
