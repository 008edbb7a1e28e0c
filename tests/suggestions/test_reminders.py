"""Reminders of the suggestion lifecycle, with a fixed clock: deadline reminders to units at 30, 7
and 1 days, escalation when overdue, evaluation reminders; each sent once however often the task
runs."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.models import Notification
from suggestions import tasks
from suggestions.models import Assignment, Reply, ReplyCategory, Suggestion
from suggestions.reminders import (
    deadline_reminders_send,
    evaluation_reminders_send,
    reminder_level,
)
from tests import factories as f

S = Suggestion.Status
DEADLINE = datetime.date(2026, 6, 30)


def open_suggestion(users, world, *, deadline=DEADLINE, status=S.IN_HANDLING, co_unit=None, **kw):
    suggestion = Suggestion.objects.create(
        number=f"2026-{Suggestion.objects.count() + 1:03d}",
        title="关于硬化村道的建议",
        content="内容",
        category="roads",
        county=world.county_a,
        lead_deputy=kw.pop("lead_deputy", world.deputy_a1),
        created_by=users["admin"],
        status=status,
        deadline=deadline,
        original_deadline=deadline,
        **kw,
    )
    Assignment.objects.create(
        suggestion=suggestion,
        unit=world.unit_a,
        role=Assignment.Role.LEAD,
        round=1,
        assigned_on=datetime.date(2026, 3, 30),
        deadline=deadline,
    )
    if co_unit:
        Assignment.objects.create(
            suggestion=suggestion,
            unit=co_unit,
            role=Assignment.Role.CO,
            round=1,
            assigned_on=datetime.date(2026, 3, 30),
            deadline=deadline,
        )
    return suggestion


def on(day: datetime.date) -> dict:
    return deadline_reminders_send(today=day)


def kinds_for(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


@pytest.mark.parametrize(
    ("days_left", "level"),
    [(45, None), (31, None), (30, 30), (8, 30), (7, 7), (2, 7), (1, 1), (0, 1), (-1, None)],
)
def test_the_reminder_level_is_the_tightest_reached(days_left, level):
    assert reminder_level(days_left) == level


def test_units_are_reminded_at_30_7_and_1_days_once_each(users, world):
    co_unit = f.make_unit(world.county_a, "甲县财政局")
    co_user = f.make_user("handling_unit", "t_co_unit", handling_unit=co_unit)
    open_suggestion(users, world, co_unit=co_unit)
    sent = []
    day = DEADLINE - datetime.timedelta(days=40)
    while day <= DEADLINE:
        sent.append(on(day)["deadline"])
        sent.append(on(day)["deadline"])  # the same day twice: nothing more
        day += datetime.timedelta(days=1)
    assert sum(sent) == 6  # three levels × two units
    keys = sorted(
        Notification.objects.filter(recipient=users["unit"]).values_list("dedupe_key", flat=True)
    )
    assert [key.split(":")[4] for key in keys] == ["1", "30", "7"]
    assert kinds_for(co_user) == ["suggestion_deadline"] * 3


def test_a_missed_day_is_caught_up_once(users, world):
    open_suggestion(users, world)
    # The worker was down 30 and 29 days before; 25 days before the 30-day reminder goes out.
    assert on(DEADLINE - datetime.timedelta(days=25))["deadline"] == 1
    assert on(DEADLINE - datetime.timedelta(days=24))["deadline"] == 0


def test_an_approved_extension_starts_the_reminders_afresh(users, world):
    suggestion = open_suggestion(users, world)
    assert on(DEADLINE - datetime.timedelta(days=5))["deadline"] == 1
    new_deadline = DEADLINE + datetime.timedelta(days=60)
    Suggestion.objects.filter(pk=suggestion.pk).update(deadline=new_deadline)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=new_deadline)
    assert on(DEADLINE - datetime.timedelta(days=4))["deadline"] == 0
    assert on(new_deadline - datetime.timedelta(days=7))["deadline"] == 1


def test_an_overdue_suggestion_escalates_to_staff_the_leader_and_the_unit_once(users, world):
    other_staff = f.make_user("committee_staff", "t_staff_b", county=world.county_b)
    open_suggestion(users, world, key_supervision=True, supervising_leader=users["member"])
    day = DEADLINE + datetime.timedelta(days=1)
    assert on(day)["overdue"] == 3
    assert on(day)["overdue"] == 0
    assert on(day + datetime.timedelta(days=10))["overdue"] == 0
    assert kinds_for(users["staff"]) == ["suggestion_overdue"]
    assert kinds_for(users["member"]) == ["suggestion_overdue"]
    assert kinds_for(users["unit"]) == ["suggestion_overdue"]
    assert kinds_for(other_staff) == []
    notification = Notification.objects.get(recipient=users["staff"])
    assert "2026年06月30日" in notification.body and "已过" in notification.body


def test_replied_and_closed_suggestions_get_no_deadline_reminders(users, world):
    open_suggestion(users, world, status=S.REPLIED)
    open_suggestion(users, world, status=S.CLOSED)
    assert on(DEADLINE - datetime.timedelta(days=1)) == {"deadline": 0, "overdue": 0}
    assert on(DEADLINE + datetime.timedelta(days=1)) == {"deadline": 0, "overdue": 0}


def test_inactive_unit_users_are_not_reminded(users, world):
    users["unit"].is_active = False
    users["unit"].save()
    open_suggestion(users, world)
    assert on(DEADLINE - datetime.timedelta(days=1))["deadline"] == 0


def test_the_lead_deputy_is_reminded_weekly_while_the_evaluation_is_pending(users, world):
    suggestion = open_suggestion(users, world, status=S.REPLIED)
    replied_on = datetime.date(2026, 6, 1)
    Reply.objects.create(
        suggestion=suggestion,
        unit=world.unit_a,
        round=1,
        category=ReplyCategory.objects.get(code="A"),
        text="已解决",
        replied_on=replied_on,
        replied_by=users["unit"],
    )
    assert evaluation_reminders_send(today=replied_on) == 1
    assert evaluation_reminders_send(today=replied_on + datetime.timedelta(days=6)) == 0
    assert evaluation_reminders_send(today=replied_on + datetime.timedelta(days=7)) == 1
    assert evaluation_reminders_send(today=replied_on + datetime.timedelta(days=7)) == 0
    assert kinds_for(users["deputy"]) == ["suggestion_evaluation"] * 2
    Suggestion.objects.filter(pk=suggestion.pk).update(status=S.EVALUATED)
    assert evaluation_reminders_send(today=replied_on + datetime.timedelta(days=21)) == 0


def test_the_task_runs_both_reminders(users, world):
    open_suggestion(users, world, deadline=timezone.localdate() + datetime.timedelta(days=3))
    first = tasks.send_suggestion_reminders.delay().get()
    second = tasks.send_suggestion_reminders.delay().get()
    assert first == {"deadline": 1, "overdue": 0, "evaluation": 0}
    assert second == {"deadline": 0, "overdue": 0, "evaluation": 0}


def test_the_reminder_reads_do_not_grow_with_the_number_of_suggestions(users, world):
    def reads(day) -> int:
        with CaptureQueriesContext(connection) as ctx:
            on(day)
        return sum(
            1 for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
        )

    open_suggestion(users, world)
    baseline = reads(DEADLINE + datetime.timedelta(days=1))  # overdue: escalated
    for _ in range(5):
        open_suggestion(users, world)
    assert reads(DEADLINE + datetime.timedelta(days=1)) == baseline
