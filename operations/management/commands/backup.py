from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from operations.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库与媒体文件到一个归档(含清单:版本、迁移状态、各表行数、校验和;不含密钥)。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--output", type=Path, help="归档文件路径(默认:BACKUP_DIR 下带时间的文件名)"
        )

    def handle(self, *args, output=None, **options):
        try:
            path = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{path} ({path.stat().st_size} bytes)")
