import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.models import Role
from core.errors import DomainError
from core.exports import write_workbook
from reports.exporters import AnnualReportExporter


class Command(BaseCommand):
    help = (
        "Write the annual report workbook (代表工作年度报告) of a year or a date range to a file, "
        "as the portal's export does, for scheduled jobs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="the calendar year (default: this year)")
        parser.add_argument("--start", help="first day of a date range, YYYY-MM-DD")
        parser.add_argument("--end", help="last day of a date range, YYYY-MM-DD")
        parser.add_argument("--output", required=True, help="the .xlsx file to write")
        parser.add_argument(
            "--user",
            help="export as this user (their scope and permissions); default: the first active "
            "administrator",
        )
        parser.add_argument(
            "--reveal",
            action="store_true",
            help="full ID numbers and phones (the user needs the permission; each is logged)",
        )

    def handle(self, *args, year, start, end, output, user, reveal, **options):
        users = get_user_model().objects.filter(is_active=True)
        account = (
            users.filter(username=user).first()
            if user
            else users.filter(role=Role.ADMINISTRATOR).order_by("pk").first()
        )
        if account is None:
            raise CommandError(f"No active user {user!r}." if user else "No active administrator.")
        data = {"year": year, "start": start, "end": end, "reveal": "1" if reveal else ""}
        if not AnnualReportExporter.allowed(account):
            raise CommandError(f"{account.username} may not export the annual report.")
        try:
            params = AnnualReportExporter.clean_params(account, data)
        except DomainError as error:
            raise CommandError(error.message) from None
        exporter = AnnualReportExporter(user=account, params=params)
        started = time.monotonic()
        with open(output, "wb") as handle:
            rows = write_workbook(handle, exporter)
        self.stdout.write(
            self.style.SUCCESS(
                f"{exporter.title()}: {rows} rows to {output} in {time.monotonic() - started:.2f} s"
            )
        )
