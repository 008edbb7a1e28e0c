"""The year's plans (issue 22 §4): a 监督工作计划 or 代表工作要点 per county, year and kind, its
items linked to the records that carry them out, each item's state derived from them (已完成 /
进行中 / 未开始, 逾期 when the planned period has passed), counts per state on the plan page."""

import datetime

import pytest
from django.urls import reverse

from core.errors import DomainError
from deputies.models import Training
from oversight import selectors, services
from oversight.models import Inspection, PlanItem, WorkPlan
from oversight.rules import ItemState, plan_item_overdue, plan_item_state, planned_period_end
from tests import factories as f
from tests.querycount import count_queries

from .builders import (
    TODAY,
    make_inquiry,
    make_inspection,
    make_meeting,
    make_plan,
    make_site_inspection,
    make_topic,
)

# The rules, over plain data -----------------------------------------------------------------


def test_an_item_without_records_has_not_started():
    assert plan_item_state([]) == ItemState.NOT_STARTED


def test_an_item_is_done_when_every_linked_record_is_complete():
    assert plan_item_state([True, True]) == ItemState.DONE
    assert plan_item_state([True, False]) == ItemState.IN_PROGRESS
    assert plan_item_state([False]) == ItemState.IN_PROGRESS


@pytest.mark.parametrize(
    ("month", "quarter", "end"),
    [
        (3, None, datetime.date(2026, 3, 31)),
        (2, None, datetime.date(2026, 2, 28)),
        (12, None, datetime.date(2026, 12, 31)),
        (None, 2, datetime.date(2026, 6, 30)),
        (None, 4, datetime.date(2026, 12, 31)),
        (None, None, datetime.date(2026, 12, 31)),
    ],
)
def test_the_planned_period_ends_on_its_last_day(month, quarter, end):
    assert planned_period_end(year=2026, month=month, quarter=quarter) == end


def test_overdue_when_the_period_has_passed_and_the_item_is_not_done():
    end = datetime.date(2026, 6, 30)
    after = datetime.date(2026, 7, 1)
    assert plan_item_overdue(state=ItemState.NOT_STARTED, period_end=end, today=after)
    assert plan_item_overdue(state=ItemState.IN_PROGRESS, period_end=end, today=after)
    assert not plan_item_overdue(state=ItemState.DONE, period_end=end, today=after)
    assert not plan_item_overdue(state=ItemState.NOT_STARTED, period_end=end, today=end)


# States from the linked records ---------------------------------------------------------------


@pytest.fixture
def plan(world, users):
    return make_plan(world, users["staff"])


def _item(plan, staff, *, kind="inspection", title="执法检查", **fields):
    return services.plan_item_add(user=staff, plan=plan, kind=kind, title=title, **fields)


def _state(item):
    return next(i for i in selectors.work_plan_items(item.plan) if i.pk == item.pk)


def test_an_inspection_is_complete_with_its_report_date(world, users, plan):
    staff = users["staff"]
    item = _item(plan, staff)
    inspection = make_inspection(world, staff)
    services.plan_item_link(user=staff, item=item, records=[inspection])
    assert _state(item).state == ItemState.IN_PROGRESS
    Inspection.objects.filter(pk=inspection.pk).update(reported_on=TODAY)
    assert _state(item).state == ItemState.DONE


def test_a_topic_is_complete_once_rated(world, users, plan):
    from .builders import count_vote, research_and_report

    staff = users["staff"]
    item = _item(plan, staff, kind="research", title="饮水安全专题调研")
    topic = make_topic(world, staff)
    services.plan_item_link(user=staff, item=item, records=[topic])
    assert _state(item).state == ItemState.IN_PROGRESS
    research_and_report(topic, staff)
    rating = services.rating_open(user=staff, topic=topic, meeting=make_meeting(world, staff))
    count_vote(staff, rating.vote, [users["member"]], ["satisfied"])
    services.rating_conclude(user=staff, rating=rating)
    assert _state(item).state == ItemState.DONE


def test_meetings_and_trainings_are_complete_once_held(world, users, plan):
    staff = users["staff"]
    item = _item(plan, staff, kind="work_report", title="听取安全生产工作报告")
    held = make_meeting(world, staff, days_ago=5)
    services.plan_item_link(user=staff, item=item, records=[held])
    assert _state(item).state == ItemState.DONE
    training = Training.objects.create(
        county=world.county_a,
        name="履职能力提升班",
        kind="in_term",
        mode="classroom",
        start_date=TODAY - datetime.timedelta(days=1),
        end_date=TODAY + datetime.timedelta(days=1),
        hours=8,
    )
    services.plan_item_link(user=staff, item=item, records=[training])
    assert _state(item).state == ItemState.IN_PROGRESS


def test_an_item_of_a_passed_quarter_not_done_is_overdue(world, users):
    staff = users["staff"]
    last_year = make_plan(world, staff, year=TODAY.year - 1)
    item = _item(last_year, staff, planned_quarter=2)
    described = _state(item)
    assert described.state == ItemState.NOT_STARTED and described.overdue


# Bad input: nothing saved -------------------------------------------------------------------


def test_a_record_of_another_county_is_refused(world, users, plan):
    staff = users["staff"]
    item = _item(plan, staff)
    admin = users["admin"]
    other = services.inspection_save(
        user=admin,
        county=world.county_b,
        law="中华人民共和国森林法",
        start_date=TODAY - datetime.timedelta(days=5),
        end_date=TODAY - datetime.timedelta(days=4),
    )
    with pytest.raises(DomainError, match="不属于本县"):
        services.plan_item_link(user=admin, item=item, records=[other])
    assert not item.inspections.exists()


