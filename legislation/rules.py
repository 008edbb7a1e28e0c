"""When a draft takes comments and when it may be summarised and reported: read by the services
and by the pages (which show a form only when the service would accept it)."""

import datetime

from django.utils.translation import gettext as _

from .models import Draft


def comment_refusal(draft: Draft, today: datetime.date) -> str | None:
    """Why the draft takes no opinion today, or None when it does."""
    if draft.status != Draft.Status.OPEN:
        return _("这份草案的意见征集已经结束,不再接收意见。")
    if draft.deadline < today:
        return _("这份草案的意见征集已于%(date)s截止,不再接收意见。") % {
            "date": f"{draft.deadline:%Y年%m月%d日}"
        }
    return None


def summary_refusal(draft: Draft, today: datetime.date) -> str | None:
    """Why the opinions cannot be summarised yet (or any more), or None."""
    if draft.status == Draft.Status.REPORTED:
        return _("意见已汇总报送,不能再修改汇总。")
    if draft.status == Draft.Status.OPEN and draft.deadline >= today:
        return _("意见征集截止后才能汇总。")
    return None


def deadline_state(draft: Draft, today: datetime.date) -> str:
    """The list's deadline column: 征集中 (n days left), 已截止, 已汇总报送."""
    if draft.status == Draft.Status.REPORTED:
        return str(Draft.Status.REPORTED.label)
    if draft.status == Draft.Status.CLOSED or draft.deadline < today:
        return str(Draft.Status.CLOSED.label)
    days = (draft.deadline - today).days
    if days == 0:
        return _("征集中(今天截止)")
    return _("征集中(还有%(days)d天)") % {"days": days}
