"""Meetings: the fair rotation of attending deputies, attendance as a duty act, citizens who
observe. Major matters: the three steps in order, the step due, who may see them."""

import datetime
from collections import Counter

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from deputies.models import DutyRecord
from directory.models import Mandate, Occupation
from oversight import services
from oversight.models import CitizenObserver, MajorMatterReport, MeetingAttendance
from oversight.rules import attendee_band
from tests import factories as f

from .builders import TODAY, make_meeting


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def eligible(world):
    """Seven county deputies in county A in office (two from the world, occupation 其他):
    three grassroots (farmers), one sector (an entrepreneur), one leading cadre."""
    occupations = [Occupation.FARMER] * 3 + [Occupation.ENTREPRENEUR, Occupation.CADRE]
    extra = [
        f.make_deputy(world.home_a1 if i % 2 else world.home_a2, occupation=occupation)
        for i, occupation in enumerate(occupations)
    ]
    # Not eligible: the world's township deputy and county B's, and a retired county deputy.
    retired = f.make_deputy(world.home_a1)
    Mandate.objects.filter(deputy=retired).update(is_active=False)
    return [world.deputy_a1, world.deputy_a2, *extra]


def test_every_eligible_deputy_has_a_turn_before_anyone_has_a_second(world, users, eligible):
    staff = users["staff"]
    invited: list[list[int]] = []
    for number in range(1, 6):
        meeting = make_meeting(world, staff, number=number, days_ago=50 - number, quota=3)
        invited.append(
            [a.deputy_id for a in services.attendees_invite(user=staff, meeting=meeting)]
        )
    flat = [pk for batch in invited for pk in batch]
    assert set(flat) == {d.pk for d in eligible}  # nobody else
    seen: Counter = Counter()
    for pk in flat:
        # A second turn only once everybody has had a first (and a third after all seconds).
        assert all(seen[d.pk] >= seen[pk] for d in eligible), (pk, seen)
        seen[pk] += 1
    assert max(seen.values()) - min(seen.values()) <= 1
    assert all(len(set(batch)) == len(batch) == 3 for batch in invited)


def test_grassroots_and_sector_deputies_take_turns_before_the_others(world, users, eligible):
    picked = services.rotation_pick(county_id=world.county_a.pk, term=18, count=5)
    assert [attendee_band(d.occupation) for d in picked] == [0, 1, 0, 0, 2]


def test_inviting_is_refused_when_the_places_are_full(client_for, world, users, eligible):
    meeting = make_meeting(world, users["staff"], quota=2)
    client = client_for("staff")
    client.post(reverse("oversight:meeting_invite", args=[meeting.pk]))
    full = client.post(reverse("oversight:meeting_invite", args=[meeting.pk]))
    assert "名额已满" in message(full) and meeting.attendances.count() == 2


def test_attending_is_a_meeting_duty_act(client_for, world, users, eligible):
    meeting = make_meeting(world, users["staff"])
    attendance = services.attendees_invite(user=users["staff"], meeting=meeting)[0]
    url = reverse("oversight:attendance_mark", args=[attendance.pk])
    client = client_for("staff")
    client.post(url, {"attended": "1"})
    record = DutyRecord.objects.get(deputy=attendance.deputy)
    assert record.kind == DutyRecord.Kind.MEETING and record.occurred_on == meeting.date
    client.post(url, {"attended": "0"})
    assert not DutyRecord.objects.filter(deputy=attendance.deputy).exists()
    assert MeetingAttendance.objects.get(pk=attendance.pk).status == "absent"


def test_attendance_of_a_future_meeting_is_refused(client_for, world, users, eligible):
    meeting = make_meeting(world, users["staff"], days_ago=-3)
    attendance = services.attendees_invite(user=users["staff"], meeting=meeting)[0]
    response = client_for("staff").post(
        reverse("oversight:attendance_mark", args=[attendance.pk]), {"attended": "1"}
    )
    assert "还没有召开" in message(response) and not DutyRecord.objects.exists()


def test_a_citizen_observes_once_approved(client_for, world, users):
    meeting = make_meeting(world, users["staff"])
    client = client_for("staff")
    client.post(
        reverse("oversight:observer_add", args=[meeting.pk]),
        {"name": "陈公民", "phone": "13800001234", "affiliation": "陵江镇"},
    )
    observer = CitizenObserver.objects.get()
    decide = reverse("oversight:observer_decide", args=[observer.pk])
    early = client.post(decide, {"action": "attended"})
    assert "同意旁听" in message(early) and not CitizenObserver.objects.get().attended
    client.post(decide, {"action": "approve"})
    client.post(decide, {"action": "attended"})
    observer.refresh_from_db()
    assert observer.status == "approved" and observer.attended and observer.phone == "13800001234"
    assert client.get(reverse("oversight:meetings")).context["page"][0].observer_count == 1


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "outsider"])
def test_only_committee_staff_invite_and_register(client_for, world, users, role, eligible):
    meeting = make_meeting(world, users["staff"])
    response = client_for(role).post(reverse("oversight:meeting_invite", args=[meeting.pk]))
    assert "常委会工作人员" in message(response) and not MeetingAttendance.objects.exists()


def test_major_matter_steps_go_in_order_and_the_due_step_shows(client_for, world, users):
    staff = users["staff"]
    matter = services.matter_create(user=staff, county=world.county_a, title="城区规划调整")
    url = reverse("oversight:matter_detail", args=[matter.pk])
    client = client_for("staff")
    assert client.get(url).context["due"] == "before"
    skipped = client.post(
        url, {"step": "during", "date": TODAY.isoformat(), "document": "苍人常〔2026〕2号"}
    )
    assert "事前请示" in str(skipped.context["form"].errors)
    assert not MajorMatterReport.objects.exists()
    client.post(url, {"step": "before", "date": TODAY.isoformat(), "document": "请示1号"})
    earlier = (TODAY - datetime.timedelta(days=1)).isoformat()
    backwards = client.post(url, {"step": "during", "date": earlier, "document": "汇报"})
    assert "不能早于上一环节" in str(backwards.context["form"].errors)
    listed = client.get(reverse("oversight:matters")).context["page"][0]
    assert listed.steps_done == 1 and listed.step_due == "during"


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 200), ("township", 403), ("keeper", 403), ("deputy", 403), ("unit", 403)],
)
def test_major_matters_are_for_the_committee(client_for, role, status):
    assert client_for(role).get(reverse("oversight:matters")).status_code == status
