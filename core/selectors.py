"""Reads of core's own records: a user's notifications and export jobs, only ever their own."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from .models import ExportJob, Notification


def notification_list(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user)


def export_job_list(*, user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(user=user)


def export_job_get(*, user, pk: int) -> ExportJob:
    """One of the user's own export jobs (404 for anyone else's)."""
    return get_object_or_404(ExportJob, pk=pk, user=user)
