"""A request for more time (延期申请) shows where it stands on the unit's workbench, and is closed
when the suggestion is answered before staff decide (it stayed 待审批 after the reply); the data
migration closes those already answered."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from suggestions import services as s
from suggestions.models import DeadlineExtension, ReplyCategory
from tests.suggestions.test_unit_pages import assigned_to, fresh

WORKSPACE = reverse("suggestions:unit_workspace")


@pytest.fixture
def assigned(users, world):
    return assigned_to(users, world, world.unit_a)


def request_more_time(users, suggestion) -> DeadlineExtension:
    return s.extension_request(
        user=users["unit"],
        suggestion=suggestion,
        requested_deadline=suggestion.deadline + datetime.timedelta(days=30),
        reason="雨季施工",
    )


def reply(users, suggestion):
    return s.suggestion_reply(
        user=users["unit"],
        suggestion=suggestion,
        version=fresh(suggestion).version,
        category=ReplyCategory.objects.get(code="A"),
        text="已列入计划并完工。",
    )


def test_the_workbench_shows_a_pending_request_and_offers_no_second_one(
    client_for, users, assigned
):
    client = client_for("unit")
    extension_url = reverse("suggestions:extension_request", args=[assigned.pk])
    assert extension_url in client.get(WORKSPACE).content.decode()
    extension = request_more_time(users, assigned)
    html = client.get(WORKSPACE).content.decode()
    date = extension.requested_deadline.isoformat()
    assert f"延期申请(至 {date}):待审批" in html
    assert extension_url not in html  # one request at a time
    s.extension_decide(
        user=users["staff"], extension=extension, approve=True, version=fresh(assigned).version
    )
    html = client.get(WORKSPACE).content.decode()
    assert f"延期申请(至 {date}):已批准" in html
    assert extension_url in html  # it may ask again


def test_answering_closes_the_pending_request(client_for, users, assigned):
    extension = request_more_time(users, assigned)
    reply(users, assigned)
    extension.refresh_from_db()
    assert extension.status == DeadlineExtension.Status.CLOSED
    assert extension.get_status_display() == "已答复,无需审批"
    html = client_for("unit").get(WORKSPACE + "?show=done").content.decode()
    assert "已答复,无需审批" in html


def test_the_migration_closes_requests_already_answered(users, world, assigned):
    migration = importlib.import_module("suggestions.migrations.0008_extension_closed_on_reply")
    answered = request_more_time(users, assigned)
    reply(users, assigned)
    DeadlineExtension.objects.filter(pk=answered.pk).update(status="pending", decided_at=None)
    waiting = assigned_to(users, world, world.unit_a, title="关于修缮村小学的建议")
    still_pending = request_more_time(users, waiting)
    migration.close_answered(apps, None)
    answered.refresh_from_db()
    still_pending.refresh_from_db()
    assert answered.status == "closed" and answered.decided_at <= timezone.now()
    assert still_pending.status == "pending"
    migration.reopen(apps, None)
    answered.refresh_from_db()
    assert answered.status == "pending"
