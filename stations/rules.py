"""An opinion's transition table and who may take each step, read by services (to move an
opinion), selectors (to offer only the actions allowed now) and views; it lives here so that
selectors never import services."""

from typing import TYPE_CHECKING

from accounts.access import can

from .models import Opinion

if TYPE_CHECKING:
    from accounts.models import User

S = Opinion.Status
OPINION_TRANSITIONS = {
    "forward": ({S.RECEIVED}, S.FORWARDED),
    "answer": ({S.RECEIVED, S.FORWARDED}, S.ANSWERED),
    "close": ({S.ANSWERED}, S.CLOSED),
}


def opinion_may_handle(user: "User", opinion: Opinion, action: str) -> bool:
    """The role rule for acting on an opinion the user can see: a handling unit answers what was
    forwarded to it; staff, township staff and keepers take every action."""
    if action == "answer":
        return can(user, "opinion.answer", opinion)
    return can(user, "opinion.handle", opinion)
