"""无记名表决: who voted is kept apart from what was voted. One ballot per voter, each a member
present at the meeting; the pass rule counts against all members present; nothing on a page,
in the API, the admin or the audit log ties a member to a choice."""

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.models import Role
from oversight import services
from oversight.models import Ballot, MeetingVote, VoteParticipation
from tests import factories as f

from .builders import count_vote, make_meeting, make_topic, research_and_report


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def members(world):
    names = ["侯国庆", "罗素琴", "蒲建华", "向明德", "杜晓燕"]
    return [
        f.make_user(Role.COMMITTEE_MEMBER, f"v{i}", county=world.county_a, full_name=name)
        for i, name in enumerate(names)
    ]


@pytest.fixture
def rating(world, users):
    staff = users["staff"]
    topic = make_topic(world, staff)
    research_and_report(topic, staff)
    return services.rating_open(user=staff, topic=topic, meeting=make_meeting(world, staff))


def test_the_pass_rule_counts_against_all_members_present(rating, users, members):
    count_vote(users["staff"], rating.vote, members, ["satisfied", "satisfied"])
    figures = services.vote_figures(rating.vote)
    # Both voters approve, but 2 is not more than half of the 5 present.
    assert (figures["present"], figures["voters"], figures["approving"]) == (5, 2, 2)
    assert figures["passed"] is False and str(figures["rate"]) == "40.0"


def test_three_of_five_present_pass(rating, users, members):
    count_vote(users["staff"], rating.vote, members, ["satisfied", "basic", "basic", "unsatisfied"])
    assert services.vote_figures(rating.vote)["passed"] is True


def test_ballots_carry_no_voter_no_time_and_no_order(rating, users, members):
    count_vote(users["staff"], rating.vote, members, ["unsatisfied", "satisfied", "basic"])
    ballot_fields = {field.name for field in Ballot._meta.get_fields()}
    assert ballot_fields == {"id", "vote", "choice"}
    participation_fields = {field.name for field in VoteParticipation._meta.get_fields()}
    assert participation_fields == {"id", "vote", "member"}
    assert Ballot._meta.pk.get_internal_type() == "UUIDField"
    # Not audit-logged: an entry would carry a time and the actor next to the choice.
    assert not LogEntry.objects.filter(content_type__model="ballot").exists()
    assert VoteParticipation.objects.filter(vote=rating.vote).count() == 3


@pytest.mark.parametrize(
    ("voters", "counts", "expected"),
    [
        (2, (1, 0, 0), "应等于投票人数"),
        (0, (0, 0, 0), "请选择参加投票的组成人员"),
        (1, (2, 0, -1), "票数不能为负数"),
    ],
)
def test_a_bad_count_is_refused_and_nothing_saved(rating, users, members, voters, counts, expected):
    services.meeting_members_record(user=users["staff"], meeting=rating.meeting, members=members)
    with pytest.raises(services.DomainError, match=expected):
        services.vote_count(
            user=users["staff"],
            vote=rating.vote,
            voters=members[:voters],
            satisfied=counts[0],
            basic=counts[1],
            unsatisfied=counts[2],
        )
    assert not Ballot.objects.exists() and not VoteParticipation.objects.exists()
    assert MeetingVote.objects.get(pk=rating.vote_id).counted_at is None


def test_a_voter_must_be_present_at_the_meeting(rating, users, members, world):
    services.meeting_members_record(
        user=users["staff"], meeting=rating.meeting, members=members[:3]
    )
    with pytest.raises(services.DomainError, match="出席本次会议"):
        services.vote_count(
            user=users["staff"], vote=rating.vote, voters=members[2:4], satisfied=2, basic=0,
            unsatisfied=0,
        )  # fmt: skip
    assert not Ballot.objects.exists()


def test_no_vote_without_the_members_present(rating, users, members):
    with pytest.raises(services.DomainError, match="出席会议的组成人员"):
        services.vote_count(
            user=users["staff"], vote=rating.vote, voters=members[:1], satisfied=1, basic=0,
            unsatisfied=0,
        )  # fmt: skip


def test_a_member_who_voted_stays_on_the_list(rating, users, members):
    count_vote(users["staff"], rating.vote, members, ["satisfied"])
    with pytest.raises(services.DomainError, match="已经投票"):
        services.meeting_members_record(
            user=users["staff"], meeting=rating.meeting, members=members[1:]
        )


def test_pages_api_and_admin_show_totals_never_who_voted_what(
    client_for, rating, users, members, world
):
    count_vote(users["staff"], rating.vote, members, ["unsatisfied", "satisfied", "basic"])
    admin = client_for("admin")
    pages = [
        client_for("staff").get(reverse("oversight:topic_detail", args=[rating.topic_id])),
        client_for("unit").get(reverse("oversight:topic_detail", args=[rating.topic_id])),
        admin.get(reverse("admin:oversight_meetingvote_change", args=[rating.vote_id])),
        admin.get(reverse("admin:oversight_satisfactionrating_change", args=[rating.pk])),
        client_for("staff").get(f"/api/v1/supervision-topics/{rating.topic_id}/"),
    ]
    for page in pages:
        assert page.status_code == 200
        text = page.content.decode()
        for member in members:
            for choice in ("满意", "不满意", "satisfied", "unsatisfied"):
                assert f"{member.full_name}:{choice}" not in text
                assert f"{member.full_name} {choice}" not in text
    staff_page = pages[0].content.decode()
    assert "满意 1 票,基本满意 1 票,不满意 1 票" in staff_page
    assert "出席组成人员 5 人,投票 3 人" in staff_page


def test_the_count_page_is_for_county_staff(client_for, rating, members, users):
    services.meeting_members_record(user=users["staff"], meeting=rating.meeting, members=members)
    url = reverse("oversight:vote_count", args=[rating.vote_id])
    data = {"voters": [members[0].pk], "satisfied": 1, "basic": 0, "unsatisfied": 0}
    assert client_for("member").post(url, data).status_code == 403
    assert client_for("unit").post(url, data).status_code == 403  # a unit reads no meeting
    assert not Ballot.objects.exists()
    assert client_for("staff").post(url, data).status_code == 302
    assert Ballot.objects.count() == 1
