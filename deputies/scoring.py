"""Quantified duty scoring (履职档案量化考核), set-based.

A year's score is computed from that year's duty records and that year's rules in one SQL
statement, whatever the number of deputies: the acts are grouped per deputy and kind first (the
plan matters more than the language), the rules joined to that — points per act × the quality
factor of the act's grade (1 where none is set), capped per kind — and one DutyScore row per
deputy is written with the total, the three dimensions and the breakdown per kind, a compact text
the database concatenates (measured: one row per deputy instead of one per deputy and kind, and a
string aggregate instead of building JSON, are what keep the run close to the bare SELECT). The year's rows are replaced in one transaction, so computing
twice gives the same rows and a reader never sees half a year."""

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import require

from .models import (
    DutyRecord,
    DutyScore,
    ScoreGroup,
    ScoringMultiplier,
    ScoringRule,
    ScoringScheme,
    SuggestionGrade,
)

if TYPE_CHECKING:
    from accounts.models import User

# Who computes scores and keeps the duty archive by hand (the scores page and its services).

K = DutyRecord.Kind
# The default rules (docs/features.md): kind → (dimension, points per act, yearly cap).
DEFAULT_RULES: dict[str, tuple[str, Decimal, Decimal | None]] = {
    K.RECEPTION: (ScoreGroup.CONTACT, Decimal(2), Decimal(24)),
    K.VOTER_VISIT: (ScoreGroup.CONTACT, Decimal(1), Decimal(20)),
    K.SMALL_WISH: (ScoreGroup.CONTACT, Decimal(2), Decimal(20)),
    K.SMALL_PROBLEM: (ScoreGroup.CONTACT, Decimal(2), Decimal(20)),
    K.AID: (ScoreGroup.CONTACT, Decimal(2), Decimal(20)),
    K.SUGGESTION_MEETING: (ScoreGroup.CONTACT, Decimal(1), Decimal(10)),
    K.MEMBER_CONTACT: (ScoreGroup.CONTACT, Decimal(1), Decimal(12)),
    K.SUGGESTION: (ScoreGroup.SUGGESTION, Decimal(5), Decimal(40)),
    K.SUGGESTION_EVALUATION: (ScoreGroup.SUGGESTION, Decimal(1), Decimal(5)),
    K.ACTIVITY: (ScoreGroup.ACTIVITY, Decimal(2), Decimal(24)),
    K.TRAINING: (ScoreGroup.ACTIVITY, Decimal(2), Decimal(10)),
    K.DUTY_REPORT: (ScoreGroup.CONTACT, Decimal(5), Decimal(5)),
    K.SESSION_SPEECH: (ScoreGroup.ACTIVITY, Decimal(3), Decimal(9)),
    K.SESSION_ATTENDANCE: (ScoreGroup.ACTIVITY, Decimal(5), Decimal(10)),
    K.RESEARCH: (ScoreGroup.ACTIVITY, Decimal(3), Decimal(15)),
    K.MEETING: (ScoreGroup.ACTIVITY, Decimal(2), Decimal(10)),
    K.LEGISLATIVE_OPINION: (ScoreGroup.ACTIVITY, Decimal(2), Decimal(10)),
    K.OTHER: (ScoreGroup.ACTIVITY, Decimal(1), Decimal(5)),
}
# A suggestion's points by how far it went: (grade → factor).
DEFAULT_MULTIPLIERS: dict[str, dict[str, Decimal]] = {
    K.SUGGESTION: {
        SuggestionGrade.NOT_REGISTERED: Decimal("0.5"),
        SuggestionGrade.SUBMITTED: Decimal("1.0"),
        SuggestionGrade.REGISTERED: Decimal("1.2"),
        SuggestionGrade.SATISFIED: Decimal("1.5"),
        SuggestionGrade.SOLVED: Decimal("2.0"),
    }
}


def scheme_for(year: int) -> ScoringScheme:
    """The year's rules; a year without its own gets a copy of the latest earlier year's (or the
    defaults), which administrators may then edit without touching any other year."""
    scheme = ScoringScheme.objects.filter(year=year).first()
    if scheme is not None:
        return scheme
    with transaction.atomic():
        previous = ScoringScheme.objects.filter(year__lt=year).order_by("-year").first()
        scheme, created = ScoringScheme.objects.get_or_create(
            year=year, defaults={"min_records": previous.min_records if previous else 3}
        )
        if not created:
            return scheme
        if previous is not None:
            rules = [
                ScoringRule(scheme=scheme, kind=r.kind, group=r.group, points=r.points, cap=r.cap)
                for r in previous.rules.all()
            ]
            factors = [
                ScoringMultiplier(scheme=scheme, kind=m.kind, grade=m.grade, factor=m.factor)
                for m in previous.multipliers.all()
            ]
        else:
            rules = [
                ScoringRule(scheme=scheme, kind=kind, group=group, points=points, cap=cap)
                for kind, (group, points, cap) in DEFAULT_RULES.items()
            ]
            factors = [
                ScoringMultiplier(scheme=scheme, kind=kind, grade=grade, factor=factor)
                for kind, grades in DEFAULT_MULTIPLIERS.items()
                for grade, factor in grades.items()
            ]
        ScoringRule.objects.bulk_create(rules)
        ScoringMultiplier.objects.bulk_create(factors)
    return scheme


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _concat_aggregate(vendor: str) -> str:
    """The backend's string aggregate: string_agg on PostgreSQL, group_concat on SQLite."""
    return "string_agg" if vendor == "postgresql" else "group_concat"


