"""manage.py backup and restore: seed → backup → restore into a new database → the same rows,
a deputy's ID number still decrypts, a media file byte-identical. Runs on the suite's own engine
(SQLite locally, PostgreSQL in CI: the pg_dump/pg_restore path)."""

import datetime
import io
import json
import re
import sqlite3
import tarfile
import uuid
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from core import crypto
from operations import backup
from operations.backup import BackupError, Target, create_backup, restore_backup
from operations.tasks import nightly_backup
from tests import factories as f

PHOTO = bytes(range(256)) * 40
# A backup reads committed data through its own connection (pg_dump) or copies the connection's
# database outside any transaction (SQLite): every test here commits.
pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def new_database(tmp_path: Path):
    """A new, empty database of the suite's engine; dropped afterwards."""
    base = dict(connection.settings_dict)
    if connection.vendor == "postgresql":
        name = f"{base['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        admin = Target(base).pg_connect()
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        try:
            yield Target({**base, "NAME": name})
        finally:
            with admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    else:
        yield Target({**base, "NAME": str(tmp_path / "restored.sqlite3")})


def _fetch(target: Target, sql: str, params=()) -> list[tuple]:
    if target.engine == "postgresql":
        conn = target.pg_connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()
        finally:
            conn.close()
    db = sqlite3.connect(target.settings["NAME"])
    try:
        return db.execute(sql, params).fetchall()
    finally:
        db.close()


@pytest.fixture
def seeded(world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BACKUP_DIR = tmp_path / "backups"
    f.make_reception_day(world.home_a1, datetime.date(2026, 3, 5), on_duty=[world.deputy_a1])
    name = default_storage.save("stations/photos/reception.jpg", ContentFile(PHOTO))
    return world, name


def test_backup_and_restore_round_trip(seeded, tmp_path):
    world, photo_name = seeded
    archive = create_backup(tmp_path / "portal.tar")
    assert archive.stat().st_mode & 0o777 == 0o600
    data = archive.read_bytes()
    for secret in (*settings.PERSONAL_DATA_KEYS, settings.PERSONAL_DATA_HASH_KEY):
        assert secret.encode() not in data  # keys are never in the archive
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["version"] == "0.1.0"
    assert manifest["engine"] == ("postgresql" if connection.vendor == "postgresql" else "sqlite")
    assert manifest["row_counts"]["deputies_deputy"] == 4
    assert manifest["row_counts"]["stations_receptionday"] == 1
    assert "operations.0001_initial" in manifest["migrations"]
    assert f"media/{photo_name}" in manifest["checksums"]

    media = tmp_path / "restored-media"
    with new_database(tmp_path) as target:
        restored = restore_backup(archive, target=target, media_root=media)
        assert restored["row_counts"] == manifest["row_counts"]
        ((token,),) = _fetch(
            target, "SELECT id_number FROM deputies_deputy WHERE id = ?", (world.deputy_a1.pk,)
        )
        assert token != world.deputy_a1.id_number  # stored encrypted …
        assert crypto.decrypt(token) == world.deputy_a1.id_number  # … and readable with the key
        ((receptions,),) = _fetch(target, "SELECT count(*) FROM stations_receptionday")
        assert receptions == 1
    assert (media / photo_name).read_bytes() == PHOTO


def test_the_commands_back_up_and_restore(seeded, tmp_path):
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "cmd.tar"), stdout=out)
    assert "cmd.tar" in out.getvalue()
    with new_database(tmp_path) as target:
        url = (
            f"sqlite:///{target.settings['NAME']}"
            if target.engine == "sqlite"
            else "postgres://{USER}:{PASSWORD}@{HOST}:{PORT}/{NAME}".format(**target.settings)
        )
        out = io.StringIO()
        call_command(
            "restore",
            str(tmp_path / "cmd.tar"),
            "--database-url",
            url,
            "--media-root",
            str(tmp_path / "m2"),
            stdout=out,
        )
    assert "已恢复" in out.getvalue() and "校验一致" in out.getvalue()


