"""Daily reminders of the suggestion lifecycle (Celery beat, suggestions.tasks):

- to the handling units of the current round, 30, 7 and 1 days before the deadline;
- to the office of the suggestion's congress (the county's committee staff, or the township's
  staff for a township congress's suggestion) and the supervising leader of a key suggestion
  (重点督办) once a round is overdue, and to its units;
- a re-handling round (重新办理, its own shorter deadline) is named as such;
- to the lead deputy while a reply waits for the evaluation, once a week.

Each reminder is a level reached, not a day hit: a suggestion 5 days from its deadline that never
had its 7-day reminder (the worker was down that day) gets it now. The notification's unique key
names the suggestion, round, deadline, level and recipient, so running the task twice sends
nothing twice, and an approved extension (a new deadline) starts the reminders afresh.

The recipients are read set-based: three queries for the candidates and their users whatever the
number of suggestions; then one insert per notification actually sent."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.notifications import notify

from .models import Assignment, Reply, Suggestion

S = Suggestion.Status
OPEN = (S.ASSIGNED, S.IN_HANDLING)


def reminder_level(days_left: int) -> int | None:
    """The tightest of SUGGESTION_REMINDER_DAYS (30, 7, 1) that ``days_left`` has reached."""
    reached = [days for days in settings.SUGGESTION_REMINDER_DAYS if 0 <= days_left <= days]
    return min(reached) if reached else None


def _active_users(**filters) -> list[User]:
    return list(User.objects.filter(is_active=True, **filters).order_by("pk"))


def deadline_reminders_send(*, today: datetime.date) -> dict[str, int]:
    horizon = today + datetime.timedelta(days=max(settings.SUGGESTION_REMINDER_DAYS))
    suggestions = list(
        Suggestion.objects.filter(status__in=OPEN, deadline__lte=horizon)
        .select_related("supervising_leader")
        .order_by("pk")
    )
    by_pk = {s.pk: s for s in suggestions}
    units_of: dict[int, set[int]] = defaultdict(set)
    for suggestion_id, unit_id, round_ in Assignment.objects.filter(
        suggestion_id__in=by_pk
    ).values_list("suggestion_id", "unit_id", "round"):
        if by_pk[suggestion_id].round == round_:
            units_of[suggestion_id].add(unit_id)
    unit_users: dict[int | None, list[User]] = defaultdict(list)
    for user in _active_users(
        role=Role.HANDLING_UNIT,
        handling_unit_id__in={u for units in units_of.values() for u in units},
    ):
        unit_users[user.handling_unit_id].append(user)
    overdue = [s for s in suggestions if s.deadline is not None and s.deadline < today]
    # The office of each overdue suggestion's congress, by the congress's region.
    staff_of: dict[int | None, list[User]] = defaultdict(list)
    county_level = Suggestion.Congress.COUNTY
    for user in _active_users(
        role=Role.COMMITTEE_STAFF,
        county_id__in={s.county_id for s in overdue if s.congress_level == county_level},
    ):
        staff_of[user.county_id].append(user)
    for user in _active_users(
        role=Role.TOWNSHIP_STAFF,
        township_id__in={s.congress_id for s in overdue if s.congress_level != county_level},
    ):
        staff_of[user.township_id].append(user)

    sent = {"deadline": 0, "overdue": 0}
    for suggestion in suggestions:
        link = reverse("suggestions:detail", args=[suggestion.pk])
        assert suggestion.deadline is not None  # deadline__lte leaves out the NULLs
        days_left = (suggestion.deadline - today).days
        recipients = [u for unit in units_of[suggestion.pk] for u in unit_users[unit]]
        base_key = f"{suggestion.pk}:{suggestion.round}:{suggestion.deadline.isoformat()}"
        if days_left >= 0:
            level = reminder_level(days_left)
            if level is None:
                continue
            for user in recipients:
                sent["deadline"] += (
                    notify(
                        recipient=user,
                        kind="suggestion_deadline",
                        title=_("建议办理期限提醒:%(title)s") % {"title": suggestion.title},
                        body=(
                            _(
                                "建议 %(number)s 测评不满意,正在重新办理,重新办理期限为 %(deadline)s,还有 %(days)d 天。请按期再次答复,答复前向群众汇报办理进展。"
                            )
                            if suggestion.round > 1
                            else _(
                                "建议 %(number)s 的办理期限为 %(deadline)s,还有 %(days)d 天。请按期答复,答复前向群众汇报办理进展。"
                            )
                        )
                        % {
                            "number": suggestion.number,
                            "deadline": f"{suggestion.deadline:%Y年%m月%d日}",
                            "days": days_left,
                        },
                        link=link,
                        dedupe_key=f"suggestion_deadline:{base_key}:{level}:{user.pk}",
                    )
                    is not None
                )
            continue
        escalate = list(
            staff_of[
                suggestion.county_id
                if suggestion.congress_level == county_level
                else suggestion.congress_id
            ]
        )
        leader = suggestion.supervising_leader
        if suggestion.key_supervision and leader is not None and leader.is_active:
            escalate.append(leader)
        body = _("建议 %(number)s 的办理期限 %(deadline)s 已过,承办单位尚未答复。") % {
            "number": suggestion.number,
            "deadline": f"{suggestion.deadline:%Y年%m月%d日}",
        }
        for user in [*recipients, *escalate]:
            sent["overdue"] += (
                notify(
                    recipient=user,
                    kind="suggestion_overdue",
                    title=_("建议办理逾期:%(title)s") % {"title": suggestion.title},
                    body=body,
                    link=link,
                    dedupe_key=f"suggestion_overdue:{base_key}:{user.pk}",
                )
                is not None
            )
    return sent


def evaluation_reminders_send(*, today: datetime.date) -> int:
    """Weekly, while a reply waits for the lead deputy's evaluation."""
    replies = {
        suggestion_id: replied_on
        for suggestion_id, round_, replied_on, current in Reply.objects.filter(
            suggestion__status=S.REPLIED
        ).values_list("suggestion_id", "round", "replied_on", "suggestion__round")
        if round_ == current
    }
    suggestions = (
        Suggestion.objects.filter(pk__in=replies, lead_deputy__user__is_active=True)
        .select_related("lead_deputy__user")
        .order_by("pk")
    )
    sent = 0
    for suggestion in suggestions:
        replied_on = replies[suggestion.pk]
        week = max((today - replied_on).days, 0) // 7
        user = suggestion.lead_deputy.user
        sent += (
            notify(
                recipient=user,
                kind="suggestion_evaluation",
                title=_("请对建议办理情况进行测评:%(title)s") % {"title": suggestion.title},
                body=_(
                    "承办单位已于 %(date)s 答复您领衔的建议 %(number)s。请查看答复并进行代表测评(满意/基本满意/不满意),也可以向相关群众发放测评码。"
                )
                % {"date": f"{replied_on:%Y年%m月%d日}", "number": suggestion.number},
                link=reverse("suggestions:deputy_evaluation", args=[suggestion.pk]),
                dedupe_key=f"suggestion_evaluation:{suggestion.pk}:{suggestion.round}:{week}",
            )
            is not None
        )
    return sent
