#!/usr/bin/env python
"""Annual report workbook benchmark: the portal's export against bare XlsxWriter, same run.

    .venv/bin/python bench/annual.py --scale 1      # the demo county: 2,192 deputies
    .venv/bin/python bench/annual.py --scale 10     # deputies (with mandates, scores, reports) × 10
    .venv/bin/python bench/annual.py --scale 100    # × 100: 219,200 deputies

Data: the PostgreSQL database congress_bench_annual_<N> (built once, rebuilt when the migrations
change): ``seed_demo`` (one county with a year of station work, suggestions, trainings, duty
reports and scores), then for N > 1 every deputy copied N - 1 times in SQL together with their
mandates, duty scores and duty reports. Stations, suggestions and trainings stay at the county's
size; the deputies sheet is what grows (16 columns, one row per deputy).

Each measurement runs in a fresh child process (spawn), so its peak RSS is its own:

  (a) portal — ``write_workbook`` of the ``annual_report`` exporter for the year, end to end:
      the queries, the streaming and core.excel's formula-safe constant-memory writer;
  (b) bare — the same rows (fetched from (a)'s sheets beforehand, not timed) written with bare
      XlsxWriter in constant_memory mode, ``worksheet.write_row`` per row;
  (c) writer — those same pre-fetched rows written through core.excel (SafeSheetWriter), to
      separate the writer's cost from the database's.

Goal (issue 7): the portal's writer at ≥ 0.8× bare XlsxWriter's throughput; memory flat as the
data grows. Prints the medians and writes bench/results/annual-scale<N>-<timestamp>.json.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="deputies = 2,192 × scale")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each, median (default 3)")
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/congress_bench_annual_{scale}",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%SZ}] {message}", flush=True)


def _columns(model, *, skip=("id",)) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if f.column not in skip]


def multiply_deputies(scale: int) -> None:
    """Copy every deputy scale - 1 times with their mandates, scores and duty reports."""
    from django.db import connection

    from deputies.models import DutyScore
    from directory.models import Deputy, Mandate
    from dutyreports.models import DutyReport

    deputy_columns = _columns(Deputy, skip=("id", "id_number_hash", "phone_hash", "name"))
    unique = "md5(d.id_number_hash || m.g::text), md5(d.phone_hash || m.g::text), d.name"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE copies AS SELECT d.id AS old_id, g, "
            "nextval(pg_get_serial_sequence('deputies_deputy', 'id')) AS new_id "
            "FROM deputies_deputy d, generate_series(2, %s) g",
            [scale],
        )
        cursor.execute(
            f"INSERT INTO deputies_deputy (id, id_number_hash, phone_hash, name, "
            f"{', '.join(deputy_columns)}) SELECT m.new_id, {unique}, "
            f"{', '.join('d.' + c for c in deputy_columns)} "
            "FROM copies m JOIN deputies_deputy d ON d.id = m.old_id"
        )
        for model in (Mandate, DutyScore, DutyReport):
            table = model._meta.db_table
            columns = _columns(model, skip=("id", "deputy_id"))
            cursor.execute(
                f"INSERT INTO {table} (deputy_id, {', '.join(columns)}) "
                f"SELECT m.new_id, {', '.join('t.' + c for c in columns)} "
                f"FROM copies m JOIN {table} t ON t.deputy_id = m.old_id"
            )
        cursor.execute("DROP TABLE copies")
        cursor.execute("ANALYZE")


def prepare(scale: int) -> dict:
    from django.core.management import call_command

    from directory.models import Deputy

    if Deputy.objects.exists():
        count = Deputy.objects.count()
        log(f"already built: {count} deputies")
        return {"deputies": count}
    started = time.monotonic()
    log("seed_demo (one county)")
    call_command("seed_demo", verbosity=0, force=True)
    if scale > 1:
        log(f"copying the deputies × {scale}")
        multiply_deputies(scale)
    count = Deputy.objects.count()
    log(f"built {count} deputies in {time.monotonic() - started:.0f} s")
    return {"deputies": count}


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(task, year, queue) -> None:
    """Runs in a fresh (spawned) process: one measurement, its seconds, rows and peak RSS, so the
    peak is the export's own and not the data build's of the parent."""
    import django

    django.setup()
    queue.put(task(year))


def _exporter(year):
    from accounts.models import Role, User
    from reports.exporters import AnnualReportExporter

    admin = User.objects.filter(role=Role.ADMINISTRATOR).order_by("pk").first()
    return AnnualReportExporter(user=admin, params={"year": year})


def portal(year) -> dict:
    from core.exports import write_workbook

    exporter = _exporter(year)
    base = _peak_kib()
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        rows = write_workbook(output, exporter)
        seconds = time.perf_counter() - started
        size = output.tell()
    return {
        "seconds": seconds,
        "rows": rows,
        "peak_kib": _peak_kib(),
        "base_kib": base,
        "bytes": size,
    }


def _fetched(year):
    """Every sheet's headers and rows, fetched into memory (not timed)."""
    exporter = _exporter(year)
    return [
        (str(sheet.verbose_name), sheet.column_headers(), sheet.title(), list(sheet.rows()))
        for sheet in exporter.sheets()
    ]


