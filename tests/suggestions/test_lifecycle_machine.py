"""The suggestion lifecycle driven by Hypothesis: random actions by random actors (every role,
sometimes with a stale version), and after every step the invariants — a closed suggestion
stays closed, deadlines never move backwards within a round, versions only increase, only the
roles of the table act and a refused action changes nothing."""

import datetime

from django.db import transaction
from django.utils import timezone
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from accounts.models import Role
from core.errors import DomainError
from suggestions import services as s
from suggestions.models import DeadlineExtension, ReplyCategory, Suggestion, SuggestionEvent
from tests import factories as f

from .states import snapshot
from .test_state_table import ALLOWED

# action → the actors who may take it (the table of who acts, written here).
ACTORS = {
    "submit": {"admin", "staff", "deputy"},
    "register": {"admin", "staff"},
    "not_register": {"admin", "staff"},
    "convert": {"admin", "staff"},
    "assign": {"admin", "staff"},
    "accept": {"unit"},
    "reply": {"unit"},
    "evaluate": {"admin", "staff", "deputy"},
    "rehandle": {"admin", "staff", "deputy"},
    "close": {"admin", "staff"},
}
ROLES = sorted(
    {"admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "co_unit"}
)
IN_HANDLING = {"assigned", "in_handling"}


class Lifecycle(RuleBasedStateMachine):
    seen: set[str] = set()  # the statuses the runs reached, over all of them

    def __init__(self, world, actors):
        super().__init__()
        self.world, self.actors = world, actors
        # Each run in a savepoint of the test's transaction, rolled back at its end.
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        deputy = actors["deputy"]
        self.sug = s.suggestion_create(
            user=deputy,
            lead_deputy=world.deputy_a1,
            title="关于硬化三组村道的建议",
            content="三组村道雨天泥泞。",
            category="roads",
        )
        s.public_meeting_add(
            user=deputy,
            suggestion=self.sug,
            date=timezone.localdate(),
            place="院坝",
            people_met=12,
            summary="x",
        )
        self.status, self.version, self.deadline, self.deadline_round = "draft", 1, None, 1
        self.events = 1
        self.seen = Lifecycle.seen

    def teardown(self):
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)

    def _fresh(self) -> Suggestion:
        return Suggestion.objects.get(pk=self.sug.pk)

    def _call(self, action: str, user, version: int):
        sug = self._fresh()
        w = self.world
        if action == "submit":
            return s.suggestion_submit(user=user, suggestion=sug, version=version)
        if action == "register":
            return s.suggestion_register(user=user, suggestion=sug, version=version)
        if action == "not_register":
            return s.suggestion_not_register(
                user=user, suggestion=sug, version=version, reason="不属于建议"
            )
        if action == "convert":
            return s.suggestion_convert_to_opinion(
                user=user, suggestion=sug, version=version, reason="具体群众诉求"
            )
        if action == "assign":
            co = self.actors["co_unit"].handling_unit
            return s.suggestion_assign(
                user=user, suggestion=sug, version=version, lead_unit=w.unit_a, co_units=[co]
            )
        if action == "accept":
            return s.suggestion_accept(user=user, suggestion=sug, version=version)
        if action == "reply":
            return s.suggestion_reply(
                user=user,
                suggestion=sug,
                version=version,
                category=ReplyCategory.objects.get(code="B"),
                text="正在办理",
            )
        if action in ("evaluate", "rehandle"):
            result = "satisfied" if action == "evaluate" else "unsatisfied"
            return s.deputy_evaluation(user=user, suggestion=sug, version=version, result=result)
        return s.suggestion_close(user=user, suggestion=sug, version=version)

    @rule(action=st.sampled_from(sorted(ACTORS)), role=st.sampled_from(ROLES), stale=st.booleans())
    def act(self, action, role, stale):
        target = ALLOWED.get((self.status, action))
        succeeds = target is not None and role in ACTORS[action] and not stale
        before = snapshot(self.sug)
        version = self.version - 1 if stale else self.version
        try:
            self._call(action, self.actors[role], version)
        except DomainError:
            assert not succeeds, (self.status, action, role)
            assert snapshot(self.sug) == before
            return
        assert succeeds, (self.status, action, role, stale)
        self.status, self.version, self.events = target, self.version + 1, self.events + 1
        event = SuggestionEvent.objects.filter(suggestion=self.sug).latest("pk")
        assert (event.to_status, event.actor) == (target, self.actors[role])

    @rule(data=st.data())
    def advance(self, data):
        """A step the table allows, by an actor it allows: the lifecycle moves on (random steps
        alone are nearly all refused)."""
        actions = sorted(a for (status, a) in ALLOWED if status == self.status)
        if not actions:  # not registered, converted, closed: nothing moves it any more
            return
        action = data.draw(st.sampled_from(actions))
        self.act(action, data.draw(st.sampled_from(sorted(ACTORS[action]))), stale=False)

    @rule(
        role=st.sampled_from(ROLES),
        approver=st.sampled_from(ROLES),
        days=st.integers(min_value=-5, max_value=60),
        approve=st.booleans(),
    )
    def extend(self, role, approver, days, approve):
        sug = self._fresh()
        until = (sug.deadline or datetime.date(2026, 1, 1)) + datetime.timedelta(days=days)
        asked = role == "unit" and self.status in IN_HANDLING and days > 0
        try:
            extension = s.extension_request(
                user=self.actors[role], suggestion=sug, requested_deadline=until, reason="资金"
            )
        except DomainError:
            assert not asked, (self.status, role, days)
            assert not DeadlineExtension.objects.filter(suggestion=sug, status="pending").exists()
            return
        assert asked, (self.status, role, days)
        decided = approver in ("admin", "staff")
        try:
            s.extension_decide(
                user=self.actors[approver],
                extension=extension,
                approve=approve,
                version=sug.version,
            )
        except DomainError:
            assert not decided
            assert DeadlineExtension.objects.get(pk=extension.pk).status == "pending"
            extension.delete()
            return
        assert decided
        if approve:
            self.version, self.events = self.version + 1, self.events + 1
            assert self._fresh().deadline == until

    @invariant()
    def invariants(self):
        self.seen.add(self.status)
        sug = self._fresh()
        assert sug.status == self.status  # a closed one among them: it stays closed
        assert sug.version == self.version  # up by one for each step taken, never down
        # Deadlines never move backwards within a round; a re-handling round has its own,
        # shorter period, which may end before the first one did.
        if self.deadline is not None and sug.round == self.deadline_round:
            assert sug.deadline >= self.deadline
        self.deadline, self.deadline_round = sug.deadline, sug.round
        assert SuggestionEvent.objects.filter(suggestion=sug).count() == self.events
        for assignment in sug.assignments.filter(round=sug.round):
            assert assignment.deadline == sug.deadline


def test_the_lifecycle_keeps_its_invariants_whoever_acts(users, world):
    co_unit = f.make_unit(world.county_a, "甲县财政局")
    actors = {
        **users,
        "co_unit": f.make_user(Role.HANDLING_UNIT, "t_co_unit", handling_unit=co_unit),
    }
    run_state_machine_as_test(
        lambda: Lifecycle(world, actors),
        settings=settings(max_examples=15, stateful_step_count=20),
    )
    # The runs went through the whole lifecycle, not only the first steps.
    assert {"submitted", "in_handling", "replied", "evaluated", "closed"} <= Lifecycle.seen
