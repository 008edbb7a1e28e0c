import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.seed import DEMO_PASSWORD, build_demo


class Command(BaseCommand):
    help = "Build a deterministic demo county (苍溪县) with one login per role; safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="number of counties (benchmarks)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="run even with DEBUG off (never on a real deployment)",
        )

    def handle(self, *args, scale: int, force: bool, **options):
        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates accounts with a published password and refuses to run with "
                "DEBUG off. Use --force only on a throwaway database."
            )
        started = time.monotonic()
        report = build_demo(scale=scale)
        for name in report.counties_created:
            self.stdout.write(f"created {name}")
        for name in report.station_work:
            self.stdout.write(
                f"station work (reception days, receptions, ledger, wishes) for {name}"
            )
        for name in report.suggestions:
            self.stdout.write(
                f"suggestions (a session year through the three meetings, 420 supervised) for {name}"
            )
        for name in report.counties_skipped:
            self.stdout.write(f"already present, left unchanged: {name}")
        self.stdout.write(f"done in {time.monotonic() - started:.1f} s")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password {DEMO_PASSWORD}):"))
        for username, role in report.users:
            self.stdout.write(f"  {username:<9} {role}")
