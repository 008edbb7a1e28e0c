"""ID numbers and phones are encrypted at rest, searchable by keyed hash, and keys can rotate."""

import re

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from core import crypto
from directory.models import Deputy

ID_PATTERN = re.compile(r"\d{17}[\dX]")
PHONE_PATTERN = re.compile(r"1[3-9]\d{9}")


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - fixed table name
        return cursor.fetchall()


def test_a_raw_select_shows_no_id_number_or_phone(world):
    text = " ".join(str(value) for row in raw_rows("deputies_deputy") for value in row)
    assert not ID_PATTERN.search(text)
    assert not PHONE_PATTERN.search(text)
    for deputy in Deputy.objects.all():  # and the ORM still reads them in clear
        assert ID_PATTERN.fullmatch(deputy.id_number)
        assert PHONE_PATTERN.fullmatch(deputy.phone)


def test_the_keyed_hash_keeps_id_numbers_unique(world):
    twin = Deputy(
        name="重复",
        gender=world.deputy_a1.gender,
        birth_date=world.deputy_a1.birth_date,
        id_number=world.deputy_a1.id_number.lower(),
        station=world.home_a1,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_exact_search_by_hash(world):
    found = Deputy.objects.get(id_number_hash=crypto.keyed_hash(world.deputy_a2.id_number))
    assert found == world.deputy_a2


def test_rotation_re_encrypts_with_the_new_key_and_old_key_can_then_go(world, settings):
    old_keys = list(settings.PERSONAL_DATA_KEYS)
    new_key = Fernet.generate_key().decode()
    before = {d.pk: (d.id_number, d.phone) for d in Deputy.objects.all()}
    try:
        settings.PERSONAL_DATA_KEYS = [new_key, *old_keys]
        crypto.reset_key_cache()
        call_command("rotate_personal_data_keys", verbosity=0)
        settings.PERSONAL_DATA_KEYS = [new_key]
        crypto.reset_key_cache()
        after = {d.pk: (d.id_number, d.phone) for d in Deputy.objects.all()}
        assert after == before
    finally:
        settings.PERSONAL_DATA_KEYS = old_keys
        crypto.reset_key_cache()


def test_rotation_of_the_hash_key_recomputes_hashes(world, settings):
    old = settings.PERSONAL_DATA_HASH_KEY
    try:
        settings.PERSONAL_DATA_HASH_KEY = "another-hash-key-of-sufficient-length-123"
        crypto.reset_key_cache()
        call_command("rotate_personal_data_keys", verbosity=0)
        deputy = Deputy.objects.get(pk=world.deputy_a1.pk)
        assert deputy.id_number_hash == crypto.keyed_hash(deputy.id_number)
    finally:
        settings.PERSONAL_DATA_HASH_KEY = old
        crypto.reset_key_cache()
        call_command("rotate_personal_data_keys", verbosity=0)


def test_a_missing_key_fails_loudly(settings):
    settings.PERSONAL_DATA_KEYS = []
    crypto.reset_key_cache()
    try:
        with pytest.raises(Exception, match="PERSONAL_DATA_KEYS"):
            crypto.encrypt("x")
    finally:
        del settings.PERSONAL_DATA_KEYS
        crypto.reset_key_cache()
