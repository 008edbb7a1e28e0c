"""Long jobs go to the bulk queue, reminders and notifications to default, so a 三零 check or a
county export never delays a reminder."""

import pytest
from django.conf import settings

from congress_portal.celery import app
from operations.checks import queue_lengths

LONG = [
    "elections.tasks.run_registration_check",  # 三零 check
    "rosters.tasks.run_import",  # roster imports
    "core.tasks.run_export",  # exports, the annual report's workbook among them
    "deputies.tasks.run_scoring",  # scoring on demand
    "deputies.tasks.compute_scores_nightly",  # the nightly scoring run
    "operations.tasks.nightly_backup",
]
SHORT = [
    "stations.tasks.send_reception_reminders",
    "stations.tasks.send_visit_reminders",
    "suggestions.tasks.send_suggestion_reminders",
    "dutyreports.tasks.send_report_reminders",
    "oversight.tasks.send_rectification_reminders",
    "oversight.tasks.send_review_opinion_reminders",
    "deputies.tasks.send_duty_warnings",
    "core.tasks.deliver_notification",
    "core.tasks.relay_outbox",
    "operations.tasks.beat_heartbeat",
]


def _queue_of(task_name: str) -> str:
    assert task_name in app.tasks, task_name  # a real task, not a typo in the routes
    route = app.amqp.router.route({}, task_name)
    return route["queue"].name


@pytest.mark.parametrize("task_name", LONG)
def test_long_tasks_route_to_bulk(task_name):
    assert _queue_of(task_name) == "bulk"


@pytest.mark.parametrize("task_name", SHORT)
def test_reminders_and_notifications_route_to_default(task_name):
    assert _queue_of(task_name) == "default"


def test_every_routed_task_exists():
    assert set(settings.CELERY_TASK_ROUTES) == set(LONG)


def test_an_enqueued_export_waits_in_the_bulk_queue(db):
    from core.tasks import run_export

    app.conf.task_always_eager = False
    try:
        with app.connection_for_write() as conn:
            before = queue_lengths()
            run_export.apply_async(args=["00000000-0000-4000-8000-000000000000"], connection=conn)
            after = queue_lengths()
            assert after["bulk"] == (before["bulk"] or 0) + 1
            assert after["default"] == before["default"]
            conn.default_channel.queue_purge("bulk")
    finally:
        app.conf.task_always_eager = True


def test_the_filesystem_broker_before_any_worker_ran_has_empty_queues(settings, tmp_path):
    """The demo's broker folder does not exist until a worker or a task creates it: the queues
    are empty then, not "cannot reach the broker"."""
    from celery import Celery

    fresh = Celery(set_as_current=False)
    fresh.conf.broker_url = "filesystem://"
    folder = str(tmp_path / "never-created")
    fresh.conf.broker_transport_options = {"data_folder_in": folder, "data_folder_out": folder}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("operations.checks.app", fresh)
        assert queue_lengths() == {"default": 0, "bulk": 0}
