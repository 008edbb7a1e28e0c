"""Reception days, their on-duty rota, reminders, and logging what a deputy heard."""

import calendar
import datetime
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from core.notifications import notify
from core.storage import files_kept_only_on_success
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Deputy, Station

from ..models import Opinion, Reception, ReceptionDay, ReceptionDuty, ReceptionPhoto, SmallWish
from .opinions import opinion_create

if TYPE_CHECKING:
    from accounts.models import User


def _month_day(year: int, month: int, day: int) -> datetime.date:
    return datetime.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _months(start: datetime.date, count: int) -> Iterator[tuple[int, int]]:
    year, month = start.year, start.month
    for _i in range(count):
        yield year, month
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def reception_days_generate(
    *, today: datetime.date, months_ahead: int | None = None, stations=None
) -> int:
    """Create the fixed reception days of this month and the next ``months_ahead`` for every
    active station, with an on-duty rota; days that exist are left as they are. Returns the number
    of days created. Set-based: a few queries whatever the number of stations."""
    months_ahead = settings.RECEPTION_MONTHS_AHEAD if months_ahead is None else months_ahead
    stations = list(
        (stations if stations is not None else Station.objects.filter(is_active=True)).only(
            "pk", "reception_day"
        )
    )
    if not stations:
        return 0
    wanted = [
        ReceptionDay(station_id=station.pk, date=_month_day(year, month, station.reception_day))
        for station in stations
        for year, month in _months(today.replace(day=1), months_ahead + 1)
    ]
    station_ids = [station.pk for station in stations]
    existing = set(
        ReceptionDay.objects.filter(
            station_id__in=station_ids, date__gte=today.replace(day=1)
        ).values_list("station_id", "date")
    )
    new_days = [day for day in wanted if (day.station_id, day.date) not in existing]
    with transaction.atomic():
        ReceptionDay.objects.bulk_create(new_days, ignore_conflicts=True)
        created = list(
            ReceptionDay.objects.filter(
                station_id__in=station_ids,
                date__gte=today.replace(day=1),
                duties__isnull=True,
                status=ReceptionDay.Status.PLANNED,
            ).order_by("date", "pk")
        )
        _assign_rota(created)
    return len(new_days)


def _assign_rota(days: list[ReceptionDay]) -> None:
    """Give each day RECEPTION_DUTY_SIZE on-duty deputies of its station, those with the fewest
    duties so far first, so every deputy takes a turn before anyone's second."""
    if not days:
        return
    station_ids = {day.station_id for day in days}
    stationed: dict[int, list[int]] = {}
    for deputy_id, station_id in (
        Deputy.objects.in_office()
        .filter(station_id__in=station_ids)
        .order_by("pk")
        .values_list("pk", "station_id")
    ):
        stationed.setdefault(station_id, []).append(deputy_id)
    duties = Counter(
        dict(
            ((row["deputy_id"]), row["n"])
            for row in ReceptionDuty.objects.filter(reception_day__station_id__in=station_ids)
            .values("deputy_id")
            .annotate(n=Count("pk"))
        )
    )
    rows = []
    for day in days:
        deputies = sorted(stationed.get(day.station_id, []), key=lambda pk: (duties[pk], pk))
        for deputy_id in deputies[: settings.RECEPTION_DUTY_SIZE]:
            duties[deputy_id] += 1
            rows.append(ReceptionDuty(reception_day_id=day.pk, deputy_id=deputy_id))
    ReceptionDuty.objects.bulk_create(rows, ignore_conflicts=True)


def reception_day_update(
    *,
    user: "User",
    day: ReceptionDay,
    date: datetime.date,
    status: str,
    note: str,
    on_duty: list[Deputy],
) -> ReceptionDay:
    if not can(user, "reception_day.edit", day):
        raise DomainError(_("只有本站管理员或上级工作人员可以调整接待日。"))
    strangers = [deputy.name for deputy in on_duty if deputy.station_id != day.station_id]
    if strangers:
        raise DomainError(
            _("以下代表不在本站进驻,不能排班:%(names)s") % {"names": "、".join(strangers)},
            field="on_duty",
        )
    if day.receptions.exists() and status == ReceptionDay.Status.CANCELLED:
        raise DomainError(_("已有接待记录的接待日不能取消。"), field="status")
    with transaction.atomic():
        day.date, day.status, day.note = date, status, note
        try:
            with transaction.atomic():
                day.save(update_fields=["date", "status", "note"])
        except IntegrityError:
            raise DomainError(
                _("本站在 %(date)s 已有接待日。") % {"date": date.isoformat()}, field="date"
            ) from None
        day.on_duty.set(on_duty)
    return day


