"""专题询问 (issue 22 §5): a session (at a committee meeting or not), its questions numbered in
order with who asked and who answered, the promises (整改承诺) with deadlines and how they were
kept; overdue promises listed; a handling unit reads the inquiries it answered at."""

import datetime

import pytest
from django.urls import reverse

from core.errors import DomainError
from oversight import selectors, services
from oversight.models import Inquiry, InquiryQuestion
from tests.querycount import count_queries

from .builders import TODAY, add_question, make_inquiry, make_meeting


@pytest.fixture
def inquiry(world, users):
    return make_inquiry(world, users["staff"], meeting=make_meeting(world, users["staff"]))


def test_questions_are_numbered_in_order(world, users, inquiry):
    staff = users["staff"]
    first = add_question(inquiry, staff, unit=world.unit_a)
    second = add_question(
        inquiry, staff, asker_kind="deputy", asker_name="", asker_deputy=world.deputy_a1
    )
    assert (first.ordinal, second.ordinal) == (1, 2)
    assert second.asker_name == world.deputy_a1.name


def test_staff_record_the_session_and_questions_on_the_pages(client_for, world, users):
    client = client_for("staff")
    meeting = make_meeting(world, users["staff"], days_ago=3)
    response = client.post(
        reverse("oversight:inquiry_new"),
        {"subject": "城乡养老服务", "meeting": meeting.pk, "date": meeting.date.isoformat()},
    )
    inquiry = Inquiry.objects.get()
    assert response.url == inquiry.get_portal_url()
    client.post(
        reverse("oversight:inquiry_question_add", args=[inquiry.pk]),
        {
            "asker_kind": "member",
            "asker_name": "罗素琴",
            "question": "农村互助养老点运营经费从哪里来?",
            "unit": world.unit_a.pk,
            "respondent_name": "李某",
            "respondent_title": "县民政局局长",
            "answer": "纳入财政预算",
            "promise": "明年一季度出台运营补贴办法",
            "promise_deadline": (TODAY + datetime.timedelta(days=90)).isoformat(),
        },
    )
    question = InquiryQuestion.objects.get()
    assert question.ordinal == 1 and question.promise_status == "pending"
    client.post(
        reverse("oversight:inquiry_promise", args=[question.pk]),
        {f"q{question.pk}-promise_status": "done", f"q{question.pk}-promise_result": "已出台"},
    )
    question.refresh_from_db()
    assert question.promise_status == "done" and question.promise_result == "已出台"
    page = client.get(inquiry.get_portal_url()).content.decode()
    assert "罗素琴" in page and "已落实" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"promise_deadline": None}, "请填写完成期限"),
        ({"question": " "}, "请填写询问问题"),
        ({"respondent_name": ""}, "请填写应询人"),
        ({"asker_kind": "public"}, "询问人身份"),
        ({"promise_deadline": TODAY - datetime.timedelta(days=30)}, "须晚于询问日期"),
    ],
)
def test_bad_questions_are_refused_and_nothing_saved(users, inquiry, fields, message):
    data = {
        "asker_kind": "member",
        "asker_name": "何志刚",
        "question": "问题",
        "respondent_name": "王局长",
        "promise": "整改",
        "promise_deadline": TODAY + datetime.timedelta(days=10),
        **fields,
    }
    with pytest.raises(DomainError, match=message):
        services.inquiry_question_add(user=users["staff"], inquiry=inquiry, **data)
    assert not InquiryQuestion.objects.exists()


def test_an_inquiry_at_a_meeting_of_another_county_or_date_is_refused(world, users):
    staff = users["staff"]
    meeting = make_meeting(world, staff)
    with pytest.raises(DomainError, match="询问日期应为会议日期"):
        make_inquiry(world, staff, meeting=meeting, date=meeting.date - datetime.timedelta(days=1))
    with pytest.raises(DomainError, match="不能晚于今天"):
        make_inquiry(world, staff, date=TODAY + datetime.timedelta(days=1))
    assert not Inquiry.objects.exists()


def test_a_done_promise_needs_its_result(users, world, inquiry):
    question = add_question(inquiry, users["staff"])
    with pytest.raises(DomainError, match="请填写落实结果"):
        services.inquiry_promise_update(
            user=users["staff"], question=question, promise_status="done"
        )
    question.refresh_from_db()
    assert question.promise_status == "pending"


