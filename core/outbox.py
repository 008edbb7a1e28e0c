"""Enqueueing Celery tasks without losing them when the broker is down (transactional outbox).

``enqueue`` writes an OutboxMessage in the caller's transaction and tries to publish it right
after commit. If Redis is unreachable the page still answers; the row stays pending and
``relay_outbox`` (Celery beat every minute, or ``manage.py relay_outbox`` from cron) publishes it
once the broker is back. Publishing may happen twice (a crash between publish and marking), so
every task enqueued here must be idempotent: it claims its work with a conditional UPDATE or a
unique key (see core.notifications)."""

import logging
from typing import Any

from celery import current_app
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

# Fail fast when the broker is down instead of hanging the request. No result either: nothing
# reads one (a job keeps its state in its own row), and asking for one makes the Redis result
# backend subscribe before publishing, which with Redis down retries for some 20 s and then
# leaves the process's result consumer broken ("must be restarted"); scripts/fault_tests.py.
_PUBLISH_OPTIONS: dict[str, Any] = {"retry": False, "ignore_result": True}


def enqueue(task_name: str, *args, **kwargs) -> OutboxMessage:
    message = OutboxMessage.objects.create(task_name=task_name, args=list(args), kwargs=kwargs)
    transaction.on_commit(lambda: publish(message.pk))
    return message


def publish(message_id: int) -> bool:
    """Publish one pending message; True when it is (now or already) sent."""
    message = OutboxMessage.objects.filter(pk=message_id, sent_at__isnull=True).first()
    if message is None:
        return True
    try:
        task = current_app.tasks[message.task_name]
        task.apply_async(
            args=message.args, kwargs=message.kwargs, task_id=message.task_id, **_PUBLISH_OPTIONS
        )
    except Exception as exc:  # the broker's connection errors vary by transport
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        logger.warning("outbox: %s kept for later: %s", message, exc)
        return False
    OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return True


def relay_pending(limit: int = 500) -> int:
    """Publish pending messages oldest first; stops at the first failure (the broker is down)."""
    sent = 0
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).order_by("pk")
    for message_id in pending.values_list("pk", flat=True)[:limit]:
        if not publish(message_id):
            break
        sent += 1
    return sent
