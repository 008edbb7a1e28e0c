"""accounts.access called directly, every expected value written out: each role's scope, the
level at which it reads a resource (403 where it may not), what a scoped query returns at each
level, 404 for a row out of scope, who sees personal data and who keeps a station's records."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts import access
from accounts.access import (
    UserScope,
    can_manage_station,
    can_read,
    can_view_personal_data,
    get_for_user,
    is_county_staff,
    require_station_manager,
    scope_level,
    scoped,
)
from accounts.models import Role
from directory.models import Deputy, Station
from tests import factories as f

ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider"]


def test_each_roles_scope(users, world):
    scopes = {role: UserScope.for_user(users[role]) for role in ROLES}
    assert scopes["admin"] == UserScope(role=Role.ADMINISTRATOR, unrestricted=True)
    a, a1 = world.county_a.pk, world.a1.pk
    assert scopes["staff"] == UserScope("committee_staff", False, county=a)
    assert scopes["member"] == UserScope("committee_member", False, county=a)
    # Every user below the county also carries its county, derived from its links.
    assert scopes["township"] == UserScope("township_staff", False, county=a, township=a1)
    assert scopes["outsider"] == UserScope("township_staff", False, county=a, township=world.a2.pk)
    assert scopes["keeper"] == UserScope(
        "station_keeper", False, county=a, township=a1, station=world.home_a1.pk
    )
    assert scopes["deputy"] == UserScope(
        "deputy",
        False,
        county=a,
        township=a1,
        station=world.home_a1.pk,
        deputy=world.deputy_a1.pk,
    )
    assert scopes["unit"] == UserScope("handling_unit", False, county=a, unit=world.unit_a.pk)


def test_a_deputys_station_is_read_from_the_deputy(users, world):
    Deputy.objects.filter(pk=world.deputy_a1.pk).update(station=world.home_a2)
    user = type(users["deputy"]).objects.get(pk=users["deputy"].pk)
    scope = UserScope.for_user(user)
    assert (scope.station, scope.township) == (world.home_a2.pk, world.a2.pk)


def test_a_deputy_user_without_a_deputy_keeps_the_links_of_the_user(world):
    user = f.make_user(Role.DEPUTY, station=world.home_a1)
    scope = UserScope.for_user(user)
    assert (scope.role, scope.station, scope.township, scope.deputy) == (
        "deputy",
        world.home_a1.pk,
        None,
        None,
    )


def test_a_superuser_of_any_role_is_unrestricted(world):
    user = f.make_user(Role.TOWNSHIP_STAFF, township=world.a1)
    user.is_superuser = True
    assert UserScope.for_user(user) == UserScope(role=Role.ADMINISTRATOR, unrestricted=True)


def test_anonymous_and_inactive_users_have_no_scope(users):
    assert UserScope.for_user(AnonymousUser()) == UserScope(role="", unrestricted=False)
    users["staff"].is_active = False
    assert UserScope.for_user(users["staff"]) == UserScope(role="", unrestricted=False)
    with pytest.raises(PermissionDenied):
        scope_level(users["staff"], "deputy")


# The level each role reads a resource at ("-": not at all), written out.
LEVELS = {
    "deputy": {
        "admin": "all",
        "staff": "county",
        "member": "county",
        "township": "township",
        "keeper": "station",
        "deputy": "station",
        "unit": "-",
    },
    "suggestion": {
        "admin": "all",
        "staff": "county",
        "member": "county",
        "township": "township",
        "keeper": "station",
        "deputy": "self",
        "unit": "unit",
    },
    "major_matter": {
        "admin": "all",
        "staff": "county",
        "member": "county",
        "township": "-",
        "keeper": "-",
        "deputy": "-",
        "unit": "-",
    },
    "registration_finding": {
        "admin": "all",
        "staff": "county",
        "member": "-",
        "township": "township",
        "keeper": "-",
        "deputy": "-",
        "unit": "-",
    },
}


@pytest.mark.parametrize("resource", list(LEVELS))
@pytest.mark.parametrize("role", ROLES[:-1])
def test_the_level_each_role_reads_a_resource_at(users, resource, role):
    expected = LEVELS[resource][role]
    if expected == "-":
        with pytest.raises(PermissionDenied):
            scope_level(users[role], resource)
        assert can_read(users[role], resource) is False
    else:
        assert scope_level(users[role], resource) == expected
        assert can_read(users[role], resource) is True


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("admin", {"deputy_a1", "deputy_a1_liaison", "deputy_a2", "deputy_b1"}),
        ("staff", {"deputy_a1", "deputy_a1_liaison", "deputy_a2"}),
        ("township", {"deputy_a1", "deputy_a1_liaison"}),
        ("outsider", {"deputy_a2"}),
        ("keeper", {"deputy_a1"}),
        ("deputy", {"deputy_a1"}),
    ],
)
def test_scoped_rows_at_each_level(users, world, role, expected):
    rows = scoped(Deputy.objects.all(), users[role], "deputy")
    assert set(rows.values_list("pk", flat=True)) == {getattr(world, n).pk for n in expected}


def test_a_scope_without_its_link_reads_nothing(world):
    keeper = f.make_user(Role.STATION_KEEPER)  # no station
    assert scope_level(keeper, "deputy") == "station"
    assert list(scoped(Deputy.objects.all(), keeper, "deputy")) == []


def test_one_row_is_404_outside_the_scope_and_403_for_a_resource_not_read(users, world):
    assert get_for_user(Deputy.objects, users["township"], "deputy", pk=world.deputy_a1.pk) == (
        world.deputy_a1
    )
    with pytest.raises(Http404):
        get_for_user(Deputy.objects, users["township"], "deputy", pk=world.deputy_a2.pk)
    with pytest.raises(Http404):
        get_for_user(Deputy.objects, users["township"], "deputy", pk=0)
    with pytest.raises(PermissionDenied):
        get_for_user(Deputy.objects, users["unit"], "deputy", pk=world.deputy_a1.pk)


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("admin", True),
        ("staff", True),
        ("member", False),
        ("township", False),
        ("keeper", False),
        ("deputy", False),
        ("unit", False),
    ],
)
def test_who_sees_personal_data_in_full(users, role, sees):
    assert can_view_personal_data(users[role]) is sees
    assert can_view_personal_data(AnonymousUser()) is False


@pytest.mark.parametrize(
    ("role", "county_a", "county_b"),
    [
        ("admin", True, True),
        ("staff", True, False),
        ("member", False, False),
        ("township", False, False),
        ("deputy", False, False),
        ("unit", False, False),
    ],
)
def test_who_acts_for_a_county(users, world, role, county_a, county_b):
    assert is_county_staff(users[role], world.county_a.pk) is county_a
    assert is_county_staff(users[role], world.county_b.pk) is county_b


@pytest.mark.parametrize(
    ("role", "stations"),
    [
        ("admin", {"home_a1", "liaison_a1", "home_a2", "home_b1"}),
        ("staff", {"home_a1", "liaison_a1", "home_a2"}),
        ("township", {"home_a1", "liaison_a1"}),
        ("outsider", {"home_a2"}),
        ("keeper", {"home_a1"}),
        ("member", set()),  # reads the stations, keeps none
        ("deputy", set()),
        ("unit", set()),
    ],
)
def test_who_keeps_a_stations_records(users, world, role, stations):
    for name in ("home_a1", "liaison_a1", "home_a2", "home_b1"):
        station = getattr(world, name)
        assert can_manage_station(users[role], station) is (name in stations), name
        if name in stations:
            require_station_manager(users[role], station)
        else:
            with pytest.raises(PermissionDenied):
                require_station_manager(users[role], station)


def test_the_station_managers_and_levels_are_the_documented_ones():
    managers = {"administrator", "committee_staff", "township_staff", "station_keeper"}
    assert managers == access.STATION_MANAGERS
    assert UserScope("x", False, 1, 2, 3, 4, 5).value("county") == 1
    assert [UserScope("x", False, 1, 2, 3, 4, 5).value(level) for level in (
        "county", "township", "station", "self", "unit"
    )] == [1, 2, 3, 4, 5]  # fmt: skip
    assert Station.SCOPE_LOOKUPS is not None


def test_a_scope_without_its_link_does_not_match_rows_without_one(users, world):
    from stations.models import Opinion

    township_level = Opinion.objects.create(
        channel=Opinion.Channel.ONLINE,
        county=world.county_a,
        township=world.a1,
        station=None,  # sent to the township, not to a station
        category="roads",
        content="村道破损",
    )
    keeper = f.make_user(Role.STATION_KEEPER)  # no station
    assert list(scoped(Opinion.objects.all(), keeper, "opinion")) == []
    assert list(scoped(Opinion.objects.all(), users["township"], "opinion")) == [township_level]


def test_only_a_keeper_takes_the_township_from_the_station(world):
    user = f.make_user(Role.TOWNSHIP_STAFF, township=world.a1, station=world.home_a2)
    assert UserScope.for_user(user).township == world.a1.pk
