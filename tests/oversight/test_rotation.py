"""列席 rotation (《代表列席常委会会议管理办法》): drawn from county deputies who are not members of
the standing committee, grassroots and sector deputies first within a round, nobody invited
twice in a term before everyone once, and the count starting afresh with a new term."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Role
from directory.models import Occupation
from oversight import selectors, services
from oversight.models import MeetingAttendance
from oversight.rules import RotationCandidate, attendee_band, rotation_order
from tests import factories as f

from .builders import make_meeting

T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def test_occupation_bands():
    assert {attendee_band(o) for o in (Occupation.WORKER, Occupation.FARMER)} == {0}
    assert attendee_band(Occupation.VILLAGE_CADRE) == 0
    assert {attendee_band(o) for o in (Occupation.PROFESSIONAL, Occupation.ENTREPRENEUR)} == {1}
    assert {attendee_band(o) for o in (Occupation.CADRE, Occupation.MILITARY, "other")} == {2}


def test_rotation_order_fewest_turns_first_then_bands_alternate():
    c = RotationCandidate
    candidates = [
        c(1, Occupation.CADRE, 0),
        c(2, Occupation.FARMER, 1, T0),  # had a turn: only after every first turn
        c(3, Occupation.PROFESSIONAL, 0),
        c(4, Occupation.WORKER, 0, None),
        c(5, Occupation.VILLAGE_CADRE, 0),
    ]
    assert rotation_order(candidates, 5) == [4, 3, 5, 1, 2]
    assert rotation_order(candidates, 2) == [4, 3]
    assert rotation_order([], 3) == []


def test_within_a_band_the_longest_uninvited_goes_first():
    c = RotationCandidate
    candidates = [
        c(1, Occupation.FARMER, 1, T0 + datetime.timedelta(days=30)),
        c(2, Occupation.FARMER, 1, T0),
    ]
    assert rotation_order(candidates, 2) == [2, 1]


@pytest.fixture
def pool(world):
    """County A: the world's two deputies, two farmers, and one deputy who sits on the standing
    committee (the demo's `member` account)."""
    farmers = [f.make_deputy(world.home_a1, occupation=Occupation.FARMER) for _ in range(2)]
    seated = f.make_deputy(world.home_a2, occupation=Occupation.FARMER)
    f.make_user(Role.COMMITTEE_MEMBER, "seated_member", county=world.county_a, deputy=seated)
    return {"eligible": [world.deputy_a1, world.deputy_a2, *farmers], "seated": seated}


def test_a_member_of_the_standing_committee_is_never_invited(world, users, pool):
    staff = users["staff"]
    assert pool["seated"] not in selectors.rotation_pool(world.county_a.pk)
    for number in range(1, 4):
        meeting = make_meeting(world, staff, number=number, days_ago=40 - number, quota=4)
        services.attendees_invite(user=staff, meeting=meeting)
    assert not MeetingAttendance.objects.filter(deputy=pool["seated"]).exists()
    assert MeetingAttendance.objects.count() == 12


def test_turns_count_this_terms_meetings_only(world, users, pool):
    staff = users["staff"]
    old = services.meeting_create(
        user=staff,
        county=world.county_a,
        term=17,
        number=40,
        date=datetime.date(2021, 6, 1),
        agenda="上届会议",
        attendee_quota=2,
    )
    last_term = services.attendees_invite(user=staff, meeting=old)
    meeting = make_meeting(world, staff, quota=4)
    invited = services.attendees_invite(user=staff, meeting=meeting)
    # Invited last term does not hold anyone back this term: all four have their first turn.
    assert {a.deputy_id for a in invited} == {d.pk for d in pool["eligible"]}
    assert {a.deputy_id for a in last_term} <= {a.deputy_id for a in invited}


def test_the_rotation_takes_one_query(world, users, pool, django_assert_num_queries):
    # The pool with this term's turns, and the committee members' deputies inside it (subquery
    # in the same statement): one query; no per-deputy query.
    with django_assert_num_queries(1):
        services.rotation_pick(county_id=world.county_a.pk, term=18, count=3)
    for _ in range(5):
        f.make_deputy(world.home_a1, occupation=Occupation.WORKER)
    with django_assert_num_queries(1):
        services.rotation_pick(county_id=world.county_a.pk, term=18, count=3)


def test_the_meetings_page_shows_the_rotation_of_the_term(client_for, world, users, pool):
    staff = users["staff"]
    assert selectors.rotation_progress(county_id=world.county_a.pk) is None
    meeting = make_meeting(world, staff, quota=3)
    services.attendees_invite(user=staff, meeting=meeting)
    page = client_for("staff").get(reverse("oversight:meetings"))
    assert page.context["rotation"] == {"term": 18, "pool": 4, "invited": 3}
    assert "可邀请的代表(不含常委会组成人员)4 名,本届已邀请 3 名" in page.content.decode()
