"""Reads of the roster import: a user sees only their own import jobs."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ImportJob, ImportRow

if TYPE_CHECKING:
    from accounts.models import User


def import_job_get(*, user: "User", pk: int, with_head: bool = False) -> ImportJob:
    """One of the user's own jobs (404 for anyone else's); the sheet's head only when asked."""
    jobs = ImportJob.objects.all() if with_head else ImportJob.objects.defer("head")
    return get_object_or_404(jobs, pk=pk, user=user)


def import_job_recent(*, user: "User", count: int) -> QuerySet[ImportJob]:
    """The user's latest jobs (the model orders them), without their content."""
    return ImportJob.objects.filter(user=user).only(
        "id", "roster", "original_name", "status", "created_at"
    )[:count]


def import_row_list(*, job: ImportJob, status: str = "") -> QuerySet[ImportRow]:
    """The job's checked rows in sheet order, those of one outcome when ``status`` is given."""
    rows = ImportRow.objects.filter(job=job).only("row", "status", "content")
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("row")
