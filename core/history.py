"""A record's change history (django-auditlog) for the pages of users allowed to read it."""

from typing import TYPE_CHECKING

from auditlog.models import LogEntry

if TYPE_CHECKING:
    from accounts.models import User

HISTORY_LIMIT = 20


def history_for(user: "User", obj) -> list[LogEntry] | None:
    """The latest entries for ``obj``, or None when the user may not read the audit trail."""
    if not user.has_perm("auditlog.view_logentry"):
        return None
    return list(LogEntry.objects.get_for_object(obj).select_related("actor")[:HISTORY_LIMIT])
