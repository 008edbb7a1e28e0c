"""Oversight rules, as plain decisions over plain data (no queries): who is invited next to
attend (列席) a standing-committee meeting, whether an anonymous vote passes, and where a
审议意见 stands in its loop. Services and selectors both use them."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Occupation

# 《代表列席常委会会议管理办法》 as the seed reads it: "常态化邀请基层代表、行业代表列席会议".
# 基层代表 work at the grassroots (workers, farmers, village and community cadres); 行业代表 are
# the professionals and entrepreneurs of a sector. Leading cadres and the rest are invited too,
# but only after the grassroots and sector deputies of the same round.
GRASSROOTS = frozenset({Occupation.WORKER, Occupation.FARMER, Occupation.VILLAGE_CADRE})
SECTOR = frozenset({Occupation.PROFESSIONAL, Occupation.ENTREPRENEUR})


@dataclass(frozen=True)
class RotationCandidate:
    """A county deputy who is not a member of the standing committee, with the number of
    meetings of this term they were invited to and when they were last invited."""

    pk: int
    occupation: str
    turns: int
    last: datetime.datetime | None = None


def attendee_band(occupation: str) -> int:
    """0 for a grassroots deputy, 1 for a sector deputy, 2 for the others."""
    if occupation in GRASSROOTS:
        return 0
    if occupation in SECTOR:
        return 1
    return 2


def rotation_order(candidates: Sequence[RotationCandidate], count: int) -> list[int]:
    """The pks of the next ``count`` deputies to invite.

    Rounds: fewest invitations this term first, so nobody is invited twice before everyone
    in the pool once. Within a round, grassroots and sector deputies alternate (the longest
    uninvited first), and the others come after both are exhausted."""
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    ordered = sorted(candidates, key=lambda c: (c.turns, c.last or epoch, c.pk))
    rounds: dict[int, list[RotationCandidate]] = {}
    for candidate in ordered:
        rounds.setdefault(candidate.turns, []).append(candidate)
    picked: list[int] = []
    for turns in sorted(rounds):
        queues: list[list[RotationCandidate]] = [[], [], []]
        for candidate in rounds[turns]:
            queues[attendee_band(candidate.occupation)].append(candidate)
        grassroots, sector, others = queues
        while (grassroots or sector) and len(picked) < count:
            for queue in (grassroots, sector):
                if queue and len(picked) < count:
                    picked.append(queue.pop(0).pk)
        while others and len(picked) < count:
            picked.append(others.pop(0).pk)
        if len(picked) >= count:
            break
    return picked


# Anonymous votes of the standing committee --------------------------------------------------

# "满意票超过出席组成人员的半数": a 满意 or 基本满意 ballot approves; the base is every member
# present at the meeting, so an abstention or a member who did not vote counts against.
APPROVING = ("satisfied", "basic")


def vote_passed(*, approving: int, present: int) -> bool:
    """More than half of the members present approve."""
    return present > 0 and approving * 2 > present


# 审议意见 -------------------------------------------------------------------------------------


class OpinionStage(models.TextChoices):
    SENT = "sent", _("待报告研究处理情况")
    OVERDUE = "overdue", _("逾期未报告")
    REPORTED = "reported", _("已报告待审议")
    HEARING = "hearing", _("审议测评中")
    CONCLUDED = "concluded", _("已审议待公开")
    PUBLISHED = "published", _("结果已公开")


def opinion_stage(
    *,
    deadline: datetime.date,
    reported_on: datetime.date | None,
    hearing: bool,
    concluded: bool,
    published: bool,
    today: datetime.date,
) -> OpinionStage:
    S = OpinionStage
    if published:
        return S.PUBLISHED
    if concluded:
        return S.CONCLUDED
    if hearing:
        return S.HEARING
    if reported_on is not None:
        return S.REPORTED
    return S.OVERDUE if deadline < today else S.SENT


# The year's plans ----------------------------------------------------------------------------


class ItemState(models.TextChoices):
    DONE = "done", _("已完成")
    IN_PROGRESS = "in_progress", _("进行中")
    NOT_STARTED = "not_started", _("未开始")


def planned_period_end(
    *, year: int, month: int | None = None, quarter: int | None = None
) -> datetime.date:
    """The last day of the planned month, quarter, or (neither given) year."""
    last_month = month or (quarter * 3 if quarter else 12)
    if last_month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, last_month + 1, 1) - datetime.timedelta(days=1)


def plan_item_state(done: Sequence[bool]) -> ItemState:
    """``done``: for each record linked to the item, whether it carries its completion fact
    (an inspection's report date, a topic rated, a meeting held…). No record: not started; every
    record complete: done; else in progress."""
    if not done:
        return ItemState.NOT_STARTED
    return ItemState.DONE if all(done) else ItemState.IN_PROGRESS


def plan_item_overdue(*, state: str, period_end: datetime.date, today: datetime.date) -> bool:
    """逾期: the planned period has passed and the item is not done."""
    return state != ItemState.DONE and period_end < today
