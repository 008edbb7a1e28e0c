"""Reads of core's own records: a user's notifications and export jobs, only ever their own."""

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ExportJob, Notification

if TYPE_CHECKING:
    from accounts.models import User


def notification_list(*, user: "User") -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def export_job_list(*, user: "User") -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(user=user)


def export_job_get(*, user: "User", pk: int) -> ExportJob:
    """One of the user's own export jobs (404 for anyone else's)."""
    return get_object_or_404(ExportJob, pk=pk, user=user)
