"""Notifications: in-app first, then e-mail and SMS through the configured backends."""

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Notification
from .outbox import enqueue
from .sms import send_sms

if TYPE_CHECKING:
    from accounts.models import User


def notify(
    *, recipient, kind: str, title: str, body: str = "", link: str = "", dedupe_key: str
) -> Notification | None:
    """Create the notification unless one with ``dedupe_key`` exists (then None), and enqueue its
    delivery. The unique key, not a prior check, is what keeps reminders from repeating."""
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                recipient=recipient,
                kind=kind,
                title=title,
                body=body,
                link=link,
                dedupe_key=dedupe_key,
            )
            enqueue("core.tasks.deliver_notification", notification.pk)
    except IntegrityError:
        return None
    return notification


def recipient_phone(user: "User") -> str:
    deputy = getattr(user, "deputy", None)
    return deputy.phone if deputy is not None else ""


def deliver(notification_id: int) -> dict[str, bool]:
    """Send e-mail and SMS once each. Each channel is sent inside a transaction that locks the row
    and records the send: a second run (or a concurrent one) finds it recorded and sends nothing;
    a worker killed mid-send rolls its record back, so the redelivered task sends it then. Only a
    crash between the provider accepting the message and the commit can repeat it."""
    sent = {"email": False, "sms": False}
    for channel in ("email", "sms"):
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("recipient__deputy")
                .get(pk=notification_id)
            )
            field = f"{channel}_sent_at"
            if getattr(notification, field) is not None:
                continue
            text = f"{notification.title}\n{notification.body}".strip()
            user = notification.recipient
            if channel == "email" and user.email:
                send_mail(notification.title, text, settings.DEFAULT_FROM_EMAIL, [user.email])
            elif channel == "sms" and recipient_phone(user):
                send_sms(recipient_phone(user), text)
            else:
                continue
            setattr(notification, field, timezone.now())
            notification.save(update_fields=[field])
            sent[channel] = True
    return sent


def notifications_mark_read(*, user: "User") -> int:
    """Mark the user's unread notifications read; how many there were."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
