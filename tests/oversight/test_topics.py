"""闭环监督议题: opinions behind a topic, research with the public, the satisfaction rating (the
members' vote anonymous and counted once against the members present, every score kept), the rectification deadline after the rating, the loop
to publication, and the idempotent reminders."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from core.models import Notification
from deputies.models import DutyRecord
from oversight import services
from oversight.models import (
    Ballot,
    PublicScore,
    SatisfactionRating,
    SupervisionTopic,
    VoteParticipation,
)
from oversight.reminders import rectification_reminders_send
from oversight.selectors import topic_stage
from tests import factories as f

from .builders import TODAY, count_vote, make_meeting, make_topic, research_and_report


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def members(world):
    return [f.make_user(Role.COMMITTEE_MEMBER, f"m{i}", county=world.county_a) for i in range(6)]


@pytest.fixture
def rating(world, users):
    staff = users["staff"]
    topic = make_topic(world, staff)
    research_and_report(topic, staff)
    return services.rating_open(user=staff, topic=topic, meeting=make_meeting(world, staff))


def _cast(rating, staff, members, choices, scores=()):
    """All ``members`` present, the first len(choices) voted anonymously."""
    count_vote(staff, rating.vote, members, list(choices))
    for i, score in enumerate(scores):
        services.public_score_record(
            user=staff, rating=rating, representative=f"群众代表{i}", score=score
        )


def test_satisfaction_results_against_hand_built_votes_and_scores(rating, users, members):
    staff = users["staff"]
    choices = ["satisfied", "satisfied", "satisfied", "basic", "unsatisfied", "unsatisfied"]
    _cast(rating, staff, members, choices, [80, 70, 55])
    figures = services.rating_figures(rating)
    assert figures["total"] == 6 and figures["satisfied"] == 3 and figures["basic"] == 1
    assert figures["unsatisfied"] == 2
    assert str(figures["rate"]) == "66.7"  # (3 + 1) / 6
    assert str(figures["average"]) == "68.3"  # (80 + 70 + 55) / 3
    assert figures["passed"] is True
    services.rating_conclude(user=staff, rating=rating)
    rating.refresh_from_db()
    assert rating.result == SatisfactionRating.Result.SATISFIED
    assert topic_stage(SupervisionTopic.objects.select_related("rating").get()) == "satisfied"


def test_a_low_public_score_makes_the_rating_unsatisfied(rating, users, members):
    _cast(rating, users["staff"], members, ["satisfied"] * 4, [50, 60, 62])  # average 57.3
    assert services.rating_figures(rating)["average"] < services.PASS_SCORE
    with pytest.raises(services.DomainError, match="整改期限"):
        services.rating_conclude(user=users["staff"], rating=rating)


def test_half_the_votes_is_not_a_majority(rating, users, members):
    _cast(rating, users["staff"], members, ["basic", "basic", "unsatisfied", "unsatisfied"], [])
    deadline = TODAY + datetime.timedelta(days=60)
    services.rating_conclude(user=users["staff"], rating=rating, rectification_deadline=deadline)
    rating.refresh_from_db()
    assert rating.result == "unsatisfied" and rating.topic.rectification_deadline == deadline


def test_more_approving_votes_than_not_is_not_enough_without_half_of_those_present(
    rating, users, members
):
    """3 of 6 present vote 满意 and nobody votes against: 3 is not more than half of 6."""
    _cast(rating, users["staff"], members, ["satisfied"] * 3)
    figures = services.rating_figures(rating)
    assert (figures["present"], figures["voters"], figures["approving"]) == (6, 3, 3)
    assert figures["passed"] is False


def test_a_vote_counted_twice_is_refused_and_nothing_saved(client_for, rating, members, users):
    services.meeting_members_record(user=users["staff"], meeting=rating.meeting, members=members)
    url = reverse("oversight:vote_count", args=[rating.vote_id])
    client = client_for("staff")
    voters = [m.pk for m in members[:2]]
    first = client.post(url, {"voters": voters, "satisfied": 1, "basic": 1, "unsatisfied": 0})
    assert first.url == rating.topic.get_portal_url() and "计票结果已录入" in message(first)
    again = client.post(url, {"voters": voters, "satisfied": 0, "basic": 0, "unsatisfied": 2})
    assert "不能重复录入" in message(again)
    assert sorted(Ballot.objects.values_list("choice", flat=True)) == ["basic", "satisfied"]
    assert VoteParticipation.objects.count() == 2
    score_url = reverse("oversight:topic_score", args=[rating.topic.pk])
    client.post(score_url, {"representative": "王群众", "score": 90})
    twice = client.post(score_url, {"representative": "王群众", "score": 10})
    assert "只计一次" in message(twice) and PublicScore.objects.get().score == 90


def test_a_rectification_deadline_before_the_rating_is_refused(client_for, rating, members):
    _cast(rating, rating.opened_by, members, ["unsatisfied"])
    url = reverse("oversight:topic_conclude", args=[rating.topic.pk])
    early = rating.meeting.date - datetime.timedelta(days=1)
    response = client_for("staff").post(url, {"rectification_deadline": early.isoformat()})
    assert "整改期限须晚于测评日期" in message(response)
    rating.refresh_from_db()
    assert rating.concluded_at is None and rating.result == ""
    assert SupervisionTopic.objects.get().rectification_deadline is None


def test_the_loop_to_publication_through_the_pages(client_for, rating, members, users):
    topic = rating.topic
    staff = client_for("staff")
    staff.post(
        reverse("oversight:meeting_members", args=[rating.meeting_id]),
        {"members": [m.pk for m in members]},
    )
    staff.post(
        reverse("oversight:vote_count", args=[rating.vote_id]),
        {"voters": [members[0].pk], "satisfied": 0, "basic": 0, "unsatisfied": 1},
    )
    deadline = TODAY + datetime.timedelta(days=30)
    staff.post(
        reverse("oversight:topic_conclude", args=[topic.pk]),
        {"rectification_deadline": deadline.isoformat()},
    )
    publish = reverse("oversight:topic_publish", args=[topic.pk])
    early = staff.post(publish, {"publication": "结果", "published_on": TODAY.isoformat()})
    assert "整改情况后才能公开" in message(early)
    unit_page = client_for("unit").get(reverse("oversight:topic_detail", args=[topic.pk]))
    assert unit_page.context["rectify_form"] is not None
    assert "不满意 1 票" in unit_page.content.decode()  # totals only
    client_for("unit").post(
        reverse("oversight:topic_rectify", args=[topic.pk]),
        {"rectification": "已完成管网改造", "rectified_on": TODAY.isoformat()},
    )
    staff.post(publish, {"publication": "测评不满意,已整改", "published_on": TODAY.isoformat()})
    topic.refresh_from_db()
    assert topic.rectification == "已完成管网改造" and topic.published_on == TODAY
    page = staff.get(reverse("oversight:topic_detail", args=[topic.pk]))
    assert page.context["stage"] == SupervisionTopic.Stage.PUBLISHED


def test_a_topic_links_the_opinions_behind_it(client_for, world, users):
    from stations.services.opinions import opinion_create

    opinions = [
        opinion_create(
            user=users["keeper"],
            channel="mailbox",
            township=world.a1,
            station=world.home_a1,
            category="roads",
            content=f"饮水问题{i}",
        )
        for i in range(3)
    ]
    client = client_for("staff")
    data = {
        "year": TODAY.year,
        "title": "农村饮水安全",
        "unit": world.unit_a.pk,
        "opinion_codes": "\n".join(o.tracking_code for o in opinions),
    }
    unknown = client.post(reverse("oversight:topic_new"), {**data, "opinion_codes": "NOPE"})
    assert "NOPE" in str(unknown.context["form"].errors) and not SupervisionTopic.objects.exists()
    client.post(reverse("oversight:topic_new"), data)
    listed = client.get(reverse("oversight:topics")).context["page"][0]
    assert listed.opinion_count == 3 and listed.stage == "selected"


def test_research_needs_the_public_and_is_a_duty_act(world, users):
    topic = make_topic(world, users["staff"])
    with pytest.raises(services.DomainError, match="群众参与"):
        services.research_add(
            user=users["staff"], topic=topic, date=TODAY, place="村委会", public_count=0
        )
    research_and_report(topic, users["staff"], deputies=[world.deputy_a1])
    record = DutyRecord.objects.get(deputy=world.deputy_a1)
    assert record.kind == DutyRecord.Kind.RESEARCH and "农村饮水安全" in record.title


def test_a_unit_sees_only_the_topics_where_it_is_the_body(client_for, world, users):
    own = make_topic(world, users["staff"])
    other_unit = f.make_unit(world.county_a, "甲县水利局")
    other = make_topic(world, users["staff"], unit=other_unit, title="河道治理")
    client = client_for("unit")
    assert [t.pk for t in client.get(reverse("oversight:topics")).context["page"]] == [own.pk]
    assert client.get(reverse("oversight:topic_detail", args=[other.pk])).status_code == 404
    api = client.get("/api/v1/supervision-topics/").json()
    assert [t["id"] for t in api["results"]] == [own.pk]
    assert (
        client_for("outsider").get(reverse("oversight:topic_detail", args=[other.pk])).status_code
        == 200
    )


@pytest.fixture
def rectifying(world, users, members):
    """An unsatisfied topic of unit_a with a deadline 5 days away."""
    staff = users["staff"]
    topic = make_topic(world, staff)
    research_and_report(topic, staff)
    rating = services.rating_open(user=staff, topic=topic, meeting=make_meeting(world, staff))
    _cast(rating, staff, members, ["unsatisfied"])
    deadline = TODAY + datetime.timedelta(days=5)
    services.rating_conclude(user=staff, rating=rating, rectification_deadline=deadline)
    return topic


def test_the_rectification_reminder_is_sent_once(rectifying, users):
    assert rectification_reminders_send(today=TODAY) == {"deadline": 1, "overdue": 0}
    assert rectification_reminders_send(today=TODAY) == {"deadline": 0, "overdue": 0}
    day_before = TODAY + datetime.timedelta(days=4)
    assert rectification_reminders_send(today=day_before) == {"deadline": 1, "overdue": 0}
    assert rectification_reminders_send(today=day_before) == {"deadline": 0, "overdue": 0}
    notes = Notification.objects.filter(kind="rectification_deadline")
    assert {n.recipient for n in notes} == {users["unit"]} and notes.count() == 2


def test_an_overdue_rectification_escalates_to_staff_once(rectifying, users):
    late = TODAY + datetime.timedelta(days=6)
    assert rectification_reminders_send(today=late) == {"deadline": 0, "overdue": 2}
    assert rectification_reminders_send(today=late) == {"deadline": 0, "overdue": 0}
    escalated = Notification.objects.filter(kind="rectification_overdue")
    assert {n.recipient for n in escalated} == {users["unit"], users["staff"]}


def test_no_reminder_once_the_rectification_is_filed(rectifying, users):
    services.rectification_file(
        user=users["unit"], topic=rectifying, rectification="已整改", rectified_on=TODAY
    )
    late = TODAY + datetime.timedelta(days=6)
    assert rectification_reminders_send(today=late) == {"deadline": 0, "overdue": 0}
