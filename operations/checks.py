"""What /readyz and the status page ask of each dependency. Every check is bounded in time and
answers ``{"ok": bool, …}``; a failure names the dependency and the reason."""

import uuid

from celery import current_app as app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from kombu.exceptions import ChannelError

from . import heartbeats

BROKER_TIMEOUT = 2  # seconds
QUEUES = ("default", "bulk")


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        return {"ok": False, "error": _reason(exc)}
    return {"ok": True}


def check_cache() -> dict:
    key, value = f"readyz:{uuid.uuid4().hex}", "1"
    try:
        cache.set(key, value, 10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception as exc:
        return {"ok": False, "error": _reason(exc)}
    return {"ok": True} if ok else {"ok": False, "error": "cache did not return the value"}


def check_broker() -> dict:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
    except Exception as exc:
        return {"ok": False, "error": _reason(exc)}
    return {"ok": True}


def check_workers(snapshot: dict) -> dict:
    missing = [queue for queue in QUEUES if queue not in snapshot["live_queues"]]
    alive = sum(1 for worker in snapshot["workers"] if worker["alive"])
    if missing:
        return {
            "ok": False,
            "alive": alive,
            "missing": missing,
            "error": f"no live worker for queue(s): {', '.join(missing)}",
        }
    return {"ok": True, "alive": alive}


def check_beat(snapshot: dict) -> dict:
    tick = snapshot["beat_tick"]
    result = {"ok": snapshot["beat_alive"], "last_tick": tick.isoformat() if tick else None}
    if not result["ok"]:
        limit = 3 * settings.BEAT_HEARTBEAT_SECONDS
        result["error"] = f"no beat tick within {limit} s"
    return result


def readiness() -> dict:
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "broker": check_broker(),
    }
    if checks["database"]["ok"]:
        snapshot = heartbeats.snapshot()
        checks["workers"] = check_workers(snapshot)
        checks["beat"] = check_beat(snapshot)
    else:
        checks["workers"] = checks["beat"] = {"ok": False, "error": "database unavailable"}
    return checks


def queue_lengths() -> dict[str, int | None]:
    """Messages waiting per queue (Redis LLEN, files in the filesystem broker); None when the
    broker cannot be asked."""
    lengths: dict[str, int | None] = {}
    try:
        with app.connection_for_read() as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=BROKER_TIMEOUT)
            channel = conn.default_channel
            for queue in QUEUES:
                try:
                    lengths[queue] = channel.queue_declare(queue=queue, passive=True).message_count
                except (ChannelError, FileNotFoundError):
                    # Never declared, or empty on Redis (no key); the filesystem broker's folder
                    # does not exist before a worker or a task first creates it.
                    lengths[queue] = 0
    except Exception:
        return dict.fromkeys(QUEUES)
    return lengths


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:300]
