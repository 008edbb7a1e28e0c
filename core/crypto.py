"""Personal data at rest: ID numbers and phone numbers are stored encrypted (Fernet: AES-128-CBC
with HMAC-SHA256), with a keyed hash beside them (HMAC-SHA256, base64) for uniqueness and exact
search.

Keys come from the environment: ``PERSONAL_DATA_KEYS`` is a comma-separated list of Fernet keys, the
first encrypts and all decrypt (so a new key can be put in front, ``rotate_personal_data_keys`` run,
and the old one dropped); ``PERSONAL_DATA_HASH_KEY`` keys the hashes.

Uploaded files the portal keeps for a while (a roster waiting for its columns, the two lists of a
三零 check) are *sealed*: AES-256-GCM in 1 MiB chunks (the STREAM construction: a counter and a
last-chunk flag in each nonce, so chunks can be neither reordered nor cut off), under a key drawn
afresh for each file with HKDF from a Fernet key of ``PERSONAL_DATA_KEYS``. The header names
which of those keys sealed it, so after a rotation the older files still open. Chunks keep the
memory of sealing a 100 MB list at a few MiB; opening gives the plain bytes in memory
(:func:`open_sealed`), never a clear file on disk.

Values shown back whole to one user for a while (the first rows of a roster, each row's outcome
in its preview) are sealed the same way, one AES-GCM token each (:class:`EncryptedJSONField`): a
fifth of Fernet's cost, which counts when a 50,000-row preview is stored."""

import base64
import functools
import hashlib
import hmac
import io
import json
import os
from collections.abc import Iterator
from functools import cache
from typing import IO, Any, TypedDict

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django import forms
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import File
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
    _sealing_keys.cache_clear()
    _value_aead.cache_clear()
    _value_salt.cache_clear()


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


# How an encrypted value is typed: every encrypted column holds a short value (a name, a phone
# number, an ID number), so forms show one line, not the TextField's textarea.
class InputKind(TypedDict):
    max_length: int
    attrs: dict[str, str]


