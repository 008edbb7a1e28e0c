"""Re-handling after an unsatisfied evaluation (issue 20, item 7): its own, shorter deadline
(SUGGESTION_REHANDLE_DEADLINE_MONTHS, 1 month by default), applied, shown and reminded on."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from core.workdays import add_months
from suggestions import services as s
from suggestions.models import Assignment, Reply, ReplyCategory, Suggestion, SuggestionEvent
from suggestions.reminders import deadline_reminders_send

from .test_reminders import open_suggestion

S = Suggestion.Status


@pytest.fixture
def replied(users, world):
    """deputy_a1's suggestion, assigned to unit_a on 31 January 2026 and replied (category C)."""
    suggestion = Suggestion.objects.create(
        number="2026-001",
        title="关于硬化三组村道的建议",
        content="三组村道雨天泥泞。",
        category="roads",
        county=world.county_a,
        lead_deputy=world.deputy_a1,
        created_by=users["admin"],
        status=S.REPLIED,
        is_complex=True,
        assigned_on=datetime.date(2026, 1, 31),
        deadline=datetime.date(2026, 7, 31),
        original_deadline=datetime.date(2026, 7, 31),
    )
    Assignment.objects.create(
        suggestion=suggestion,
        unit=world.unit_a,
        role=Assignment.Role.LEAD,
        round=1,
        assigned_on=datetime.date(2026, 1, 31),
        deadline=datetime.date(2026, 7, 31),
    )
    Reply.objects.create(
        suggestion=suggestion,
        unit=world.unit_a,
        round=1,
        category=ReplyCategory.objects.get_or_create(code="C", defaults={"name": "以后解决"})[0],
        text="因条件限制,列入明年计划。",
        replied_on=datetime.date(2026, 6, 30),
        replied_by=users["unit"],
    )
    return suggestion


def send_back(users, suggestion) -> Suggestion:
    return s.deputy_evaluation(
        user=users["deputy"],
        suggestion=suggestion,
        version=suggestion.version,
        result="unsatisfied",
        comment="没有解决",
    )


def test_rehandling_gets_one_month_not_a_new_full_period(users, replied):
    today = timezone.localdate()
    again = send_back(users, replied)  # a complex suggestion: its first period was 6 months
    assert (again.status, again.round) == (S.IN_HANDLING, 2)
    assert again.deadline == again.original_deadline == add_months(today, 1)
    current = Assignment.objects.get(suggestion=again, round=2)
    assert (current.assigned_on, current.deadline) == (today, add_months(today, 1))
    note = SuggestionEvent.objects.filter(suggestion=again).latest("pk").note
    assert "重新办理(办理期限1个月)" in note


def test_the_office_sets_the_rehandling_period(users, replied, settings):
    settings.SUGGESTION_REHANDLE_DEADLINE_MONTHS = 2
    again = send_back(users, replied)
    assert again.deadline == add_months(timezone.localdate(), 2)
    # The first period is untouched by it.
    assert s.deadline_for(datetime.date(2026, 1, 31), is_complex=False) == datetime.date(
        2026, 4, 30
    )


def test_the_page_shows_the_rehandling_period(client_for, users, replied):
    send_back(users, replied)
    html = client_for("staff").get(reverse("suggestions:detail", args=[replied.pk])).content
    assert "重新办理期限1个月" in html.decode()


def test_the_units_are_reminded_of_the_rehandling_deadline(users, replied):
    again = send_back(users, replied)
    sent = deadline_reminders_send(today=again.deadline - datetime.timedelta(days=5))
    assert sent["deadline"] == 1
    note = Notification.objects.get(recipient=users["unit"], kind="suggestion_deadline")
    assert "重新办理期限" in note.body


def test_an_overdue_township_suggestion_is_escalated_to_the_township_staff(users, world):
    # A township congress's suggestion: its own office hears of it, not the county's.
    open_suggestion(
        users,
        world,
        congress_level=Suggestion.Congress.TOWNSHIP,
        congress=world.a1,
        lead_deputy=world.deputy_a1_liaison,
    )
    deadline_reminders_send(today=datetime.date(2026, 7, 2))
    told = set(
        Notification.objects.filter(kind="suggestion_overdue").values_list(
            "recipient__username", flat=True
        )
    )
    assert told == {users["unit"].username, users["township"].username}
