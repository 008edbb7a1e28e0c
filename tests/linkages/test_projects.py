"""常委会领导联系重点项目: the leader records and follows the project's problems to a solution."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from linkages.models import KeyProject, ProjectProblem
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
LIST = reverse("linkages:projects")


@pytest.fixture
def project(users, world):
    return KeyProject.objects.create(
        county=world.county_a,
        name="城区污水管网改造",
        leader=users["member"],
        started_on=TODAY - datetime.timedelta(days=100),
    )


def detail(project) -> str:
    return reverse("linkages:project_detail", args=[project.pk])


def update(client, problem, **data):
    prefix = f"p{problem.pk}"
    return client.post(
        reverse("linkages:problem_update", args=[problem.pk]),
        {f"{prefix}-{key}": value for key, value in data.items()},
    )


def test_the_leader_records_a_problem_and_solves_it(client_for, project):
    leader = client_for("member")
    response = leader.post(
        detail(project), {"description": "管线迁改需协调电力部门", "raised_on": TODAY.isoformat()}
    )
    assert response.status_code == 302
    problem = ProjectProblem.objects.get()
    update(leader, problem, status="coordinating", resolution="", solved_on="")
    problem.refresh_from_db()
    assert problem.status == "coordinating"
    update(
        leader, problem, status="solved", resolution="召开协调会,电力部门完成迁改", solved_on=TODAY
    )
    problem.refresh_from_db()
    assert problem.status == "solved" and problem.solved_on == TODAY
    page = client_for("staff").get(LIST)
    assert page.context["figures"] == {"projects": 1, "problems": 1, "solved": 1}


def test_solving_needs_how_and_when(client_for, project, users):
    problem = ProjectProblem.objects.create(
        project=project, description="资金缺口", raised_on=TODAY, updated_by=users["member"]
    )
    leader = client_for("member")
    refused = update(leader, problem, status="solved", resolution="", solved_on=TODAY)
    assert "怎样解决" in " ".join(str(m) for m in get_messages(refused.wsgi_request))
    early = TODAY - datetime.timedelta(days=5)
    refused = update(leader, problem, status="solved", resolution="已解决", solved_on=early)
    assert "提出日期和今天之间" in " ".join(str(m) for m in get_messages(refused.wsgi_request))
    problem.refresh_from_db()
    assert problem.status == "open" and problem.solved_on is None


def test_a_future_problem_date_is_refused_on_the_form(client_for, project):
    # Today when the test runs, not when the module was imported (a run crossing midnight in
    # Asia/Shanghai made the module's "tomorrow" today).
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for("member").post(
        detail(project), {"description": "x", "raised_on": tomorrow}
    )
    assert "不能晚于今天" in response.content.decode() and not ProjectProblem.objects.exists()


@pytest.mark.parametrize("role", ["township", "keeper", "deputy"])
def test_others_read_but_do_not_edit(client_for, project, users, role):
    problem = ProjectProblem.objects.create(
        project=project, description="资金缺口", raised_on=TODAY, updated_by=users["member"]
    )
    client = client_for(role)
    assert client.get(detail(project)).status_code == 200
    assert client.post(detail(project), {"description": "x"}).status_code == 403
    assert update(client, problem, status="solved").status_code == 403


def test_another_countys_project_is_404_and_units_are_refused(client_for, world):
    other_leader = f.make_user("committee_member", "t_member_b", county=world.county_b)
    other = KeyProject.objects.create(
        county=world.county_b, name="乙县项目", leader=other_leader, started_on=TODAY
    )
    assert client_for("staff").get(detail(other)).status_code == 404
    assert client_for("unit").get(LIST).status_code == 403


def test_the_list_query_count_does_not_grow(client_for, project, users, world):
    client = client_for("staff")
    before = count_queries(client, LIST)
    for i in range(5):
        extra = KeyProject.objects.create(
            county=world.county_a, name=f"项目{i}", leader=users["member"], started_on=TODAY
        )
        ProjectProblem.objects.create(
            project=extra, description="x", raised_on=TODAY, updated_by=users["member"]
        )
    assert count_queries(client, LIST) == before