def _rewrite(archive: Path, out: Path, *, manifest=None, member=None, data=None) -> Path:
    """A copy of ``archive`` with the manifest edited or one member's bytes replaced."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        for info in src.getmembers():
            content = src.extractfile(info).read()
            if info.name == "manifest.json" and manifest is not None:
                loaded = json.loads(content)
                manifest(loaded)
                content = json.dumps(loaded).encode()
            elif info.name == member:
                content = data
            info.size = len(content)
            dst.addfile(info, io.BytesIO(content))
    return out


@pytest.fixture
def archive(seeded, tmp_path):
    return create_backup(tmp_path / "good.tar")


def _restore(archive, tmp_path):
    with new_database(tmp_path) as target:
        restore_backup(archive, target=target, media_root=tmp_path / "restore-media")


def test_a_different_version_is_refused(archive, tmp_path):
    with (
        mock.patch.object(backup, "portal_version", return_value="0.2.0"),
        pytest.raises(BackupError, match="备份来自门户版本 0.1.0,本程序是 0.2.0"),
    ):
        _restore(archive, tmp_path)
    assert not (tmp_path / "restore-media").exists()


def test_a_different_migration_state_is_refused(archive, tmp_path):
    def drop(manifest):
        manifest["migrations"].remove("operations.0001_initial")

    bad = _rewrite(archive, tmp_path / "bad.tar", manifest=drop)
    with pytest.raises(
        BackupError, match=re.escape("迁移状态与本程序不一致(operations.0001_initial")
    ):
        _restore(bad, tmp_path)


def test_a_corrupted_member_is_refused_before_anything_is_written(archive, tmp_path, seeded):
    _, photo_name = seeded
    bad = _rewrite(archive, tmp_path / "bad.tar", member=f"media/{photo_name}", data=b"damaged")
    with pytest.raises(BackupError, match="校验和不符"):
        _restore(bad, tmp_path)
    assert not (tmp_path / "restore-media").exists()


def test_an_unlisted_member_is_refused(archive, tmp_path):
    with tarfile.open(archive, "a") as tar:
        info = tarfile.TarInfo("media/extra.bin")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(BackupError, match="归档内容与清单不符:media/extra.bin"):
        _restore(archive, tmp_path)


def test_not_an_archive_is_refused(tmp_path, db):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"not a tar file at all" * 100)
    with pytest.raises(BackupError, match="无法打开备份文件"):
        restore_backup(junk)
    with tarfile.open(tmp_path / "empty.tar", "w"):
        pass
    with pytest.raises(BackupError, match="没有 manifest.json"):
        restore_backup(tmp_path / "empty.tar")


def test_restoring_over_a_database_in_use_is_refused(archive, tmp_path):
    if connection.vendor == "postgresql":
        live = Target(dict(connection.settings_dict))
    else:
        (tmp_path / "live.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
        live = Target({**connection.settings_dict, "NAME": str(tmp_path / "live.sqlite3")})
    with pytest.raises(BackupError, match="请恢复到"):
        restore_backup(archive, target=live, media_root=tmp_path / "m")


def test_a_media_directory_with_files_is_refused(archive, tmp_path):
    (tmp_path / "busy" / "x").mkdir(parents=True)
    (tmp_path / "busy" / "x" / "a.jpg").write_bytes(b"1")
    with new_database(tmp_path) as target, pytest.raises(BackupError, match="媒体目录.*不为空"):
        restore_backup(archive, target=target, media_root=tmp_path / "busy")


def test_restore_command_names_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar"))


def test_nightly_backup_keeps_the_newest_n(seeded, settings):
    settings.BACKUP_KEEP = 2
    settings.BACKUP_DIR.mkdir(parents=True)
    for stamp in ("20200101-014500", "20200102-014500", "20200103-014500"):
        (settings.BACKUP_DIR / f"portal-{stamp}.tar").write_bytes(b"old")
    made = Path(nightly_backup.delay().get())
    kept = sorted(p.name for p in settings.BACKUP_DIR.iterdir())
    assert kept == ["portal-20200103-014500.tar", made.name]
    assert backup.last_backup()["name"] == made.name
    assert settings.CELERY_BEAT_SCHEDULE["nightly-backup"]["task"] == nightly_backup.name
