from pathlib import Path

import dj_database_url
from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, Target, restore_backup


class Command(BaseCommand):
    help = (
        "把 manage.py backup 的归档恢复到空数据库和空媒体目录:先核对版本、迁移状态与校验和,"
        "恢复后核对各表行数。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--database-url", help="恢复到这个数据库(默认:本门户配置的数据库),必须是空库"
        )
        parser.add_argument("--media-root", type=Path, help="媒体目录(默认:MEDIA_ROOT)")

    def handle(self, *args, archive, database_url=None, media_root=None, **options):
        if not archive.is_file():
            raise CommandError(f"找不到备份文件 {archive}。")
        target = Target(dj_database_url.parse(database_url)) if database_url else None
        try:
            manifest = restore_backup(archive, target=target, media_root=media_root)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["row_counts"].values())
        self.stdout.write(
            f"已恢复:版本 {manifest['version']},{len(manifest['row_counts'])} 张表 {rows} 行,"
            f"{len(manifest['checksums']) - 1} 个媒体文件,校验一致。"
        )
