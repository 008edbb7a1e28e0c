"""The figures of the 系统状态 page, each from one query or one look at the disk or broker."""

import datetime
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Q
from django.utils import timezone

from core.models import Notification

from . import backup, checks, heartbeats
from .models import TaskFailure
from .version import portal_version

FAILURES_SHOWN = 50
MEDIA_USAGE_CACHE_SECONDS = 600


def pending_migrations() -> list[str]:
    """One query (the applied migrations); the graph is read from the code."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def recent_failures() -> tuple[int, list[TaskFailure]]:
    since = timezone.now() - datetime.timedelta(hours=24)
    failures = list(TaskFailure.objects.filter(occurred_at__gte=since)[: FAILURES_SHOWN + 1])
    if len(failures) > FAILURES_SHOWN:
        return TaskFailure.objects.filter(occurred_at__gte=since).count(), failures[:-1]
    return len(failures), failures


def notifications_today() -> dict:
    """Notifications created since local midnight by kind (reminders are notifications), and
    how many reached e-mail or SMS or failed."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    )
    rows = list(
        Notification.objects.filter(created_at__gte=midnight)
        .values("kind")
        .annotate(
            total=Count("pk"),
            emailed=Count("email_sent_at"),
            texted=Count("sms_sent_at"),
            failed=Count("pk", filter=Q(delivery_failed=True)),
        )
        .order_by("kind")
    )
    return {"by_kind": rows, "total": sum(row["total"] for row in rows)}


def media_usage() -> dict:
    """Bytes and files under MEDIA_ROOT (walked at most every ten minutes) and the disk's free
    space."""
    root = Path(settings.MEDIA_ROOT)
    usage = cache.get("operations:media-usage")
    if usage is None:
        size = files = 0
        for directory, _dirs, names in os.walk(root):
            for name in names:
                try:
                    size += os.stat(os.path.join(directory, name)).st_size
                except OSError:
                    continue
                files += 1
        usage = {"bytes": size, "files": files}
        cache.set("operations:media-usage", usage, MEDIA_USAGE_CACHE_SECONDS)
    disk = shutil.disk_usage(root if root.exists() else settings.VAR_DIR)
    return {**usage, "disk_free": disk.free, "disk_total": disk.total}


def system_status() -> dict:
    snapshot = heartbeats.snapshot()
    failure_count, failures = recent_failures()
    return {
        "version": portal_version(),
        "pending_migrations": pending_migrations(),
        "snapshot": snapshot,
        "beat": checks.check_beat(snapshot),
        "workers": checks.check_workers(snapshot),
        "queues": checks.queue_lengths(),
        "failure_count": failure_count,
        "failures": failures,
        "notifications": notifications_today(),
        "last_backup": backup.last_backup(),
        "backup_keep": settings.BACKUP_KEEP,
        "media": media_usage(),
    }
