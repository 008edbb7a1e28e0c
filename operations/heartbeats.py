"""Signs of life of the worker processes and of beat, kept in the database so every process
(web, workers, beat, on SQLite or PostgreSQL) reads the same ones."""

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from .models import Heartbeat

log = logging.getLogger(__name__)

BEAT = "beat"
WORKER_PREFIX = "worker:"


def record(name: str, detail: dict | None = None) -> None:
    Heartbeat.objects.update_or_create(
        name=name, defaults={"at": timezone.now(), "detail": detail or {}}
    )


def beat_is_alive(last_tick: datetime.datetime | None) -> bool:
    """Beat schedules the heartbeat every BEAT_HEARTBEAT_SECONDS; it is dead after three missed
    ticks (a busy default queue may delay one)."""
    if last_tick is None:
        return False
    return timezone.now() - last_tick <= datetime.timedelta(
        seconds=3 * settings.BEAT_HEARTBEAT_SECONDS
    )


def worker_is_alive(at: datetime.datetime) -> bool:
    return timezone.now() - at <= datetime.timedelta(seconds=3 * settings.WORKER_HEARTBEAT_SECONDS)


def snapshot() -> dict:
    """One query: beat's last tick and the workers seen lately, with the queues they consume."""
    beat_tick = None
    workers = []
    for beat in Heartbeat.objects.order_by("name"):
        if beat.name == BEAT:
            beat_tick = beat.at
        elif beat.name.startswith(WORKER_PREFIX):
            workers.append(
                {
                    "hostname": beat.name.removeprefix(WORKER_PREFIX),
                    "at": beat.at,
                    "queues": beat.detail.get("queues", []),
                    "alive": worker_is_alive(beat.at),
                }
            )
    live_queues = sorted({q for w in workers if w["alive"] for q in w["queues"]})
    return {
        "beat_tick": beat_tick,
        "beat_alive": beat_is_alive(beat_tick),
        "workers": workers,
        "live_queues": live_queues,
    }
