"""One-file backups of the portal and their verified restore (docs/operations.md).

An archive is an uncompressed tar (the PostgreSQL dump is already compressed, photos and sealed
files do not compress) holding:

- ``database.pgdump`` (``pg_dump --format=custom``) or ``database.sqlite3`` (SQLite's online
  backup API), taken in one snapshot together with the row count of every table;
- ``media/…``: every file under MEDIA_ROOT;
- ``manifest.json``, written last: format, portal version, database engine, the migrations
  applied, row counts per table and the SHA-256 of every other member.

Encryption keys (PERSONAL_DATA_KEYS, PERSONAL_DATA_HASH_KEY, SECRET_KEY) are never in it: they
live in the environment file, which is kept apart (docs/deploy.md). Without them a restored
database's personal data cannot be read.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import psycopg2
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from .version import portal_version

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.pgdump"
SQLITE_FILE = "database.sqlite3"
MEDIA_PREFIX = "media/"
ARCHIVE_GLOB = "portal-*.tar"
_CHUNK = 1024 * 1024
_MIGRATIONS_SQL = "SELECT app, name FROM django_migrations ORDER BY app, name"


class BackupError(Exception):
    """A backup or restore refused or failed; the message is for the operator (Chinese)."""


@dataclass(frozen=True)
class Target:
    """Where a database lives: Django's settings dict of a connection."""

    settings: dict

    @property
    def engine(self) -> str:
        return "postgresql" if "postgresql" in self.settings["ENGINE"] else "sqlite"

    def pg_env(self) -> dict[str, str]:
        env = dict(os.environ)
        for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
            if self.settings.get(key):
                env[name] = str(self.settings[key])
        if self.settings.get("PASSWORD"):
            env["PGPASSWORD"] = self.settings["PASSWORD"]
        return env

    def pg_connect(self):
        return psycopg2.connect(
            dbname=self.settings["NAME"],
            user=self.settings.get("USER") or None,
            password=self.settings.get("PASSWORD") or None,
            host=self.settings.get("HOST") or None,
            port=self.settings.get("PORT") or None,
        )


def default_target() -> Target:
    return Target(connections["default"].settings_dict)


# --- backup -----------------------------------------------------------------------------------


def create_backup(output: Path | None = None) -> Path:
    """Write an archive to ``output`` (default: a timestamped file in BACKUP_DIR) and return its
    path. It appears under its final name only when complete."""
    if output is None:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        output = Path(settings.BACKUP_DIR) / f"portal-{stamp}.tar"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    target = default_target()
    try:
        with tempfile.TemporaryDirectory(dir=output.parent) as scratch:
            if target.engine == "postgresql":
                db_member = PG_DUMP
                row_counts, migrations = _dump_postgresql(target, Path(scratch) / db_member)
            else:
                db_member = SQLITE_FILE
                row_counts, migrations = _dump_sqlite(Path(scratch) / db_member)
            checksums: dict[str, str] = {}
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w") as tar:
                checksums[db_member] = _add_file(tar, Path(scratch) / db_member, db_member)
                for path, name in _media_files():
                    checksums[name] = _add_file(tar, path, name)
                manifest = {
                    "format": FORMAT,
                    "version": portal_version(),
                    "created_at": timezone.now().isoformat(),
                    "engine": target.engine,
                    "migrations": migrations,
                    "row_counts": row_counts,
                    "checksums": checksums,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(timezone.now().timestamp())
                tar.addfile(info, io.BytesIO(data))
        os.replace(partial, output)
    finally:
        partial.unlink(missing_ok=True)
    return output


def _dump_postgresql(target: Target, path: Path) -> tuple[dict[str, int], list[str]]:
    """Row counts, the migrations applied and pg_dump read the same snapshot, so the manifest
    matches the dump even while the portal keeps writing."""
    conn = target.pg_connect()
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_row_counts(cursor)
            cursor.execute(_MIGRATIONS_SQL)
            migrations = [f"{app}.{name}" for app, name in cursor.fetchall()]
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                "--no-privileges",
                f"--file={path}",
                target.settings["NAME"],
            ],
            env=target.pg_env(),
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BackupError(f"pg_dump 失败:{result.stderr.strip()}")
    finally:
        conn.close()
    return counts, migrations


