"""Oversight records for tests, built through the services as the pages build them."""

import datetime

from django.utils import timezone

from oversight import services
from oversight.models import CommitteeMeeting

TODAY = timezone.localdate()


def make_meeting(world, staff, *, number=1, days_ago=10, quota=2) -> CommitteeMeeting:
    return services.meeting_create(
        user=staff,
        county=world.county_a,
        number=number,
        term=18,
        date=TODAY - datetime.timedelta(days=days_ago),
        place="县人大常委会会议室",
        agenda="审议县政府关于安全生产工作情况的报告",
        attendee_quota=quota,
    )


def count_vote(staff, vote, present, choices, *, voters=None):
    """The members ``present`` at the vote's meeting, and an anonymous count: ``voters`` (the
    first len(choices) present by default) cast ``choices``."""
    services.meeting_members_record(user=staff, meeting=vote.meeting, members=present)
    return services.vote_count(
        user=staff,
        vote=vote,
        voters=voters if voters is not None else present[: len(choices)],
        satisfied=choices.count("satisfied"),
        basic=choices.count("basic"),
        unsatisfied=choices.count("unsatisfied"),
    )


def make_inspection(world, staff, *, deputies=(), law="中华人民共和国安全生产法"):
    return services.inspection_save(
        user=staff,
        county=world.county_a,
        law=law,
        joint="city",
        start_date=TODAY - datetime.timedelta(days=30),
        end_date=TODAY - datetime.timedelta(days=28),
        methods=["site_visit", "forum"],
        deputies=deputies,
    )


def make_topic(world, staff, *, unit=None, title="农村饮水安全"):
    return services.topic_create(
        user=staff, county=world.county_a, year=TODAY.year, title=title, unit=unit or world.unit_a
    )


def research_and_report(topic, staff, *, deputies=()):
    services.research_add(
        user=staff,
        topic=topic,
        date=TODAY - datetime.timedelta(days=20),
        place="白驿镇",
        deputies=deputies,
        public_participants="村民代表张某、李某",
        public_count=12,
    )
    services.research_report_file(
        user=staff,
        topic=topic,
        title="关于农村饮水安全的调研报告",
        filed_on=TODAY - datetime.timedelta(days=15),
        summary="调研发现……",
    )


def make_site_inspection(world, staff, *, deputies=(), county=None, days_ago=40, **fields):
    start = TODAY - datetime.timedelta(days=days_ago)
    return services.site_inspection_save(
        user=staff,
        county=county or world.county_a,
        subject=fields.pop("subject", "农村人居环境整治"),
        start_date=fields.pop("start_date", start),
        end_date=fields.pop("end_date", start + datetime.timedelta(days=1)),
        places="白驿镇、歧坪镇",
        deputies=deputies,
        **fields,
    )


def make_inquiry(world, staff, *, meeting=None, county=None, date=None):
    return services.inquiry_create(
        user=staff,
        county=county or world.county_a,
        subject="农村饮水安全",
        date=date or (meeting.date if meeting else TODAY - datetime.timedelta(days=10)),
        meeting=meeting,
    )


def add_question(inquiry, staff, *, unit=None, promise="年底前完成改造", days=30, **fields):
    return services.inquiry_question_add(
        user=staff,
        inquiry=inquiry,
        asker_kind=fields.pop("asker_kind", "member"),
        asker_name=fields.pop("asker_name", "何志刚"),
        question="农村饮水工程管护经费如何保障?",
        unit=unit,
        respondent_name="王局长",
        respondent_title="县水利局局长",
        answer="已纳入预算",
        promise=promise,
        promise_deadline=inquiry.date + datetime.timedelta(days=days) if promise else None,
        **fields,
    )


def make_plan(world, staff, *, kind="supervision", year=None, county=None):
    year = year or TODAY.year
    return services.work_plan_create(
        user=staff,
        county=county or world.county_a,
        year=year,
        kind=kind,
        title=f"{year}年监督工作计划",
        document_number=f"苍人常〔{year}〕3号",
        adopted_on=min(datetime.date(year, 1, 15), TODAY),
    )


