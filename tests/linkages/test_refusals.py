"""三联 services called by every role: pairing is for the county's staff; a contact is logged by
the paired member or staff; linked voters are kept by the deputy or the station's keepers; a key
project's problems by its leader or staff. Every other role is refused and nothing is written."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from linkages import services
from linkages.models import (
    KeyProject,
    MemberContact,
    MemberLink,
    ProjectProblem,
    Voter,
    VoterContact,
)
from tests import factories as f

TODAY = timezone.localdate()
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "staff_b"]
STAFF = {"admin", "staff"}
MANAGERS = {"admin", "staff", "township", "keeper"}
ALLOWED = {
    "member_link_create": STAFF,
    "member_contact_log": STAFF | {"member"},
    "voter_add": MANAGERS | {"deputy"},
    "voter_contact_log": MANAGERS | {"deputy"},
    "problem_add": STAFF | {"member"},
    "problem_update": STAFF | {"member"},
}


def _calls(world, users):
    other_member = f.make_user(Role.COMMITTEE_MEMBER, county=world.county_a)
    link = MemberLink.objects.create(
        member=users["member"], deputy=world.deputy_a1, started_on=TODAY
    )
    voter = Voter.objects.create(deputy=world.deputy_a1, name="欧阳春花", phone="13812345678")
    project = KeyProject.objects.create(
        county=world.county_a, name="污水管网", leader=users["member"], started_on=TODAY
    )
    problem = ProjectProblem.objects.create(
        project=project, description="资金", raised_on=TODAY, updated_by=users["member"]
    )
    yesterday = TODAY - datetime.timedelta(days=1)
    return {
        "member_link_create": lambda u: services.member_link_create(
            user=u, member=other_member, deputy=world.deputy_a2, started_on=TODAY
        ),
        "member_contact_log": lambda u: services.member_contact_log(
            user=u, link=link, date=yesterday, mode="visit", summary="面谈"
        ),
        "voter_add": lambda u: services.voter_add(user=u, deputy=world.deputy_a1, name="李四"),
        "voter_contact_log": lambda u: services.voter_contact_log(
            user=u, voter=voter, date=yesterday, mode="visit", summary="走访"
        ),
        "problem_add": lambda u: services.problem_add(
            user=u, project=project, description="用地", raised_on=TODAY
        ),
        "problem_update": lambda u: services.problem_update(
            user=u, problem=problem, status="coordinating"
        ),
    }


def _state() -> dict:
    models = (MemberLink, MemberContact, Voter, VoterContact, ProjectProblem)
    return {m.__name__: list(m.objects.values()) for m in models}


@pytest.mark.parametrize("service", list(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_linkage_service(users, world, service, role):
    actors = {**users, "staff_b": f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)}
    call = _calls(world, users)[service]
    if role in ALLOWED[service]:
        call(actors[role])
        return
    before = _state()
    with pytest.raises(DomainError, match="只"):
        call(actors[role])
    assert _state() == before


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