def test_overdue_promises_are_listed(client_for, world, users):
    staff = users["staff"]
    old = make_inquiry(world, staff, date=TODAY - datetime.timedelta(days=60))
    overdue = add_question(old, staff, promise="一个月内整改到位", days=30)
    kept = add_question(old, staff, promise="一个月内完成排查", days=20)
    services.inquiry_promise_update(
        user=staff, question=kept, promise_status="done", promise_result="已完成"
    )
    not_due = add_question(old, staff, promise="年内完成", days=90)
    listed = list(selectors.overdue_promises(user=staff))
    assert listed == [overdue]
    page = client_for("member").get(reverse("oversight:inquiries")).content.decode()
    assert "一个月内整改到位" in page and "年内完成" not in page
    api = client_for("staff").get(reverse("inquiry-question-list"), {"overdue": "true"}).json()
    assert [row["id"] for row in api["results"]] == [overdue.pk]
    assert not_due.promise_status == "pending"


def test_a_unit_reads_the_inquiries_it_answered_at(client_for, world, users, inquiry):
    staff = users["staff"]
    add_question(inquiry, staff, unit=world.unit_a)
    other = make_inquiry(world, staff, date=TODAY - datetime.timedelta(days=3))
    add_question(other, staff)
    client = client_for("unit")
    assert client.get(inquiry.get_portal_url()).status_code == 200
    assert client.get(other.get_portal_url()).status_code == 404
    rows = client.get(reverse("inquiry-list")).json()["results"]
    assert [row["id"] for row in rows] == [inquiry.pk]


@pytest.mark.parametrize("role", ["member", "township", "deputy", "unit"])
def test_others_may_not_record(client_for, world, users, inquiry, role):
    add_question(inquiry, users["staff"], unit=world.unit_a)
    question = InquiryQuestion.objects.get()
    client = client_for(role)
    assert client.get(reverse("oversight:inquiry_new")).status_code == 403
    response = client.post(
        reverse("oversight:inquiry_question_add", args=[inquiry.pk]),
        {"asker_kind": "member", "asker_name": "x", "question": "y", "respondent_name": "z"},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("oversight:inquiry_promise", args=[question.pk]),
        {f"q{question.pk}-promise_status": "done", f"q{question.pk}-promise_result": "r"},
    )
    assert response.status_code == 403
    assert InquiryQuestion.objects.count() == 1
    question.refresh_from_db()
    assert question.promise_status == "pending"


def test_pages_do_not_grow_with_questions(client_for, world, users, inquiry):
    staff = users["staff"]
    client = client_for("staff")
    add_question(inquiry, staff, unit=world.unit_a)
    urls = [
        inquiry.get_portal_url(),
        reverse("oversight:inquiries"),
        reverse("inquiry-list"),
        reverse("inquiry-question-list"),
    ]
    before = [count_queries(client, url) for url in urls]
    for i in range(5):
        add_question(inquiry, staff, unit=world.unit_a, days=10 + i)
        extra = make_inquiry(world, staff, date=TODAY - datetime.timedelta(days=100 + i))
        add_question(extra, staff, days=5)
    after = [count_queries(client, url) for url in urls]
    assert before == after, list(zip(urls, before, after, strict=True))


def test_a_published_summary_appears_on_the_disclosure_page(client_for, world, users, inquiry):
    staff = users["staff"]
    with pytest.raises(DomainError, match="请先登记询问问题"):
        services.inquiry_publish(
            user=staff, inquiry=inquiry, publication="综述", published_on=TODAY
        )
    add_question(inquiry, staff)
    response = client_for("member").post(
        reverse("oversight:inquiry_publish", args=[inquiry.pk]),
        {"publication": "询问情况", "published_on": TODAY.isoformat()},
    )
    assert response.status_code == 403
    client_for("staff").post(
        reverse("oversight:inquiry_publish", args=[inquiry.pk]),
        {
            "publication": "就农村饮水安全开展专题询问,作出整改承诺一项。",
            "published_on": TODAY.isoformat(),
        },
    )
    inquiry.refresh_from_db()
    assert inquiry.published_on == TODAY
    from public import selectors as public_selectors

    assert public_selectors.published_inquiries(world.county_a) == [inquiry]
