import importlib
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, settings

from accounts.models import Role
from directory.models import Station

from . import factories as f

# Property-based tests stay bounded so the suite keeps its time: a modest number of examples, no
# per-example deadline (a shared 2-core machine is slow at times), the same examples on every run
# (a failure is reproducible from the log) and no example database written into the checkout.
settings.register_profile(
    "portal",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("portal")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (a live server, a real Celery worker) ends with a flush that also
    empties the rows the migrations wrote (the reply categories). Tests after it in the same
    process (pytest-xdist hands a worker files in any order) find them again. This runs after
    every fixture of the test is torn down, so after the flush."""
    outcome = yield
    marker = item.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(
        getattr(item, "fixturenames", ())
    ) or (marker is not None and marker.kwargs.get("transaction"))
    # After the last test the session's fixtures are gone with the test database: nothing to do.
    if transactional and nextitem is not None:
        from django.apps import apps
        from pytest_django.plugin import blocking_manager_key

        seeding = importlib.import_module("suggestions.migrations.0003_reply_categories")
        with item.config.stash[blocking_manager_key].unblock():
            seeding.create(apps, None)
    return outcome


@pytest.fixture(autouse=True)
def fresh_cache():
    """Rate-limit counters and cached pages must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    """Two counties; county A has townships A1 and A2, each with a home and a liaison station."""

    county_a: object
    county_b: object
    a1: object
    a2: object
    b1: object
    home_a1: object
    liaison_a1: object
    home_a2: object
    home_b1: object
    deputy_a1: object  # stationed at home_a1
    deputy_a1_liaison: object  # stationed at liaison_a1
    deputy_a2: object
    deputy_b1: object
    group_a: object
    unit_a: object
    unit_b: object


def build_world() -> World:
    county_a, county_b = f.make_county("甲县"), f.make_county("乙县")
    a1, a2, b1 = f.make_township(county_a), f.make_township(county_a), f.make_township(county_b)
    home_a1 = f.make_station(a1, name="甲一镇代表之家")
    liaison_a1 = f.make_station(a1, kind=Station.Kind.LIAISON, name="甲一村联络站")
    home_a2 = f.make_station(a2, name="甲二镇代表之家")
    home_b1 = f.make_station(b1, name="乙一镇代表之家")
    deputy_a1 = f.make_deputy(home_a1, name="张甲一")
    deputy_a1_liaison = f.make_deputy(liaison_a1, name="李联络", level="township")
    deputy_a2 = f.make_deputy(home_a2, name="王甲二")
    deputy_b1 = f.make_deputy(home_b1, name="赵乙一")
    return World(
        county_a=county_a,
        county_b=county_b,
        a1=a1,
        a2=a2,
        b1=b1,
        home_a1=home_a1,
        liaison_a1=liaison_a1,
        home_a2=home_a2,
        home_b1=home_b1,
        deputy_a1=deputy_a1,
        deputy_a1_liaison=deputy_a1_liaison,
        deputy_a2=deputy_a2,
        deputy_b1=deputy_b1,
        group_a=f.make_group(county_a, [deputy_a1, deputy_a2], name="教育卫生小组"),
        unit_a=f.make_unit(county_a, "甲县交通运输局"),
        unit_b=f.make_unit(county_b, "乙县交通运输局"),
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_users(world: World) -> dict:
    """One user per role in county A / township A1, plus an outsider: township staff of A2."""
    return {
        "admin": f.make_user(Role.ADMINISTRATOR, "t_admin"),
        "staff": f.make_user(Role.COMMITTEE_STAFF, "t_staff", county=world.county_a),
        "member": f.make_user(Role.COMMITTEE_MEMBER, "t_member", county=world.county_a),
        "township": f.make_user(Role.TOWNSHIP_STAFF, "t_township", township=world.a1),
        "keeper": f.make_user(Role.STATION_KEEPER, "t_keeper", station=world.home_a1),
        "deputy": f.make_user(Role.DEPUTY, "t_deputy", deputy=world.deputy_a1),
        "unit": f.make_user(Role.HANDLING_UNIT, "t_unit", handling_unit=world.unit_a),
        "outsider": f.make_user(Role.TOWNSHIP_STAFF, "t_outsider", township=world.a2),
    }


@pytest.fixture
def users(world):
    return build_users(world)


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker):
    """The world and its users built once for a whole test module, inside a transaction that is
    rolled back when the module ends; each test runs in a savepoint of it (pytest-django's db
    fixture), so what a test writes is gone before the next one. For modules of many
    parametrized cases that never change these objects in memory: a module opts in by
    overriding ``world`` and ``users`` with ``shared_world`` and ``shared_users``."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        world = build_world()
        users = build_users(world)
    yield world, users
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


@pytest.fixture
def shared_world(module_world, db) -> World:
    return module_world[0]


@pytest.fixture
def shared_users(module_world, db) -> dict:
    return module_world[1]


@pytest.fixture
def client_for(users):
    def make(role: str) -> Client:
        client = Client()
        client.force_login(users[role])
        return client

    return make
