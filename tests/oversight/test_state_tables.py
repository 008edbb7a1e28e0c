"""Supervision topics and inspection recommendations: every (stage, action) pair from a table
written here — allowed pairs record what they record, any other pair is refused with a
DomainError and changes nothing — and every service called by every role."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from oversight import services
from oversight.models import (
    Ballot,
    InspectionRecommendation,
    MeetingMember,
    MeetingVote,
    PublicScore,
    ResearchReport,
    SatisfactionRating,
    SupervisionTopic,
    TopicResearch,
    VoteParticipation,
)
from oversight.selectors import topic_stage
from tests import factories as f

from .builders import make_inspection, make_meeting, make_topic

TODAY = timezone.localdate()
AGO = TODAY - datetime.timedelta(days=5)
# "new" is a topic without research yet, "uncounted" one whose rating is open and its anonymous
# vote not yet counted (the page's "rating"); the others are the pages' stages.
STAGES = [
    "new",
    "selected",
    "researched",
    "uncounted",
    "rating",
    "satisfied",
    "rectifying",
    "rectified",
    "published",
]
ACTIONS = [
    "research_add",
    "report_file",
    "rating_open",
    "vote_count",
    "public_score_record",
    "rating_conclude",
    "rectification_file",
    "result_publish",
]
ALLOWED = {
    ("new", "research_add"),
    ("selected", "research_add"),
    ("selected", "report_file"),
    ("researched", "research_add"),
    ("researched", "report_file"),  # the report may be amended until the rating opens
    ("researched", "rating_open"),
    ("uncounted", "vote_count"),
    ("uncounted", "public_score_record"),
    ("rating", "public_score_record"),
    ("rating", "rating_conclude"),
    ("satisfied", "result_publish"),
    ("rectifying", "rectification_file"),
    ("rectified", "rectification_file"),  # corrected until published
    ("rectified", "result_publish"),
    ("published", "result_publish"),  # the publication text corrected
}
# Acting on a rating needs one: before it opens there is nothing to call these with.
NO_RATING = {"new", "selected", "researched"}
ON_RATING = {"vote_count", "public_score_record", "rating_conclude"}
PAGE_STAGE = {"uncounted": "rating"}


def _topic_at(world, users, stage):
    staff = users["staff"]
    topic = make_topic(world, staff)
    meeting = make_meeting(world, staff, days_ago=3)
    if stage == "new":
        return topic, meeting
    TopicResearch.objects.create(
        topic=topic, date=AGO, place="白驿镇", public_participants="村民", public_count=9,
        entered_by=staff,
    )  # fmt: skip
    if stage == "selected":
        return topic, meeting
    ResearchReport.objects.create(
        topic=topic, title="调研报告", filed_on=AGO, summary="发现……", filed_by=staff
    )
    if stage == "researched":
        return topic, meeting
    MeetingMember.objects.create(meeting=meeting, member=users["member"])
    vote = MeetingVote.objects.create(meeting=meeting, subject="满意度测评")
    rating = SatisfactionRating.objects.create(
        topic=topic, meeting=meeting, vote=vote, opened_by=staff
    )
    if stage == "uncounted":
        return SupervisionTopic.objects.get(pk=topic.pk), meeting
    VoteParticipation.objects.create(vote=vote, member=users["member"])
    Ballot.objects.create(vote=vote, choice="satisfied")
    MeetingVote.objects.filter(pk=vote.pk).update(present_count=1, counted_at=timezone.now())
    if stage != "rating":
        unsatisfied = stage in ("rectifying", "rectified", "published")
        SatisfactionRating.objects.filter(pk=rating.pk).update(
            result="unsatisfied" if unsatisfied else "satisfied", concluded_at=timezone.now()
        )
        if unsatisfied:
            SupervisionTopic.objects.filter(pk=topic.pk).update(
                rectification_deadline=TODAY + datetime.timedelta(days=30)
            )
    if stage in ("rectified", "published"):
        SupervisionTopic.objects.filter(pk=topic.pk).update(
            rectification="已整改", rectified_on=AGO
        )
    if stage == "published":
        SupervisionTopic.objects.filter(pk=topic.pk).update(publication="结果", published_on=AGO)
    return SupervisionTopic.objects.get(pk=topic.pk), meeting


def _snapshot(topic) -> dict:
    return {
        "topic": SupervisionTopic.objects.filter(pk=topic.pk).values().get(),
        "research": list(TopicResearch.objects.filter(topic=topic).values()),
        "report": list(ResearchReport.objects.filter(topic=topic).values()),
        "rating": list(SatisfactionRating.objects.filter(topic=topic).values()),
        "votes": list(MeetingVote.objects.filter(satisfaction_rating__topic=topic).values()),
        "voters": list(
            VoteParticipation.objects.filter(vote__satisfaction_rating__topic=topic).values()
        ),
        "ballots": sorted(
            Ballot.objects.filter(vote__satisfaction_rating__topic=topic).values_list(
                "choice", flat=True
            )
        ),
        "scores": list(PublicScore.objects.filter(rating__topic=topic).values()),
    }


def _call(action, user, topic, meeting, users):
    topic = SupervisionTopic.objects.get(pk=topic.pk)
    rating = SatisfactionRating.objects.filter(topic=topic).first()
    if action == "research_add":
        return services.research_add(
            user=user, topic=topic, date=AGO, place="东青镇", public_participants="村民",
            public_count=5,
        )  # fmt: skip
    if action == "report_file":
        return services.research_report_file(
            user=user, topic=topic, title="调研报告(修改)", filed_on=AGO, summary="更新"
        )
    if action == "rating_open":
        return services.rating_open(user=user, topic=topic, meeting=meeting)
    if action == "vote_count":
        return services.vote_count(
            user=user,
            vote=rating.vote,
            voters=[users["member"]],
            satisfied=0,
            basic=1,
            unsatisfied=0,
        )
    if action == "public_score_record":
        return services.public_score_record(user=user, rating=rating, representative="王", score=80)
    if action == "rating_conclude":
        return services.rating_conclude(user=user, rating=rating)
    if action == "rectification_file":
        return services.rectification_file(
            user=user, topic=topic, rectification="已完成管网改造", rectified_on=TODAY
        )
    return services.result_publish(
        user=user, topic=topic, publication="测评结果", published_on=TODAY
    )


def _written(action, topic):
    topic = SupervisionTopic.objects.get(pk=topic.pk)
    rating = SatisfactionRating.objects.filter(topic=topic).first()
    if action == "research_add":
        assert TopicResearch.objects.filter(topic=topic, place="东青镇").count() == 1
    elif action == "report_file":
        assert ResearchReport.objects.get(topic=topic).title == "调研报告(修改)"
    elif action == "rating_open":
        assert rating is not None and rating.concluded_at is None
    elif action == "vote_count":
        assert list(rating.vote.ballots.values_list("choice", flat=True)) == ["basic"]
        assert rating.vote.participations.get().member.username == "t_member"
    elif action == "public_score_record":
        assert list(rating.public_scores.values_list("score", flat=True)) == [80]
    elif action == "rating_conclude":
        assert (rating.result, rating.concluded_at is not None) == ("satisfied", True)
        assert topic_stage(topic) == "satisfied"
    elif action == "rectification_file":
        assert (topic.rectification, topic.rectified_on) == ("已完成管网改造", TODAY)
    else:
        assert (topic.publication, topic.published_on) == ("测评结果", TODAY)
        assert topic_stage(topic) == "published"


PAIRS = [
    (stage, action)
    for stage in STAGES
    for action in ACTIONS
    if not (stage in NO_RATING and action in ON_RATING)
]


@pytest.mark.parametrize(("stage", "action"), PAIRS)
def test_every_topic_stage_and_action(users, world, stage, action):
    topic, meeting = _topic_at(world, users, stage)
    if stage != "new":
        assert topic_stage(topic) == PAGE_STAGE.get(stage, stage)
    before = _snapshot(topic)
    if (stage, action) not in ALLOWED:
        with pytest.raises(DomainError):
            _call(action, users["staff"], topic, meeting, users)
        assert _snapshot(topic) == before
        return
    _call(action, users["staff"], topic, meeting, users)
    _written(action, topic)


# Who may act on a topic of county A supervising unit_a.
STAFF = {"admin", "staff"}
TOPIC_ACTORS = {action: STAFF for action in ACTIONS} | {"rectification_file": STAFF | {"unit"}}
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "staff_b"]
STAGE_FOR = {
    "research_add": "selected",
    "report_file": "selected",
    "rating_open": "researched",
    "vote_count": "uncounted",
    "public_score_record": "rating",
    "rating_conclude": "rating",
    "rectification_file": "rectifying",
    "result_publish": "satisfied",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_role_on_every_topic_action(users, world, role, action):
    actors = {**users, "staff_b": f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)}
    topic, meeting = _topic_at(world, users, STAGE_FOR[action])
    before = _snapshot(topic)
    if role in TOPIC_ACTORS[action]:
        _call(action, actors[role], topic, meeting, users)
        _written(action, topic)
        return
    with pytest.raises(DomainError, match="只有"):
        _call(action, actors[role], topic, meeting, users)
    assert _snapshot(topic) == before


def test_a_unit_files_the_rectification_only_for_its_own_topic(users, world):
    topic, _meeting = _topic_at(world, users, "rectifying")
    SupervisionTopic.objects.filter(pk=topic.pk).update(
        unit=f.make_unit(world.county_a, "甲县水务局")
    )
    with pytest.raises(DomainError, match="只有被监督单位"):
        _call("rectification_file", users["unit"], topic, None, users)
    assert SupervisionTopic.objects.get(pk=topic.pk).rectified_on is None


# Inspection recommendations ------------------------------------------------------------------

REC_STATUSES = ["pending", "adopted", "not_adopted"]
# A decision is recorded, and corrected, whatever the status; "pending" is never a decision.
REC_ALLOWED = {(status, target) for status in REC_STATUSES for target in ("adopted", "not_adopted")}


def _recommendation(world, users, status):
    inspection = make_inspection(world, users["staff"])
    return InspectionRecommendation.objects.create(
        inspection=inspection, unit=world.unit_a, content="加强培训", status=status
    )


@pytest.mark.parametrize("status", REC_STATUSES)
@pytest.mark.parametrize("target", ["adopted", "not_adopted", "pending"])
def test_every_recommendation_status_and_decision(users, world, status, target):
    rec = _recommendation(world, users, status)
    before = InspectionRecommendation.objects.filter(pk=rec.pk).values().get()
    call = dict(recommendation=rec, status=target, evidence="已开展培训12场", decided_on=TODAY)
    if (status, target) not in REC_ALLOWED:
        with pytest.raises(DomainError):
            services.recommendation_decide(user=users["unit"], **call)
        assert InspectionRecommendation.objects.filter(pk=rec.pk).values().get() == before
        return
    services.recommendation_decide(user=users["unit"], **call)
    rec.refresh_from_db()
    assert (rec.status, rec.evidence, rec.decided_on, rec.decided_by) == (
        target,
        "已开展培训12场",
        TODAY,
        users["unit"],
    )


@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_a_recommendation(users, world, role):
    actors = {**users, "staff_b": f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)}
    rec = _recommendation(world, users, "pending")
    inspection, recs = rec.inspection, InspectionRecommendation.objects.count()
    call = dict(recommendation=rec, status="adopted", evidence="已培训", decided_on=TODAY)
    if role in {"admin", "staff", "unit"}:
        services.recommendation_decide(user=actors[role], **call)
        services.recommendation_add(
            user=users["staff"], inspection=inspection, unit=world.unit_a, content="再培训"
        )
        if role == "unit":  # adding is for staff only
            with pytest.raises(DomainError):
                services.recommendation_add(
                    user=actors[role], inspection=inspection, unit=world.unit_a, content="x"
                )
        assert InspectionRecommendation.objects.count() == recs + 1
        return
    with pytest.raises(DomainError, match="只有"):
        services.recommendation_decide(user=actors[role], **call)
    with pytest.raises(DomainError, match="只有"):
        services.recommendation_add(
            user=actors[role], inspection=inspection, unit=world.unit_a, content="x"
        )
    assert InspectionRecommendation.objects.get(pk=rec.pk).status == "pending"
    assert InspectionRecommendation.objects.count() == recs


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
