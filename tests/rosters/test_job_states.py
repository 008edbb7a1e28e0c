"""A roster import job in every status against every step, from a table written here: a check
is queued from uploaded or checked, a commit only from a clean check, a queued job runs once;
every other pair is refused (a DomainError for the staff's steps, "skipped" for the task) and
changes nothing."""

import pytest

from core.errors import DomainError
from rosters.jobs import import_job_check, import_job_commit, import_job_run, import_job_upload
from rosters.models import ImportJob
from tests.rosters.helpers import DEPUTY_HEADER, upload
from tests.rosters.test_deputy_roster import ID_1

S = ImportJob.Status
STATUSES = [
    "uploaded",
    "pending",
    "running",
    "checked_clean",
    "checked_errors",
    "committed",
    "failed",
]
ALLOWED = {
    ("uploaded", "check"): "pending",
    ("checked_clean", "check"): "pending",
    ("checked_errors", "check"): "pending",
    ("checked_clean", "commit"): "pending",
    ("pending", "run"): "checked",
}


def _job(users, status) -> ImportJob:
    rows = [(1, "王小明", None, ID_1, None, None, "甲一镇代表之家", "县", 18, "第1选区", None)]
    job = import_job_upload(
        user=users["staff"], roster="deputies", uploaded_file=upload(DEPUTY_HEADER, rows)
    )
    stored = {
        "checked_clean": (S.CHECKED, {"ok": True}),
        "checked_errors": (S.CHECKED, {"ok": False}),
    }.get(status, (status, {}))
    ImportJob.objects.filter(pk=job.pk).update(status=stored[0], result=stored[1])
    return ImportJob.objects.get(pk=job.pk)


def _row(job) -> dict:
    return ImportJob.objects.filter(pk=job.pk).values().get()


def _call(action, job):
    if action == "check":
        return import_job_check(job=job, header_row=job.header_row, mapping=job.mapping)
    if action == "commit":
        return import_job_commit(job=job)
    return import_job_run(str(job.pk))


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", ["check", "commit", "run"])
def test_every_job_status_and_step(
    users, world, status, action, django_capture_on_commit_callbacks
):
    job = _job(users, status)
    before = _row(job)
    target = ALLOWED.get((status, action))
    if target is None:
        if action == "run":
            assert import_job_run(str(job.pk)) == "skipped"
        else:
            with pytest.raises(DomainError):
                _call(action, job)
        assert _row(job) == before
        return
    with django_capture_on_commit_callbacks(execute=False) as queued:
        _call(action, job)
    job.refresh_from_db()
    assert job.status == target
    if action == "run":
        assert job.result["ok"] is True and job.finished_at is not None
    else:
        assert len(queued) == 1  # the task, once
        assert job.commit_requested == (action == "commit")


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
