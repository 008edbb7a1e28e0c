"""代表小组+: each group's page shows its members, leader, the year's themed tasks and the
activities its members took part in; an activity is a duty act of each participant; the leader
or committee staff record them; a deputy opens only the groups they belong to (issue 20, item 9)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from deputies.models import DutyRecord
from linkages import services
from linkages.models import GroupActivity, GroupTask
from tests import factories as f
from tests.querycount import count_queries, grow

TODAY = timezone.localdate()
GROUPS = reverse("linkages:groups")


def detail(group) -> str:
    return reverse("linkages:group_detail", args=[group.pk])


def test_staff_record_a_task_and_an_activity_that_is_a_duty_act_of_each_participant(users, world):
    group = world.group_a
    task = services.group_task_add(
        user=users["staff"], group=group, year=TODAY.year, title="调研医养结合服务"
    )
    activity = services.group_activity_log(
        user=users["staff"],
        group=group,
        task=task,
        date=TODAY,
        title="走访县中医院医养中心",
        place="县中医院",
        participants=[world.deputy_a1, world.deputy_a2],
    )
    records = DutyRecord.objects.filter(kind="activity", source_id=activity.pk)
    assert {r.deputy_id for r in records} == {world.deputy_a1.pk, world.deputy_a2.pk}
    assert all("教育卫生小组活动" in r.title for r in records)


def test_the_leader_records_the_groups_work_and_another_member_does_not(users, world, client_for):
    group = world.group_a
    group.leader = world.deputy_a1  # the demo deputy leads the group
    group.save(update_fields=["leader"])
    client = client_for("deputy")
    response = client.post(
        reverse("linkages:group_task_new", args=[group.pk]),
        {"year": TODAY.year, "title": "监督义务教育均衡发展"},
    )
    assert response.status_code == 302
    assert GroupTask.objects.filter(group=group, title="监督义务教育均衡发展").exists()
    group.leader = world.deputy_a2
    group.save(update_fields=["leader"])
    response = client.get(reverse("linkages:group_activity_new", args=[group.pk]))
    assert response.status_code == 403


def test_bad_input_saves_nothing(users, world, client_for):
    group = world.group_a
    outsider = f.make_deputy(world.home_a1, name="组外代表")
    with pytest.raises(DomainError, match="不是本小组成员"):
        services.group_activity_log(
            user=users["staff"], group=group, date=TODAY, title="座谈", participants=[outsider]
        )
    with pytest.raises(DomainError, match="不能晚于今天"):
        services.group_activity_log(
            user=users["staff"],
            group=group,
            date=TODAY + datetime.timedelta(days=1),
            title="座谈",
            participants=[world.deputy_a1],
        )
    other = f.make_group(world.county_a, [world.deputy_a1])
    foreign_task = services.group_task_add(
        user=users["staff"], group=other, year=TODAY.year, title="甲"
    )
    with pytest.raises(DomainError, match="不属于本小组"):
        services.group_activity_log(
            user=users["staff"],
            group=group,
            task=foreign_task,
            date=TODAY,
            title="座谈",
            participants=[world.deputy_a1],
        )
    response = client_for("staff").post(
        reverse("linkages:group_activity_new", args=[group.pk]),
        {"date": TODAY.isoformat(), "title": "座谈"},
    )
    assert response.status_code == 200 and "请选择参加活动的代表" in response.content.decode()
    assert not GroupActivity.objects.exists()
    assert not DutyRecord.objects.filter(kind="activity").exists()
    with pytest.raises(DomainError, match="同名"):
        services.group_task_add(user=users["staff"], group=other, year=TODAY.year, title="甲")


def test_the_member_and_township_staff_read_but_do_not_record(users, world):
    for role in ("member", "township"):
        with pytest.raises(DomainError):
            services.group_task_add(
                user=users[role], group=world.group_a, year=TODAY.year, title="乙"
            )


def test_a_deputy_sees_their_own_group_only(users, world, client_for):
    mine = world.group_a  # deputy_a1 is a member
    other = f.make_group(world.county_a, [world.deputy_a2], name="农业农村小组")
    client = client_for("deputy")
    page = client.get(GROUPS).content.decode()
    assert mine.name in page and other.name not in page
    assert client.get(detail(mine)).status_code == 200
    assert client.get(detail(other)).status_code == 404
    staff_page = client_for("staff").get(GROUPS).content.decode()
    assert mine.name in staff_page and other.name in staff_page
    api = client.get("/api/v1/group-activities/").status_code
    assert api == 200
    assert client_for("keeper").get(GROUPS).status_code == 403


def test_the_group_page_shows_members_leader_tasks_and_activities(users, world, client_for):
    group = world.group_a
    group.leader = world.deputy_a2
    group.save(update_fields=["leader"])
    task = services.group_task_add(
        user=users["staff"], group=group, year=TODAY.year, title="专题甲"
    )
    services.group_activity_log(
        user=users["staff"], group=group, task=task, date=TODAY, title="活动乙",
        participants=[world.deputy_a1],
    )  # fmt: skip
    page = client_for("member").get(detail(group)).content.decode()
    assert "专题甲" in page and "活动乙" in page and "组长" in page
    assert world.deputy_a1.name in page and world.deputy_a2.name in page


def test_the_group_pages_queries_do_not_grow(users, world, client_for):
    client = client_for("staff")
    group = world.group_a

    def add_work(n):
        for i in range(n):
            task = services.group_task_add(
                user=users["staff"], group=group, year=TODAY.year, title=f"任务{n}-{i}"
            )
            services.group_activity_log(
                user=users["staff"], group=group, task=task, date=TODAY, title=f"活动{i}",
                participants=list(group.members.all()[:3]),
            )  # fmt: skip

    add_work(1)
    before = (count_queries(client, GROUPS), count_queries(client, detail(group)))
    grow(world, 12)
    add_work(4)
    after = (count_queries(client, GROUPS), count_queries(client, detail(group)))
    assert before == after
