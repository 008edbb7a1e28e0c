"""Reminders and notifications are idempotent, and enqueueing survives a broker outage."""

import pytest
from django.core import mail
from django.db import transaction
from kombu import pools

from congress_portal.celery import app
from core.models import Notification, OutboxMessage
from core.notifications import deliver, notify
from core.outbox import enqueue, relay_pending
from core.tasks import deliver_notification

SENT_SMS: list[tuple[str, str]] = []


class RecordingSmsBackend:
    fail_next = False

    def send(self, phone, text):
        if RecordingSmsBackend.fail_next:
            RecordingSmsBackend.fail_next = False
            raise ConnectionError("SMS gateway dropped the connection")
        SENT_SMS.append((phone, text))


@pytest.fixture(autouse=True)
def recording_sms(settings):
    settings.SMS_BACKEND = "tests.core.test_notifications_and_outbox.RecordingSmsBackend"
    SENT_SMS.clear()
    RecordingSmsBackend.fail_next = False
    yield SENT_SMS


@pytest.fixture
def deputy_user(users):
    user = users["deputy"]
    user.email = "deputy@example.gov.cn"
    user.save(update_fields=["email"])
    return user


def test_notify_creates_one_notification_per_key_and_delivers_it(
    deputy_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            recipient=deputy_user, kind="reception", title="接待日提醒", dedupe_key="r:1"
        )
        second = notify(
            recipient=deputy_user, kind="reception", title="接待日提醒", dedupe_key="r:1"
        )
    assert first is not None and second is None
    assert Notification.objects.filter(dedupe_key="r:1").count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["deputy@example.gov.cn"]
    assert [(deputy_user.deputy.phone, "接待日提醒")] == SENT_SMS
    first.refresh_from_db()
    assert first.email_sent_at and first.sms_sent_at


def test_a_redelivered_task_sends_nothing_twice(deputy_user):
    notification = Notification.objects.create(
        recipient=deputy_user, kind="x", title="t", dedupe_key="k"
    )
    for _ in range(2):  # the broker hands the same message out again
        deliver_notification.apply(args=[notification.pk], task_id="same-id")
    assert len(mail.outbox) == 1 and len(SENT_SMS) == 1


def test_a_delivery_that_dies_mid_way_is_completed_once_by_the_retry(deputy_user):
    notification = Notification.objects.create(
        recipient=deputy_user, kind="x", title="t", dedupe_key="k"
    )
    RecordingSmsBackend.fail_next = True  # the worker loses the SMS gateway after the e-mail
    with pytest.raises(ConnectionError):
        deliver(notification.pk)
    notification.refresh_from_db()
    assert notification.email_sent_at is not None and notification.sms_sent_at is None
    assert deliver(notification.pk) == {"email": False, "sms": True}
    assert len(mail.outbox) == 1 and len(SENT_SMS) == 1


def test_delivery_gives_up_after_its_retries_and_marks_the_failure(deputy_user, settings):
    notification = Notification.objects.create(
        recipient=deputy_user, kind="x", title="t", dedupe_key="k"
    )
    settings.SMS_BACKEND = "tests.core.test_notifications_and_outbox.BrokenSmsBackend"
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    result = deliver_notification.apply(
        args=[notification.pk], retries=deliver_notification.max_retries
    )
    assert result.failed()
    notification.refresh_from_db()
    assert notification.delivery_failed and "gateway down" in notification.delivery_error


class BrokenSmsBackend:
    def send(self, phone, text):
        raise ConnectionError("gateway down")


def _drop_broker_connections():
    """Forget pooled connections so the next publish connects to the (changed) broker URL; this
    is what Celery itself does in a forked worker."""
    pools.reset()
    app._after_fork()


def test_enqueue_while_the_broker_is_down_keeps_the_task_and_relays_it_later(
    deputy_user, django_capture_on_commit_callbacks
):
    notification = Notification.objects.create(
        recipient=deputy_user, kind="x", title="t", dedupe_key="k"
    )
    previous = (app.conf.get("broker_write_url"), app.conf.task_always_eager)
    app.conf.task_always_eager = False
    # Publishing uses the write URL (the broker_url setting yields to $CELERY_BROKER_URL).
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens there
    _drop_broker_connections()
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            message = enqueue("core.tasks.deliver_notification", notification.pk)
        message.refresh_from_db()
        assert message.sent_at is None and message.attempts == 1 and message.last_error
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = previous
        _drop_broker_connections()
    assert len(mail.outbox) == 0
    # The broker is back: the periodic relay publishes it (eager here, so it also runs).
    assert relay_pending() == 1
    assert OutboxMessage.objects.get(pk=message.pk).sent_at is not None
    assert len(mail.outbox) == 1
    assert relay_pending() == 0  # nothing is sent twice


def test_publishing_asks_for_no_result_so_redis_down_cannot_stall_the_request(
    deputy_user, django_capture_on_commit_callbacks, monkeypatch
):
    """With the Redis result backend, asking for a result subscribes to it before publishing;
    while Redis is down that retried for ~20 s per task and then broke the process's result
    consumer for good (scripts/fault_tests.py, Redis stopped for 60 s). Nothing reads the
    results of the outbox's tasks, so the publish asks for none."""
    subscribed = []
    monkeypatch.setattr(
        type(app.backend),
        "on_task_call",
        lambda self, producer, task_id: subscribed.append(task_id),
        raising=False,
    )
    notification = Notification.objects.create(
        recipient=deputy_user, kind="x", title="t", dedupe_key="k"
    )
    previous = (app.conf.get("broker_write_url"), app.conf.task_always_eager)
    app.conf.task_always_eager = False
    app.conf.broker_write_url = "redis://127.0.0.1:1/0"  # nothing listens there
    _drop_broker_connections()
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            enqueue("core.tasks.deliver_notification", notification.pk)
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = previous
        _drop_broker_connections()
    assert subscribed == []


def test_user_reads_own_notifications_and_marks_them_read(client_for, users, world):
    notify(recipient=users["deputy"], kind="x", title="请参加12月接待日", dedupe_key="a")
    notify(recipient=users["staff"], kind="x", title="别人的通知", dedupe_key="b")
    client = client_for("deputy")
    html = client.get("/notifications/").content.decode()
    assert "请参加12月接待日" in html and "别人的通知" not in html
    client.post("/notifications/read/")
    assert not Notification.objects.filter(recipient=users["deputy"], read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=users["staff"], read_at__isnull=True).exists()
