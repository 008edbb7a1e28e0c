"""Every service of the suggestion lifecycle called by every role: the roles written in the
table act, every other one is refused with a DomainError by the service itself (not only by the
view) and nothing changes."""

import datetime

import pytest

from accounts.models import Role
from core.errors import DomainError
from suggestions import services as s
from suggestions.models import DeadlineExtension, Evaluation, ReplyCategory, Suggestion
from tests import factories as f

from .states import snapshot, suggestion_at

TODAY = datetime.date.today()
ROLES = [
    "admin",
    "staff",
    "member",
    "township",
    "keeper",
    "deputy",
    "unit",
    "outsider",
    "staff_b",  # committee staff of the other county
    "co_signer",  # deputy_a2, co-signed but does not lead
    "co_unit",  # a unit co-handling the suggestion
]


@pytest.fixture
def actors(users, world):
    co_unit = f.make_unit(world.county_a, "甲县财政局")
    return {
        **users,
        "staff_b": f.make_user(Role.COMMITTEE_STAFF, "t_staff_b", county=world.county_b),
        "co_signer": f.make_user(Role.DEPUTY, "t_co_signer", deputy=world.deputy_a2),
        "co_unit": f.make_user(Role.HANDLING_UNIT, "t_co_unit", handling_unit=co_unit),
    }


def _category():
    return ReplyCategory.objects.get(code="A")


def _extension(sug, actors):
    return DeadlineExtension.objects.create(
        suggestion=sug,
        round=1,
        requested_by=actors["unit"],
        requested_deadline=datetime.date(2026, 7, 31),
        reason="资金未到位",
    )


# service → (status it is called in, the call, the roles that may act)
SERVICES = {
    "create": (
        None,
        lambda u, sug, w, a: s.suggestion_create(
            user=u, lead_deputy=w.deputy_a1, title="t", content="c", category="roads"
        ),
        {"admin", "staff", "deputy"},
    ),
    "public_meeting_add": (
        "draft",
        lambda u, sug, w, a: s.public_meeting_add(
            user=u, suggestion=sug, date=TODAY, place="院坝", people_met=5, summary="x"
        ),
        {"admin", "staff", "deputy"},
    ),
    "submit": (
        "draft",
        lambda u, sug, w, a: s.suggestion_submit(user=u, suggestion=sug, version=sug.version),
        {"admin", "staff", "deputy"},
    ),
    "register": (
        "submitted",
        lambda u, sug, w, a: s.suggestion_register(user=u, suggestion=sug, version=sug.version),
        {"admin", "staff"},
    ),
    "not_register": (
        "submitted",
        lambda u, sug, w, a: s.suggestion_not_register(
            user=u, suggestion=sug, version=sug.version, reason="不属于建议"
        ),
        {"admin", "staff"},
    ),
    "convert": (
        "submitted",
        lambda u, sug, w, a: s.suggestion_convert_to_opinion(
            user=u, suggestion=sug, version=sug.version, reason="具体群众诉求"
        ),
        {"admin", "staff"},
    ),
    "assign": (
        "registered",
        lambda u, sug, w, a: s.suggestion_assign(
            user=u, suggestion=sug, version=sug.version, lead_unit=w.unit_a
        ),
        {"admin", "staff"},
    ),
    "accept": (
        "assigned",
        lambda u, sug, w, a: s.suggestion_accept(user=u, suggestion=sug, version=sug.version),
        {"unit"},
    ),
    "progress_report_add": (
        "in_handling",
        lambda u, sug, w, a: s.progress_report_add(
            user=u, suggestion=sug, date=TODAY, place="村委会", attendance=9, feedback="x"
        ),
        {"unit", "co_unit"},
    ),
    "reply": (
        "in_handling",
        lambda u, sug, w, a: s.suggestion_reply(
            user=u, suggestion=sug, version=sug.version, category=_category(), text="已办"
        ),
        {"unit"},
    ),
    "extension_request": (
        "in_handling",
        lambda u, sug, w, a: s.extension_request(
            user=u, suggestion=sug, requested_deadline=datetime.date(2026, 7, 31), reason="x"
        ),
        {"unit"},
    ),
    "extension_decide": (
        "in_handling",
        lambda u, sug, w, a: s.extension_decide(
            user=u, extension=_extension(sug, a), approve=True, version=sug.version
        ),
        {"admin", "staff"},
    ),
    "evaluation_codes_issue": (
        "replied",
        lambda u, sug, w, a: s.evaluation_codes_issue(user=u, suggestion=sug, count=2),
        {"admin", "staff", "deputy"},
    ),
    "public_evaluation_paper": (
        "replied",
        lambda u, sug, w, a: s.public_evaluation_paper(
            user=u, suggestion=sug, result=Evaluation.Result.SATISFIED
        ),
        {"admin", "staff"},
    ),
    "deputy_evaluation": (
        "replied",
        lambda u, sug, w, a: s.deputy_evaluation(
            user=u, suggestion=sug, version=sug.version, result="satisfied"
        ),
        {"admin", "staff", "deputy"},
    ),
    "close": (
        "evaluated",
        lambda u, sug, w, a: s.suggestion_close(user=u, suggestion=sug, version=sug.version),
        {"admin", "staff"},
    ),
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_each_service_is_refused_to_every_role_not_in_the_table(
    actors, world, users, service, role
):
    status, call, allowed = SERVICES[service]
    co_unit = actors["co_unit"].handling_unit
    sug = suggestion_at(world, users["staff"], status or "draft", co_unit=co_unit)
    sug.co_signers.add(world.deputy_a2)
    suggestions = Suggestion.objects.count()
    before = snapshot(sug)
    if role in allowed:
        call(actors[role], sug, world, actors)
        assert snapshot(sug) != before or Suggestion.objects.count() == suggestions + 1
        return
    with pytest.raises(DomainError) as excinfo:
        call(actors[role], sug, world, actors)
    assert excinfo.value.message.startswith("只")  # 只有… / 只能…: the role is the reason
    assert Suggestion.objects.count() == suggestions
    before.pop("extensions")  # extension_decide's extension is made for the call
    after = snapshot(sug)
    after.pop("extensions")
    assert after == before


def test_a_user_of_another_role_linked_to_a_unit_does_not_act_for_it(users, world):
    staff_with_unit = f.make_user(
        Role.COMMITTEE_STAFF, county=world.county_b, handling_unit=world.unit_a
    )
    sug = suggestion_at(world, users["staff"], "assigned")
    before = snapshot(sug)
    with pytest.raises(DomainError, match="只有主办单位"):
        s.suggestion_accept(user=staff_with_unit, suggestion=sug, version=sug.version)
    assert snapshot(sug) == before


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
