from celery import shared_task
from django.contrib.sessions.models import Session
from django.utils import timezone


@shared_task(name="core.tasks.clear_expired_sessions")
def clear_expired_sessions() -> int:
    """Nightly: delete expired sessions (what `manage.py clearsessions` does), returning the count.
    Deleting by a condition makes a second run a no-op."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
