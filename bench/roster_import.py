#!/usr/bin/env python
"""Roster import benchmark: a 20,000-row deputies roster through the portal's import against
reading the same file with bare openpyxl (read-only), same run.

    .venv/bin/python bench/roster_import.py                 # 20,000 rows, 3 rounds
    .venv/bin/python bench/roster_import.py --rows 5000 --repeat 1

Data: the PostgreSQL database congress_bench_roster (rebuilt when the migrations change) with
one county, 20 townships and 120 stations. The roster is generated into a temporary .xlsx: the
template's columns in another order under a title row, one row per deputy and mandate, with the
messy cells of real files (full-width spaces, trailing spaces, dotted text dates, Excel serial
dates, levels written as 县级/乡镇).

Each measurement runs in a fresh spawned process, so its peak RSS is its own:

  (a) bare    — openpyxl read-only, every row's values read, nothing else;
  (b) check   — the preview: read, normalise, validate, look up the deputies, plan (no writes);
  (c) commit  — the first import into an empty roster: the check, then 20,000 deputies and
                mandates inserted in one transaction;
  (d) again   — the same file imported again: everything unchanged, nothing written.

Prints the medians and writes bench/results/roster-import-<rows>-<timestamp>.json.
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
TOWNSHIPS = 20
STATIONS_PER_TOWNSHIP = 6


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds, median (default 3)")
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/congress_bench_roster"
    )
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the database")
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%SZ}] {message}", flush=True)


def prepare() -> list[tuple[str, str]]:
    """The county's townships and stations (built once): (township name, station name) pairs."""
    from stations.models import Region, Station

    if not Region.objects.filter(code="510824").exists():
        county = Region.objects.create(name="苍溪县", code="510824", level=Region.Level.COUNTY)
        for t in range(TOWNSHIPS):
            township = Region.objects.create(
                name=f"第{t + 1}镇", code=f"510824{t:03d}000", level="township", parent=county
            )
            Station.objects.create(name=f"第{t + 1}镇代表之家", kind="home", township=township)
            for s in range(1, STATIONS_PER_TOWNSHIP):
                village = Region.objects.create(
                    name=f"第{t + 1}镇{s}村",
                    code=f"510824{t:03d}{s:03d}",
                    level="village",
                    parent=township,
                )
                Station.objects.create(
                    name=f"{village.name}联络站", kind="liaison", township=township, village=village
                )
    return [
        (s.township.name, s.name) for s in Station.objects.select_related("township").order_by("pk")
    ]


def write_roster(path: Path, rows: int, stations: list[tuple[str, str]]) -> None:
    import openpyxl
    from openpyxl.utils.datetime import to_excel

    from core.idnumbers import make_id_number

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("代表名册")
    sheet.append(["苍溪县人大代表名册"])
    sheet.append(["序号", "代表姓名", "身份证号码", "性别", "出生年月", "政治面貌", "乡镇",
                  "进驻家站", "代表层级", "届次", "选区", "工作单位", "手机"])  # fmt: skip
    base = datetime.date(1960, 1, 1)
    for n in range(rows):
        birth = base + datetime.timedelta(days=n // 500)
        gender = "M" if n % 2 else "F"
        township, station = stations[n % len(stations)]
        date = (
            f"{birth.year}.{birth.month}.{birth.day}" if n % 3 == 0 else
            f"{birth.year}年{birth.month}月{birth.day}日" if n % 3 == 1 else to_excel(birth)
        )  # fmt: skip
        sheet.append([
            n + 1, f"代表\u3000{n} ", make_id_number("510824", birth, n % 500, gender),
            "男" if gender == "M" else "女", date, "中共党员" if n % 4 else "群众", township,
            station + " ", "乡镇" if n % 5 else "县级", 18, f"第{n % 40 + 1}选区",
            f"单位{n % 300}", f"139{n:08d}",
        ])  # fmt: skip
    workbook.save(path)


def _peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(task, path, queue) -> None:
    import django

    django.setup()
    queue.put(task(path))


def _timed(function) -> dict:
    base = _peak_kib()
    started = time.perf_counter()
    rows = function()
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "peak_kib": _peak_kib(),
        "base_kib": base,
    }


def bare(path) -> dict:
    import openpyxl

    def run():
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _row in workbook.active.iter_rows(values_only=True))
        workbook.close()
        return count

    return _timed(run)


def _portal(path, commit: bool, expect: str) -> dict:
    from rosters.services import roster_import_file

    def run():
        with open(path, "rb") as handle:
            preview = roster_import_file(roster="deputies", uploaded_file=handle, commit=commit)
        assert preview.ok, preview.report_lines()[:5]
        counts = preview.counts()
        assert counts[expect] == len(preview.rows), counts
        return len(preview.rows)

    return _timed(run)


def check(path) -> dict:
    return _portal(path, False, "create")


def commit(path) -> dict:
    return _portal(path, True, "create")


def again(path) -> dict:
    return _portal(path, True, "unchanged")


def measure(task, path) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(task, str(path), queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def clear_deputies() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE deputies_mandate, deputies_deputy CASCADE")


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    sys.path[0:1] = [str(ROOT)]
    os.chdir(ROOT)
    from bench.run import RESULTS, ensure_database, migrations_digest, store_digest

    digest = migrations_digest()
    ensure_database(args.database_url, args.fresh, digest)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    store_digest(digest)
    stations = prepare()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"
        log(f"writing a {args.rows}-row roster")
        write_roster(path, args.rows, stations)
        size = path.stat().st_size
        runs = {"bare": [], "check": [], "commit": [], "again": []}
        for round_ in range(args.repeat):
            log(f"round {round_ + 1}/{args.repeat}")
            clear_deputies()
            connections.close_all()
            for name, task in (
                ("bare", bare),
                ("check", check),
                ("commit", commit),
                ("again", again),
            ):
                runs[name].append(measure(task, path))
                log(f"  {name}: {runs[name][-1]['seconds']:.2f} s")
    median = {
        name: statistics.median(r["seconds"] for r in values) for name, values in runs.items()
    }
    summary = {
        "rows": args.rows,
        "file_bytes": size,
        "median_seconds": median,
        "rows_per_second": {name: args.rows / seconds for name, seconds in median.items()},
        "ratio_to_bare": {name: seconds / median["bare"] for name, seconds in median.items()},
        "peak_rss_mib": {
            name: round(max(r["peak_kib"] for r in values) / 1024, 1)
            for name, values in runs.items()
        },
        "rss_after_setup_mib": {
            name: round(values[-1]["base_kib"] / 1024, 1) for name, values in runs.items()
        },
        "runs": runs,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = RESULTS / f"roster-import-{args.rows}-{stamp}.json"
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False))
    print(json.dumps({k: v for k, v in summary.items() if k != "runs"}, indent=2))
    log(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
