from celery import shared_task


@shared_task(name="elections.tasks.run_registration_check", acks_late=True)
def run_registration_check(check_id: int) -> str:
    """A "三零" check queued from its page; claiming the run makes a repeat a no-op."""
    from .services import registration_check_execute

    return registration_check_execute(check_id)


@shared_task(name="elections.tasks.expire_stale_checks")
def expire_stale_checks() -> int:
    """Hourly: checks lost with their worker fail, and their uploaded files are deleted."""
    from .services import registration_checks_expire

    return registration_checks_expire()