SCORE_COLUMNS = (
    "deputy_id, year, total, contact, suggestion, activity, acts, breakdown, computed_at"
)


def _scores_select(vendor: str) -> str:
    """The SELECT of every deputy's score row for the year (parameters: year, scheme, start,
    end, now)."""
    group = connection.ops.quote_name("group")
    aggregate = _concat_aggregate(vendor)
    return f"""
        SELECT c.deputy_id AS deputy_id, %(year)s AS year, SUM(c.points) AS total,
               SUM(CASE WHEN c.grp = 'contact' THEN c.points ELSE 0 END) AS contact,
               SUM(CASE WHEN c.grp = 'suggestion' THEN c.points ELSE 0 END) AS suggestion,
               SUM(CASE WHEN c.grp = 'activity' THEN c.points ELSE 0 END) AS activity,
               SUM(c.acts) AS acts,
               {aggregate}(c.kind || ',' || c.grp || ',' || c.acts || ',' || c.raw || ','
                           || COALESCE(CAST(c.cap AS TEXT), '') || ',' || c.points, ';')
                   AS breakdown,
               %(now)s AS computed_at
        FROM (
            SELECT a.deputy_id, a.kind, r.{group} AS grp, a.acts, a.raw, r.cap,
                   CASE WHEN r.cap IS NOT NULL AND a.raw > r.cap THEN r.cap ELSE a.raw END
                       AS points
            FROM (
                SELECT d.deputy_id, d.kind, COUNT(*) AS acts,
                       SUM(p.points * COALESCE(m.factor, 1)) AS raw
                FROM {_table(DutyRecord)} d
                JOIN {_table(ScoringRule)} p ON p.scheme_id = %(scheme)s AND p.kind = d.kind
                LEFT JOIN {_table(ScoringMultiplier)} m
                  ON m.scheme_id = %(scheme)s AND m.kind = d.kind AND m.grade = d.grade
                WHERE d.occurred_on >= %(start)s AND d.occurred_on <= %(end)s
                GROUP BY d.deputy_id, d.kind
            ) a
            JOIN {_table(ScoringRule)} r ON r.scheme_id = %(scheme)s AND r.kind = a.kind
        ) c
        GROUP BY c.deputy_id
    """


def compute_scores(year: int) -> int:
    """Replace the year's scores; returns the number of deputies scored."""
    scheme = scheme_for(year)
    params: dict[str, Any] = {
        "year": year,
        "scheme": scheme.pk,
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year, 12, 31),
        "now": timezone.now(),
    }
    scores = _table(DutyScore)
    select = _scores_select(connection.vendor)
    with transaction.atomic(), connection.cursor() as cursor:
        DutyScore.objects.filter(year=year).delete()
        if connection.vendor == "postgresql":
            # Scores are derived data, recomputed nightly: the commit need not wait for the WAL
            # flush (a crash right after it loses at most this run, never anything else).
            cursor.execute("SET LOCAL synchronous_commit = off")
            # PostgreSQL runs INSERT … SELECT on one core but CREATE TABLE AS in parallel: the
            # rows are computed into a temporary table first (dropped at commit), then copied.
            cursor.execute(f"CREATE TEMPORARY TABLE score_run ON COMMIT DROP AS {select}", params)
            cursor.execute(
                f"INSERT INTO {scores} ({SCORE_COLUMNS}) SELECT {SCORE_COLUMNS} FROM score_run"
            )
            count = cursor.rowcount
            # Dropped now, not only at commit: an outer transaction may compute again.
            cursor.execute("DROP TABLE score_run")
            return count
        else:
            cursor.execute(f"INSERT INTO {scores} ({SCORE_COLUMNS}) {select}", params)
        return cursor.rowcount


def record_points(scheme: ScoringScheme, records) -> list[tuple[DutyRecord, Decimal | None]]:
    """Each record with the points it earns before its kind's cap (None: the kind does not
    count), from the same rules and factors as compute_scores."""
    points = {rule.kind: rule.points for rule in scheme.rules.all()}
    factor = {(m.kind, m.grade): m.factor for m in scheme.multipliers.all()}
    return [
        (
            record,
            None
            if record.kind not in points
            else points[record.kind] * factor.get((record.kind, record.grade), Decimal(1)),
        )
        for record in records
    ]


def score_run_start(*, user: "User", year: int):
    """Queue a recomputation of ``year`` (the scores page's button): committee staff and the
    administrator only."""
    from core.errors import DomainError
    from core.outbox import enqueue

    from .models import ScoreRun

    require(user, "duty_score.compute")
    today = timezone.localdate()
    if not 2000 <= year <= today.year:
        raise DomainError(_("只能计算2000年至今年的得分。"), field="year")
    with transaction.atomic():
        run = ScoreRun.objects.create(year=year, requested_by=user)
        enqueue("deputies.tasks.run_scoring", run.pk)
    return run


def score_run_execute(run_id: int) -> str:
    """Run a queued computation once: claiming it makes a redelivered task a no-op."""
    from .models import ScoreRun

    claimed = ScoreRun.objects.filter(pk=run_id, status=ScoreRun.Status.PENDING).update(
        status=ScoreRun.Status.RUNNING
    )
    if not claimed:
        return "skipped"
    run = ScoreRun.objects.get(pk=run_id)
    try:
        count = compute_scores(run.year)
    except Exception as exc:
        ScoreRun.objects.filter(pk=run_id).update(
            status=ScoreRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    ScoreRun.objects.filter(pk=run_id).update(
        status=ScoreRun.Status.DONE, deputies=count, finished_at=timezone.now()
    )
    return "done"
