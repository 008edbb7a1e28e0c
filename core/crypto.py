"""Personal data at rest: ID numbers and phone numbers are stored encrypted (Fernet: AES-128-CBC
with HMAC-SHA256), with a keyed hash beside them (HMAC-SHA256, base64) for uniqueness and exact
search.

Keys come from the environment: ``PERSONAL_DATA_KEYS`` is a comma-separated list of Fernet keys, the
first encrypts and all decrypt (so a new key can be put in front, ``rotate_personal_data_keys`` run,
and the old one dropped); ``PERSONAL_DATA_HASH_KEY`` keys the hashes."""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models


@cache
def _fernet() -> MultiFernet:
    keys = [key for key in settings.PERSONAL_DATA_KEYS if key]
    if not keys:
        raise ImproperlyConfigured("PERSONAL_DATA_KEYS must hold at least one Fernet key.")
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"PERSONAL_DATA_KEYS holds an invalid Fernet key: {exc}"
        ) from exc


@cache
def _hash_key() -> bytes:
    key = settings.PERSONAL_DATA_HASH_KEY
    if not key or len(key) < 32:
        raise ImproperlyConfigured("PERSONAL_DATA_HASH_KEY must be at least 32 characters long.")
    return key.encode()


def reset_key_cache() -> None:
    """For tests and key rotation, after the settings changed."""
    _fernet.cache_clear()
    _hash_key.cache_clear()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A personal-data value cannot be decrypted with PERSONAL_DATA_KEYS: was a key removed "
            "before rotate_personal_data_keys ran?"
        ) from exc


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()


def keyed_hash(value: str) -> str:
    digest = hmac.new(_hash_key(), value.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


class EncryptedTextField(models.TextField):
    """Plain text in Python, a Fernet token in the database. Not usable in lookups: search through
    the keyed hash field kept beside it."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)
