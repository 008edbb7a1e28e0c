from celery import shared_task


@shared_task(name="rosters.tasks.run_import")
def run_import(job_id: str) -> str:
    from .jobs import import_job_run

    return import_job_run(job_id)
