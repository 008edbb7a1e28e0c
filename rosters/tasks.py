from celery import shared_task


@shared_task(name="rosters.tasks.run_import")
def run_import(job_id: str) -> str:
    from .jobs import import_job_run

    return import_job_run(job_id)


@shared_task(name="rosters.tasks.purge_old_imports")
def purge_old_imports() -> int:
    """Hourly: delete uploaded rosters and their previews older than the retention."""
    from .jobs import import_jobs_purge

    return import_jobs_purge()
