"""The oversight services not covered by the stage tables, each called by every role: committee
staff of the county (and the administrator) act, every other role is refused by the service
and nothing is written."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from oversight import services
from oversight.models import (
    CitizenObserver,
    CommitteeMeeting,
    Inspection,
    MajorMatter,
    MajorMatterReport,
    MeetingAttendance,
    SupervisionTopic,
)
from tests import factories as f

from .builders import make_inspection, make_meeting

TODAY = timezone.localdate()
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "staff_b"]
MODELS = (
    Inspection,
    SupervisionTopic,
    MajorMatter,
    MajorMatterReport,
    CommitteeMeeting,
    MeetingAttendance,
    CitizenObserver,
)


def _calls(world, users):
    staff = users["staff"]
    meeting = make_meeting(world, staff, days_ago=2, quota=1)
    attendance = MeetingAttendance.objects.create(meeting=meeting, deputy=world.deputy_a1)
    observer = CitizenObserver.objects.create(meeting=meeting, name="陈公民")
    matter = MajorMatter.objects.create(county=world.county_a, title="规划", created_by=staff)
    inspection = make_inspection(world, staff)
    a = world.county_a
    return {
        "inspection_save": lambda u: services.inspection_save(
            user=u,
            county=a,
            inspection=inspection,
            law="中华人民共和国安全生产法",
            start_date=TODAY - datetime.timedelta(days=9),
            end_date=TODAY - datetime.timedelta(days=8),
        ),
        "topic_create": lambda u: services.topic_create(
            user=u, county=a, year=TODAY.year, title="饮水", unit=world.unit_a
        ),
        "matter_create": lambda u: services.matter_create(user=u, county=a, title="规划调整"),
        "matter_step_record": lambda u: services.matter_step_record(
            user=u, matter=matter, step="before", date=TODAY, document="苍人常〔2026〕1号"
        ),
        "meeting_create": lambda u: services.meeting_create(
            user=u, county=a, number=9, term=18, date=TODAY, agenda="议程"
        ),
        "attendees_invite": lambda u: services.attendees_invite(
            user=u, meeting=make_meeting(world, staff, number=5, quota=1)
        ),
        "attendance_mark": lambda u: services.attendance_mark(
            user=u, attendance=attendance, attended=True
        ),
        "observer_apply": lambda u: services.observer_apply(user=u, meeting=meeting, name="李"),
        "observer_decide": lambda u: services.observer_decide(
            user=u, observer=observer, action="approve"
        ),
    }


SERVICES = [
    "inspection_save",
    "topic_create",
    "matter_create",
    "matter_step_record",
    "meeting_create",
    "attendees_invite",
    "attendance_mark",
    "observer_apply",
    "observer_decide",
]


def _state() -> dict:
    return {model.__name__: list(model.objects.values()) for model in MODELS}


@pytest.mark.parametrize("service", SERVICES)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_countys_staff_act(users, world, service, role):
    actors = {**users, "staff_b": f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)}
    call = _calls(world, users)[service]
    if role in ("admin", "staff"):
        call(actors[role])
        return
    if service == "attendees_invite":  # the meeting is made by the call: count, not compare
        meetings = CommitteeMeeting.objects.count()
        with pytest.raises(DomainError, match="只有本县常委会工作人员"):
            call(actors[role])
        assert MeetingAttendance.objects.count() == 1
        assert CommitteeMeeting.objects.count() == meetings + 1
        return
    before = _state()
    with pytest.raises(DomainError, match="只有本县常委会工作人员"):
        call(actors[role])
    assert _state() == before


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
