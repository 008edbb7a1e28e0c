#!/usr/bin/env python
"""Scoring benchmark: deputies.scoring.compute_scores against the best hand-written SQL over the
same data, in the same run.

    .venv/bin/python bench/scoring.py --scale 1      # 2,192 deputies, ~200k duty records
    .venv/bin/python bench/scoring.py --scale 10     # 21,920 deputies, ~2M
    .venv/bin/python bench/scoring.py --scale 100    # 219,200 deputies, ~20M

Steps: create the PostgreSQL database congress_bench_scoring_<N> if needed (rebuilt when it was
built from other migrations), migrate, and generate the data with generate_series unless it
already holds it: deputies copied from one template row, --acts-per-deputy duty records each on
average (kinds and suggestion grades in fixed proportions over the year), then ANALYZE. Then,
--repeat times each, interleaved:

  (a) the portal: ``compute_scores(year)`` — replaces the year's DutyScore rows
      (a DELETE and one INSERT … SELECT), with its SQL query count;
  (b) the reference: one hand-written SELECT computing every deputy's capped total the best way
      measured (acts grouped per deputy and kind in a subquery first, rules joined after, capped,
      summed per deputy), all rows fetched.

(a) writes a row per deputy with its breakdown; (b) only reads. The goal: (a) within 1.5× of (b) at every scale.
Prints the medians and writes bench/results/scoring-scale<N>-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPUTIES_PER_SCALE = 2192
YEAR = 2026

# (kind, share of the acts, grade) — the proportions of a year at a county, roughly.
KINDS = [
    ("reception", 0.40, ""),
    ("voter_visit", 0.15, ""),
    ("activity", 0.15, ""),
    ("small_wish", 0.12, ""),
    ("suggestion_meeting", 0.05, ""),
    ("suggestion", 0.05, "solved"),
    ("suggestion_evaluation", 0.03, ""),
    ("research", 0.03, ""),
    ("session_speech", 0.02, ""),
]

REFERENCE_SQL = """
SELECT a.deputy_id,
       SUM(CASE WHEN r.cap IS NOT NULL AND a.raw > r.cap THEN r.cap ELSE a.raw END) AS total
FROM (
    SELECT d.deputy_id, d.kind, SUM(p.points * COALESCE(m.factor, 1)) AS raw
    FROM deputies_dutyrecord d
    JOIN deputies_scoringrule p ON p.scheme_id = %(scheme)s AND p.kind = d.kind
    LEFT JOIN deputies_scoringmultiplier m
      ON m.scheme_id = %(scheme)s AND m.kind = d.kind AND m.grade = d.grade
    WHERE d.occurred_on >= %(start)s AND d.occurred_on <= %(end)s
    GROUP BY d.deputy_id, d.kind
) a
JOIN deputies_scoringrule r ON r.scheme_id = %(scheme)s AND r.kind = a.kind
GROUP BY a.deputy_id
"""


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="deputies = 2,192 × scale")
    parser.add_argument("--acts-per-deputy", type=int, default=91, help="average (default 91)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, median (default 3)")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/congress_bench_scoring_{scale}",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    return parser.parse_args(argv)


def generate(deputies: int, acts_per_deputy: int) -> dict:
    """The roster and a year of duty records, generated in the database."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from deputies.models import DutyRecord
    from directory.models import Deputy
    from tests.factories import make_county, make_deputy, make_station, make_township

    present = Deputy.objects.count()
    records = DutyRecord.objects.count()
    if present == deputies and records:
        log(f"already generated: {present} deputies, {records} duty records")
        return {"deputies": present, "records": records, "generated_seconds": None}
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE deputies_dutyscore, deputies_dutyrecord, "
            "deputies_mandate, deputies_deputy, stations_station, stations_region CASCADE"
        )
    county = make_county("基准县")
    station = make_station(make_township(county))
    template = make_deputy(station, name="模板代表")
    columns = [
        f.column for f in Deputy._meta.concrete_fields if not f.primary_key and f.column != "name"
    ]
    unique = {"id_number_hash": "md5('id' || g::text)", "phone_hash": "md5('ph' || g::text)"}
    select = ", ".join(unique.get(c, f"t.{c}") for c in columns)
    source_type = ContentType.objects.get_for_model(Deputy).pk
    with connection.cursor() as cursor:
        log(f"generating {deputies} deputies")
        cursor.execute(
            f"INSERT INTO deputies_deputy (name, {', '.join(columns)}) "
            f"SELECT '代表' || g::text, {select} FROM deputies_deputy t, "
            f"generate_series(2, %s) g WHERE t.id = %s",
            [deputies, template.pk],
        )
        total = deputies * acts_per_deputy
        log(f"generating ~{total} duty records")
        offset = 0.0
        for kind, share, grade in KINDS:
            # Each deputy gets a random number of acts of the kind (mean share × acts/deputy),
            # spread over the year.
            mean = share * acts_per_deputy
            cursor.execute(
                """
                INSERT INTO deputies_dutyrecord
                    (deputy_id, kind, occurred_on, title, source_type_id, source_id, grade,
                     created_at)
                SELECT d.id, %(kind)s,
                       DATE %(start)s + (random() * 364)::int,
                       %(kind)s, %(ct)s, (d.id::bigint * 1000 + n + %(offset)s)::bigint,
                       %(grade)s, now()
                FROM deputies_deputy d,
                     LATERAL generate_series(1, (random() * 2 * %(mean)s)::int) n
                """,
                {
                    "kind": kind,
                    "start": datetime.date(YEAR, 1, 1),
                    "ct": source_type,
                    "offset": int(offset * 1000),
                    "grade": grade,
                    "mean": mean,
                },
            )
            offset += share
        cursor.execute("ANALYZE")
    records = DutyRecord.objects.count()
    seconds = time.monotonic() - started
    log(f"generated {deputies} deputies and {records} duty records in {seconds:.0f} s")
    return {"deputies": deputies, "records": records, "generated_seconds": round(seconds, 1)}


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%SZ}] {message}", flush=True)


