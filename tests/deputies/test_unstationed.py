"""Deputies imported without a station (未进驻): kept in their county, listed for staff, stationed
many at once, scoped by county everywhere."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from accounts.models import Role
from core.errors import DomainError
from deputies.services import deputies_assign_station
from directory.models import Deputy
from tests import factories as f
from tests.querycount import count_queries

pytestmark = pytest.mark.django_db
URL = reverse("deputies:unstationed")


def unstationed(county, name):
    deputy = f.make_deputy(None, name=name, county=county)
    assert deputy.station is None
    return deputy


@pytest.fixture
def waiting(world):
    return [unstationed(world.county_a, "未站甲"), unstationed(world.county_a, "未站乙")]


def test_staff_see_their_countys_unstationed_deputies(client_for, world, waiting):
    other = unstationed(world.county_b, "乙县未站")
    response = client_for("staff").get(URL)
    assert response.status_code == 200
    names = {deputy.name for deputy in response.context["page"]}
    assert names == {"未站甲", "未站乙"}
    assert other.name not in response.content.decode()
    listing = client_for("staff").get(reverse("deputies:list")).content.decode()
    assert URL in listing and "未进驻" in listing


def test_staff_station_many_at_once_with_an_audit_trail(client_for, users, world, waiting):
    response = client_for("staff").post(
        URL, {"deputies": [d.pk for d in waiting], "station": world.liaison_a1.pk}
    )
    assert response.status_code == 302
    for deputy in waiting:
        deputy.refresh_from_db()
        assert (deputy.station, deputy.county) == (world.liaison_a1, world.county_a)
        entry = LogEntry.objects.get_for_object(deputy).get(action=LogEntry.Action.UPDATE)
        assert entry.actor == users["staff"]
        assert entry.changes == {"station": ["None", str(world.liaison_a1)]}
    assert client_for("staff").get(URL).context["page"].paginator.count == 0


def test_a_station_of_another_county_or_a_stationed_deputy_is_refused(client_for, world, waiting):
    client = client_for("staff")
    response = client.post(URL, {"deputies": [waiting[0].pk], "station": world.home_b1.pk})
    assert response.status_code == 200 and response.context["form"].errors["station"]
    response = client.post(
        URL, {"deputies": [waiting[0].pk, world.deputy_a1.pk], "station": world.home_a1.pk}
    )
    assert response.context["form"].errors["deputies"]
    assert Deputy.objects.filter(pk=waiting[0].pk, station__isnull=True).exists()


def test_the_service_checks_the_role_and_saves_all_or_nothing(users, world, waiting):
    with pytest.raises(DomainError):
        deputies_assign_station(
            user=users["township"], station=world.home_a1, deputy_ids=[waiting[0].pk]
        )
    other_county_staff = f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)
    with pytest.raises(DomainError):
        deputies_assign_station(
            user=other_county_staff, station=world.home_a1, deputy_ids=[waiting[0].pk]
        )
    with pytest.raises(DomainError, match="已进驻家站或不属于本县"):
        deputies_assign_station(
            user=users["staff"],
            station=world.home_a1,
            deputy_ids=[waiting[0].pk, world.deputy_a1.pk],
        )
    assert Deputy.objects.filter(pk__in=[d.pk for d in waiting], station__isnull=True).count() == 2
    assert (
        deputies_assign_station(
            user=users["staff"], station=world.home_a1, deputy_ids=[d.pk for d in waiting]
        )
        == 2
    )


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "unit", "outsider"])
def test_other_roles_may_not_station_deputies(client_for, world, waiting, role):
    client = client_for(role)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"deputies": [waiting[0].pk], "station": world.home_a1.pk})
    assert response.status_code == 403
    assert Deputy.objects.get(pk=waiting[0].pk).station is None


def test_an_unstationed_deputy_is_scoped_by_county(client, world, waiting):
    other_county_staff = f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)
    client.force_login(other_county_staff)
    assert client.get(reverse("deputies:detail", args=[waiting[0].pk])).status_code == 404
    assert client.get(f"/api/v1/deputies/{waiting[0].pk}/").status_code == 404
    assert client.get(URL).context["page"].paginator.count == 0


def test_the_detail_page_and_the_api_show_an_unstationed_deputy(client_for, world, waiting):
    client = client_for("staff")
    page = client.get(reverse("deputies:detail", args=[waiting[0].pk]))
    assert page.status_code == 200 and "未进驻" in page.content.decode()
    rows = client.get("/api/v1/deputies/?unstationed=true").json()["results"]
    assert {row["name"] for row in rows} == {"未站甲", "未站乙"}
    assert {row["station"] for row in rows} == {None}
    assert {row["county"] for row in rows} == {world.county_a.pk}
    stationed = client.get("/api/v1/deputies/?unstationed=false").json()["results"]
    assert "未站甲" not in {row["name"] for row in stationed} and stationed


def test_the_page_query_count_does_not_grow(client_for, world):
    client = client_for("staff")
    for n in range(3):
        unstationed(world.county_a, f"少{n}")
    small = count_queries(client, URL)
    for n in range(20):
        unstationed(world.county_a, f"多{n}")
    assert count_queries(client, URL) == small
    # session, user, count, page, mandates, stations (with townships)
    assert small <= 8


def test_an_unstationed_deputy_signs_in_to_their_dashboard(client, world, waiting):
    deputy = waiting[0]
    user = f.make_user(Role.DEPUTY, deputy=deputy)
    assert user.county_id == world.county_a.pk  # from the deputy's county, not a station
    client.force_login(user)
    page = client.get(reverse("dashboard"))
    assert page.status_code == 200 and "未进驻" in page.content.decode()
    assert client.get(reverse("deputies:detail", args=[deputy.pk])).status_code == 200
