from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rosters.services import ROSTERS, roster_import_file


class Command(BaseCommand):
    help = (
        "Import a roster (.xlsx, .xls, .ods or .csv) as the administrator: check every row and save all of it only "
        "when no row has an error; otherwise exit 1 with the row-level report (第8行 …)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--roster", choices=sorted(ROSTERS), default="deputies", help="default: deputies"
        )
        parser.add_argument(
            "--header-row", type=int, default=None, help="Excel row of the header (default: found)"
        )
        parser.add_argument(
            "--sheet", default=None, help="the sheet to read (default: the first with data)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")

    def handle(self, *args, file: Path, roster: str, header_row, sheet, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        with file.open("rb") as handle:
            preview = roster_import_file(
                roster=roster,
                uploaded_file=handle,
                sheet=sheet,
                header_row=header_row,
                commit=not dry_run,
            )
        counts = preview.counts()
        summary = (
            f"{len(preview.rows)} rows: {counts['create']} to create, {counts['update']} to "
            f"update, {counts['unchanged']} unchanged, {counts['duplicate']} duplicate rows ignored"
        )
        if not preview.ok:
            for line in preview.report_lines():
                self.stderr.write(line)
            raise CommandError(
                f"{summary}; {len(preview.report_lines())} errors, nothing saved.", returncode=1
            )
        verb = "checked (dry run, nothing saved)" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file.name} {verb}: {summary}."))
