"""A background export in every status against its task, from a table written here: only a
queued job runs (once), every other status is skipped and left as it was. And the suggestion
register export started by every role: the roles of the table queue it, the others are refused
by the service and nothing is queued."""

import pytest

from core import exports
from core.errors import DomainError
from core.models import ExportJob

STATUSES = ["pending", "running", "done", "failed"]
RUNS = {"pending": "done"}  # status → where running its task leads; others: skipped
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider"]
MAY_EXPORT_REGISTER = {"admin", "staff", "member", "township", "outsider"}


@pytest.mark.parametrize("status", STATUSES)
def test_only_a_queued_export_runs(users, world, status):
    job = ExportJob.objects.create(user=users["staff"], exporter="suggestion_register")
    ExportJob.objects.filter(pk=job.pk).update(status=status)
    before = ExportJob.objects.filter(pk=job.pk).values().get()
    outcome = exports.run_export(str(job.pk))
    after = ExportJob.objects.get(pk=job.pk)
    if status in RUNS:
        assert (outcome, after.status) == ("done", RUNS[status])
        assert after.file and after.expires_at is not None and after.finished_at is not None
        assert after.rows_done == after.rows_total > 0
    else:
        assert outcome == "skipped"
        assert ExportJob.objects.filter(pk=job.pk).values().get() == before


@pytest.mark.parametrize("role", ROLES)
def test_the_register_export_is_queued_for_the_roles_of_the_table(
    users, world, role, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        if role in MAY_EXPORT_REGISTER:
            job = exports.start_export(user=users[role], identifier="suggestion_register", data={})
            assert (job.user, job.status) == (users[role], "pending")
        else:
            with pytest.raises(DomainError, match="无权导出"):
                exports.start_export(user=users[role], identifier="suggestion_register", data={})
    assert len(queued) == (role in MAY_EXPORT_REGISTER)
    assert ExportJob.objects.count() == (role in MAY_EXPORT_REGISTER)


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
