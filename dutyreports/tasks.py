from celery import shared_task
from django.utils import timezone


@shared_task(name="dutyreports.tasks.send_report_reminders")
def send_report_reminders() -> int:
    """Weekly: remind the deputies who have not yet reported while a campaign is open."""
    from .services import report_reminders_send

    return report_reminders_send(today=timezone.localdate())
