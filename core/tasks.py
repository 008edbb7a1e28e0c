from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Nightly: delete expired sessions (what `manage.py clearsessions` does), returning the count.
    Deleting by a condition makes a second run a no-op."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted


@shared_task(name="core.tasks.prune_audit_trail")
def prune_audit_trail() -> dict[str, int]:
    """Daily: delete audit and personal-data access entries older than AUDIT_RETENTION_DAYS, which
    the settings never let fall below 183 days (等保: logs kept at least six months)."""
    from datetime import timedelta

    from auditlog.models import LogEntry
    from django.conf import settings

    from core.models import PersonalDataAccess

    days = max(settings.AUDIT_RETENTION_DAYS, 183)
    cutoff = timezone.now() - timedelta(days=days)
    audit, _ = LogEntry.objects.filter(timestamp__lt=cutoff).delete()
    access, _ = PersonalDataAccess.objects.filter(at__lt=cutoff).delete()
    return {"audit_entries": audit, "access_entries": access}
