import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from deputies.scoring import compute_scores


class Command(BaseCommand):
    help = "Compute every deputy's duty score (考核得分) for a year from that year's rules."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="default: this year")

    def handle(self, *args, year: int | None, **options):
        year = year or timezone.localdate().year
        if not 2000 <= year <= timezone.localdate().year:
            raise CommandError("--year must be between 2000 and this year.")
        started = time.monotonic()
        count = compute_scores(year)
        self.stdout.write(
            self.style.SUCCESS(
                f"{year}: scored {count} deputies in {time.monotonic() - started:.2f} s"
            )
        )
