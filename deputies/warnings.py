"""履职预警: deputies in office with no duty act in the last three months, and the reminders to
them and to their township's staff.

The reminders are idempotent per calendar quarter: a deputy is reminded at most once a quarter
however often the task runs, and a township's staff get one summary a quarter."""

import datetime
from collections import defaultdict

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.notifications import notify
from core.workdays import add_months
from directory.models import Deputy, Mandate

from .models import DutyRecord

WINDOW_MONTHS = 3


def window_start(today: datetime.date) -> datetime.date:
    return add_months(today, -WINDOW_MONTHS)


def warned(deputies: QuerySet[Deputy], today: datetime.date) -> QuerySet[Deputy]:
    """Of ``deputies``, those in office with no duty act since three months ago, with the date
    of their last act (None: never). An act dated after today is not an act yet: it neither
    spares a deputy nor shows as the last one."""
    recent = DutyRecord.objects.filter(
        deputy_id=OuterRef("pk"), occurred_on__gte=window_start(today), occurred_on__lte=today
    )
    in_office = Mandate.objects.filter(deputy_id=OuterRef("pk"), is_active=True)
    return (
        deputies.filter(Exists(in_office))
        .exclude(Exists(recent))
        .annotate(
            last_act=Max(
                "duty_records__occurred_on", filter=Q(duty_records__occurred_on__lte=today)
            )
        )
    )


def _quarter(today: datetime.date) -> str:
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def duty_warnings_send(*, today: datetime.date) -> dict[str, int]:
    deputies = list(
        warned(Deputy.objects.all(), today)
        .select_related("station__township", "user")
        .order_by("pk")
    )
    quarter = _quarter(today)
    since = window_start(today)
    sent = {"deputies": 0, "township_staff": 0}
    by_township: dict[int | None, list[Deputy]] = defaultdict(list)
    for deputy in deputies:
        if deputy.station is not None:
            by_township[deputy.station.township_id].append(deputy)
        user = getattr(deputy, "user", None)
        if user is None or not user.is_active:
            continue
        sent["deputies"] += (
            notify(
                recipient=user,
                kind="duty_warning",
                title=_("履职提醒:近三个月没有履职记录"),
                body=_(
                    "自 %(since)s 以来,您没有接待选民、走访、参加活动或提出建议等履职记录。请按时参加家站接待日和各项活动;已履职但未登记的,请及时登记。"
                )
                % {"since": f"{since:%Y年%m月%d日}"},
                link=reverse("deputies:archive", args=[deputy.pk]),
                dedupe_key=f"duty_warning:{deputy.pk}:{quarter}",
            )
            is not None
        )
    staff = User.objects.filter(
        role=Role.TOWNSHIP_STAFF, is_active=True, township_id__in=by_township
    ).order_by("pk")
    for user in staff:
        names = "、".join(d.name for d in by_township[user.township_id][:20])
        count = len(by_township[user.township_id])
        sent["township_staff"] += (
            notify(
                recipient=user,
                kind="duty_warning_township",
                title=_("履职预警:本乡镇 %(n)d 名代表近三个月没有履职记录") % {"n": count},
                body=_("%(names)s%(more)s。请督促代表履职,并核实是否有未登记的履职情况。")
                % {"names": names, "more": _("等") if count > 20 else ""},
                link=f"{reverse('deputies:warnings')}?township={user.township_id}",
                dedupe_key=f"duty_warning_township:{user.township_id}:{user.pk}:{quarter}",
            )
            is not None
        )
    return sent
