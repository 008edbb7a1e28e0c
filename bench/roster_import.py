#!/usr/bin/env python
"""Roster import benchmark: a 20,000-row deputies roster through the portal's import path (the
upload sealed and stored, the Celery task's check and commit with the preview stored row by row)
against reading the same file with bare python-calamine, side by side in the same run.

    .venv/bin/python bench/roster_import.py                 # 20,000 rows, 3 rounds
    .venv/bin/python bench/roster_import.py --rows 50000 --repeat 1

Data: a PostgreSQL database (default congress_bench_roster, rebuilt when the migrations change)
with one county, 20 townships and 120 stations. The roster is generated into a temporary .xlsx:
the template's columns in another order under a title row, one row per deputy and mandate, with
the messy cells of real files (full-width spaces, trailing spaces, dotted text dates, Excel serial
dates, levels written as 县级/乡镇).

Each measurement runs in a fresh spawned process, so its peak memory is its own (VmHWM, which
unlike ru_maxrss does not carry the parent's peak over):

  (a) calamine — bare python-calamine, every row's values read, nothing else (the yardstick);
  (b) openpyxl — bare openpyxl read-only, for comparison with the earlier figures;
  (c) upload   — what the upload page does: the first rows read, the file sealed and stored;
  (d) check    — the task's check (rosters.jobs.import_job_run): the sealed file opened in
                 memory, read, normalised, validated, the deputies looked up, planned, and the
                 preview stored as sealed ImportRow rows;
  (e) commit   — the first import into an empty roster: the task's commit (checked again, then
                 20,000 deputies and mandates inserted in one transaction, the rows stored);
  (f) again    — the same file imported again: everything unchanged, nothing written.

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
    parser.add_argument(
        "--profile",
        metavar="PREFIX",
        help="run the check, commit and re-import under cProfile, stats to PREFIX-*.prof",
    )
    parser.add_argument(
        "--no-openpyxl", action="store_true", help="leave out the bare openpyxl read"
    )
    return parser.parse_args(argv)


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%SZ}] {message}", flush=True)


def prepare() -> list[tuple[str, str]]:
    """The county's townships and stations (built once): (township name, station name) pairs."""
    from directory.models import Region, Station

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


def _peak_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _child(task, path, job_id, queue) -> None:
    import django

    django.setup()
    queue.put(task(path, job_id))


def _timed(function) -> dict:
    base = _peak_mib()
    started = time.perf_counter()
    rows = function()
    return {
        "seconds": time.perf_counter() - started,
        "rows": rows,
        "peak_mib": round(_peak_mib(), 1),
        "base_mib": round(base, 1),
    }


def calamine(path, _job_id) -> dict:
    import python_calamine

    def run():
        workbook = python_calamine.CalamineWorkbook.from_path(path)
        count = sum(1 for _row in workbook.get_sheet_by_index(0).iter_rows())
        workbook.close()
        return count

    return _timed(run)


def openpyxl_read(path, _job_id) -> dict:
    import openpyxl

    def run():
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _row in workbook.active.iter_rows(values_only=True))
        workbook.close()
        return count

    return _timed(run)


def _importer():
    from accounts.models import Role, User

    user, _created = User.objects.get_or_create(
        username="bench-importer", defaults={"role": Role.ADMINISTRATOR}
    )
    return user


def upload(path, _job_id) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rosters.jobs import import_job_upload

    user = _importer()
    with open(path, "rb") as handle:
        content = handle.read()

    def run():
        job = import_job_upload(
            user=user, roster="deputies", uploaded_file=SimpleUploadedFile("名册.xlsx", content)
        )
        return str(job.pk)

    return _timed(run)


PHASES = {
    "open": "the sealed file decrypted into memory (open_sealed_file)",
    "read": "the sheet's rows read (the time spent in the row iterator of stream_rows)",
    "roster": "normalise, validate, look up, plan (and save on commit): roster_import less the rest",
    "store": "the preview's rows sealed and written (import_rows_write)",
}