def bare(year) -> dict:
    import xlsxwriter

    sheets = _fetched(year)
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
        rows = 0
        for name, headers, title, data in sheets:
            worksheet = workbook.add_worksheet(name)
            worksheet.write_row(0, 0, [title])
            worksheet.write_row(1, 0, [label for label, _width in headers])
            for index, row in enumerate(data, start=2):
                worksheet.write_row(index, 0, row)
            rows += len(data)
        workbook.close()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows}


def writer(year) -> dict:
    from core.excel import add_table_sheet, new_workbook

    sheets = _fetched(year)
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        workbook = new_workbook(output)
        rows = 0
        for name, headers, title, data in sheets:
            sheet_writer = add_table_sheet(workbook, name, headers, title=title)
            for row in data:
                sheet_writer.append(row)
            rows += len(data)
        workbook.close()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "rows": rows}


def measure(task, year) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(task, year, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


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
    from django.db import connections
    from django.utils import timezone

    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    store_digest(digest)
    data = prepare(args.scale)
    connections.close_all()
    year = timezone.localdate().year - 1  # the demo's complete year (evaluation closed)

    runs = {"portal": [], "bare": [], "writer": []}
    measure(portal, year)  # warm-up (caches, plans)
    for round_ in range(args.repeat):
        log(f"round {round_ + 1}/{args.repeat}")
        for name, task in (("portal", portal), ("bare", bare), ("writer", writer)):
            runs[name].append(measure(task, year))
    median = {
        name: statistics.median(run["seconds"] for run in values) for name, values in runs.items()
    }
    rows = runs["portal"][-1]["rows"]
    peak = max(run["peak_kib"] for run in runs["portal"])
    base = runs["portal"][-1]["base_kib"]
    summary = {
        "scale": args.scale,
        "deputies": data["deputies"],
        "rows": rows,
        "median_seconds": median,
        "rows_per_second": {name: rows / seconds for name, seconds in median.items()},
        "portal_peak_rss_mib": round(peak / 1024, 1),
        "process_rss_before_export_mib": round(base / 1024, 1),
        "workbook_bytes": runs["portal"][-1]["bytes"],
        "writer_vs_bare": median["bare"] / median["writer"],
        "portal_vs_bare": median["bare"] / median["portal"],
        "runs": runs,
    }
    print()
    print(f"scale {args.scale}: {data['deputies']} deputies, {rows} rows in the workbook")
    for name in ("portal", "bare", "writer"):
        print(f"  {name:7s} {median[name]:7.2f} s  {rows / median[name]:9.0f} rows/s")
    print(
        f"  portal peak RSS {peak / 1024:.0f} MiB (the same process before the export: "
        f"{base / 1024:.0f} MiB)"
    )
    print(
        f"  core.excel writer vs bare XlsxWriter on the same rows: {summary['writer_vs_bare']:.2f}x"
        f" (goal >= 0.8: {'ok' if summary['writer_vs_bare'] >= 0.8 else 'MISSED'})"
    )
    print(
        f"  portal end to end (with the queries) vs bare writing: {summary['portal_vs_bare']:.2f}x"
    )
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M%SZ")
    path = RESULTS / f"annual-scale{args.scale}-{stamp}.json"
    path.write_text(json.dumps(summary, indent=2))
    print(f"written {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
