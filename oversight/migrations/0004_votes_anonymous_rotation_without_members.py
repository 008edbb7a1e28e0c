"""Existing named votes (CommitteeVote: member and choice together) become anonymous: the
voters become the vote's participation list and the members present at the meeting, the
choices become ballots in a shuffled batch with random keys, and the named rows go (0005) with
their audit entries, which carried both. Then the 列席 invitations of members of the standing
committee are removed with their duty records: a member sits and votes, they do not 列席."""

import random

from django.db import migrations
from django.utils import timezone


def anonymise_votes(apps, schema_editor):
    SatisfactionRating = apps.get_model("oversight", "SatisfactionRating")
    CommitteeVote = apps.get_model("oversight", "CommitteeVote")
    MeetingVote = apps.get_model("oversight", "MeetingVote")
    MeetingMember = apps.get_model("oversight", "MeetingMember")
    VoteParticipation = apps.get_model("oversight", "VoteParticipation")
    Ballot = apps.get_model("oversight", "Ballot")
    shuffle = random.SystemRandom().shuffle
    for rating in SatisfactionRating.objects.filter(vote__isnull=True).select_related("topic"):
        named = list(CommitteeVote.objects.filter(rating=rating).values("member_id", "choice"))
        counted = bool(named)
        vote = MeetingVote.objects.create(
            meeting_id=rating.meeting_id,
            subject=f"{rating.topic.title} 满意度测评",
            counted_at=(rating.concluded_at or timezone.now()) if counted else None,
            counted_by_id=rating.opened_by_id if counted else None,
        )
        rating.vote = vote
        rating.save(update_fields=["vote"])
        if not counted:
            continue
        present = set(
            MeetingMember.objects.filter(meeting_id=rating.meeting_id).values_list(
                "member_id", flat=True
            )
        )
        MeetingMember.objects.bulk_create(
            [
                MeetingMember(meeting_id=rating.meeting_id, member_id=member_id)
                for member_id in sorted({v["member_id"] for v in named} - present)
            ]
        )
        VoteParticipation.objects.bulk_create(
            [
                VoteParticipation(vote=vote, member_id=member_id)
                for member_id in sorted({v["member_id"] for v in named})
            ]
        )
        ballots = [Ballot(vote=vote, choice=v["choice"]) for v in named]
        shuffle(ballots)
        Ballot.objects.bulk_create(ballots)
    # The base of the pass rule: the members known present at each meeting, once all its
    # ratings' voters are in (the named votes were all the record of who was there).
    for vote in MeetingVote.objects.filter(counted_at__isnull=False, present_count__isnull=True):
        vote.present_count = MeetingMember.objects.filter(meeting_id=vote.meeting_id).count()
        vote.save(update_fields=["present_count"])


def drop_named_vote_history(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    LogEntry = apps.get_model("auditlog", "LogEntry")
    named = ContentType.objects.filter(app_label="oversight", model="committeevote").first()
    if named is not None:
        LogEntry.objects.filter(content_type=named).delete()


def members_do_not_attend(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    MeetingAttendance = apps.get_model("oversight", "MeetingAttendance")
    ContentType = apps.get_model("contenttypes", "ContentType")
    DutyRecord = apps.get_model("deputies", "DutyRecord")
    member_deputies = User.objects.filter(
        role="committee_member", deputy__isnull=False
    ).values_list("deputy_id", flat=True)
    wrong = MeetingAttendance.objects.filter(deputy_id__in=list(member_deputies))
    source_type = ContentType.objects.filter(
        app_label="oversight", model="meetingattendance"
    ).first()
    if source_type is not None:
        DutyRecord.objects.filter(
            source_type=source_type, source_id__in=list(wrong.values_list("pk", flat=True))
        ).delete()
    wrong.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("oversight", "0003_anonymous_votes_review_opinions"),
        ("auditlog", "0017_add_actor_email"),
        ("deputies", "0020_duty_title_prefix_once"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(anonymise_votes, migrations.RunPython.noop),
        migrations.RunPython(drop_named_vote_history, migrations.RunPython.noop),
        migrations.RunPython(members_do_not_attend, migrations.RunPython.noop),
    ]
