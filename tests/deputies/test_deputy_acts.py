"""五个一 acts a deputy records: 小难题 solved and households helped (帮扶对象, visits), each a duty
act; an opinion answered at the station where it was raised counts as a problem solved."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from deputies import services
from deputies.models import AidHousehold, AidVisit, DutyRecord, SmallProblem
from deputies.scoring import scheme_for
from stations.models import Opinion
from stations.services.opinions import opinion_answer, opinion_forward
from stations.services.receptions import reception_log
from tests import factories as f
from tests.querycount import count_queries, grow

TODAY = timezone.localdate()
PROBLEMS = reverse("deputies:small_problems")
AID = reverse("deputies:aid_households")
HOUSEHOLD = {
    "head_name": "李秀英",
    "address": "五龙镇三会村二组",
    "difficulty": "独居老人,行动不便",
    "help_plan": "每月上门一次,帮助购买生活用品",
    "since": TODAY.isoformat(),
}


def household(users, world, **fields):
    return services.aid_household_add(
        user=users["deputy"], deputy=world.deputy_a1, **{**HOUSEHOLD, "since": TODAY, **fields}
    )


def test_a_deputy_records_a_small_problem_on_the_phone(client_for, world):
    client = client_for("deputy")
    response = client.post(
        PROBLEMS,
        {
            "solved_on": TODAY.isoformat(),
            "place": "三会村二组",
            "description": "帮群众疏通堵塞的排水沟",
        },
    )
    assert response.status_code == 302
    problem = SmallProblem.objects.get()
    assert problem.deputy == world.deputy_a1
    record = DutyRecord.objects.get(kind=DutyRecord.Kind.SMALL_PROBLEM)
    assert record.deputy == world.deputy_a1 and record.occurred_on == TODAY
    assert "排水沟" in client.get(PROBLEMS).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"solved_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "不能晚于今天"),
        ({"description": "修了"}, "请写明"),
    ],
)
def test_a_bad_small_problem_is_refused_and_nothing_saved(client_for, data, message):
    posted = {
        "solved_on": TODAY.isoformat(),
        "place": "村委会",
        "description": "帮群众办理医保",
        **data,
    }
    response = client_for("deputy").post(PROBLEMS, posted)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SmallProblem.objects.exists() and not DutyRecord.objects.exists()


def test_staff_read_small_problems_of_their_area_and_do_not_record(client_for, users, world):
    services.small_problem_record(
        user=users["deputy"],
        deputy=world.deputy_a1,
        solved_on=TODAY,
        place="村委会",
        description="帮群众办理医保报销",
    )
    staff = client_for("staff").get(PROBLEMS)
    assert "form" not in staff.context
    assert [p.place for p in staff.context["page"]] == ["村委会"]
    assert list(client_for("outsider").get(PROBLEMS).context["page"]) == []
    with pytest.raises(DomainError, match="只能记录自己"):
        services.small_problem_record(
            user=users["staff"],
            deputy=world.deputy_a1,
            solved_on=TODAY,
            place="村委会",
            description="代为录入的记录",
        )


def test_a_deputy_helps_a_household_and_records_visits(client_for, world):
    client = client_for("deputy")
    response = client.post(AID, HOUSEHOLD)
    helped = AidHousehold.objects.get()
    assert response.url == reverse("deputies:aid_household", args=[helped.pk])
    url = reverse("deputies:aid_household", args=[helped.pk])
    client.post(url, {"visited_on": TODAY.isoformat(), "help_given": "送去米油,帮助打扫卫生"})
    assert AidVisit.objects.get().household == helped
    assert DutyRecord.objects.filter(deputy=world.deputy_a1, kind=DutyRecord.Kind.AID).count() == 2
    page = client.get(url).content.decode()
    assert "李秀英" in page and "送去米油" in page
    # Staff see the household with the head's name masked.
    staff = client_for("staff").get(url).content.decode()
    assert "李**" in staff and "李秀英" not in staff


def test_a_visit_before_the_help_began_is_refused(users, world):
    helped = household(users, world, since=TODAY - datetime.timedelta(days=3))
    with pytest.raises(DomainError, match="不能早于帮扶开始日期"):
        services.aid_visit_record(
            user=users["deputy"],
            household=helped,
            visited_on=TODAY - datetime.timedelta(days=5),
            help_given="送药",
        )
    assert not AidVisit.objects.exists()


def test_only_the_helping_deputy_records_visits(client_for, users, world):
    helped = household(users, world)
    url = reverse("deputies:aid_household", args=[helped.pk])
    other = f.make_user("deputy", "t_other_deputy", deputy=world.deputy_a2)
    with pytest.raises(DomainError, match="只能记录自己"):
        services.aid_visit_record(user=other, household=helped, visited_on=TODAY, help_given="x")
    assert client_for("outsider").get(url).status_code == 404
    assert client_for("unit").get(url).status_code == 403
    staff = client_for("staff")
    assert staff.post(url, {"visited_on": TODAY.isoformat(), "help_given": "x"}).status_code == 200
    assert not AidVisit.objects.exists()


def test_an_opinion_answered_at_the_station_grades_the_reception(users, world):
    day = f.make_reception_day(world.home_a1, TODAY, on_duty=[world.deputy_a1])
    reception = reception_log(
        user=users["keeper"],
        day=day,
        deputy=world.deputy_a1,
        voters_received=2,
        opinions=[
            {"category": "roads", "content": "村道坑洼"},
            {"category": "roads", "content": "路灯坏了"},
        ],
    )
    record = DutyRecord.objects.get(kind=DutyRecord.Kind.RECEPTION)
    first, second = Opinion.objects.filter(reception=reception).order_by("pk")
    opinion_forward(opinion=second, user=users["keeper"], unit=world.unit_a)
    record.refresh_from_db()
    assert record.grade == ""
    opinion_answer(opinion=first, user=users["keeper"], answer="已联系村委会当场安排修补")
    record.refresh_from_db()
    assert record.grade == "answered"


def test_the_new_acts_score_in_a_new_year(db):
    kinds = set(scheme_for(TODAY.year + 1).rules.values_list("kind", flat=True))
    assert {DutyRecord.Kind.SMALL_PROBLEM, DutyRecord.Kind.AID} <= kinds


def test_the_api_lists_own_records_with_the_name_masked(client_for, users, world):
    household(users, world)
    rows = client_for("deputy").get("/api/v1/aid-households/").json()["results"]
    assert [row["head_name"] for row in rows] == ["李**"]
    assert client_for("outsider").get("/api/v1/aid-households/").json()["results"] == []


def test_the_lists_queries_do_not_grow(client_for, users, world):
    household(users, world)
    services.small_problem_record(
        user=users["deputy"],
        deputy=world.deputy_a1,
        solved_on=TODAY,
        place="村委会",
        description="帮群众解决的问题",
    )
    client = client_for("staff")
    before = [count_queries(client, url) for url in (PROBLEMS, AID)]
    grow(world, 6)
    for i in range(5):
        services.small_problem_record(
            user=users["deputy"],
            deputy=world.deputy_a1,
            solved_on=TODAY,
            place=f"村{i}",
            description="帮群众解决的问题",
        )
        household(users, world, address=f"{i}组")
    assert [count_queries(client, url) for url in (PROBLEMS, AID)] == before
