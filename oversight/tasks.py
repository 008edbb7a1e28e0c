from celery import shared_task
from django.utils import timezone


@shared_task(name="oversight.tasks.send_rectification_reminders")
def send_rectification_reminders() -> dict[str, int]:
    """Daily: remind bodies of rectification deadlines, escalate overdue ones to staff."""
    from .reminders import rectification_reminders_send

    return rectification_reminders_send(today=timezone.localdate())


@shared_task(name="oversight.tasks.send_review_opinion_reminders")
def send_review_opinion_reminders() -> dict[str, int]:
    """Daily: remind bodies of their 研究处理情况报告 deadlines, escalate overdue ones to staff."""
    from .reminders import review_opinion_reminders_send

    return review_opinion_reminders_send(today=timezone.localdate())
