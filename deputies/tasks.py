from celery import shared_task
from django.utils import timezone


@shared_task(name="deputies.tasks.run_scoring")
def run_scoring(run_id: int) -> str:
    """A recomputation asked for on the scores page."""
    from .scoring import score_run_execute

    return score_run_execute(run_id)


@shared_task(name="deputies.tasks.compute_scores_nightly")
def compute_scores_nightly() -> dict[int, int]:
    """Nightly: this year's scores, and last year's during January (late entries)."""
    from .scoring import compute_scores

    today = timezone.localdate()
    years = [today.year - 1, today.year] if today.month == 1 else [today.year]
    return {year: compute_scores(year) for year in years}


@shared_task(name="deputies.tasks.send_duty_warnings")
def send_duty_warnings() -> dict[str, int]:
    """Weekly: 履职预警 to deputies without a duty act in three months and their township's
    staff; once a quarter each (the notifications' unique keys)."""
    from .warnings import duty_warnings_send

    return duty_warnings_send(today=timezone.localdate())