def reception_reminders_send(*, today: datetime.date) -> int:
    """Remind on-duty deputies RECEPTION_REMINDER_DAYS before their reception day. The
    notification's unique key (day, deputy) makes a second run send nothing."""
    target = today + datetime.timedelta(days=settings.RECEPTION_REMINDER_DAYS)
    duties = (
        ReceptionDuty.objects.filter(
            reception_day__date=target, reception_day__status=ReceptionDay.Status.PLANNED
        )
        # A deputy whose mandate ended (or is suspended) since the rota was drawn is not reminded.
        .filter(deputy__in=Deputy.objects.in_office())
        .select_related("reception_day__station", "deputy__user")
        .order_by("pk")
    )
    sent = 0
    for duty in duties:
        user = getattr(duty.deputy, "user", None)
        if user is None or not user.is_active:
            continue
        day = duty.reception_day
        created = notify(
            recipient=user,
            kind="reception_reminder",
            title=_("接待日提醒:%(date)s 在%(station)s值班")
            % {"date": f"{day.date:%m月%d日}", "station": day.station.name},
            body=_(
                "您是 %(date)s %(station)s固定接待日的值班代表,地址:%(address)s。接待后请在手机上登记接待情况。"
            )
            % {
                "date": f"{day.date:%Y年%m月%d日}",
                "station": day.station.name,
                "address": day.station.address,
            },
            link="/stations/receptions/new/",
            dedupe_key=f"reception_reminder:{day.pk}:{duty.deputy_id}",
        )
        sent += created is not None
    return sent


def reception_log(
    *,
    user: "User",
    day: ReceptionDay,
    deputy: Deputy,
    voters_received: int,
    summary: str = "",
    opinions: Sequence[dict] = (),
    wishes: Sequence[dict] = (),
    photos: Sequence[UploadedFile] = (),
    today: datetime.date | None = None,
) -> Reception:
    """Log one deputy's reception on a reception day, with the opinions raised and small wishes
    heard, as one transaction: a refused reception leaves nothing behind."""
    today = today or timezone.localdate()
    if not can(user, "reception.log", day, deputy=deputy):
        raise DomainError(_("只能登记自己的接待,或由本站管理员代为登记。"))
    if deputy.station_id != day.station_id:
        raise DomainError(
            _("%(name)s不在%(station)s进驻,不能登记该站的接待。")
            % {"name": deputy.name, "station": day.station.name},
            field="deputy",
        )
    if day.date > today:
        raise DomainError(
            _("接待日 %(date)s 还没有到,不能提前登记。") % {"date": day.date.isoformat()},
            field="reception_day",
        )
    if day.status == ReceptionDay.Status.CANCELLED:
        raise DomainError(_("该接待日已取消。"), field="reception_day")
    if voters_received < 0:
        raise DomainError(_("接待人数不能为负数。"), field="voters_received")
    if Reception.objects.filter(reception_day=day, deputy=deputy).exists():
        raise DomainError(
            _("%(name)s在 %(date)s 的接待已经登记过了。")
            % {"name": deputy.name, "date": day.date.isoformat()},
            field="reception_day",
        )
    # A photo that no longer fits on the disk (core.storage.StorageFull) refuses the whole
    # reception: the transaction rolls back and the photos already written are removed.
    with files_kept_only_on_success(), transaction.atomic():
        try:
            with transaction.atomic():
                reception = Reception.objects.create(
                    reception_day=day,
                    deputy=deputy,
                    voters_received=voters_received,
                    summary=summary,
                    logged_by=user,
                )
        except IntegrityError:
            raise DomainError(_("这次接待已经登记过了。"), field="reception_day") from None
        for item in opinions:
            opinion_create(
                user=user,
                channel=Opinion.Channel.RECEPTION,
                township=day.station.township,
                station=day.station,
                reception=reception,
                category=item["category"],
                content=item["content"],
                voter_name=item.get("voter_name", ""),
                voter_phone=item.get("voter_phone", ""),
            )
        for item in wishes:
            SmallWish.objects.create(
                station=day.station,
                reception=reception,
                person_name=item["person_name"],
                content=item["content"],
                created_by=user,
            )
        for photo in photos:
            ReceptionPhoto.objects.create(reception=reception, image=photo)
        if day.status != ReceptionDay.Status.HELD:
            day.status = ReceptionDay.Status.HELD
            day.save(update_fields=["status"])
        duty_records_sync(
            source=reception,
            kind=DutyRecord.Kind.RECEPTION,
            deputies=[deputy],
            occurred_on=day.date,
            title=_("在%(station)s接待选民 %(n)d 人")
            % {"station": day.station.name, "n": voters_received},
        )
    return reception
