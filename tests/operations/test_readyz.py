"""/readyz: 200 when database, cache, broker, a worker per queue and beat are alive; 503 naming
what is down. /healthz stays the cheap database check."""

import datetime
from types import SimpleNamespace
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.utils import timezone
from kombu import Connection

from congress_portal.celery import app
from operations import heartbeats
from operations.models import Heartbeat
from operations.signals import WorkerHeartbeat
from operations.tasks import beat_heartbeat


def _alive(*, queues=("default", "bulk"), beat_age=0):
    heartbeats.record("worker:w1@portal", {"queues": list(queues)})
    if beat_age is not None:
        Heartbeat.objects.update_or_create(
            name="beat",
            defaults={"at": timezone.now() - datetime.timedelta(seconds=beat_age)},
        )


def test_everything_alive_answers_200_with_details(db, client):
    _alive()
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["down"] == []
    assert set(body["checks"]) == {"database", "cache", "broker", "workers", "beat"}
    assert body["checks"]["workers"] == {"ok": True, "alive": 1}
    assert body["checks"]["beat"]["last_tick"]


def test_a_dead_beat_is_named(db, client):
    _alive(beat_age=3 * settings.BEAT_HEARTBEAT_SECONDS + 5)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["beat"]
    assert "no beat tick" in response.json()["checks"]["beat"]["error"]


def test_beat_never_seen_is_down(db, client):
    _alive(beat_age=None)
    assert client.get("/readyz").json()["down"] == ["beat"]


def test_a_queue_without_a_live_worker_is_named(db, client):
    _alive(queues=("default",))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["workers"]
    assert "bulk" in response.json()["checks"]["workers"]["error"]


def test_a_silent_worker_is_not_alive(db, client):
    _alive()
    Heartbeat.objects.filter(name="worker:w1@portal").update(
        at=timezone.now() - datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS + 5)
    )
    assert client.get("/readyz").json()["down"] == ["workers"]


def test_cache_down(db, client):
    _alive()
    broken = mock.Mock(**{"set.side_effect": ConnectionError("redis refused")})
    with mock.patch("operations.checks.cache", broken):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["cache"]
    assert "redis refused" in response.json()["checks"]["cache"]["error"]


def test_broker_down(db, client):
    _alive()
    with mock.patch.object(app, "connection_for_write", side_effect=OSError("broker refused")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["broker"]


def test_an_unreachable_redis_broker_answers_quickly(db, client):
    _alive()
    unreachable = Connection("redis://127.0.0.1:1/0")  # nothing listens on port 1
    with mock.patch.object(app, "connection_for_write", return_value=unreachable):
        started = timezone.now()
        response = client.get("/readyz")
    assert response.json()["down"] == ["broker"]
    assert timezone.now() - started < datetime.timedelta(seconds=10)


def test_database_down(db, client):
    _alive()
    broken = mock.MagicMock()
    broken.cursor.side_effect = OperationalError("connection refused")
    with (
        mock.patch("operations.checks.connection", broken),
        mock.patch("operations.views.checks.heartbeats.snapshot") as snapshot,
    ):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["down"] == ["database", "workers", "beat"]
    snapshot.assert_not_called()


def test_healthz_stays_database_only(db, client):
    # No worker, no beat: /healthz still answers 200.
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 503


def test_beat_heartbeat_task_is_scheduled_every_interval_and_records_the_tick(db):
    entry = settings.CELERY_BEAT_SCHEDULE["beat-heartbeat"]
    assert entry["task"] == beat_heartbeat.name
    assert entry["schedule"] == settings.BEAT_HEARTBEAT_SECONDS
    beat_heartbeat.delay()
    assert heartbeats.snapshot()["beat_alive"]


def test_the_worker_step_writes_its_queues(db):
    queues = {"default": object(), "bulk": object()}
    worker = SimpleNamespace(
        hostname="w2@portal",
        app=SimpleNamespace(amqp=SimpleNamespace(queues=SimpleNamespace(consume_from=queues))),
    )
    WorkerHeartbeat(worker).beat(worker)
    snapshot = heartbeats.snapshot()
    assert snapshot["workers"][0]["hostname"] == "w2@portal"
    assert snapshot["live_queues"] == ["bulk", "default"]


@pytest.mark.parametrize(("age", "alive"), [(0, True), (80, True), (100, False)])
def test_a_worker_is_alive_for_three_intervals(age, alive):
    at = timezone.now() - datetime.timedelta(seconds=age)
    assert heartbeats.worker_is_alive(at) is alive
