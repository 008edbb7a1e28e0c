"""The 系统状态 page: administrators only, a dead beat shown loudly, failed tasks with their
errors, today's notifications, the last backup; a fixed number of queries."""

import datetime
import re

import pytest
from celery import shared_task
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Notification
from operations import heartbeats
from operations.models import Heartbeat, TaskFailure
from operations.tasks import prune_operations_records

URL = "/operations/status/"


@shared_task(name="tests.operations.failing_task")
def failing_task():
    raise ValueError("名册第8行无法解析")


def _grow(users, n: int) -> None:
    """n failed tasks, n notifications and n workers more."""
    for i in range(n):
        TaskFailure.objects.create(task_name="core.tasks.run_export", exception=f"错误 {i}")
        Notification.objects.create(
            recipient=users["staff"], kind="reception_reminder", title="提醒", dedupe_key=f"k{i}"
        )
        heartbeats.record(f"worker:extra{i}@portal", {"queues": ["default"]})


def test_administrator_sees_the_status(client_for, users, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path
    (tmp_path / "portal-20261205-014500.tar").write_bytes(b"x" * 2048)
    heartbeats.record("worker:w1@portal", {"queues": ["default", "bulk"]})
    heartbeats.record("beat")
    _grow(users, 2)
    response = client_for("admin").get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "系统状态" in page and "0.1.0" in page
    assert "beat-dead" not in page and "正常" in page
    assert "portal-20261205-014500.tar" in page and re.search(r"2\.0\s*KB", page)
    assert "错误 1" in page and "core.tasks.run_export" in page
    assert "今日提醒与通知:2 条" in page
    assert "w1@portal" in page and "default、bulk" in page
    assert re.search(r"default:\d+;bulk:\d+", page)


def test_a_dead_beat_is_shown_loudly(client_for, db):
    Heartbeat.objects.create(name="beat", at=timezone.now() - datetime.timedelta(hours=5))
    page = client_for("admin").get(URL).content.decode()
    assert 'id="beat-dead"' in page
    assert "定时任务调度(beat)已停止" in page and "已停止" in page


def test_no_backup_and_no_beat_are_shown(client_for, settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "none"
    page = client_for("admin").get(URL).content.decode()
    assert "没有备份" in page and "从未收到心跳" in page and 'id="workers-down"' in page
    # The page speaks Chinese: the queues without a worker are named, not /readyz's English.
    assert "(worker):default、bulk" in page and "no live worker" not in page


@pytest.mark.parametrize("role", ["staff", "member", "township", "keeper", "deputy", "unit"])
def test_other_roles_are_refused(client_for, role):
    assert client_for(role).get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_menu_links_the_page_for_the_administrator_only(client_for):
    assert URL in client_for("admin").get("/notifications/").content.decode()
    assert URL not in client_for("staff").get("/notifications/").content.decode()


def test_query_count_does_not_grow_with_failures_notifications_and_workers(client_for, users):
    client = client_for("admin")
    client.get(URL)  # warm the session and the media usage cache

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(URL).status_code == 200
        return len(ctx.captured_queries)

    # session, user, applied migrations, heartbeats, failures, notifications by kind
    # (+ savepoints the test client adds around nothing here)
    few = count()
    _grow(users, 30)
    assert count() == few
    assert few <= 8


def test_a_failed_task_is_recorded_with_its_error(db):
    result = failing_task.apply(throw=False)
    assert result.failed()
    failure = TaskFailure.objects.get()
    assert failure.task_name == "tests.operations.failing_task"
    assert failure.exception == "ValueError: 名册第8行无法解析"
    assert "Traceback" in failure.traceback


def test_old_failures_and_gone_workers_are_pruned(db):
    old = TaskFailure.objects.create(task_name="x", exception="旧")
    TaskFailure.objects.filter(pk=old.pk).update(
        occurred_at=timezone.now() - datetime.timedelta(days=31)
    )
    TaskFailure.objects.create(task_name="x", exception="新")
    Heartbeat.objects.create(name="worker:old@host", at=timezone.now() - datetime.timedelta(days=8))
    heartbeats.record("worker:new@host")
    assert prune_operations_records.delay().get() == {"failures": 1, "workers": 1}
    assert list(TaskFailure.objects.values_list("exception", flat=True)) == ["新"]
    assert list(Heartbeat.objects.values_list("name", flat=True)) == ["worker:new@host"]
