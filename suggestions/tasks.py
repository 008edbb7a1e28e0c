from celery import shared_task
from django.utils import timezone


@shared_task(name="suggestions.tasks.send_suggestion_reminders")
def send_suggestion_reminders() -> dict[str, int]:
    """Daily: deadline reminders to units, overdue escalation to staff, evaluation reminders to
    lead deputies. The notifications' unique keys make it safe to run twice."""
    from .reminders import deadline_reminders_send, evaluation_reminders_send

    today = timezone.localdate()
    sent = deadline_reminders_send(today=today)
    sent["evaluation"] = evaluation_reminders_send(today=today)
    return sent
