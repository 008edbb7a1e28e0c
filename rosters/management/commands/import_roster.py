from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rosters.base import RowStatus
from rosters.services import ROSTERS, roster_import_file
from rosters.sheets import SheetError, column_for_label
from rosters.values import vocabularies


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
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="LABEL=VALUE",
            help="one value for the whole file for a column it lacks, e.g. --set 届次=18 "
            "(LABEL: the column's Chinese label or a synonym; repeatable)",
        )

    def handle(self, *args, file: Path, roster: str, header_row, sheet, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"{file}: no such file")
        fixed_values = self._fixed_values(roster, options["set"])
        # Each row's outcome is written out as it comes (repeats to stdout, errors to stderr)
        # and let go: every roster hands its rows on chunk by chunk, so a large file is never
        # held whole (rows a preview kept would be written out the same way after it).
        self._errors = 0
        with file.open("rb") as handle:
            preview = roster_import_file(
                roster=roster,
                uploaded_file=handle,
                sheet=sheet,
                header_row=header_row,
                fixed_values=fixed_values,
                commit=not dry_run,
                sink=self._write_rows,
            )
        self._write_rows(preview.rows)
        for line in preview.file_errors:
            self.stderr.write(line)
        counts = preview.counts()
        summary = (
            f"{preview.row_count} rows: {counts['create']} to create, {counts['update']} to "
            f"update, {counts['unchanged']} unchanged, {counts['duplicate']} duplicate rows ignored"
        )
        if not preview.ok:
            unknown = self._unknown_lines(preview.unknown_values)
            for line in unknown:
                self.stderr.write(line)
            errors = self._errors + len(preview.file_errors)
            raise CommandError(
                f"{summary}; {errors} errors"
                + (f", {len(unknown)} unknown values" if unknown else "")
                + ", nothing saved."
                + (
                    " Map the unknown values on the roster import page (对应取值) or in the "
                    "admin (取值对应), then import again."
                    if unknown
                    else ""
                ),
                returncode=1,
            )
        verb = "checked (dry run, nothing saved)" if dry_run else "imported"
        self.stdout.write(self.style.SUCCESS(f"{file.name} {verb}: {summary}."))

    def _write_rows(self, results) -> None:
        for row in results:
            if row.status == RowStatus.DUPLICATE:
                self.stdout.write(f"第{row.row}行 {row.label}:{'、'.join(row.changes)}")
            for error in row.errors:
                self.stderr.write(str(error))
                self._errors += 1

    @staticmethod
    def _fixed_values(roster: str, pairs: list[str]) -> dict[str, str]:
        fixed = {}
        for pair in pairs:
            label, sep, value = pair.partition("=")
            if not sep or not value.strip():
                raise CommandError(f"--set {pair}: write it as LABEL=VALUE, e.g. --set 届次=18")
            try:
                column = column_for_label(label, ROSTERS[roster].columns)
            except SheetError as error:
                raise CommandError(f"--set {pair}: {error}") from None
            fixed[column.key] = value.strip()
        return fixed

    @staticmethod
    def _unknown_lines(unknown: dict[str, dict[str, int]]) -> list[str]:
        lists = vocabularies()
        return [
            f"{lists[column].label if column in lists else column}“{value}”:不认识的取值({rows}行)"
            for column, counts in unknown.items()
            for value, rows in counts.items()
        ]
