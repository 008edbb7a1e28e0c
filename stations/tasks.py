from celery import shared_task
from django.utils import timezone


@shared_task(name="stations.tasks.generate_reception_days")
def generate_reception_days() -> int:
    """Monthly: keep every station's reception days and rota RECEPTION_MONTHS_AHEAD ahead."""
    from .services.receptions import reception_days_generate

    return reception_days_generate(today=timezone.localdate())


@shared_task(name="stations.tasks.generate_visit_days")
def generate_visit_days() -> int:
    """Monthly: plan this month's 选民走访日 of every station that has none yet."""
    from .services.visits import visit_days_generate

    return visit_days_generate(today=timezone.localdate())


@shared_task(name="stations.tasks.send_reception_reminders")
def send_reception_reminders() -> int:
    """Daily: remind on-duty deputies; the notifications' unique keys make it safe to repeat."""
    from .services.receptions import reception_reminders_send

    return reception_reminders_send(today=timezone.localdate())


@shared_task(name="stations.tasks.send_visit_reminders")
def send_visit_reminders() -> int:
    """Daily: remind the deputies of a coming 选民走访日; safe to repeat (unique keys)."""
    from .services.visits import visit_reminders_send

    return visit_reminders_send(today=timezone.localdate())
