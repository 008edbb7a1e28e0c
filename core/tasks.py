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


@shared_task(name="core.tasks.relay_outbox")
def relay_outbox() -> int:
    """Every minute: publish what was enqueued while the broker was unreachable."""
    from core.outbox import relay_pending

    return relay_pending()


@shared_task(
    bind=True,
    name="core.tasks.deliver_notification",
    max_retries=5,
    default_retry_delay=60,
)
def deliver_notification(self, notification_id: int) -> dict:
    from core.models import Notification
    from core.notifications import deliver

    try:
        return deliver(notification_id)
    except Notification.DoesNotExist:
        return {}
    except Exception as exc:
        if self.request.retries >= self.max_retries:
            Notification.objects.filter(pk=notification_id).update(
                delivery_failed=True, delivery_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
            raise
        raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc


@shared_task(bind=True, name="core.tasks.run_export", acks_late=True, max_retries=None)
def run_export(self, job_id: str) -> str:
    """An export queued by a page (core.exports); claiming the job makes a repeat a no-op.

    Acknowledged late and rejected back to the queue when its worker process is lost
    (CELERY_TASK_REJECT_ON_WORKER_LOST): the redelivered task finds the job still held by the
    dead run's lease and tries again once the lease would have lapsed, then takes the job over.
    While the holder is alive it keeps renewing, so a duplicate ends when the job is done."""
    from core.exports import lease_remaining
    from core.exports import run_export as run

    outcome = run(job_id)
    if outcome == "skipped":
        wait = lease_remaining(job_id)
        if wait is not None:
            raise self.retry(countdown=wait + 1)
    return outcome


@shared_task(name="core.tasks.purge_expired_exports")
def purge_expired_exports() -> int:
    """Hourly: delete exports past their expiry, with their files."""
    from core.exports import purge_expired

    return purge_expired()
