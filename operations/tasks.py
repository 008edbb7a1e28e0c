import datetime

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import backup, heartbeats
from .models import Heartbeat, TaskFailure


@shared_task(name="operations.tasks.beat_heartbeat", ignore_result=True)
def beat_heartbeat() -> None:
    """Scheduled by beat every BEAT_HEARTBEAT_SECONDS: its timestamp is beat's last tick. A dead
    beat is the failure nobody sees (reminders silently stop); /readyz and the status page do."""
    heartbeats.record(heartbeats.BEAT)


@shared_task(name="operations.tasks.prune_operations_records")
def prune_operations_records() -> dict[str, int]:
    """Failed-task records older than TASK_FAILURE_RETENTION_DAYS and heartbeats of workers gone
    for a week (a renamed host) are deleted."""
    now = timezone.now()
    failures, _ = TaskFailure.objects.filter(
        occurred_at__lt=now - datetime.timedelta(days=settings.TASK_FAILURE_RETENTION_DAYS)
    ).delete()
    workers, _ = Heartbeat.objects.filter(
        name__startswith=heartbeats.WORKER_PREFIX, at__lt=now - datetime.timedelta(days=7)
    ).delete()
    return {"failures": failures, "workers": workers}


@shared_task(name="operations.tasks.nightly_backup", acks_late=True)
def nightly_backup() -> str:
    """The nightly archive into BACKUP_DIR, then only the newest BACKUP_KEEP are kept."""
    path = backup.create_backup()
    backup.prune_backups(keep=settings.BACKUP_KEEP)
    return str(path)