def _pg_row_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    )
    tables = [row[0] for row in cursor.fetchall()]
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def _sqlite_row_counts(db: sqlite3.Connection) -> dict[str, int]:
    tables = [
        row[0]
        for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
    ]
    return {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def _dump_sqlite(path: Path) -> tuple[dict[str, int], list[str]]:
    """SQLite's online backup API copies a consistent database while others write to it."""
    connection = connections["default"]
    if connection.in_atomic_block:
        # Copying its own connection mid-transaction would wait forever on the table locks.
        raise BackupError("不能在数据库事务中备份 SQLite 数据库。")
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
        migrations = [f"{app}.{name}" for app, name in copy.execute(_MIGRATIONS_SQL)]
        return _sqlite_row_counts(copy), migrations
    finally:
        copy.close()


def _media_files():
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for directory, _dirs, files in sorted(os.walk(root)):
        for filename in sorted(files):
            path = Path(directory) / filename
            yield path, MEDIA_PREFIX + path.relative_to(root).as_posix()


class _HashingReader:
    """Hashes what tarfile reads, so the checksum is of the very bytes archived."""

    def __init__(self, handle) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, name: str) -> str:
    info = tar.gettarinfo(path, arcname=name)
    with open(path, "rb") as handle:
        reader = _HashingReader(handle)
        tar.addfile(info, reader)
    return reader.digest.hexdigest()


# --- retention and listing --------------------------------------------------------------------


def list_backups() -> list[Path]:
    """Archives in BACKUP_DIR, newest first (their names sort by time)."""
    directory = Path(settings.BACKUP_DIR)
    if not directory.is_dir():
        return []
    return sorted(directory.glob(ARCHIVE_GLOB), reverse=True)


def prune_backups(*, keep: int) -> list[Path]:
    removed = list_backups()[max(keep, 1) :]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


# --- restore ----------------------------------------------------------------------------------


def read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.getmember(MANIFEST)
    except KeyError:
        raise BackupError("归档中没有 manifest.json,不是本门户的备份文件。") from None
    try:
        manifest = json.load(tar.extractfile(member))
    except ValueError:
        raise BackupError("manifest.json 已损坏,无法读取。") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式:{manifest.get('format')!r}。")
    return manifest


def check_compatible(manifest: dict) -> None:
    """Restore only into the same portal version with the same migrations: restore with the
    version that made the archive, then upgrade as usual (docs/deploy.md)."""
    version = portal_version()
    if manifest.get("version") != version:
        raise BackupError(
            f"备份来自门户版本 {manifest.get('version')},本程序是 {version}:"
            f"请用版本 {manifest.get('version')} 的程序恢复,再按升级步骤升级。"
        )
    loader = MigrationLoader(None)
    in_archive = {tuple(name.split(".", 1)) for name in manifest.get("migrations", [])}
    known = set(loader.disk_migrations)
    for migration in loader.disk_migrations.values():
        known.update(migration.replaces)
    # A squashed migration counts as applied when everything it replaces is.
    missing = sorted(
        f"{app}.{name}"
        for (app, name), migration in loader.graph.nodes.items()
        if (app, name) not in in_archive
        and not (migration.replaces and all(r in in_archive for r in migration.replaces))
    )
    extra = sorted(f"{app}.{name}" for app, name in in_archive - known)
    if missing or extra:
        detail = "、".join((missing + extra)[:5])
        raise BackupError(f"备份的数据库迁移状态与本程序不一致({detail} 等),拒绝恢复。")


def verify_checksums(tar: tarfile.TarFile, manifest: dict) -> None:
    expected = manifest.get("checksums", {})
    members = {m.name: m for m in tar.getmembers() if m.name != MANIFEST}
    if set(members) != set(expected):
        unknown = sorted(set(members) ^ set(expected))[:5]
        raise BackupError(f"归档内容与清单不符:{'、'.join(unknown)}。")
    for name, member in members.items():
        if not member.isfile():
            raise BackupError(f"归档中的 {name} 不是普通文件。")
        digest = hashlib.sha256()
        handle = tar.extractfile(member)
        for chunk in iter(lambda h=handle: h.read(_CHUNK), b""):
            digest.update(chunk)
        if digest.hexdigest() != expected[name]:
            raise BackupError(f"{name} 的校验和不符,备份文件已损坏。")


