"""oversight 0004: the named votes of a database as main had it become a voter list and shuffled
anonymous ballots (the named rows and their audit entries go), and a member of the standing
committee invited as a 列席代表 is removed with the duty record it gave."""

from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.models import Role
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from oversight.models import (
    Ballot,
    MeetingAttendance,
    MeetingMember,
    SatisfactionRating,
    VoteParticipation,
)
from tests import factories as f

from .builders import make_meeting, make_topic, research_and_report

BEFORE = [("oversight", "0003_anonymous_votes_review_opinions")]
AFTER = [("oversight", "0005_delete_committeevote")]


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_named_votes_become_anonymous_and_members_stop_attending(world, users):
    staff = users["staff"]
    members = [
        f.make_user(Role.COMMITTEE_MEMBER, f"mig{i}", county=world.county_a) for i in range(3)
    ]
    seated = f.make_user(
        Role.COMMITTEE_MEMBER, "seated", county=world.county_a, deputy=world.deputy_a2
    )
    topic = make_topic(world, staff)
    research_and_report(topic, staff)
    meeting = make_meeting(world, staff)
    wrong = MeetingAttendance.objects.create(meeting=meeting, deputy=world.deputy_a2)
    right = MeetingAttendance.objects.create(meeting=meeting, deputy=world.deputy_a1)
    for attendance in (wrong, right):
        duty_records_sync(
            source=attendance,
            kind=DutyRecord.Kind.MEETING,
            deputies=[attendance.deputy],
            occurred_on=meeting.date,
            title="列席",
        )

    executor = _executor()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    OldRating = old.get_model("oversight", "SatisfactionRating")
    OldVote = old.get_model("oversight", "CommitteeVote")
    rating = OldRating.objects.create(
        topic_id=topic.pk, meeting_id=meeting.pk, opened_by_id=staff.pk
    )
    choices = ["satisfied", "unsatisfied", "basic", "satisfied"]
    for member, choice in zip([*members, seated], choices, strict=True):
        OldVote.objects.create(
            rating_id=rating.pk, member_id=member.pk, choice=choice, recorded_by_id=staff.pk
        )
    named_type, _ = ContentType.objects.get_or_create(app_label="oversight", model="committeevote")
    LogEntry.objects.create(
        content_type=named_type, object_pk="1", object_repr="侯国庆 不满意", action=0
    )

    executor = _executor()
    executor.migrate(AFTER)

    migrated = SatisfactionRating.objects.select_related("vote").get(pk=rating.pk)
    vote = migrated.vote
    assert vote is not None and vote.counted_at is not None and vote.present_count == 4
    assert Counter(Ballot.objects.filter(vote=vote).values_list("choice", flat=True)) == Counter(
        {"satisfied": 2, "unsatisfied": 1, "basic": 1}
    )
    voters = set(VoteParticipation.objects.filter(vote=vote).values_list("member_id", flat=True))
    assert voters == {m.pk for m in [*members, seated]}
    present = set(MeetingMember.objects.filter(meeting=meeting).values_list("member_id", flat=True))
    assert present == voters
    assert not LogEntry.objects.filter(content_type=named_type).exists()
    # The seated member's 列席 invitation and its duty record are gone; the deputy's stay.
    assert list(MeetingAttendance.objects.values_list("pk", flat=True)) == [right.pk]
    assert list(DutyRecord.objects.filter(kind="meeting").values_list("deputy_id", flat=True)) == [
        world.deputy_a1.pk
    ]
