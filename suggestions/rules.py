"""The suggestion lifecycle's transition table, read by services (to move a suggestion) and by
selectors (to offer only the actions its status allows); it lives here so that selectors never
import services."""

from .models import Suggestion

S = Suggestion.Status
TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "submit": ({S.DRAFT}, S.SUBMITTED),
    "register": ({S.SUBMITTED}, S.REGISTERED),
    "not_register": ({S.SUBMITTED}, S.NOT_REGISTERED),
    "convert": ({S.SUBMITTED}, S.CONVERTED),
    "assign": ({S.REGISTERED}, S.ASSIGNED),
    "accept": ({S.ASSIGNED}, S.IN_HANDLING),
    # 改办 agreed: the new lead unit starts from assignment.
    "reassign": ({S.ASSIGNED, S.IN_HANDLING}, S.ASSIGNED),
    "reply": ({S.ASSIGNED, S.IN_HANDLING}, S.REPLIED),
    "evaluate": ({S.REPLIED}, S.EVALUATED),
    "rehandle": ({S.REPLIED}, S.IN_HANDLING),
    "close": ({S.EVALUATED}, S.CLOSED),
}