INPUT_KINDS: dict[str, InputKind] = {
    "text": {"max_length": 100, "attrs": {}},
    "tel": {"max_length": 30, "attrs": {"inputmode": "tel", "autocomplete": "off"}},
    "id_number": {
        "max_length": 18,
        "attrs": {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    },
}


class EncryptedTextField(models.TextField):
    """Plain text in Python, a Fernet token in the database. Not usable in lookups: search through
    the keyed hash field kept beside it. ``input_kind`` (text, tel, id_number) shapes the form
    input only and is not part of the migration state."""

    def __init__(self, *args, input_kind: str = "text", **kwargs):
        if input_kind not in INPUT_KINDS:
            raise ValueError(f"Unknown input_kind {input_kind!r}")
        self.input_kind = input_kind
        super().__init__(*args, **kwargs)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        kind = INPUT_KINDS[self.input_kind]
        widget = kwargs.get("widget")
        # The admin offers its textarea for every TextField; a form that chose another widget
        # keeps it.
        if widget is None or _is_textarea(widget):
            classes = "vTextField" if widget is not None else ""
            attrs = {"maxlength": kind["max_length"], **kind["attrs"]}
            if classes:
                attrs["class"] = classes
            kwargs["widget"] = forms.TextInput(attrs=attrs)
        kwargs.setdefault("max_length", kind["max_length"])
        return super().formfield(
            form_class=form_class, choices_form_class=choices_form_class, **kwargs
        )

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


def _is_textarea(widget) -> bool:
    widget_class = widget if isinstance(widget, type) else type(widget)
    return issubclass(widget_class, forms.Textarea)


# --- Sealed files --------------------------------------------------------------------------------

SEAL_MAGIC = b"CPSEAL\x01\x00"
SEAL_CHUNK = 1024 * 1024
_KEY_ID_BYTES = 8
_SALT_BYTES = 16
_TAG_BYTES = 16
_HEADER_BYTES = len(SEAL_MAGIC) + _KEY_ID_BYTES + _SALT_BYTES


class SealError(ValueError):
    """A sealed file is damaged, cut short, or sealed with a key no longer configured."""


def _hkdf(material: bytes, *, salt: bytes | None, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(material)


@cache
def _sealing_keys() -> list[tuple[bytes, bytes]]:
    """(key id, master key) for each Fernet key, the first one sealing."""
    _fernet()  # the same checks and messages for a missing or invalid key
    keys = []
    for key in settings.PERSONAL_DATA_KEYS:
        if key:
            master = _hkdf(base64.urlsafe_b64decode(key), salt=None, info=b"portal sealed files")
            key_id = hmac.new(master, b"key id", hashlib.sha256).digest()[:_KEY_ID_BYTES]
            keys.append((key_id, master))
    return keys


def _nonce(counter: int, last: bool) -> bytes:
    return counter.to_bytes(11, "big") + (b"\x01" if last else b"\x00")


def seal_chunks(source: IO[bytes]) -> Iterator[bytes]:
    """The sealed form of ``source`` (read from where it stands), piece by piece."""
    key_id, master = _sealing_keys()[0]
    salt = os.urandom(_SALT_BYTES)
    header = SEAL_MAGIC + key_id + salt
    aead = AESGCM(_hkdf(master, salt=salt, info=b"file"))
    yield header
    counter = 0
    while True:
        data = source.read(SEAL_CHUNK)
        last = len(data) < SEAL_CHUNK  # a full chunk is never the last: the last may be empty
        yield aead.encrypt(_nonce(counter, last), data, header)
        if last:
            return
        counter += 1


def seal_bytes(data: bytes) -> bytes:
    return b"".join(seal_chunks(io.BytesIO(data)))


def is_sealed(head: bytes) -> bool:
    return head.startswith(SEAL_MAGIC)


def open_sealed(source: IO[bytes] | bytes) -> io.BytesIO:
    """The plain bytes of a sealed file, in memory, positioned at the start."""
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    header = source.read(_HEADER_BYTES)
    if len(header) < _HEADER_BYTES or not is_sealed(header):
        raise SealError("not a sealed file")
    key_id = header[len(SEAL_MAGIC) : len(SEAL_MAGIC) + _KEY_ID_BYTES]
    master = next((m for kid, m in _sealing_keys() if hmac.compare_digest(kid, key_id)), None)
    if master is None:
        raise SealError("sealed with a key that PERSONAL_DATA_KEYS no longer holds")
    aead = AESGCM(_hkdf(master, salt=header[-_SALT_BYTES:], info=b"file"))
    plain = io.BytesIO()
    counter = 0
    while True:
        piece = source.read(SEAL_CHUNK + _TAG_BYTES)
        last = len(piece) < SEAL_CHUNK + _TAG_BYTES
        try:
            plain.write(aead.decrypt(_nonce(counter, last), piece, header))
        except InvalidTag:
            raise SealError("the sealed file is damaged or cut short") from None
        if last:
            break
        counter += 1
    if source.read(1):
        raise SealError("data after the last sealed chunk")
    plain.seek(0)
    return plain


class SealedContent(File):
    """What to hand ``FieldFile.save``: the storage writes the sealed chunks of ``source`` (the
    plain upload is never written, nor moved from a temporary file)."""

    def __init__(self, source: IO[bytes], name: str = "sealed") -> None:
        super().__init__(None, name)
        self.source = source

    def chunks(self, chunk_size=None):
        self.source.seek(0)
        yield from seal_chunks(self.source)

    def multiple_chunks(self, chunk_size=None):
        return True

    @property
    def size(self):
        return None

    def close(self) -> None:
        pass


def open_sealed_file(field_file) -> io.BytesIO:
    """The plain content of a FileField's sealed file, in memory."""
    field_file.open("rb")
    try:
        return open_sealed(field_file)
    finally:
        field_file.close()


# --- Sealed values -------------------------------------------------------------------------------

VALUE_PREFIX = "s1."
_NONCE_BYTES = 12
# Random 96-bit nonces stay far from a collision while a key seals at most this many values; the
# process then draws a new salt, hence a new key.
_VALUES_PER_SALT = 1 << 24
_values_sealed = 0


@cache
def _value_salt(generation: int) -> bytes:
    return os.urandom(_SALT_BYTES)


@functools.lru_cache(maxsize=256)
def _value_aead(key_id: bytes, salt: bytes) -> AESGCM:
    master = next((m for kid, m in _sealing_keys() if hmac.compare_digest(kid, key_id)), None)
    if master is None:
        raise ImproperlyConfigured(
            "A sealed personal-data value cannot be opened with PERSONAL_DATA_KEYS: was a key "
            "removed before rotate_personal_data_keys ran?"
        )
    return AESGCM(_hkdf(master, salt=salt, info=b"values"))


def seal_text(text: str) -> str:
    global _values_sealed
    _values_sealed += 1
    key_id = _sealing_keys()[0][0]
    salt = _value_salt(_values_sealed // _VALUES_PER_SALT)
    nonce = os.urandom(_NONCE_BYTES)
    sealed = _value_aead(key_id, salt).encrypt(nonce, text.encode(), key_id + salt)
    token = base64.urlsafe_b64encode(key_id + salt + nonce + sealed).decode().rstrip("=")
    return VALUE_PREFIX + token


def open_text(token: str) -> str:
    if not token.startswith(VALUE_PREFIX):
        raise ImproperlyConfigured("Not a sealed personal-data value.")
    body = token[len(VALUE_PREFIX) :]
    raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    key_id, salt = raw[:_KEY_ID_BYTES], raw[_KEY_ID_BYTES : _KEY_ID_BYTES + _SALT_BYTES]
    nonce = raw[_KEY_ID_BYTES + _SALT_BYTES : _KEY_ID_BYTES + _SALT_BYTES + _NONCE_BYTES]
    sealed = raw[_KEY_ID_BYTES + _SALT_BYTES + _NONCE_BYTES :]
    try:
        return _value_aead(key_id, salt).decrypt(nonce, sealed, key_id + salt).decode()
    except InvalidTag:
        raise ImproperlyConfigured("A sealed personal-data value is damaged.") from None


class EncryptedJSONField(EncryptedTextField):
    """A JSON value in Python, one sealed token of its JSON text in the database (for what is
    shown back whole to the one user who uploaded it). Re-sealed with the first key by
    ``rotate_personal_data_keys`` like every encrypted column."""

    # For django-stubs: any JSON value is set and read, not the str of a TextField.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return json.loads(open_text(value))

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return models.TextField.formfield(
            self, form_class=form_class, choices_form_class=choices_form_class, **kwargs
        )

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        return seal_text(json.dumps(value, ensure_ascii=False, separators=(",", ":")))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj), ensure_ascii=False)
