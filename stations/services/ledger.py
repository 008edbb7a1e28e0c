"""The station activity ledger (家站活动台账)."""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from deputies.models import DutyRecord
from deputies.services import duty_records_remove, duty_records_sync
from directory.models import Deputy, Station

from ..models import ActivityPhoto, StationActivity

if TYPE_CHECKING:
    from accounts.models import User


def _duty_kind(kind: str) -> str:
    return (
        DutyRecord.Kind.VOTER_VISIT
        if kind == StationActivity.Kind.VOTER_VISIT
        else DutyRecord.Kind.ACTIVITY
    )


def _check(
    *,
    user: "User",
    station: Station,
    date: datetime.date,
    deputies: list[Deputy],
    people_reached: int,
) -> None:
    if not can(user, "station.keep", station):
        raise DomainError(_("只有本站管理员或上级工作人员可以登记台账。"))
    if date > timezone.localdate():
        raise DomainError(_("活动日期不能晚于今天。"), field="date")
    if people_reached < 0:
        raise DomainError(_("参与人数不能为负数。"), field="people_reached")
    strangers = [d.name for d in deputies if d.station_id != station.pk]
    if strangers:
        raise DomainError(
            _("以下代表不在本站进驻:%(names)s") % {"names": "、".join(strangers)}, field="deputies"
        )


def activity_save(
    *,
    user: "User",
    station: Station,
    kind: str,
    date: datetime.date,
    theme: str,
    deputies: list[Deputy],
    people_reached: int,
    summary: str = "",
    photos: Sequence[UploadedFile] = (),
    activity: StationActivity | None = None,
) -> StationActivity:
    """Create (or, given ``activity``, update) a ledger entry and its deputies' duty records."""
    _check(user=user, station=station, date=date, deputies=deputies, people_reached=people_reached)
    with transaction.atomic():
        if activity is None:
            activity = StationActivity(station=station, created_by=user)
        elif activity.kind != kind:
            duty_records_remove(source=activity)
        activity.kind, activity.date, activity.theme = kind, date, theme
        activity.people_reached, activity.summary = people_reached, summary
        activity.save()
        activity.deputies.set(deputies)
        for photo in photos:
            ActivityPhoto.objects.create(activity=activity, image=photo)
        duty_records_sync(
            source=activity,
            kind=_duty_kind(kind),
            deputies=deputies,
            occurred_on=date,
            title=activity.duty_title(),
        )
    return activity


def activity_delete(*, user: "User", activity: StationActivity) -> None:
    if not can(user, "activity.keep", activity):
        raise DomainError(_("只有本站管理员或上级工作人员可以删除台账。"))
    with transaction.atomic():
        duty_records_remove(source=activity)
        activity.delete()
