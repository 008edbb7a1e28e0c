"""Scoping: each role reads only its part of the county, in pages and in the API alike."""

import pytest
from django.urls import reverse


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_township_staff_gets_404_for_another_townships_deputy_page_and_api(client_for, world):
    client = client_for("township")
    assert client.get(reverse("deputies:detail", args=[world.deputy_a2.pk])).status_code == 404
    assert client.get(f"/api/v1/deputies/{world.deputy_a2.pk}/").status_code == 404
    assert client.get(reverse("deputies:detail", args=[world.deputy_a1.pk])).status_code == 200
    assert client.get(f"/api/v1/deputies/{world.deputy_a1.pk}/").status_code == 200


def test_township_staff_gets_404_for_another_townships_station(client_for, world):
    client = client_for("township")
    assert client.get(reverse("stations:detail", args=[world.home_a2.pk])).status_code == 404
    assert client.get(f"/api/v1/stations/{world.home_a2.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"deputy_a1", "deputy_a1_liaison", "deputy_a2", "deputy_b1"}),
        ("staff", {"deputy_a1", "deputy_a1_liaison", "deputy_a2"}),
        ("member", {"deputy_a1", "deputy_a1_liaison", "deputy_a2"}),
        ("township", {"deputy_a1", "deputy_a1_liaison"}),
        ("outsider", {"deputy_a2"}),
        ("keeper", {"deputy_a1"}),
        ("deputy", {"deputy_a1"}),
    ],
)
def test_deputy_list_is_scoped_by_role(client_for, world, role, expected):
    response = client_for(role).get("/api/v1/deputies/")
    assert response.status_code == 200
    assert ids(response) == {getattr(world, name).pk for name in expected}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", {"home_a1", "liaison_a1", "home_a2"}),
        ("township", {"home_a1", "liaison_a1"}),
        ("keeper", {"home_a1"}),
        ("deputy", {"home_a1"}),
    ],
)
def test_station_list_is_scoped_by_role(client_for, world, role, expected):
    response = client_for(role).get("/api/v1/stations/")
    assert ids(response) == {getattr(world, name).pk for name in expected}


def test_handling_unit_may_not_read_deputies_or_stations(client_for, world):
    client = client_for("unit")
    for url in ("/deputies/", "/stations/", "/api/v1/deputies/", "/api/v1/stations/"):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("deputies:detail", args=[world.deputy_a1.pk])).status_code == 403


def test_handling_unit_sees_only_itself_among_units(client_for, world):
    response = client_for("unit").get("/api/v1/handling-units/")
    assert ids(response) == {world.unit_a.pk}
    assert client_for("unit").get(f"/api/v1/handling-units/{world.unit_b.pk}/").status_code == 404


def test_groups_and_regions_are_limited_to_the_users_county(client_for, world):
    client = client_for("township")
    assert ids(client.get("/api/v1/deputy-groups/")) == {world.group_a.pk}
    region_ids = ids(client.get("/api/v1/regions/?page_size=200"))
    assert world.county_a.pk in region_ids and world.a2.pk in region_ids
    assert world.county_b.pk not in region_ids and world.b1.pk not in region_ids


def test_deputy_follows_a_restationing_at_once(client_for, world):
    client = client_for("deputy")
    world.deputy_a1.station = world.home_a2
    world.deputy_a1.save()
    assert ids(client.get("/api/v1/stations/")) == {world.home_a2.pk}


def test_user_without_role_sees_nothing(db, world):
    from django.test import Client

    from tests.factories import make_user

    user = make_user("", "t_norole")
    client = Client()
    client.force_login(user)
    assert "尚未分配角色" in client.get("/").content.decode()
    assert client.get("/deputies/").status_code == 403
    assert client.get("/api/v1/regions/").status_code == 403


def test_inactive_user_is_treated_as_anonymous(client_for, users):
    client = client_for("staff")
    users["staff"].is_active = False
    users["staff"].save()
    response = client.get("/deputies/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_an_unstationed_deputy_reads_their_own_rows_at_station_level_and_nothing_else(world):
    """A deputy without a station (未进驻) has no station to scope by: where the model knows
    what is the deputy's own (``self``), they read exactly that; elsewhere nothing, as a keeper
    without a station does."""
    from accounts.access import scoped
    from accounts.models import Role
    from directory.models import Deputy, Station
    from tests import factories as f

    own = f.make_deputy(None, name="未站代表", county=world.county_a)
    deputy_user = f.make_user(Role.DEPUTY, deputy=own)
    assert set(scoped(Deputy.objects.all(), deputy_user, "deputy")) == {own}
    assert not scoped(Station.objects.all(), deputy_user, "station").exists()
    keeper = f.make_user(Role.STATION_KEEPER)
    assert not scoped(Deputy.objects.all(), keeper, "deputy").exists()
