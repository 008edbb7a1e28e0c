"""The suggestion lifecycle's transition table, read by services (to move a suggestion) and by
selectors (to offer only the actions its status allows); it lives here so that selectors never
import services."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

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


# 大会期间 / 闭会期间: a suggestion made during a session of its congress names the session.
MADE_CHOICES = [("session", _("大会期间")), ("between", _("闭会期间"))]


def made_filter(queryset: QuerySet, made: str | None) -> QuerySet:
    """Suggestions made during a session of the congress (大会期间) or between sessions."""
    if made == "session":
        return queryset.filter(session__isnull=False)
    if made == "between":
        return queryset.filter(session__isnull=True)
    return queryset