def main(argv=None) -> int:
    args = parse_args(argv)
    url = args.database_url.replace("{scale}", str(args.scale))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = url
    sys.path[0:1] = [str(ROOT)]
    os.chdir(ROOT)
    from bench.run import RESULTS, ensure_database, migrations_digest, store_digest

    digest = migrations_digest()
    ensure_database(url, args.fresh, digest)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import DutyScore
    from deputies.scoring import compute_scores, scheme_for

    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    store_digest(digest)
    data = generate(DEPUTIES_PER_SCALE * args.scale, args.acts_per_deputy)
    scheme = scheme_for(YEAR)
    params = {
        "scheme": scheme.pk,
        "start": datetime.date(YEAR, 1, 1),
        "end": datetime.date(YEAR, 12, 31),
    }

    def reference() -> float:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(REFERENCE_SQL, params)
            rows = cursor.fetchall()
        assert len(rows) > 0
        return time.perf_counter() - started

    queries = []

    def portal() -> float:
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            compute_scores(YEAR)
        queries.append(len(ctx.captured_queries))
        return time.perf_counter() - started

    # One warm-up each (caches, plans), then interleaved measured runs.
    reference()
    portal()
    times = {"portal": [], "reference": []}
    for round_ in range(args.repeat):
        log(f"round {round_ + 1}/{args.repeat}")
        times["reference"].append(reference())
        times["portal"].append(portal())
    with connection.cursor() as cursor:
        cursor.execute(REFERENCE_SQL, params)
        reference_totals = {deputy: total for deputy, total in cursor.fetchall()}
    portal_totals = dict(DutyScore.objects.filter(year=YEAR).values_list("deputy_id", "total"))
    same = reference_totals == portal_totals
    medians = {name: statistics.median(values) for name, values in times.items()}
    ratio = medians["portal"] / medians["reference"]
    print()
    print(f"scale {args.scale}: {data['deputies']} deputies, {data['records']} duty records")
    print(f"  portal compute_scores: {medians['portal'] * 1000:.0f} ms, {queries[-1]} queries")
    print(f"  best hand-written SQL: {medians['reference'] * 1000:.0f} ms")
    print(f"  ratio: {ratio:.2f}x (goal <= 1.5: {'ok' if ratio <= 1.5 else 'MISSED'})")
    print(f"  same totals as the reference: {same}")
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%SZ")
    path = RESULTS / f"scoring-scale{args.scale}-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "scale": args.scale,
                "data": data,
                "times_seconds": times,
                "medians_seconds": medians,
                "ratio": ratio,
                "portal_queries": queries,
                "same_totals": same,
            },
            indent=2,
        )
    )
    print(f"written {path.relative_to(ROOT)}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
