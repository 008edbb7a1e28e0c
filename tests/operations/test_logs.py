"""One JSON line per request and per task, with the request id carried from one to the other."""

import json
import logging
import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from operations.logs import JsonFormatter, request_id_var
from operations.signals import add_request_id


def _lines(caplog, logger: str) -> list[dict]:
    formatter = JsonFormatter()
    return [json.loads(formatter.format(r)) for r in caplog.records if r.name == logger]


def test_a_request_writes_one_json_line(client_for, users, caplog):
    client = client_for("staff")
    with caplog.at_level(logging.INFO, logger="portal"), CaptureQueriesContext(connection) as ctx:
        response = client.get("/notifications/?page=1")
    (line,) = _lines(caplog, "portal.request")
    assert line["message"] == "request" and line["level"] == "INFO"
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["user_id"] == users["staff"].pk
    assert line["role"] == "committee_staff"
    assert line["method"] == "GET"
    assert line["path"] == "/notifications/"  # no query string: it may carry personal data
    assert line["status"] == 200
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["queries"] == len(ctx.captured_queries)


def test_an_anonymous_refusal_is_logged_too(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="portal"):
        client.get("/operations/status/")
    (line,) = _lines(caplog, "portal.request")
    assert line["status"] == 302 and line["user_id"] is None and line["role"] == ""


def test_the_proxy_request_id_is_kept(client, db, caplog):
    with caplog.at_level(logging.INFO, logger="portal"):
        response = client.get("/healthz", headers={"X-Request-ID": "3f2a9c1e-nginx-0001"})
    assert response["X-Request-ID"] == "3f2a9c1e-nginx-0001"
    assert _lines(caplog, "portal.request")[0]["request_id"] == "3f2a9c1e-nginx-0001"


@pytest.mark.parametrize("bad", ["x", "id with spaces and more", "a" * 65, "evil\r\nline"])
def test_a_bad_request_id_is_replaced(client, db, bad):
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert response["X-Request-ID"] != bad and len(response["X-Request-ID"]) == 32


def test_the_request_id_goes_into_the_task_headers():
    headers: dict = {}
    token = request_id_var.set("req-12345678")
    try:
        add_request_id(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers == {"request_id": "req-12345678"}
    add_request_id(headers=(outside := {}))
    assert outside == {}


def test_a_task_writes_one_json_line(db, caplog):
    from operations.tasks import beat_heartbeat

    with caplog.at_level(logging.INFO, logger="portal"):
        result = beat_heartbeat.apply()
    (line,) = _lines(caplog, "portal.task")
    assert line["task_id"] == result.id
    assert line["task"] == "operations.tasks.beat_heartbeat"
    assert line["outcome"] == "SUCCESS"
    assert isinstance(line["duration_ms"], float)


def test_a_failed_task_logs_its_outcome(db, caplog):
    from tests.operations.test_status_page import failing_task

    with caplog.at_level(logging.INFO, logger="portal"):
        failing_task.apply(throw=False)
    assert _lines(caplog, "portal.task")[0]["outcome"] == "FAILURE"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_logs_the_request_id_that_enqueued_the_task():
    from celery.contrib.testing.worker import start_worker

    from congress_portal.celery import app
    from core.tasks import clear_expired_sessions

    # The test worker takes over the root logger (caplog's handler with it): listen directly.
    task_logger, collect = logging.getLogger("portal.task"), _Collect()
    task_logger.addHandler(collect)
    level, task_logger.level = task_logger.level, logging.INFO
    app.conf.task_always_eager = False
    token = request_id_var.set("req-from-a-click-0001")
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20):
            result = clear_expired_sessions.delay()
            assert result.get(timeout=30) == 0
    finally:
        request_id_var.reset(token)
        app.conf.task_always_eager = True
        task_logger.removeHandler(collect)
        task_logger.level = level
    formatter = JsonFormatter()
    lines = [json.loads(formatter.format(r)) for r in collect.records]
    (line,) = [line for line in lines if line["task_id"] == result.id]
    assert line["request_id"] == "req-from-a-click-0001"
    assert line["outcome"] == "SUCCESS"
    assert line["task"] == "core.tasks.clear_expired_sessions"


def test_the_formatter_keeps_chinese_and_exceptions_readable():
    try:
        raise RuntimeError("数据库不可用")
    except RuntimeError:
        record = logging.LogRecord("portal.x", logging.ERROR, "", 0, "失败", None, None)
        record.exc_info = sys.exc_info()
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "失败" and "数据库不可用" in line["exc"]
