"""审议意见 (issue 20 §8): the inspection report heard at a meeting, the committee's opinions sent
to a body with a deadline, the body's 研究处理情况报告 back, heard and voted on anonymously, the
result published on the public side; the overdue shown and reminded once."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from core.models import Notification
from oversight import services
from oversight.models import Inspection, ReviewOpinion
from oversight.reminders import review_opinion_reminders_send
from tests import factories as f
from tests.querycount import count_queries

from .builders import TODAY, count_vote, make_inspection, make_meeting


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def inspection(world, users):
    inspection = make_inspection(world, users["staff"])
    Inspection.objects.filter(pk=inspection.pk).update(
        report="检查组建议……", reported_on=TODAY - datetime.timedelta(days=20)
    )
    inspection.refresh_from_db()
    return inspection


@pytest.fixture
def meeting(world, users):
    return make_meeting(world, users["staff"], days_ago=15)


def _create(users, world, inspection_, meeting_, **overrides):
    data = {
        "user": users["staff"],
        "county": world.county_a,
        "kind": "inspection",
        "inspection": inspection_,
        "meeting": meeting_,
        "unit": world.unit_a,
        "content": "一、压实责任;二、完善制度。",
        "sent_on": meeting_.date + datetime.timedelta(days=2),
        "deadline": TODAY + datetime.timedelta(days=5),
    }
    return services.review_opinion_create(**{**data, **overrides})


def test_the_loop_through_the_pages(client_for, world, users, inspection, meeting):
    staff = client_for("staff")
    response = staff.post(
        reverse("oversight:review_opinion_new"),
        {
            "kind": "inspection",
            "inspection": inspection.pk,
            "meeting": meeting.pk,
            "unit": world.unit_a.pk,
            "content": "一、压实责任;二、完善制度。",
            "sent_on": (meeting.date + datetime.timedelta(days=1)).isoformat(),
            "deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
    )
    opinion = ReviewOpinion.objects.get()
    assert response.url == opinion.get_portal_url()
    assert opinion.report_title == "《中华人民共和国安全生产法》执法检查报告"
    unit = client_for("unit")
    unit.post(
        reverse("oversight:review_opinion_report", args=[opinion.pk]),
        {"handling_report": "已逐条研究落实", "reported_on": TODAY.isoformat()},
    )
    opinion.refresh_from_db()
    assert opinion.reported_by == users["unit"] and opinion.reported_on == TODAY
    hearing = make_meeting(world, users["staff"], number=2, days_ago=0)
    staff.post(
        reverse("oversight:review_opinion_hear", args=[opinion.pk]),
        {"meeting": hearing.pk, "with_vote": "on"},
    )
    opinion.refresh_from_db()
    members = [users["member"], f.make_user("committee_member", county=world.county_a)]
    count_vote(users["staff"], opinion.vote, members, ["satisfied", "basic"])
    staff.post(reverse("oversight:review_opinion_conclude", args=[opinion.pk]))
    staff.post(
        reverse("oversight:review_opinion_publish", args=[opinion.pk]),
        {"publication": "测评满意,已公开", "published_on": TODAY.isoformat()},
    )
    opinion.refresh_from_db()
    assert (opinion.result, opinion.published_on) == ("satisfied", TODAY)
    public = Client().get(reverse("public:disclosure"))
    assert "测评满意,已公开" in public.content.decode()
    api = staff.get("/api/v1/review-opinions/").json()
    row = api["results"][0] if "results" in api else api[0]
    assert row["vote"] == {"present": 2, "voters": 2, "satisfied": 1, "basic": 1, "unsatisfied": 0}
    assert row["stage"] == "published"


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"inspection": None}, "inspection", "请选择执法检查"),
        ({"content": "  "}, "content", "请填写审议意见"),
        ({"deadline": "same"}, "deadline", "报告期限须晚于交办日期"),
        ({"sent_on": "future"}, "sent_on", "不能晚于今天"),
        ({"sent_on": "before_meeting"}, "sent_on", "不能早于审议会议"),
        ({"kind": "work_report", "report_title": ""}, "report_title", "请填写审议的报告名称"),
    ],
)
def test_bad_input_is_refused_with_its_field(
    world, users, inspection, meeting, overrides, field, text
):
    sent_on = meeting.date + datetime.timedelta(days=2)
    dates = {
        "same": sent_on,
        "future": TODAY + datetime.timedelta(days=1),
        "before_meeting": meeting.date - datetime.timedelta(days=1),
    }
    overrides = {k: dates.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()}
    with pytest.raises(services.DomainError, match=text) as error:
        _create(users, world, inspection, meeting, **overrides)
    assert error.value.field == field and not ReviewOpinion.objects.exists()


def test_an_inspection_without_its_report_cannot_have_opinions(world, users, meeting):
    bare = make_inspection(world, users["staff"], law="森林法")
    with pytest.raises(services.DomainError, match="还没有执法检查报告"):
        _create(users, world, bare, meeting)


def test_a_report_after_the_hearing_is_refused(world, users, inspection, meeting):
    opinion = _create(users, world, inspection, meeting)
    services.handling_report_submit(
        user=users["unit"], opinion=opinion, handling_report="已落实", reported_on=TODAY
    )
    services.handling_report_hear(
        user=users["staff"], opinion=opinion, meeting=make_meeting(world, users["staff"], number=3, days_ago=0), with_vote=False
    )  # fmt: skip
    with pytest.raises(services.DomainError, match="不能再修改"):
        services.handling_report_submit(
            user=users["unit"], opinion=opinion, handling_report="改", reported_on=TODAY
        )
    services.handling_report_conclude(user=users["staff"], opinion=opinion)
    opinion.refresh_from_db()
    assert opinion.result == "heard" and opinion.handling_report == "已落实"


def test_conclude_needs_the_count_when_there_is_a_vote(world, users, inspection, meeting):
    opinion = _create(users, world, inspection, meeting)
    services.handling_report_submit(
        user=users["staff"], opinion=opinion, handling_report="已落实", reported_on=TODAY
    )
    services.handling_report_hear(
        user=users["staff"], opinion=opinion, meeting=make_meeting(world, users["staff"], number=3, days_ago=0), with_vote=True
    )  # fmt: skip
    with pytest.raises(services.DomainError, match="计票结果"):
        services.handling_report_conclude(user=users["staff"], opinion=opinion)


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "outsider"])
def test_only_the_body_or_staff_report_back(client_for, world, users, inspection, meeting, role):
    opinion = _create(users, world, inspection, meeting)
    url = reverse("oversight:review_opinion_report", args=[opinion.pk])
    data = {"handling_report": "冒充", "reported_on": TODAY.isoformat()}
    assert client_for(role).post(url, data).status_code == 403
    hear = reverse("oversight:review_opinion_hear", args=[opinion.pk])
    assert client_for(role).post(hear, {"meeting": meeting.pk}).status_code == 403
    opinion.refresh_from_db()
    assert opinion.reported_on is None and opinion.hearing_meeting_id is None


def test_another_body_sees_nothing(client_for, world, users, inspection, meeting):
    other = f.make_unit(world.county_a, "甲县林业局")
    opinion = _create(users, world, inspection, meeting, unit=other)
    unit = client_for("unit")
    assert unit.get(opinion.get_portal_url()).status_code == 404
    url = reverse("oversight:review_opinion_report", args=[opinion.pk])
    assert unit.post(url, {"handling_report": "x", "reported_on": TODAY}).status_code == 404
    assert unit.get(reverse("oversight:review_opinions")).context["page"].paginator.count == 0
    api = unit.get("/api/v1/review-opinions/").json()
    assert (api["count"] if "count" in api else len(api)) == 0


def test_overdue_shows_in_the_list_and_its_filter(client_for, world, users, inspection, meeting):
    overdue = _create(
        users, world, inspection, meeting, deadline=TODAY - datetime.timedelta(days=1)
    )
    _create(users, world, inspection, meeting)
    staff = client_for("staff")
    page = staff.get(reverse("oversight:review_opinions"), {"stage": "overdue"})
    assert [o.pk for o in page.context["page"]] == [overdue.pk]
    assert page.context["figures"]["overdue"] == 1
    assert "逾期未报告" in page.content.decode()
    api = staff.get("/api/v1/review-opinions/", {"stage": "overdue"}).json()
    rows = api.get("results", api)
    assert [r["id"] for r in rows] == [overdue.pk]


def test_reminders_are_sent_once_and_escalate_when_overdue(world, users, inspection, meeting):
    opinion = _create(users, world, inspection, meeting)  # due in five days
    assert review_opinion_reminders_send(today=TODAY) == {"deadline": 1, "overdue": 0}
    assert review_opinion_reminders_send(today=TODAY) == {"deadline": 0, "overdue": 0}
    late = opinion.deadline + datetime.timedelta(days=1)
    assert review_opinion_reminders_send(today=late) == {"deadline": 0, "overdue": 2}
    assert review_opinion_reminders_send(today=late) == {"deadline": 0, "overdue": 0}
    escalated = Notification.objects.filter(kind="review_opinion_overdue")
    assert {n.recipient for n in escalated} == {users["unit"], users["staff"]}
    services.handling_report_submit(
        user=users["unit"], opinion=opinion, handling_report="已落实", reported_on=TODAY
    )
    later = late + datetime.timedelta(days=3)
    assert review_opinion_reminders_send(today=later) == {"deadline": 0, "overdue": 0}


def test_reminders_take_a_fixed_number_of_queries(
    world, users, inspection, meeting, django_assert_max_num_queries
):
    for _ in range(5):
        _create(users, world, inspection, meeting, deadline=TODAY - datetime.timedelta(days=2))
    review_opinion_reminders_send(today=TODAY)  # the notifications exist: the rest is reads
    # opinions with their units, the units' users, the county's staff: three reads, and one
    # attempted insert per (opinion, recipient), each refused by its unique key.
    with django_assert_max_num_queries(3 + 5 * 2 * 4):
        review_opinion_reminders_send(today=TODAY)


@pytest.mark.parametrize("role", ["staff", "unit"])
def test_pages_do_not_grow_with_the_data(client_for, world, users, inspection, meeting, role):
    client = client_for(role)
    first = _create(users, world, inspection, meeting)
    urls = [
        reverse("oversight:review_opinions"),
        first.get_portal_url(),
        "/api/v1/review-opinions/",
    ]
    before = [count_queries(client, url) for url in urls]
    for _ in range(6):
        opinion = _create(users, world, inspection, meeting)
        services.handling_report_submit(
            user=users["staff"], opinion=opinion, handling_report="已落实", reported_on=TODAY
        )
    after = [count_queries(client, url) for url in urls]
    assert before == after
