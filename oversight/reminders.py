"""Deadline reminders of oversight (Celery beat, oversight.tasks), daily. Rectification of
supervision topics:

- to the users of the body under supervision, 7 and 1 days before its rectification deadline;
- once the deadline has passed without a rectification, to that body and, as escalation, to the
  county's committee staff.

As for suggestions (suggestions/reminders.py) a reminder is a level reached, not a day hit, and
the notification's unique key names the topic, the deadline, the level and the recipient: running
the task twice sends nothing twice; a new deadline starts the reminders afresh.

The 研究处理情况报告 on the committee's 审议意见 follows the same pattern: the body's users are
reminded 7 and 1 days before its deadline, and once it has passed without a report, the body and
the county's committee staff are told it is overdue."""

import datetime
from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.notifications import notify

from .models import ReviewOpinion, SupervisionTopic

REMINDER_DAYS = (7, 1)


def rectification_reminders_send(*, today: datetime.date) -> dict[str, int]:
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    topics = list(
        SupervisionTopic.objects.filter(
            rectification_deadline__lte=horizon, rectified_on__isnull=True
        ).order_by("pk")
    )
    unit_users = _unit_users({t.unit_id for t in topics})
    overdue = [
        t
        for t in topics
        if t.rectification_deadline is not None and t.rectification_deadline < today
    ]
    staff_of = _staff_users({t.county_id for t in overdue})

    sent = {"deadline": 0, "overdue": 0}
    for topic in topics:
        deadline = topic.rectification_deadline
        assert deadline is not None  # rectification_deadline__lte leaves out the NULLs
        link = reverse("oversight:topic_detail", args=[topic.pk])
        base_key = f"{topic.pk}:{deadline.isoformat()}"
        days_left = (deadline - today).days
        if days_left >= 0:
            level = min(days for days in REMINDER_DAYS if days_left <= days)
            for user in unit_users[topic.unit_id]:
                sent["deadline"] += (
                    notify(
                        recipient=user,
                        kind="rectification_deadline",
                        title=_("监督议题整改期限提醒:%(title)s") % {"title": topic.title},
                        body=_("整改期限为 %(deadline)s,还有 %(days)d 天。请按期提交整改情况。")
                        % {"deadline": f"{deadline:%Y年%m月%d日}", "days": days_left},
                        link=link,
                        dedupe_key=f"rectification_deadline:{base_key}:{level}:{user.pk}",
                    )
                    is not None
                )
            continue
        body = _("监督议题“%(title)s”的整改期限 %(deadline)s 已过,被监督单位尚未提交整改情况。") % {
            "title": topic.title,
            "deadline": f"{deadline:%Y年%m月%d日}",
        }
        for user in [*unit_users[topic.unit_id], *staff_of[topic.county_id]]:
            sent["overdue"] += (
                notify(
                    recipient=user,
                    kind="rectification_overdue",
                    title=_("监督议题整改逾期:%(title)s") % {"title": topic.title},
                    body=body,
                    link=link,
                    dedupe_key=f"rectification_overdue:{base_key}:{user.pk}",
                )
                is not None
            )
    return sent


def _unit_users(unit_ids: set[int]) -> dict[int | None, list[User]]:
    users: dict[int | None, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        is_active=True, role=Role.HANDLING_UNIT, handling_unit_id__in=unit_ids
    ).order_by("pk"):
        users[user.handling_unit_id].append(user)
    return users


def _staff_users(county_ids: set[int]) -> dict[int | None, list[User]]:
    users: dict[int | None, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        is_active=True, role=Role.COMMITTEE_STAFF, county_id__in=county_ids
    ).order_by("pk"):
        users[user.county_id].append(user)
    return users


def review_opinion_reminders_send(*, today: datetime.date) -> dict[str, int]:
    """Remind the bodies of their 研究处理情况报告 deadlines; escalate the overdue to staff.
    Four queries whatever the number of opinions, plus one insert per notification sent."""
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    opinions = list(
        ReviewOpinion.objects.filter(deadline__lte=horizon, reported_on__isnull=True)
        .select_related("unit")
        .order_by("pk")
    )
    unit_users = _unit_users({o.unit_id for o in opinions})
    staff_of = _staff_users({o.county_id for o in opinions if o.deadline < today})
    sent = {"deadline": 0, "overdue": 0}
    for opinion in opinions:
        link = reverse("oversight:review_opinion_detail", args=[opinion.pk])
        base_key = f"{opinion.pk}:{opinion.deadline.isoformat()}"
        deadline = f"{opinion.deadline:%Y年%m月%d日}"
        days_left = (opinion.deadline - today).days
        if days_left >= 0:
            level = min(days for days in REMINDER_DAYS if days_left <= days)
            for user in unit_users[opinion.unit_id]:
                sent["deadline"] += (
                    notify(
                        recipient=user,
                        kind="review_opinion_deadline",
                        title=_("审议意见研究处理情况报告期限提醒:%(title)s")
                        % {"title": opinion.report_title},
                        body=_("研究处理情况报告应于 %(deadline)s 前报送,还有 %(days)d 天。")
                        % {"deadline": deadline, "days": days_left},
                        link=link,
                        dedupe_key=f"review_opinion_deadline:{base_key}:{level}:{user.pk}",
                    )
                    is not None
                )
            continue
        body = _(
            "%(unit)s关于“%(title)s”审议意见的研究处理情况报告已过期限 %(deadline)s,尚未报送。"
        ) % {"unit": opinion.unit.name, "title": opinion.report_title, "deadline": deadline}
        for user in [*unit_users[opinion.unit_id], *staff_of[opinion.county_id]]:
            sent["overdue"] += (
                notify(
                    recipient=user,
                    kind="review_opinion_overdue",
                    title=_("审议意见研究处理情况报告逾期:%(title)s")
                    % {"title": opinion.report_title},
                    body=body,
                    link=link,
                    dedupe_key=f"review_opinion_overdue:{base_key}:{user.pk}",
                )
                is not None
            )
    return sent
