"""A worker killed in the middle of an export (scripts/fault_tests.py kills one with -9): the
redelivered task takes the job over once the dead run's lease has lapsed, and the job is done
exactly once, with one file. A live run's job is left alone, and a run that lost its lease does
not finish the job. The media disk full: the export fails with a clear message, no file."""

import datetime
import errno
import os
import uuid

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from core import exports
from core.models import ExportJob
from core.tasks import run_export as run_export_task


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def job_of(users, **fields) -> ExportJob:
    job = ExportJob.objects.create(user=users["staff"], exporter="suggestion_register")
    if fields:
        ExportJob.objects.filter(pk=job.pk).update(**fields)
    return job


def files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def test_a_job_whose_run_died_is_taken_over_once_its_lease_lapsed(users, world, media):
    lapsed = timezone.now() - datetime.timedelta(seconds=1)
    job = job_of(
        users, status="running", attempts=1, lease_token="dead", lease_until=lapsed, rows_done=7
    )
    assert exports.run_export(str(job.pk)) == "done"
    job.refresh_from_db()
    assert (job.status, job.attempts, job.lease_until) == ("done", 2, None)
    assert job.file and len(files(media)) == 1
    assert exports.run_export(str(job.pk)) == "skipped"
    assert len(files(media)) == 1


def test_a_job_held_by_a_live_run_is_left_alone_and_retried_when_the_lease_lapses(users, world):
    held = timezone.now() + datetime.timedelta(seconds=120)
    job = job_of(users, status="running", attempts=1, lease_token="alive", lease_until=held)
    before = ExportJob.objects.filter(pk=job.pk).values().get()
    assert exports.run_export(str(job.pk)) == "skipped"
    assert ExportJob.objects.filter(pk=job.pk).values().get() == before
    assert 100 < exports.lease_remaining(str(job.pk)) <= 120
    with pytest.raises(Retry) as retry:  # the task comes back when the holder's lease lapses
        run_export_task.apply(args=[str(job.pk)], throw=True)
    assert 100 < retry.value.when <= 121


def test_the_task_does_not_come_back_for_a_finished_job(users, world):
    job = job_of(users, status="done")
    assert exports.lease_remaining(str(job.pk)) is None
    assert run_export_task.apply(args=[str(job.pk)]).get() == "skipped"


def test_a_run_that_lost_its_lease_does_not_finish_the_job(users, world, media, monkeypatch):
    job = job_of(users)
    write = exports.write_workbook

    def taken_over_meanwhile(output, exporter, *, progress=None):
        rows = write(output, exporter, progress=progress)
        ExportJob.objects.filter(pk=job.pk).update(lease_token=uuid.uuid4().hex)
        return rows

    monkeypatch.setattr(exports, "write_workbook", taken_over_meanwhile)
    assert exports.run_export(str(job.pk)) == "skipped"
    job.refresh_from_db()
    assert job.status == "running" and not job.file
    assert files(media) == []


def test_a_job_whose_runs_keep_dying_fails_with_a_message(users, world, settings):
    settings.EXPORT_MAX_ATTEMPTS = 3
    lapsed = timezone.now() - datetime.timedelta(seconds=1)
    job = job_of(users, status="running", attempts=3, lease_token="dead", lease_until=lapsed)
    assert exports.run_export(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "多次中断" in job.error and not job.file


def test_the_media_disk_full_fails_the_export_with_a_clear_message(
    users, world, media, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    def full(self, name, content):
        path = self.path(name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(b"PK half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full)
    job = job_of(users)
    assert exports.run_export(str(job.pk)) == "failed"
    job.refresh_from_db()
    assert job.status == "failed" and "存储空间已满" in job.error and not job.file
    assert files(media) == []


# One world for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
