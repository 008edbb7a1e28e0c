"""Celery wiring: the periodic task is scheduled, runs eagerly in tests, and makes a real round
trip through a worker on the configured broker (Redis in CI, in-memory otherwise)."""

import datetime
import time

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from congress_portal.celery import app
from core.tasks import clear_expired_sessions


def _sessions(expired: int, live: int) -> None:
    for i in range(expired + live):
        store = SessionStore()
        store["n"] = i
        store.create()
        if i < expired:
            Session.objects.filter(pk=store.session_key).update(
                expire_date=timezone.now() - datetime.timedelta(days=1)
            )


def test_clear_expired_sessions_is_scheduled_nightly():
    entry = settings.CELERY_BEAT_SCHEDULE["clear-expired-sessions"]
    assert entry["task"] == clear_expired_sessions.name
    assert entry["task"] in app.tasks


def test_clear_expired_sessions_deletes_only_expired_and_is_idempotent(db):
    _sessions(expired=3, live=2)
    assert clear_expired_sessions.delay().get() == 3
    assert clear_expired_sessions.delay().get() == 0
    assert Session.objects.count() == 2


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_round_trip_through_a_real_worker():
    from celery.contrib.testing.worker import start_worker

    _sessions(expired=2, live=1)
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            result = clear_expired_sessions.delay()
            assert result.get(timeout=30) == 2
    finally:
        app.conf.task_always_eager = True
    assert Session.objects.count() == 1
    broker = app.conf.broker_url
    expected = "redis" if "redis" in (settings.CELERY_BROKER_URL or "") else "memory"
    assert broker.startswith(expected)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_notification_goes_through_the_outbox_and_a_real_worker(world, users):
    from celery.contrib.testing.worker import start_worker
    from django.core import mail

    from core.models import Notification, OutboxMessage
    from core.notifications import notify

    user = users["staff"]
    user.email = "staff@example.gov.cn"
    user.save(update_fields=["email"])
    app.conf.task_always_eager = False
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            notification = notify(recipient=user, kind="test", title="往返测试", dedupe_key="rt")
            for _ in range(200):
                notification.refresh_from_db()
                if notification.email_sent_at:
                    break
                time.sleep(0.1)
    finally:
        app.conf.task_always_eager = True
    assert notification.email_sent_at is not None
    assert OutboxMessage.objects.get().sent_at is not None
    assert [m.subject for m in mail.outbox] == ["往返测试"]
    assert Notification.objects.count() == 1
