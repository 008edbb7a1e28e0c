from celery import shared_task
from django.utils import timezone


@shared_task(name="legislation.tasks.notify_draft_published")
def notify_draft_published(draft_id: int) -> int:
    """After a draft is published: tell the deputies and keepers it reaches (once each)."""
    from .reminders import draft_published_notify

    return draft_published_notify(draft_id=draft_id)


@shared_task(name="legislation.tasks.close_expired_drafts")
def close_expired_drafts() -> int:
    """Daily, after midnight: drafts past their deadline become 已截止."""
    from .services import drafts_close_expired

    return drafts_close_expired(today=timezone.localdate())


@shared_task(name="legislation.tasks.send_deadline_reminders")
def send_deadline_reminders() -> int:
    """Daily: remind keepers of stations without an opinion before a draft's deadline."""
    from .reminders import draft_deadline_reminders_send

    return draft_deadline_reminders_send(today=timezone.localdate())
