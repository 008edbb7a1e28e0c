"""Statistics of suggestions for a period (a year, a term, any date range): the seed's "督办建议
420件, 推动解决问题385个, 满意率96.8%" and what lies behind it.

The period holds the suggestions *submitted* in it (a session's suggestions stay in its year
however long they take). Definitions, each reproducible from the register:

- supervised (交办建议; the seed's "督办建议"): assigned to a unit — status 已交办 and after; 督办
  proper is key_supervision (重点督办), the suggestions a leader supervises;
- solved (推动解决问题): the current round's reply has a category that counts as solved (A by
  default); a reply the deputy found unsatisfying no longer counts once the round is redone;
- satisfaction rate = (满意 + 基本满意) / evaluated, over each suggestion's latest deputy evaluation;
- on-time rate = replies on or before their round's deadline (extensions included)
  / (replies + rounds overdue without a reply today);
- re-handled (重新办理): handled in more than one round;
- 见面率 = replies whose unit met the lead deputy face to face (见面) in that round on or before
  the reply date / replies; 沟通率 the same with any contact (见面 or 电话沟通).

Every figure is a SQL aggregate: the page runs the same handful of queries for ten suggestions or
ten thousand."""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from accounts.access import scoped
from directory.models import HandlingUnit
from stations.models import OpinionCategory

from .models import Assignment, Evaluation, Reply, ReplyCategory, Suggestion, UnitContact
from .rules import made_filter

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

    from accounts.models import User

S = Suggestion.Status
SUPERVISED = (S.ASSIGNED, S.IN_HANDLING, S.REPLIED, S.EVALUATED, S.CLOSED)
REGISTERED = (S.REGISTERED, *SUPERVISED)
OPEN = (S.ASSIGNED, S.IN_HANDLING)
POSITIVE = (Evaluation.Result.SATISFIED, Evaluation.Result.BASICALLY)