def restore_backup(
    archive: Path, *, target: Target | None = None, media_root: Path | None = None
) -> dict:
    """Restore ``archive`` into an empty database and an empty media directory; checks the
    manifest first (version, migrations, checksums) and the row counts after. Returns the
    manifest."""
    target = target or default_target()
    media_root = Path(media_root or settings.MEDIA_ROOT)
    with _open_archive(archive) as tar:
        manifest = read_manifest(tar)
        check_compatible(manifest)
        if manifest["engine"] != target.engine:
            raise BackupError(
                f"备份来自 {manifest['engine']} 数据库,目标是 {target.engine},无法恢复。"
            )
        verify_checksums(tar, manifest)
        _check_empty(target, media_root)
        with tempfile.TemporaryDirectory() as scratch:
            if target.engine == "postgresql":
                tar.extract(PG_DUMP, scratch, filter="data")
                _pg_restore(target, Path(scratch) / PG_DUMP)
            else:
                tar.extract(SQLITE_FILE, scratch, filter="data")
                shutil.move(Path(scratch) / SQLITE_FILE, target.settings["NAME"])
        _extract_media(tar, media_root)
    counts = _row_counts(target)
    differing = sorted(
        table
        for table in set(counts) | set(manifest["row_counts"])
        if counts.get(table) != manifest["row_counts"].get(table)
    )
    if differing:
        raise BackupError(f"恢复后的行数与清单不符:{'、'.join(differing[:5])}。")
    return manifest


def _open_archive(archive: Path) -> tarfile.TarFile:
    try:
        return tarfile.open(archive, mode="r:")  # noqa: SIM115 - the caller closes it
    except (OSError, tarfile.TarError):
        raise BackupError(f"无法打开备份文件 {archive}。") from None


def _check_empty(target: Target, media_root: Path) -> None:
    if target.engine == "postgresql":
        conn = target.pg_connect()
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
                tables = cursor.fetchone()[0]
        finally:
            conn.close()
        if tables:
            raise BackupError(
                f"目标数据库 {target.settings['NAME']} 不是空库(已有 {tables} 张表),"
                "请恢复到新建的空数据库。"
            )
    else:
        path = Path(target.settings["NAME"])
        if path.exists() and path.stat().st_size:
            raise BackupError(f"目标数据库文件 {path} 已存在,请恢复到新的位置。")
    if media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*")):
        raise BackupError(f"媒体目录 {media_root} 不为空,请恢复到空目录。")


def _pg_restore(target: Target, dump: Path) -> None:
    result = subprocess.run(
        [
            "pg_restore",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={target.settings['NAME']}",
            str(dump),
        ],
        env=target.pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore 失败:{result.stderr.strip()}")


def _extract_media(tar: tarfile.TarFile, media_root: Path) -> None:
    for member in tar.getmembers():
        if not member.name.startswith(MEDIA_PREFIX):
            continue
        relative = PurePosixPath(member.name[len(MEDIA_PREFIX) :])
        if relative.is_absolute() or ".." in relative.parts:
            raise BackupError(f"归档中的路径不安全:{member.name}。")
        destination = media_root.joinpath(*relative.parts)
        destination.parent.mkdir(parents=True, exist_ok=True)
        with tar.extractfile(member) as source, open(destination, "wb") as sink:
            shutil.copyfileobj(source, sink, _CHUNK)


def _row_counts(target: Target) -> dict[str, int]:
    if target.engine == "postgresql":
        conn = target.pg_connect()
        try:
            with conn.cursor() as cursor:
                return _pg_row_counts(cursor)
        finally:
            conn.close()
    db = sqlite3.connect(target.settings["NAME"])
    try:
        return _sqlite_row_counts(db)
    finally:
        db.close()


def last_backup() -> dict | None:
    """The newest archive with its size and time, for the status page."""
    for path in list_backups():
        stat = path.stat()
        return {
            "name": path.name,
            "size": stat.st_size,
            "at": datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC),
        }
    return None
