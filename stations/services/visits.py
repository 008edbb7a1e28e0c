"""选民走访日 plans and 代表信箱 openings."""

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from core.notifications import notify
from directory.models import Deputy, Station

from ..models import Mailbox, MailboxOpening, Opinion, StationActivity, VisitDay
from .ledger import activity_save
from .opinions import opinion_create

if TYPE_CHECKING:
    from accounts.models import User

VISIT_THEME = "选民走访日"


def _check_deputies(station: Station, deputies: Iterable[Deputy]) -> None:
    strangers = [deputy.name for deputy in deputies if deputy.station_id != station.pk]
    if strangers:
        raise DomainError(
            _("以下代表不在本站进驻,不能安排走访:%(names)s") % {"names": "、".join(strangers)},
            field="deputies",
        )


def _same_month(station: Station, date: datetime.date, exclude_pk: int | None = None) -> bool:
    days = VisitDay.objects.filter(
        station=station, date__year=date.year, date__month=date.month
    ).exclude(status=VisitDay.Status.CANCELLED)
    if exclude_pk is not None:
        days = days.exclude(pk=exclude_pk)
    return days.exists()


def visit_day_plan(
    *,
    user: "User",
    station: Station,
    date: datetime.date,
    deputies: Sequence[Deputy],
    note: str = "",
) -> VisitDay:
    """Plan a station's 选民走访日 of a month with the deputies who go (one a month)."""
    if not can(user, "visit_day.edit", VisitDay(station=station)):
        raise DomainError(_("只有本站管理员或上级工作人员可以安排选民走访日。"))
    if not deputies:
        raise DomainError(_("请选择参加走访的代表。"), field="deputies")
    _check_deputies(station, deputies)
    with transaction.atomic():
        Station.objects.select_for_update().filter(pk=station.pk).first()
        if _same_month(station, date):
            raise DomainError(
                _("本站 %(y)d年%(m)d月 已安排选民走访日。") % {"y": date.year, "m": date.month},
                field="date",
            )
        day = VisitDay.objects.create(station=station, date=date, note=note.strip())
        day.deputies.set(deputies)
    return day


def visit_day_update(
    *,
    user: "User",
    day: VisitDay,
    date: datetime.date,
    status: str,
    note: str,
    deputies: Sequence[Deputy],
) -> VisitDay:
    if not can(user, "visit_day.edit", day):
        raise DomainError(_("只有本站管理员或上级工作人员可以调整选民走访日。"))
    if day.activity_id is not None and (status != VisitDay.Status.HELD or date != day.date):
        raise DomainError(_("已登记走访台账的走访日不能改期或取消。"), field="status")
    if status == VisitDay.Status.HELD and day.activity_id is None:
        raise DomainError(_("请通过“登记走访情况”记录已走访的选民走访日。"), field="status")
    _check_deputies(day.station, deputies)
    with transaction.atomic():
        if status != VisitDay.Status.CANCELLED and _same_month(day.station, date, day.pk):
            raise DomainError(
                _("本站 %(y)d年%(m)d月 已安排选民走访日。") % {"y": date.year, "m": date.month},
                field="date",
            )
        day.date, day.status, day.note = date, status, note.strip()
        day.save(update_fields=["date", "status", "note"])
        day.deputies.set(deputies)
    return day


def visit_day_hold(
    *,
    user: "User",
    day: VisitDay,
    deputies: Sequence[Deputy],
    people_reached: int,
    summary: str = "",
) -> VisitDay:
    """Record that the visit took place: its ledger entry (选民走访日) is each deputy's duty act."""
    if not can(user, "visit_day.edit", day):
        raise DomainError(_("只有本站管理员或上级工作人员可以登记走访情况。"))
    if day.status == VisitDay.Status.CANCELLED:
        raise DomainError(_("这个走访日已取消。"))
    if day.date > timezone.localdate():
        raise DomainError(_("走访日还没到,不能登记走访情况。"))
    if not deputies:
        raise DomainError(_("请选择参加走访的代表。"), field="deputies")
    with transaction.atomic():
        activity = activity_save(
            user=user,
            station=day.station,
            kind=StationActivity.Kind.VOTER_VISIT,
            date=day.date,
            theme=day.note or VISIT_THEME,
            deputies=list(deputies),
            people_reached=people_reached,
            summary=summary,
            activity=day.activity,
        )
        day.activity, day.status = activity, VisitDay.Status.HELD
        day.save(update_fields=["activity", "status"])
        day.deputies.set(deputies)
    return day


