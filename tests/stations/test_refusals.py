"""Reception days, receptions and the activity ledger of station home_a1, each service called by
every role: the station's keepers (and the staff above them) act, a deputy logs only their own
reception, every other role is refused and nothing is written."""

import datetime

import pytest
from django.utils import timezone

from core.errors import DomainError
from stations.models import Reception, ReceptionDay, StationActivity
from stations.services.ledger import activity_delete, activity_save
from stations.services.receptions import reception_day_update, reception_log

TODAY = timezone.localdate()
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider"]
MANAGERS = {"admin", "staff", "township", "keeper"}
ALLOWED = {
    "reception_day_update": MANAGERS,
    "reception_log": MANAGERS | {"deputy"},
    "activity_save": MANAGERS,
    "activity_delete": MANAGERS,
}


def _calls(world, users):
    day = ReceptionDay.objects.create(station=world.home_a1, date=TODAY)
    activity = StationActivity.objects.create(
        station=world.home_a1,
        kind="themed",
        date=TODAY,
        theme="乡村振兴",
        people_reached=30,
        created_by=users["keeper"],
    )
    return {
        "reception_day_update": lambda u: reception_day_update(
            user=u,
            day=day,
            date=TODAY + datetime.timedelta(days=1),
            status=day.status,
            note="改期",
            on_duty=[world.deputy_a1],
        ),
        "reception_log": lambda u: reception_log(
            user=u, day=day, deputy=world.deputy_a1, voters_received=4, summary="接待"
        ),
        "activity_save": lambda u: activity_save(
            user=u,
            station=world.home_a1,
            kind="law",
            date=TODAY,
            theme="法律进社区",
            deputies=[world.deputy_a1],
            people_reached=12,
        ),
        "activity_delete": lambda u: activity_delete(user=u, activity=activity),
    }


def _state() -> dict:
    return {
        "days": list(ReceptionDay.objects.values()),
        "receptions": list(Reception.objects.values()),
        "activities": list(StationActivity.objects.values()),
    }


@pytest.mark.parametrize("service", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_station_service(users, world, service, role):
    call = _calls(world, users)[service]
    if role in ALLOWED[service]:
        call(users[role])
        return
    before = _state()
    with pytest.raises(DomainError, match="只"):
        call(users[role])
    assert _state() == before


def test_a_deputy_logs_only_their_own_reception(users, world):
    day = ReceptionDay.objects.create(station=world.home_a1, date=TODAY)
    with pytest.raises(DomainError, match="只能登记自己的接待"):
        reception_log(
            user=users["deputy"], day=day, deputy=world.deputy_a1_liaison, voters_received=1
        )
    assert not Reception.objects.exists()


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
