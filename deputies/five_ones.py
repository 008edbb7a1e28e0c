"""五个一: for each deputy and year, the five actions of 我为群众办实事, ticked from the duty
records — visited voters, joined a research, made a suggestion, helped a household in need,
solved a concrete problem — and the county's overview of who is missing which.

Every tick is an EXISTS over the year's duty records, so a page of deputies and the overview are
each one query whatever the number of records."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from directory.models import Deputy, Mandate

from .models import DutyRecord, ReceptionGrade, SuggestionGrade

K = DutyRecord.Kind
# (key, label, condition on the deputy's duty records)
ACTIONS = [
    ("visit", _("走访联系一次选民"), Q(kind__in=[K.VOTER_VISIT, K.RECEPTION])),
    ("research", _("参加一次调研"), Q(kind=K.RESEARCH)),
    ("suggestion", _("提出一条建议"), Q(kind=K.SUGGESTION)),
    # Its own record: a household helped over time (帮扶对象 and its visits).
    ("help", _("帮扶一户困难群众"), Q(kind=K.AID)),
    # Any concrete problem solved: directly (a 微心愿 fulfilled, a 小难题, an opinion answered at
    # the station where it was raised) or through a suggestion solved to the deputy's content.
    (
        "solve",
        _("解决一个具体问题"),
        Q(kind__in=[K.SMALL_WISH, K.SMALL_PROBLEM])
        | Q(kind=K.RECEPTION, grade=ReceptionGrade.ANSWERED)
        | Q(kind=K.SUGGESTION, grade=SuggestionGrade.SOLVED),
    ),
]
KEYS = [key for key, _label, _condition in ACTIONS]


def with_actions(deputies: QuerySet[Deputy], year: int) -> QuerySet[Deputy]:
    """``deputies`` in office, each annotated with has_<action> booleans for ``year``."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    records = DutyRecord.objects.filter(
        deputy_id=OuterRef("pk"), occurred_on__gte=start, occurred_on__lte=end
    )
    in_office = Mandate.objects.filter(deputy_id=OuterRef("pk"), is_active=True)
    return deputies.filter(Exists(in_office)).annotate(
        **{f"has_{key}": Exists(records.filter(condition)) for key, _l, condition in ACTIONS}
    )


def missing_filter(key: str) -> Q:
    return Q(**{f"has_{key}": False})


def overview(deputies: QuerySet[Deputy]) -> dict:
    """How many deputies (annotated by with_actions) miss each action, and how many did all."""
    totals = deputies.order_by().aggregate(
        deputies=Count("pk"),
        complete=Count("pk", filter=Q(**{f"has_{key}": True for key in KEYS})),
        **{f"missing_{key}": Count("pk", filter=missing_filter(key)) for key in KEYS},
    )
    return {
        "deputies": totals["deputies"],
        "complete": totals["complete"],
        "actions": [(key, label, totals[f"missing_{key}"]) for key, label, _condition in ACTIONS],
    }