def test_a_record_of_another_year_is_refused(world, users, plan):
    staff = users["staff"]
    item = _item(plan, staff, kind="site_inspection", title="专题视察")
    old = make_site_inspection(world, staff, days_ago=400)
    with pytest.raises(DomainError, match="年度的记录,不能关联"):
        services.plan_item_link(user=staff, item=item, records=[old])
    assert not item.site_inspections.exists()


def test_posting_a_record_outside_the_plan_is_refused_on_the_page(client_for, world, users, plan):
    staff = users["staff"]
    item = _item(plan, staff)
    old = make_inquiry(world, staff, date=TODAY - datetime.timedelta(days=400))
    response = client_for("staff").post(
        reverse("oversight:plan_item_link", args=[item.pk]), {"inquiries": old.pk}, follow=True
    )
    assert "选择一个有效的选项" in response.content.decode() or "有效" in str(
        list(response.context["messages"])
    )
    assert not item.inquiries.exists()


def test_a_plan_once_per_county_year_and_kind(world, users, plan):
    with pytest.raises(DomainError, match="已经登记过监督工作计划"):
        make_plan(world, users["staff"])
    assert WorkPlan.objects.count() == 1


def test_an_item_has_a_month_or_a_quarter_not_both(users, plan):
    with pytest.raises(DomainError, match="月份或季度之一"):
        _item(plan, users["staff"], planned_month=3, planned_quarter=1)
    assert not PlanItem.objects.exists()


# Pages --------------------------------------------------------------------------------------


def test_staff_enter_a_plan_and_its_items_and_link_records(client_for, world, users):
    client = client_for("staff")
    response = client.post(
        reverse("oversight:plan_new"),
        {
            "year": TODAY.year,
            "kind": "deputy_work",
            "title": f"{TODAY.year}年代表工作要点",
            "document_number": "苍人常办〔2026〕2号",
            "adopted_on": min(datetime.date(TODAY.year, 2, 1), TODAY).isoformat(),
        },
    )
    plan = WorkPlan.objects.get()
    assert response.url == plan.get_portal_url()
    client.post(
        reverse("oversight:plan_item_add", args=[plan.pk]),
        {"kind": "site_inspection", "title": "组织代表专题视察", "planned_quarter": 3},
    )
    client.post(
        reverse("oversight:plan_item_add", args=[plan.pk]),
        {"kind": "other", "title": "代表履职培训", "responsible": "代表工委"},
    )
    first, second = plan.items.order_by("ordinal")
    assert (first.ordinal, second.ordinal) == (1, 2)
    visit = make_site_inspection(world, users["staff"], days_ago=3)
    client.post(
        reverse("oversight:plan_item_link", args=[first.pk]), {"site_inspections": visit.pk}
    )
    assert list(first.site_inspections.all()) == [visit]
    page = client.get(plan.get_portal_url()).content.decode()
    assert 'data-figure="in_progress">1<' in page and 'data-figure="not_started">1<' in page
    client.post(
        reverse("oversight:plan_item_unlink", args=[first.pk]),
        {"relation": "site_inspections", "pk": visit.pk},
    )
    assert not first.site_inspections.exists()


@pytest.mark.parametrize("role", ["member", "township", "outsider"])
def test_others_read_but_may_not_enter(client_for, users, plan, role):
    client = client_for(role)
    assert client.get(plan.get_portal_url()).status_code == 200
    assert client.get(reverse("oversight:plan_new")).status_code == 403
    response = client.post(
        reverse("oversight:plan_item_add", args=[plan.pk]), {"kind": "other", "title": "x"}
    )
    assert response.status_code == 403
    assert not plan.items.exists()


def test_a_unit_does_not_read_plans(client_for, plan):
    assert client_for("unit").get(plan.get_portal_url()).status_code == 403


def test_staff_of_another_county_do_not_see_the_plan(world, plan):
    other = f.make_user("committee_staff", "staff_b", county=world.county_b)
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(plan.get_portal_url()).status_code == 404


# Query counts -------------------------------------------------------------------------------


def _fill(world, staff, plan, n, start=0):
    for i in range(start, start + n):
        item = _item(plan, staff, title=f"事项{i}", planned_month=(i % 12) + 1)
        services.plan_item_link(
            user=staff,
            item=item,
            records=[
                make_inspection(world, staff, law=f"法律{i}"),
                make_site_inspection(world, staff, subject=f"视察{i}", deputies=[world.deputy_a1]),
                make_meeting(world, staff, number=100 + i, days_ago=i + 1),
            ],
        )


def test_the_plan_page_and_api_do_not_grow_with_items(client_for, world, users, plan):
    client = client_for("staff")
    staff = users["staff"]
    urls = [
        plan.get_portal_url(),
        reverse("oversight:plans"),
        reverse("plan-item-list"),
        reverse("work-plan-list"),
    ]
    _fill(world, staff, plan, 1)
    item = plan.items.first()
    urls.append(item.get_portal_url())
    before = [count_queries(client, url) for url in urls]
    _fill(world, staff, plan, 5, start=1)
    make_plan(world, staff, kind="deputy_work")
    after = [count_queries(client, url) for url in urls]
    assert before == after, list(zip(urls, before, after, strict=True))