def oversight_objects(world, users) -> dict:
    """One of each record, in county A, concerning unit_a and deputy_a1 (the permission matrix)."""
    staff = users["staff"]
    inspection = make_inspection(world, staff, deputies=[world.deputy_a1])
    recommendation = services.recommendation_add(
        user=staff, inspection=inspection, unit=world.unit_a, content="加强企业安全培训"
    )
    meeting = make_meeting(world, staff)
    attendance = services.attendees_invite(user=staff, meeting=meeting)[0]
    observer = services.observer_apply(user=staff, meeting=meeting, name="陈公民")
    topic = make_topic(world, staff)
    research_and_report(topic, staff, deputies=[world.deputy_a1])
    rating = services.rating_open(user=staff, topic=topic, meeting=meeting)
    count_vote(staff, rating.vote, [users["member"]], ["satisfied"])
    opinion = services.review_opinion_create(
        user=staff,
        county=world.county_a,
        kind="work_report",
        report_title="县人民政府关于安全生产工作情况的报告",
        meeting=meeting,
        unit=world.unit_a,
        content="一、压实责任;二、强化执法。",
        sent_on=TODAY,
        deadline=TODAY + datetime.timedelta(days=60),
    )
    site_inspection = make_site_inspection(world, staff, deputies=[world.deputy_a1])
    inquiry = make_inquiry(world, staff, meeting=meeting)
    question = add_question(inquiry, staff, unit=world.unit_a)
    plan = make_plan(world, staff)
    item = services.plan_item_add(
        user=staff, plan=plan, kind="inspection", title="安全生产法执法检查"
    )
    matter = services.matter_create(user=staff, county=world.county_a, title="县城总体规划调整")
    services.matter_step_record(
        user=staff, matter=matter, step="before", date=TODAY, document="苍人常〔2026〕1号"
    )
    return {
        **{
            name: inspection
            for name in (
                "oversight:inspection_detail",
                "oversight:inspection_edit",
                "oversight:recommendation_add",
                "inspection-detail",
            )
        },
        "oversight:recommendation_decide": recommendation,
        "inspection-recommendation-detail": recommendation,
        **{
            f"oversight:topic_{action}": topic
            for action in (
                "detail",
                "research",
                "report",
                "rating_open",
                "score",
                "conclude",
                "rectify",
                "publish",
            )
        },
        "supervision-topic-detail": topic,
        "oversight:matter_detail": matter,
        "major-matter-detail": matter,
        **{
            name: meeting
            for name in (
                "oversight:meeting_detail",
                "oversight:meeting_invite",
                "oversight:observer_add",
                "committee-meeting-detail",
            )
        },
        "oversight:attendance_mark": attendance,
        "oversight:meeting_members": meeting,
        "oversight:vote_count": rating.vote,
        **{
            f"oversight:review_opinion_{action}": opinion
            for action in ("detail", "report", "hear", "conclude", "publish")
        },
        "review-opinion-detail": opinion,
        "oversight:observer_decide": observer,
        **{
            name: plan
            for name in ("oversight:plan_detail", "oversight:plan_item_add", "work-plan-detail")
        },
        **{
            name: item
            for name in (
                "oversight:plan_item_detail",
                "oversight:plan_item_link",
                "oversight:plan_item_unlink",
                "plan-item-detail",
            )
        },
        **{
            name: site_inspection
            for name in (
                "oversight:site_inspection_detail",
                "oversight:site_inspection_edit",
                "site-inspection-detail",
            )
        },
        **{
            name: inquiry
            for name in (
                "oversight:inquiry_detail",
                "oversight:inquiry_question_add",
                "oversight:inquiry_publish",
                "inquiry-detail",
            )
        },
        "oversight:inquiry_promise": question,
        "inquiry-question-detail": question,
    }