def visit_days_generate(*, today: datetime.date, stations=None) -> int:
    """This month's 选民走访日 for every active station without one, a week after its reception
    day, with VISIT_DUTY_SIZE deputies who have gone least often. Returns the days created."""
    stations = list(
        (stations if stations is not None else Station.objects.filter(is_active=True)).only(
            "pk", "reception_day"
        )
    )
    month_start = today.replace(day=1)
    planned = set(
        VisitDay.objects.filter(
            station__in=stations, date__year=today.year, date__month=today.month
        ).values_list("station_id", flat=True)
    )
    wanted = [s for s in stations if s.pk not in planned]
    if not wanted:
        return 0
    stationed: dict[int, list[int]] = {}
    for deputy_id, station_id in (
        Deputy.objects.filter(station__in=wanted).order_by("pk").values_list("pk", "station_id")
    ):
        stationed.setdefault(station_id, []).append(deputy_id)
    visits = Counter(
        {
            row["deputies"]: row["n"]
            for row in VisitDay.objects.filter(station__in=wanted)
            .values("deputies")
            .annotate(n=Count("pk"))
        }
    )
    with transaction.atomic():
        days = VisitDay.objects.bulk_create(
            [
                VisitDay(
                    station_id=station.pk,
                    date=month_start + datetime.timedelta(days=min(station.reception_day + 6, 27)),
                )
                for station in wanted
            ]
        )
        Through = VisitDay.deputies.through
        rows = []
        for day in days:
            chosen = sorted(stationed.get(day.station_id, []), key=lambda pk: (visits[pk], pk))
            for deputy_id in chosen[: settings.VISIT_DUTY_SIZE]:
                visits[deputy_id] += 1
                rows.append(Through(visitday_id=day.pk, deputy_id=deputy_id))
        Through.objects.bulk_create(rows)
    return len(days)


def mailbox_open(
    *,
    user: "User",
    mailbox: Mailbox,
    opened_on: datetime.date,
    opener: Deputy | None,
    letters: Sequence[tuple[str, str]],
    note: str = "",
) -> MailboxOpening:
    """Record an opening; each letter found (category, content) becomes an opinion received
    through the mailbox, at the mailbox's township and station."""
    if not can(user, "mailbox.open", mailbox):
        raise DomainError(_("只有本站管理员、上级工作人员或本站进驻代表可以登记开箱。"))
    if not mailbox.is_active:
        raise DomainError(_("这个信箱已停用。"))
    if opened_on > timezone.localdate():
        raise DomainError(_("开箱日期不能晚于今天。"), field="opened_on")
    if opener is not None and opener.station_id != mailbox.station_id:
        raise DomainError(_("开箱代表须是本站进驻的代表。"), field="opener")
    for _category, content in letters:
        if not content.strip():
            raise DomainError(_("每封信都要填写内容。"), field="letters")
    with transaction.atomic():
        opening = MailboxOpening.objects.create(
            mailbox=mailbox,
            opened_on=opened_on,
            opener=opener,
            letters=len(letters),
            note=note.strip(),
            logged_by=user,
        )
        for category, content in letters:
            opinion_create(
                user=user,
                channel=Opinion.Channel.MAILBOX,
                township=mailbox.township,
                station=mailbox.station,
                category=category,
                content=content,
            )
    return opening


def visit_reminders_send(*, today: datetime.date) -> int:
    """Remind the deputies of a planned 选民走访日 RECEPTION_REMINDER_DAYS before it, as reception
    days are reminded. The notification's unique key (visit day, deputy) makes a second run send
    nothing; a held or cancelled day, or a deputy without an active account, gets none."""
    target = today + datetime.timedelta(days=settings.RECEPTION_REMINDER_DAYS)
    Going = VisitDay.deputies.through
    rows = (
        Going.objects.filter(visitday__date=target, visitday__status=VisitDay.Status.PLANNED)
        .filter(deputy__in=Deputy.objects.in_office())
        .select_related("visitday__station", "deputy__user")
        .order_by("pk")
    )
    sent = 0
    for row in rows:
        user = getattr(row.deputy, "user", None)
        if user is None or not user.is_active:
            continue
        day = row.visitday
        created = notify(
            recipient=user,
            kind="visit_reminder",
            title=_("选民走访日提醒:%(date)s 随%(station)s走访选民")
            % {"date": f"{day.date:%m月%d日}", "station": day.station.name},
            body=_(
                "您是 %(date)s %(station)s选民走访日的走访代表。%(note)s走访后请告知家站管理员登记走访情况。"
            )
            % {
                "date": f"{day.date:%Y年%m月%d日}",
                "station": day.station.name,
                "note": f"{day.note}。" if day.note else "",
            },
            link="/stations/visit-days/",
            dedupe_key=f"visit_reminder:{day.pk}:{row.deputy_id}",
        )
        sent += created is not None
    return sent
