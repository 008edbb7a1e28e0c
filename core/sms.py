"""Pluggable SMS sending: settings.SMS_BACKEND names a class with ``send(phone, text)``."""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Prints messages instead of sending them (development and demo)."""

    def send(self, phone: str, text: str) -> None:
        logger.info("SMS to %s: %s", phone, text)
        print(f"[SMS] {phone}: {text}")


def send_sms(phone: str, text: str) -> None:
    import_string(settings.SMS_BACKEND)().send(phone, text)
