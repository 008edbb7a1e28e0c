"""Celery signal handlers and the worker's heartbeat step.

- every failed task is recorded (TaskFailure) for the status page;
- each task writes one JSON log line with the request id that enqueued it (a message header);
- each worker writes a heartbeat with the queues it consumes, which /readyz and the status page
  read (works on any broker, unlike a broadcast ping)."""

import logging
import time

from celery import bootsteps
from celery import current_app as app
from celery.signals import before_task_publish, task_failure, task_postrun, task_prerun
from django.conf import settings
from django.db import connection

from . import heartbeats
from .logs import request_id_var
from .models import TaskFailure

log = logging.getLogger(__name__)
task_log = logging.getLogger("portal.task")

# Start times of the tasks running in this process, by task id.
_started: dict[str, float] = {}


@before_task_publish.connect
def add_request_id(headers=None, **kwargs):
    request_id = request_id_var.get()
    if headers is not None and request_id and "request_id" not in headers:
        headers["request_id"] = request_id


@task_prerun.connect
def start_clock(task_id=None, task=None, **kwargs):
    _started[task_id] = time.perf_counter()


@task_postrun.connect
def log_task(task_id=None, task=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    duration_ms = round((time.perf_counter() - started) * 1000, 1) if started else None
    task_log.info(
        "task",
        extra={
            "task_id": task_id,
            "task": getattr(task, "name", ""),
            "request_id": getattr(task.request, "request_id", None) if task else None,
            "outcome": state,
            "duration_ms": duration_ms,
        },
    )


@task_failure.connect
def record_failure(sender=None, task_id=None, exception=None, einfo=None, **kwargs):
    try:
        TaskFailure.objects.create(
            task_name=getattr(sender, "name", "")[:200],
            task_id=task_id or "",
            exception=f"{type(exception).__name__}: {exception}"[:500],
            traceback=str(einfo or "")[-20_000:],
        )
    except Exception:  # the database may be what failed: never hide the task's own error
        log.exception("Could not record the failure of task %s", task_id)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """Writes ``worker:<hostname>`` with the queues consumed every WORKER_HEARTBEAT_SECONDS."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        self.tref = None
        super().__init__(worker, **kwargs)

    def start(self, worker):
        interval = settings.WORKER_HEARTBEAT_SECONDS
        if settings.WORKER_HEARTBEAT and interval > 0:
            self.beat(worker)
            self.tref = worker.timer.call_repeatedly(interval, self.beat, (worker,), priority=10)

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None

    def beat(self, worker):
        queues = sorted(worker.app.amqp.queues.consume_from or worker.app.amqp.queues)
        try:
            heartbeats.record(heartbeats.WORKER_PREFIX + worker.hostname, {"queues": queues})
        except Exception:
            log.exception("Could not write the worker heartbeat")
        finally:
            # The timer may run in a thread of its own: leave no connection open behind it
            # (never one inside a transaction of the thread it shares).
            if not connection.in_atomic_block:
                connection.close()


app.steps["worker"].add(WorkerHeartbeat)
