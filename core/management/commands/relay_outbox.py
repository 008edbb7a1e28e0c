from django.core.management.base import BaseCommand

from core.outbox import relay_pending


class Command(BaseCommand):
    help = "Publish Celery tasks that were enqueued while the broker was unreachable."

    def handle(self, *args, **options):
        self.stdout.write(f"published {relay_pending()} pending task(s)")