def _run_job(job_id: str, *, commit: bool, expect: str) -> dict:
    from rosters import jobs
    from rosters.models import ImportJob

    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.PENDING, commit_requested=commit
    )
    phases = dict.fromkeys(PHASES, 0.0)
    jobs.open_sealed_file = _clocked(jobs.open_sealed_file, phases, "open")
    jobs.import_rows_write = _clocked(jobs.import_rows_write, phases, "store")
    jobs.roster_import = _clocked(jobs.roster_import, phases, "roster")
    stream_rows = jobs.stream_rows

    def clocked_stream(*args, **kwargs):
        rows, hint = stream_rows(*args, **kwargs)
        return _clocked_iterator(rows, phases, "read"), hint

    jobs.stream_rows = clocked_stream

    def run():
        status = jobs.import_job_run(job_id)
        job = ImportJob.objects.get(pk=job_id)
        assert status in ("checked", "committed"), (status, job.error)
        assert job.result["ok"], job.result
        assert job.result["counts"][expect] == job.rows_total == job.rows.count(), job.result
        return job.rows_total

    profile = os.environ.get("ROSTER_BENCH_PROFILE")
    if profile:
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(_timed, run)
        profiler.dump_stats(f"{profile}-{'commit' if commit else 'check'}-{expect}.prof")
    else:
        result = _timed(run)
    # roster_import ran the reading and the storing of rows inside it, as the rows came
    phases["roster"] -= phases["read"] + phases["store"]
    return result | {"phases": {k: round(v, 3) for k, v in phases.items()}}


def _clocked(function, phases: dict, phase: str):
    def clocked(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            phases[phase] += time.perf_counter() - started

    return clocked


def _clocked_iterator(rows, phases: dict, phase: str):
    clock = time.perf_counter
    while True:
        started = clock()
        try:
            row = next(rows)
        except StopIteration:
            phases[phase] += clock() - started
            return
        phases[phase] += clock() - started
        yield row


def check(_path, job_id) -> dict:
    return _run_job(job_id, commit=False, expect="create")


def commit(_path, job_id) -> dict:
    return _run_job(job_id, commit=True, expect="create")


def again(_path, job_id) -> dict:
    return _run_job(job_id, commit=True, expect="unchanged")


def measure(task, path, job_id=None) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(task, str(path), job_id, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def clear_deputies() -> None:
    """An empty roster, and no jobs (their sealed files go with them)."""
    from django.db import connection
    from django.utils import timezone

    from rosters.jobs import import_jobs_purge

    import_jobs_purge(timezone.now() + datetime.timedelta(days=3650))
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE deputies_mandate, deputies_deputy CASCADE")


def main(argv=None) -> int:
    args = parse_args(argv)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    if args.profile:
        os.environ["ROSTER_BENCH_PROFILE"] = str(Path(args.profile).resolve())
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
        names = ("calamine", "openpyxl", "upload", "check", "commit", "again")
        runs = {name: [] for name in names if not (args.no_openpyxl and name == "openpyxl")}
        for round_ in range(args.repeat):
            log(f"round {round_ + 1}/{args.repeat}")
            clear_deputies()
            connections.close_all()
            for name, task in (("calamine", calamine), ("openpyxl", openpyxl_read)):
                if name not in runs:
                    continue
                runs[name].append(measure(task, path))
                log(f"  {name}: {runs[name][-1]['seconds']:.2f} s")
            runs["upload"].append(measure(upload, path))
            job_id = runs["upload"][-1]["rows"]
            log(f"  upload: {runs['upload'][-1]['seconds']:.2f} s")
            for name, task in (("check", check), ("commit", commit)):
                runs[name].append(measure(task, path, job_id))
                log(f"  {name}: {runs[name][-1]['seconds']:.2f} s")
            second = measure(upload, path)["rows"]
            runs["again"].append(measure(again, path, second))
            log(f"  again: {runs['again'][-1]['seconds']:.2f} s")
    median = {
        name: statistics.median(r["seconds"] for r in values) for name, values in runs.items()
    }
    summary = {
        "rows": args.rows,
        "file_bytes": size,
        "median_seconds": median,
        "rows_per_second": {name: args.rows / seconds for name, seconds in median.items()},
        "phase_seconds": {
            name: {phase: statistics.median(r["phases"][phase] for r in values) for phase in PHASES}
            for name, values in runs.items()
            if "phases" in values[0]
        },
        "ratio_to_calamine": {
            name: round(seconds / median["calamine"], 2) for name, seconds in median.items()
        },
        "peak_rss_mib": {name: max(r["peak_mib"] for r in values) for name, values in runs.items()},
        "rss_after_setup_mib": {name: values[-1]["base_mib"] for name, values in runs.items()},
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
