"""Every (status, action) pair of the suggestion lifecycle, from a table written here: an
allowed pair moves the suggestion and writes its timeline entry; any other is refused with a
DomainError and leaves the suggestion and everything hanging from it as it was."""

import pytest

from core.errors import DomainError
from deputies.models import DutyRecord
from suggestions import services as s
from suggestions.models import Reply, ReplyCategory, Suggestion, SuggestionEvent

from .states import STATUSES, snapshot, suggestion_at

# (status, action) → the status it leads to; every pair not listed is refused.
ALLOWED = {
    ("draft", "submit"): "submitted",
    ("submitted", "register"): "registered",
    ("submitted", "not_register"): "not_registered",
    ("submitted", "convert"): "converted",
    ("registered", "assign"): "assigned",
    ("assigned", "accept"): "in_handling",
    ("assigned", "reply"): "replied",
    ("in_handling", "reply"): "replied",
    ("replied", "evaluate"): "evaluated",
    ("replied", "rehandle"): "in_handling",
    ("evaluated", "close"): "closed",
}


def _call(action, users, world, sug):
    """The action by the role it belongs to, with the version just read."""
    v = sug.version
    staff, deputy, unit = users["staff"], users["deputy"], users["unit"]
    if action == "submit":
        return s.suggestion_submit(user=deputy, suggestion=sug, version=v)
    if action == "register":
        return s.suggestion_register(user=staff, suggestion=sug, version=v)
    if action == "not_register":
        return s.suggestion_not_register(user=staff, suggestion=sug, version=v, reason="不属于建议")
    if action == "convert":
        return s.suggestion_convert_to_opinion(
            user=staff, suggestion=sug, version=v, reason="具体群众诉求"
        )
    if action == "assign":
        return s.suggestion_assign(user=staff, suggestion=sug, version=v, lead_unit=world.unit_a)
    if action == "accept":
        return s.suggestion_accept(user=unit, suggestion=sug, version=v)
    if action == "reply":
        category = ReplyCategory.objects.get(code="A")
        return s.suggestion_reply(
            user=unit, suggestion=sug, version=v, category=category, text="已办"
        )
    if action == "evaluate":
        return s.deputy_evaluation(user=deputy, suggestion=sug, version=v, result="satisfied")
    if action == "rehandle":
        return s.deputy_evaluation(user=deputy, suggestion=sug, version=v, result="unsatisfied")
    if action == "close":
        return s.suggestion_close(user=staff, suggestion=sug, version=v)
    raise AssertionError(action)


# The grade of the suggestion's duty record after each action (the quality factor of scoring).
GRADE_AFTER = {
    "submit": "submitted",
    "register": "registered",
    "not_register": "not_registered",
    "convert": "not_registered",
    "assign": "registered",
    "accept": "registered",
    "reply": "registered",
    "evaluate": "solved",  # replied with category A, which counts as solved
    "rehandle": "registered",
    "close": "satisfied",  # no reply of a solving category in the round
}

ACTIONS = sorted({action for _status, action in ALLOWED})
ACTOR = {
    "submit": "deputy",
    "register": "staff",
    "not_register": "staff",
    "convert": "staff",
    "assign": "staff",
    "accept": "unit",
    "reply": "unit",
    "evaluate": "deputy",
    "rehandle": "deputy",
    "close": "staff",
}


def test_the_table_covers_every_status_and_action():
    assert len(ACTIONS) == 10 and len(STATUSES) == 10
    assert {status for status, _action in ALLOWED} | {"not_registered", "converted", "closed"} == (
        set(STATUSES)
    )


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_status_and_action(users, world, status, action):
    # The unit's assignment exists whatever the status, so its actions are refused for the
    # status, not for a missing assignment.
    sug = suggestion_at(
        world, users["staff"], status, with_assignment=action in ("accept", "reply") or None
    )
    if status == "replied":
        Reply.objects.create(
            suggestion=sug,
            unit=world.unit_a,
            round=1,
            category=ReplyCategory.objects.get(code="A"),
            text="已硬化",
            replied_on=sug.assigned_on,
            replied_by=users["unit"],
        )
    before = snapshot(sug)
    target = ALLOWED.get((status, action))
    if target is None:
        with pytest.raises(DomainError) as excinfo:
            _call(action, users, world, sug)
        assert "不能" in excinfo.value.message
        assert snapshot(sug) == before
        return
    _call(action, users, world, sug)
    after = Suggestion.objects.get(pk=sug.pk)
    assert after.status == target
    assert after.version == sug.version + 1
    event = SuggestionEvent.objects.filter(suggestion=sug).latest("pk")
    assert (event.from_status, event.to_status, event.actor) == (
        status,
        target,
        users[ACTOR[action]],
    )
    assert SuggestionEvent.objects.filter(suggestion=sug).count() == len(before["events"]) + 1
    assert DutyRecord.objects.get(kind="suggestion", source_id=sug.pk).grade == GRADE_AFTER[action]


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