def rate(numerator: int, denominator: int) -> Decimal | None:
    """A percentage with one decimal (96.8), or None when there is nothing to divide."""
    if not denominator:
        return None
    return (Decimal(100 * numerator) / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclasses.dataclass
class Figures:
    """The counts of one row of the statistics (the county, a category or a unit)."""

    total: int = 0
    registered: int = 0
    supervised: int = 0
    key_supervision: int = 0
    solved: int = 0
    evaluated: int = 0
    satisfied: int = 0
    rehandled: int = 0
    overdue: int = 0
    replies: int = 0
    on_time: int = 0
    met: int = 0
    contacted: int = 0

    def add(self, other: "Figures") -> None:
        for field in dataclasses.fields(self):
            setattr(self, field.name, getattr(self, field.name) + getattr(other, field.name))

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return rate(self.satisfied, self.evaluated)

    @property
    def on_time_rate(self) -> Decimal | None:
        return rate(self.on_time, self.replies + self.overdue)

    @property
    def meeting_rate(self) -> Decimal | None:
        """见面率: replies preceded by a face-to-face meeting with the lead deputy."""
        return rate(self.met, self.replies)

    @property
    def contact_rate(self) -> Decimal | None:
        """沟通率: replies preceded by any contact with the lead deputy."""
        return rate(self.contacted, self.replies)


@dataclasses.dataclass
class Statistics:
    start: datetime.date
    end: datetime.date
    totals: Figures
    by_status: list[tuple["StrPromise", int]]
    by_category: list[tuple["StrPromise", Figures]]
    by_unit: list[tuple[str, Figures]]
    by_reply_category: list[tuple[str, int]]
    public_votes: list[tuple["StrPromise", int]]

    @property
    def public_satisfaction_rate(self) -> Decimal | None:
        positive = sum(n for label, n in self.public_votes[:2])
        return rate(positive, sum(n for _label, n in self.public_votes))


def _period(queryset: QuerySet, start: datetime.date, end: datetime.date) -> QuerySet:
    return queryset.filter(submitted_at__date__gte=start, submitted_at__date__lte=end)


def _annotated(queryset: QuerySet) -> QuerySet:
    # The reply of the current round: after an unsatisfied evaluation the earlier reply no longer
    # stands, whatever its category.
    current_reply = Reply.objects.filter(suggestion_id=OuterRef("pk"), round=OuterRef("round"))
    latest_deputy_evaluation = Evaluation.objects.filter(
        suggestion_id=OuterRef("pk"), kind=Evaluation.Kind.DEPUTY
    ).order_by("-round", "-pk")
    lead = Assignment.objects.filter(
        suggestion_id=OuterRef("pk"), round=OuterRef("round"), role=Assignment.Role.LEAD
    )
    return queryset.annotate(
        solved_reply=Subquery(current_reply.values("category__counts_as_solved")[:1]),
        deputy_result=Subquery(latest_deputy_evaluation.values("result")[:1]),
        lead_unit=Subquery(lead.values("unit_id")[:1]),
    )


def _figure_aggregates(today: datetime.date) -> dict:
    return {
        "total": Count("pk"),
        "registered": Count("pk", filter=Q(status__in=REGISTERED)),
        "supervised": Count("pk", filter=Q(status__in=SUPERVISED)),
        "key_supervision": Count("pk", filter=Q(status__in=SUPERVISED, key_supervision=True)),
        "solved": Count("pk", filter=Q(solved_reply=True)),
        "evaluated": Count("pk", filter=Q(deputy_result__isnull=False)),
        "satisfied": Count("pk", filter=Q(deputy_result__in=POSITIVE)),
        "rehandled": Count("pk", filter=Q(round__gt=1)),
        "overdue": Count("pk", filter=Q(status__in=OPEN, deadline__lt=today)),
    }


def suggestion_statistics(
    *,
    user: "User",
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
    congress_level: str | None = None,
    congress_id: int | None = None,
    made: str | None = None,
) -> Statistics:
    """The statistics of the suggestions in the user's scope submitted between start and end,
    of one congress level or one congress when asked (statistics are per congress: the
    county's and each township's), made during a session or between sessions when asked."""
    suggestions = made_filter(scoped(Suggestion.objects.all(), user, "suggestion"), made)
    if congress_level:
        suggestions = suggestions.filter(congress_level=congress_level)
    if congress_id is not None:
        suggestions = suggestions.filter(congress_id=congress_id)
    return statistics_of(suggestions, start=start, end=end, today=today)


def county_statistics(
    *, county_id: int, start: datetime.date, end: datetime.date, today: datetime.date | None = None
) -> Statistics:
    """The county congress's statistics, for the public figures page: with the same period they
    equal what the county's committee staff see for the county congress (the townships'
    congresses publish their own)."""
    return statistics_of(
        Suggestion.objects.filter(congress_id=county_id, congress_level=Suggestion.Congress.COUNTY),
        start=start,
        end=end,
        today=today,
    )


def statistics_of(
    suggestions: QuerySet,
    *,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> Statistics:
    today = today or timezone.localdate()
    base = _period(suggestions, start, end)
    aggregates = _figure_aggregates(today)
    field_names = list(aggregates)

    def figures(row: dict) -> Figures:
        return Figures(**{name: row[name] for name in field_names})

    # By lead unit of the current round; the county's totals are the sum of its rows.
    unit_rows = {
        row["lead_unit"]: figures(row)
        for row in _annotated(base).order_by().values("lead_unit").annotate(**aggregates)
    }
    # Replies and how many came on time, by the unit that replied.
    due = Assignment.objects.filter(
        suggestion_id=OuterRef("suggestion_id"),
        round=OuterRef("round"),
        role=Assignment.Role.LEAD,
    ).values("deadline")[:1]
    contact = UnitContact.objects.filter(
        suggestion_id=OuterRef("suggestion_id"),
        round=OuterRef("round"),
        unit_id=OuterRef("unit_id"),
        date__lte=OuterRef("replied_on"),
    )
    reply_rows = (
        Reply.objects.filter(suggestion__in=base.values("pk"))
        .annotate(
            due=Subquery(due),
            was_met=Exists(contact.filter(kind=UnitContact.Kind.MEETING)),
            was_contacted=Exists(contact),
        )
        .order_by()
        .values("unit_id", "suggestion__category")
        .annotate(
            replies=Count("pk"),
            on_time=Count("pk", filter=Q(replied_on__lte=F("due"))),
            met=Count("pk", filter=Q(was_met=True)),
            contacted=Count("pk", filter=Q(was_contacted=True)),
        )
    )
    category_rows = {
        row["category"]: figures(row)
        for row in _annotated(base).order_by().values("category").annotate(**aggregates)
    }
    for row in reply_rows:
        for figures_row in (
            unit_rows.setdefault(row["unit_id"], Figures()),
            category_rows.setdefault(row["suggestion__category"], Figures()),
        ):
            figures_row.replies += row["replies"]
            figures_row.on_time += row["on_time"]
            figures_row.met += row["met"]
            figures_row.contacted += row["contacted"]
    totals = Figures()
    for unit_figures in unit_rows.values():
        totals.add(unit_figures)
    names = dict(
        HandlingUnit.objects.filter(pk__in=[pk for pk in unit_rows if pk]).values_list("pk", "name")
    )
    by_unit = sorted(
        ((names[pk], unit_figures) for pk, unit_figures in unit_rows.items() if pk),
        key=lambda item: (-item[1].supervised, item[0]),
    )

    by_category = [
        (label, category_rows[value])
        for value, label in OpinionCategory.choices
        if value in category_rows
    ]

    status_counts = dict(
        base.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_status = [(label, status_counts.get(value, 0)) for value, label in S.choices]

    latest_code = Subquery(
        Reply.objects.filter(suggestion_id=OuterRef("pk"), round=OuterRef("round")).values(
            "category_id"
        )[:1]
    )
    code_counts = dict(
        base.annotate(reply_category=latest_code)
        .order_by()
        .values("reply_category")
        .annotate(n=Count("pk"))
        .values_list("reply_category", "n")
    )
    by_reply_category = [
        (str(category), code_counts[category.pk])
        for category in ReplyCategory.objects.all()
        if category.pk in code_counts
    ]

    vote_counts = dict(
        Evaluation.objects.filter(suggestion__in=base.values("pk"), kind=Evaluation.Kind.PUBLIC)
        .order_by()
        .values("result")
        .annotate(n=Count("pk"))
        .values_list("result", "n")
    )
    public_votes = [
        (label, vote_counts.get(value, 0)) for value, label in Evaluation.Result.choices
    ]
    return Statistics(
        start=start,
        end=end,
        totals=totals,
        by_status=by_status,
        by_category=by_category,
        by_unit=by_unit,
        by_reply_category=by_reply_category,
        public_votes=public_votes,
    )
