"""Writes on deputies' records that other features call."""

import datetime
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models

from .models import Deputy, DutyRecord


def duty_records_sync(
    *,
    source: models.Model,
    kind: str,
    deputies: Iterable[Deputy],
    occurred_on: datetime.date,
    title: str,
) -> None:
    """Make the duty records of ``source`` exactly one per deputy in ``deputies``: add the
    missing, remove those of deputies no longer involved, update date and title. Call it inside
    the transaction that saves ``source``."""
    source_type = ContentType.objects.get_for_model(source)
    existing = DutyRecord.objects.filter(source_type=source_type, source_id=source.pk, kind=kind)
    wanted = {deputy.pk for deputy in deputies}
    existing.exclude(deputy_id__in=wanted).delete()
    existing.update(occurred_on=occurred_on, title=title[:200])
    present = set(existing.values_list("deputy_id", flat=True))
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy_id=deputy_id,
                kind=kind,
                occurred_on=occurred_on,
                title=title[:200],
                source_type=source_type,
                source_id=source.pk,
            )
            for deputy_id in wanted - present
        ],
        ignore_conflicts=True,
    )


def duty_records_remove(*, source: models.Model) -> None:
    source_type = ContentType.objects.get_for_model(source)
    DutyRecord.objects.filter(source_type=source_type, source_id=source.pk).delete()
