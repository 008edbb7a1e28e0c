"""Opinions and small wishes: every (status, action) pair from a table written here — an allowed
pair moves the record and writes its trace (the opinion's event, the wish's claim or the duty
record of its fulfilment); any other pair is refused with a DomainError and changes nothing. And
every action called by every role: the roles of the table act, the others are refused."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType

from core.errors import DomainError
from deputies.models import DutyRecord
from stations.models import Opinion, OpinionEvent, SmallWish
from stations.services.opinions import opinion_answer, opinion_close, opinion_forward
from stations.services.wishes import wish_claim, wish_create, wish_fulfill

TODAY = datetime.date.today()
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider"]


def _opinion(world, status, *, unit=None) -> Opinion:
    return Opinion.objects.create(
        channel=Opinion.Channel.MAILBOX,
        county=world.county_a,
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="村道破损",
        status=status,
        handling_unit=unit,
    )


def _opinion_state(opinion) -> dict:
    return {
        "row": Opinion.objects.filter(pk=opinion.pk).values().get(),
        "events": list(OpinionEvent.objects.filter(opinion=opinion).values()),
    }


OPINION_ALLOWED = {
    ("received", "forward"): "forwarded",
    ("received", "answer"): "answered",
    ("forwarded", "answer"): "answered",
    ("answered", "close"): "closed",
}
OPINION_STATUSES = ["received", "forwarded", "answered", "closed"]


def _opinion_call(action, user, opinion, world):
    if action == "forward":
        return opinion_forward(opinion=opinion, user=user, unit=world.unit_a)
    if action == "answer":
        return opinion_answer(opinion=opinion, user=user, answer="已修复")
    return opinion_close(opinion=opinion, user=user)


@pytest.mark.parametrize("status", OPINION_STATUSES)
@pytest.mark.parametrize("action", ["forward", "answer", "close"])
def test_every_opinion_status_and_action(users, world, status, action):
    opinion = _opinion(world, status, unit=world.unit_a if status != "received" else None)
    before = _opinion_state(opinion)
    target = OPINION_ALLOWED.get((status, action))
    if target is None:
        with pytest.raises(DomainError, match="不能"):
            _opinion_call(action, users["keeper"], opinion, world)
        assert _opinion_state(opinion) == before
        return
    _opinion_call(action, users["keeper"], opinion, world)
    opinion.refresh_from_db()
    assert opinion.status == target
    event = OpinionEvent.objects.filter(opinion=opinion).get()
    assert (event.from_status, event.to_status, event.actor) == (status, target, users["keeper"])


# who may take each action on an opinion of station home_a1 (township A1), forwarded to unit_a
OPINION_ACTORS = {
    "forward": {"admin", "staff", "township", "keeper"},
    "answer": {"admin", "staff", "township", "keeper", "unit"},
    "close": {"admin", "staff", "township", "keeper"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["forward", "answer", "close"])
def test_every_role_on_every_opinion_action(users, world, role, action):
    status = {"forward": "received", "answer": "forwarded", "close": "answered"}[action]
    opinion = _opinion(world, status, unit=world.unit_a)
    before = _opinion_state(opinion)
    if role in OPINION_ACTORS[action]:
        _opinion_call(action, users[role], opinion, world)
        assert OpinionEvent.objects.get(opinion=opinion).actor == users[role]
        return
    with pytest.raises(DomainError, match="无权"):
        _opinion_call(action, users[role], opinion, world)
    assert _opinion_state(opinion) == before


def test_a_unit_answers_only_what_was_forwarded_to_it(users, world):
    opinion = _opinion(world, "forwarded", unit=world.unit_b)
    with pytest.raises(DomainError, match="无权"):
        opinion_answer(opinion=opinion, user=users["unit"], answer="x")
    assert Opinion.objects.get(pk=opinion.pk).status == "forwarded"


# Small wishes ----------------------------------------------------------------------------------


def _wish(world, users, status) -> SmallWish:
    claimed = status != "open"
    return SmallWish.objects.create(
        station=world.home_a1,
        person_name="欧阳春花",
        content="一台轮椅",
        status=status,
        claimed_by=world.deputy_a1 if claimed else None,
        created_by=users["keeper"],
    )


def _wish_state(wish) -> dict:
    source = {"source_type": ContentType.objects.get_for_model(SmallWish), "source_id": wish.pk}
    return {
        "row": SmallWish.objects.filter(pk=wish.pk).values().get(),
        "records": list(DutyRecord.objects.filter(**source).values()),
    }


WISH_ALLOWED = {("open", "claim"): "claimed", ("claimed", "fulfill"): "fulfilled"}


def _wish_call(action, user, wish, world):
    if action == "claim":
        return wish_claim(user=user, wish=wish, deputy=world.deputy_a1)
    return wish_fulfill(user=user, wish=wish, fulfilled_on=TODAY, note="已送到")


@pytest.mark.parametrize("status", ["open", "claimed", "fulfilled"])
@pytest.mark.parametrize("action", ["claim", "fulfill"])
def test_every_wish_status_and_action(users, world, status, action):
    wish = _wish(world, users, status)
    before = _wish_state(wish)
    target = WISH_ALLOWED.get((status, action))
    if target is None:
        with pytest.raises(DomainError):
            _wish_call(action, users["keeper"], wish, world)
        assert _wish_state(wish) == before
        return
    _wish_call(action, users["keeper"], wish, world)
    wish.refresh_from_db()
    assert wish.status == target and wish.claimed_by == world.deputy_a1
    if action == "claim":
        assert wish.claimed_at is not None
    else:
        record = DutyRecord.objects.get(kind="small_wish", source_id=wish.pk)
        assert (record.deputy, record.occurred_on) == (world.deputy_a1, TODAY)
        assert wish.fulfilled_on == TODAY and wish.fulfillment_note == "已送到"


# Who may record, claim (for deputy_a1, stationed at home_a1) and fulfil a wish of home_a1.
WISH_ACTORS = {
    "create": {"admin", "staff", "township", "keeper", "deputy"},
    "claim": {"admin", "staff", "township", "keeper", "deputy"},
    "fulfill": {"admin", "staff", "township", "keeper", "deputy"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["create", "claim", "fulfill"])
def test_every_role_on_every_wish_action(users, world, role, action):
    wish = _wish(world, users, {"create": "open", "claim": "open", "fulfill": "claimed"}[action])
    before, wishes = _wish_state(wish), SmallWish.objects.count()
    user = users[role]
    if action == "create":
        call = lambda: wish_create(  # noqa: E731
            user=user, station=world.home_a1, person_name="李四", content="一袋米"
        )
    else:
        call = lambda: _wish_call(action, user, wish, world)  # noqa: E731
    if role in WISH_ACTORS[action]:
        call()
        assert _wish_state(wish) != before or SmallWish.objects.count() == wishes + 1
        return
    with pytest.raises(DomainError, match="只"):
        call()
    assert _wish_state(wish) == before and SmallWish.objects.count() == wishes


def test_a_deputy_claims_only_for_themselves_and_fulfils_only_their_own(users, world):
    wish = _wish(world, users, "open")
    with pytest.raises(DomainError):
        wish_claim(user=users["deputy"], wish=wish, deputy=world.deputy_a1_liaison)
    wish = _wish(world, users, "claimed")
    SmallWish.objects.filter(pk=wish.pk).update(claimed_by=world.deputy_a1_liaison)
    wish.refresh_from_db()
    with pytest.raises(DomainError):
        wish_fulfill(user=users["deputy"], wish=wish, fulfilled_on=TODAY, note="x")
    assert SmallWish.objects.get(pk=wish.pk).status == "claimed"


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
