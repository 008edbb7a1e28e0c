"""Sealed files (core.crypto): what the portal keeps of an upload is AES-GCM in chunks under a key
drawn from PERSONAL_DATA_KEYS; it opens in memory only, whole and unchanged, under any key of the
list; a damaged, reordered or shortened file is refused; memory stays flat while sealing."""

import io
import os
import tracemalloc

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory

from core import crypto
from core.crypto import SealError, open_sealed, seal_bytes, seal_chunks

CHUNK = 64  # small chunks, so the boundaries are cheap to reach


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(crypto, "SEAL_CHUNK", CHUNK)


@pytest.fixture
def keys(settings):
    old = list(settings.PERSONAL_DATA_KEYS)
    yield settings
    settings.PERSONAL_DATA_KEYS = old
    crypto.reset_key_cache()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 7])
def test_every_size_opens_to_the_same_bytes(small_chunks, size):
    plain = os.urandom(size)
    sealed = seal_bytes(plain)
    assert open_sealed(sealed).read() == plain
    # header (32) + one 16-byte tag per chunk, the last one possibly empty
    assert len(sealed) == 32 + size + 16 * (size // CHUNK + 1)


def test_the_sealed_bytes_show_nothing_and_differ_every_time():
    plain = "510824199001011234,13812345678,王小明\n".encode() * 100
    first, second = seal_bytes(plain), seal_bytes(plain)
    assert b"510824199001011234" not in first and b"13812345678" not in first
    assert "王小明".encode() not in first
    assert first != second  # a fresh key per file


def _chunks(sealed: bytes) -> tuple[bytes, list[bytes]]:
    body = sealed[32:]
    step = CHUNK + 16
    return sealed[:32], [body[i : i + step] for i in range(0, len(body), step)]


def test_a_changed_reordered_cut_or_extended_file_is_refused(small_chunks):
    sealed = seal_bytes(os.urandom(3 * CHUNK + 10))
    header, chunks = _chunks(sealed)
    assert len(chunks) == 4
    flipped = bytearray(sealed)
    flipped[40] ^= 1
    header_changed = bytearray(sealed)
    header_changed[20] ^= 1  # the file's salt: another key
    damaged = {
        "a bit flipped": bytes(flipped),
        "the salt changed": bytes(header_changed),
        "two chunks swapped": header + chunks[1] + chunks[0] + chunks[2] + chunks[3],
        "cut at a chunk boundary": header + b"".join(chunks[:2]),
        "the last chunk dropped": header + b"".join(chunks[:3]),
        "cut inside a chunk": sealed[:-5],
        "bytes appended": sealed + b"x",
        "only the header": header,
        "not sealed at all": b"PK\x03\x04 a workbook in clear",
    }
    for what, data in damaged.items():
        try:
            open_sealed(data)
        except SealError:
            continue
        pytest.fail(f"{what}: opened")


def test_a_file_sealed_before_a_rotation_opens_until_its_key_is_removed(keys):
    old_key = keys.PERSONAL_DATA_KEYS[0]
    sealed = seal_bytes(b"13812345678")
    new_key = Fernet.generate_key().decode()
    keys.PERSONAL_DATA_KEYS = [new_key, old_key]
    crypto.reset_key_cache()
    assert open_sealed(sealed).read() == b"13812345678"
    resealed = seal_bytes(b"13812345678")  # sealed with the new key now
    keys.PERSONAL_DATA_KEYS = [new_key]
    crypto.reset_key_cache()
    assert open_sealed(resealed).read() == b"13812345678"
    with pytest.raises(SealError, match="no longer holds"):
        open_sealed(sealed)


def test_sealing_a_large_file_takes_a_few_chunks_of_memory(tmp_path):
    size = 24 * 1024 * 1024
    source = tmp_path / "voters.xlsx"
    with open(source, "wb") as handle:
        for _ in range(size // (1024 * 1024)):
            handle.write(os.urandom(1024 * 1024))
    target = tmp_path / "voters.sealed"
    tracemalloc.start()
    try:
        with open(source, "rb") as plain, open(target, "wb") as out:
            for piece in seal_chunks(plain):
                out.write(piece)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * crypto.SEAL_CHUNK  # not the file's 24 MiB
    with open(target, "rb") as handle:
        assert len(open_sealed(handle).getbuffer()) == size


def test_a_large_upload_stays_in_memory_and_never_in_a_temporary_file(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    body = b"x" * (5 * 1024 * 1024)  # twice Django's 2.5 MiB spooling threshold
    request = RequestFactory().post("/rosters/", {"file": io.BytesIO(body)}, format="multipart")
    uploaded = request.FILES["file"]
    assert isinstance(uploaded, InMemoryUploadedFile)
    assert uploaded.size == len(body)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_sealed_json_column_is_a_token_in_the_database_and_rotates(keys, users):
    from rosters.models import ImportJob

    job = ImportJob.objects.create(
        user=users["staff"],
        roster="voters",
        original_name="v.xlsx",
        head=[["姓名", "身份证号码", "电话"], ["王小明", "510824199001011234", "13812345678"]],
    )
    pk = ImportJob._meta.pk.get_db_prep_value(job.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute("SELECT head FROM rosters_importjob WHERE id = %s", [pk])
        raw = cursor.fetchone()
    assert raw[0].startswith("s1.") and "1381234" not in raw[0]
    assert ImportJob.objects.get().head[1] == ["王小明", "510824199001011234", "13812345678"]
    new_key = Fernet.generate_key().decode()
    keys.PERSONAL_DATA_KEYS = [new_key, *keys.PERSONAL_DATA_KEYS]
    crypto.reset_key_cache()
    call_command("rotate_personal_data_keys", verbosity=0)
    keys.PERSONAL_DATA_KEYS = [new_key]
    crypto.reset_key_cache()
    assert ImportJob.objects.get().head[1][1] == "510824199001011234"


def test_a_sealed_value_hides_its_text_and_refuses_a_change_or_a_removed_key(keys):
    from django.core.exceptions import ImproperlyConfigured

    text = '{"label":"孙选民","errors":["13812345678"]}'
    token, again = crypto.seal_text(text), crypto.seal_text(text)
    assert token != again and "13812345678" not in token and "孙选民" not in token
    assert crypto.open_text(token) == text
    body = bytearray(token.encode())
    body[-3] = ord("A") if body[-3] != ord("A") else ord("B")
    with pytest.raises(ImproperlyConfigured, match="damaged"):
        crypto.open_text(body.decode())
    keys.PERSONAL_DATA_KEYS = [Fernet.generate_key().decode()]
    crypto.reset_key_cache()
    with pytest.raises(ImproperlyConfigured, match="removed"):
        crypto.open_text(token)
