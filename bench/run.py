#!/usr/bin/env python
"""List-page benchmark: the portal's deputy and station lists (pages and API) against a bare
50-row Django template list and the Django admin changelist of the same model, in the same run.

    .venv/bin/python bench/run.py --scale 1
    .venv/bin/python bench/run.py --scale 10

Steps: create the PostgreSQL database if needed (rebuilt when it was built from other migrations),
migrate, seed ``seed_demo --scale N --force`` (skipped when it already holds exactly N demo
counties), ANALYZE, log in through the login form; then for every target

  (a) in-process, with django.test.Client and CaptureQueriesContext: SQL queries per request,
      median and p95 server time and the part of it spent in SQL, over --requests requests;
  (b) under gunicorn (--workers sync workers on 127.0.0.1, a free port) with wrk on loopback:
      requests per second over --duration seconds after a warm-up, --rounds times interleaved
      over the targets (median), and the gunicorn workers' CPU time per request. A run during
      which other processes took more than --max-foreign of the CPU is repeated (bounded by
      --retries and --quiet-budget).

Prints a table and the ratios real/bare and real/admin per model, and writes everything to
bench/results/scale<N>-<timestamp>.json (git-ignored). gunicorn is stopped at the end, also on
errors, Ctrl-C and SIGTERM. See bench/README.md.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import hashlib
import io
import json
import math
import os
import platform
import pstats
import re
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/congress_bench_{scale}"
DEMO_PASSWORD = "Demo@2026"
GOAL_VS_BARE = 0.7
GOAL_VS_ADMIN = 2.5


@dataclass(frozen=True)
class Target:
    key: str
    model: str  # deputy | station
    kind: str  # bare | page | api | admin
    path: str
    label: str


TARGETS = [
    Target("deputy_bare", "deputy", "bare", "/bench/bare/deputies/", "bare deputy list"),
    Target("deputy_page", "deputy", "page", "/deputies/", "deputy list page"),
    Target("deputy_api", "deputy", "api", "/api/v1/deputies/", "deputy API"),
    Target(
        "deputy_admin", "deputy", "admin", "/admin/directory/deputy/", "admin deputy changelist"
    ),
    Target("station_bare", "station", "bare", "/bench/bare/stations/", "bare station list"),
    Target("station_page", "station", "page", "/stations/", "station list page"),
    Target("station_api", "station", "api", "/api/v1/stations/", "station API"),
    Target(
        "station_admin", "station", "admin", "/admin/directory/station/", "admin station changelist"
    ),
]


@dataclass
class Measurement:
    target: str
    path: str
    status: int = 0
    bytes: int = 0
    queries: int = 0
    queries_min: int = 0
    queries_max: int = 0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    sql_median_ms: float = 0.0
    cpu_median_ms: float = 0.0  # CPU time of this process (Python side only)
    rps: float | None = None
    rps_runs: list[float] = field(default_factory=list)
    wrk_runs: list[dict] = field(default_factory=list)
    live_bytes: int | None = None
    wrk_p50_ms: float | None = None
    wrk_p99_ms: float | None = None
    cpu_ms_per_request: float | None = None
    foreign_share_max: float | None = None
    attempts: int | None = None
    wrk_requests: int | None = None
    wrk_errors: int | None = None
    sql: list[str] = field(default_factory=list)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument(
        "--scale", type=int, default=1, help="demo counties (each 121 stations, 2,192 deputies)"
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help="PostgreSQL URL; {scale} is replaced by --scale (default: %(default)s)",
    )
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument(
        "--user",
        default="admin",
        help="demo login used for every target (default: admin, unrestricted)",
    )
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument(
        "--requests", type=int, default=50, help="in-process requests per target (default 50)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2)")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8)")
    parser.add_argument(
        "--duration", type=int, default=5, help="wrk seconds per target and round (default 5)"
    )
    parser.add_argument(
        "--warmup", type=int, default=1, help="wrk warm-up seconds before each run (default 1)"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="rounds over all targets; req/s is the median (default 3)",
    )
    parser.add_argument(
        "--conn-max-age",
        type=int,
        default=600,
        help="CONN_MAX_AGE (default 600 as in production; 0 = a connection per request)",
    )
    parser.add_argument(
        "--list-cache-seconds",
        type=int,
        default=60,
        help="LIST_CACHE_SECONDS (default 60 as in production; 0 = render every list afresh)",
    )
    parser.add_argument(
        "--skip-load", action="store_true", help="in-process figures only, no gunicorn/wrk"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="TARGET",
        choices=[t.key for t in TARGETS],
        help="measure only these targets",
    )
    parser.add_argument(
        "--profile",
        metavar="TARGET",
        choices=[t.key for t in TARGETS],
        help="also print a cProfile of 20 in-process requests to TARGET",
    )
    parser.add_argument(
        "--label", default="", help="free text stored in the result file (e.g. the commit measured)"
    )
    parser.add_argument(
        "--max-foreign",
        type=float,
        default=0.1,
        help="repeat a wrk run when more than this share of the CPU went to other processes "
        "(default 0.1)",
    )
    parser.add_argument(
        "--retries", type=int, default=2, help="repeats of a disturbed wrk run (default 2)"
    )
    parser.add_argument(
        "--quiet-budget",
        type=float,
        default=90,
        help="seconds the whole run may spend waiting for an idle machine and repeating "
        "disturbed runs (default 90)",
    )
    args = parser.parse_args(argv)
    if args.scale < 1:
        parser.error("--scale must be at least 1")
    for name in ("requests", "workers", "threads", "connections", "duration", "rounds"):
        if getattr(args, name) < 1:
            parser.error(f"--{name} must be at least 1")
    if args.connections < args.threads:
        parser.error("--connections must be at least --threads")
    args.database_url = args.database_url.replace("{scale}", str(args.scale))
    return args


def log(message: str) -> None:
    print(f"[{_utcnow():%H:%M:%S}Z] {message}", flush=True)


def _utcnow() -> datetime.datetime:
    # UTC: Django sets the process time zone (TIME_ZONE) once it is set up.
    return datetime.datetime.now(datetime.UTC)


# Database ---------------------------------------------------------------------------------------


BENCH_DB_PREFIX = "congress_bench"


def migrations_digest() -> str:
    """Fingerprint of the project's migration files: a bench database built from other migrations
    (e.g. a 0001_initial edited in place) is rebuilt instead of measured with a stale schema."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_database(url: str, fresh: bool, digest: str) -> None:
    """Create the database if missing. Drop it first with --fresh, or when it was built from other
    migrations (only databases named congress_bench*; any other database is never dropped
    without --fresh)."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit(f"--database-url must be PostgreSQL, got {config['ENGINE']}")
    name = config["NAME"]
    params = {
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
        "connect_timeout": 10,
    }
    maintenance = psycopg2.connect(dbname="postgres", **params)
    maintenance.autocommit = True
    try:
        with maintenance.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone() is not None
            if exists and not fresh:
                stored = _stored_digest(psycopg2.connect(dbname=name, **params))
                if stored != digest and name.startswith(BENCH_DB_PREFIX):
                    log(f"{name} was not built from the current migrations, rebuilding it")
                    fresh = True
                elif stored is not None and stored != digest:
                    raise SystemExit(
                        f"{name} was built from other migrations; rerun with --fresh to rebuild it"
                    )
            if exists and fresh:
                log(f"dropping database {name}")
                cursor.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
                exists = False
            if not exists:
                log(f"creating database {name}")
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        maintenance.close()


def _stored_digest(connection) -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass('bench_meta')")
            if cursor.fetchone()[0] is None:
                return None
            cursor.execute("SELECT value FROM bench_meta WHERE key = 'migrations'")
            row = cursor.fetchone()
            return row[0] if row else None
    finally:
        connection.close()


def store_digest(digest: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value text)")
        cursor.execute(
            "INSERT INTO bench_meta (key, value) VALUES ('migrations', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [digest],
        )


def prepare_data(scale: int) -> dict:
    from django.core.management import call_command
    from django.db import connection

    from directory.models import Deputy, Region, Station

    log("migrating")
    call_command("migrate", verbosity=0, interactive=False)
    counties = Region.objects.filter(level=Region.Level.COUNTY).count()
    if counties > scale:
        raise SystemExit(
            f"the database holds {counties} counties, more than --scale {scale}; "
            "use --fresh or another --database-url"
        )
    if counties == scale:
        log(f"already seeded at scale {scale}, skipping seed_demo")
        seed_seconds = None
    else:
        log(f"seed_demo --scale {scale} --force ({counties} counties present)")
        started = time.monotonic()
        call_command("seed_demo", scale=scale, force=True, stdout=io.StringIO())
        seed_seconds = round(time.monotonic() - started, 1)
        log(f"seeded in {seed_seconds} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SHOW server_version")
        pg_version = cursor.fetchone()[0]
    return {
        "counties": Region.objects.filter(level=Region.Level.COUNTY).count(),
        "stations": Station.objects.count(),
        "deputies": Deputy.objects.count(),
        "seed_seconds": seed_seconds,
        "postgres": pg_version,
    }


# In-process measurement -------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def make_client(username: str, password: str):
    """A test client logged in through the real login form (so login middleware and
    authentication backends, e.g. lockout, see a request as they do in production)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    client = Client(HTTP_HOST="127.0.0.1")
    response = client.post(reverse("login"), {"username": username, "password": password})
    if response.status_code != 302 or settings.SESSION_COOKIE_NAME not in client.cookies:
        raise SystemExit(
            f"cannot log in as {username!r} (status {response.status_code}; is the database seeded?)"
        )
    return client


def check_response(target: Target, response) -> None:
    if response.status_code != 200:
        location = response.get("Location", "")
        raise SystemExit(f"{target.path} answered {response.status_code} {location} instead of 200")


class _SqlTimer:
    """connection.execute_wrapper that adds up the wall time of every SQL round trip (the time
    CaptureQueriesContext records is rounded to whole milliseconds)."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started


def measure_in_process(client, target: Target, requests: int) -> Measurement:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm-up: template compilation, URL resolver, first connection
        check_response(target, client.get(target.path))
    times, cpu_times, sql_times, counts = [], [], [], []
    sample_sql: list[str] = []
    response = None
    for _ in range(requests):
        timer = _SqlTimer()
        with CaptureQueriesContext(connection) as captured, connection.execute_wrapper(timer):
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(target.path)
            elapsed = time.perf_counter() - started
            cpu_times.append((time.process_time() - cpu_started) * 1000)
        check_response(target, response)
        times.append(elapsed * 1000)
        sql_times.append(timer.seconds * 1000)
        counts.append(len(captured.captured_queries))
        if not sample_sql:
            sample_sql = [q["sql"] for q in captured.captured_queries]
    return Measurement(
        target=target.key,
        path=target.path,
        status=response.status_code,
        bytes=len(response.content),
        queries=int(statistics.median(counts)),
        queries_min=min(counts),
        queries_max=max(counts),
        median_ms=round(statistics.median(times), 2),
        p95_ms=round(percentile(times, 95), 2),
        sql_median_ms=round(statistics.median(sql_times), 2),
        cpu_median_ms=round(statistics.median(cpu_times), 2),
        sql=sample_sql,
    )


def profile_target(client, target: Target, top: int = 30) -> str:
    for _ in range(3):
        client.get(target.path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        client.get(target.path)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
    stats.print_stats(top)
    out.write("\n--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


# gunicorn + wrk ---------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn in its own process group; stop() ends it (also used from finally blocks)."""

    def __init__(self, *, workers: int, env: dict, logfile: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.logfile = logfile
        self.command = [
            sys.executable,
            "-m",
            "gunicorn",
            "congress_portal.wsgi:application",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--log-level",
            "warning",
            "--error-logfile",
            str(logfile),
        ]
        self.env = env
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        log(
            f"starting gunicorn on {self.base} ({self.command[self.command.index('--workers') + 1]} sync workers)"
        )
        self.process = subprocess.Popen(
            self.command,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(
                    f"gunicorn exited with {self.process.returncode}; see {self.logfile}"
                )
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise SystemExit(
            f"gunicorn did not answer /healthz within {timeout:.0f} s; see {self.logfile}"
        )

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        log("stopping gunicorn")
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=15)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_live(base: str, target: Target, cookie: str) -> int:
    """One request through gunicorn: must be a 200 (a 302 to the login page would make wrk count
    redirects as successes)."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(base + target.path, headers={"Cookie": cookie})
    try:
        with opener.open(request, timeout=30) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status, body = exc.code, b""
    if status != 200:
        raise SystemExit(f"{target.path} under gunicorn answered {status} instead of 200")
    return len(body)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return round(float(number) * _UNITS[unit], 2)


def run_wrk(url: str, cookie: str, *, threads: int, connections: int, seconds: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "30s",
        "--latency",
        "-H",
        f"Cookie: {cookie}",
        url,
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if completed.returncode != 0:
        raise SystemExit(
            f"wrk failed ({completed.returncode}): {completed.stderr or completed.stdout}"
        )
    out = completed.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    total = re.search(r"(\d+) requests in", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    errors = int(non2xx.group(1)) if non2xx else 0
    if socket_errors:
        # Sync gunicorn workers close every connection; wrk may count the odd read error then.
        errors += int(socket_errors.group(1)) + int(socket_errors.group(4))
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "requests": int(total.group(1)) if total else 0,
        "p50_ms": _ms(p50.group(1)) if p50 else None,
        "p99_ms": _ms(p99.group(1)) if p99 else None,
        "errors": errors,
        "raw": out,
    }


def _median_or_none(values):
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 2) if values else None


_CLK_TCK = os.sysconf("SC_CLK_TCK")


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine; busy = user + nice + system."""
    with open("/proc/stat", encoding="ascii") as stat:
        values = [int(v) for v in stat.readline().split()[1:]]
    return values[0] + values[1] + values[2], sum(values)


def _process_ticks() -> dict[int, tuple[str, int, int]]:
    """pid -> (command name, parent pid, CPU ticks) for every process. For PostgreSQL processes
    the ticks include reaped children (cutime + cstime): with CONN_MAX_AGE=0 every request's
    backend has exited before the window closes, and its CPU shows up in the postmaster's."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as stat:
                raw = stat.read()
        except OSError:
            continue
        comm = raw[raw.find("(") + 1 : raw.rfind(")")]
        fields = raw[raw.rfind(")") + 2 :].split()
        ticks = int(fields[11]) + int(fields[12])
        if comm.startswith("postgres"):
            ticks += int(fields[13]) + int(fields[14])
        out[int(entry)] = (comm, int(fields[1]), ticks)
    return out


def cpu_busy_fraction(seconds: float = 1.0) -> float:
    """Share of the machine's CPU in use over ``seconds``."""
    busy1, total1 = _machine_ticks()
    time.sleep(seconds)
    busy2, total2 = _machine_ticks()
    return (busy2 - busy1) / max(1, total2 - total1)


class QuietWaiter:
    """Waits, one second at a time, until the machine is idle (busy share <= threshold); the
    waits of a whole benchmark share one time budget, so the run stays bounded."""

    def __init__(self, *, budget: float, threshold: float):
        self.left = budget
        self.threshold = threshold
        self.waited = 0.0

    def wait(self) -> None:
        announced = False
        while self.left > 0:
            started = time.monotonic()
            busy = cpu_busy_fraction(1.0)
            spent = time.monotonic() - started
            if busy <= self.threshold:
                return
            self.left -= spent
            self.waited += spent
            if not announced:
                log(f"  machine {busy:.0%} busy, waiting for quiet (budget left {self.left:.0f}s)")
                announced = True


class CpuWindow:
    """CPU used during a wrk run: by the gunicorn workers, and by anything that is not part of the
    benchmark (neither gunicorn, PostgreSQL, wrk nor this script) — "foreign" load, which makes
    req/s unreliable, so such runs are repeated."""

    def __init__(self, master_pid: int):
        self.master_pid = master_pid
        self.machine = _machine_ticks()
        self.processes = _process_ticks()
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)

    def close(self) -> dict:
        busy1, total1 = self.machine
        busy2, total2 = _machine_ticks()
        after = _process_ticks()
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        workers = ours = 0
        for pid, (comm, ppid, ticks) in after.items():
            delta = ticks - self.processes.get(pid, (comm, ppid, 0))[2]
            if ppid == self.master_pid:
                workers += delta
                ours += delta
            elif pid in (os.getpid(), self.master_pid) or comm.startswith("postgres"):
                ours += delta
        # wrk has exited and been waited for: it is in this process's children usage.
        wrk_seconds = (children.ru_utime + children.ru_stime) - (
            self.children.ru_utime + self.children.ru_stime
        )
        ours += wrk_seconds * _CLK_TCK
        capacity = max(1, total2 - total1)  # ticks of all CPUs together
        return {
            "worker_cpu_seconds": workers / _CLK_TCK,
            "machine_busy": round((busy2 - busy1) / capacity, 3),
            "foreign_share": round(max(0.0, (busy2 - busy1) - ours) / capacity, 3),
        }


# Report -----------------------------------------------------------------------------------------


def ratios(results: dict[str, Measurement], metric) -> dict:
    out = {}
    for model in ("deputy", "station"):
        bare = results.get(f"{model}_bare")
        admin = results.get(f"{model}_admin")
        for kind in ("page", "api"):
            real = results.get(f"{model}_{kind}")
            if real is None:
                continue
            row = {}
            if bare is not None and metric(bare) and metric(real) is not None:
                row["vs_bare"] = round(metric(real) / metric(bare), 2)
                row["goal_vs_bare_met"] = row["vs_bare"] >= GOAL_VS_BARE
            if admin is not None and metric(admin) and metric(real) is not None:
                row["vs_admin"] = round(metric(real) / metric(admin), 2)
                row["goal_vs_admin_met"] = row["vs_admin"] >= GOAL_VS_ADMIN
            out[f"{model}_{kind}"] = row
    return out


def _row(target: Target, m: Measurement) -> list[str]:
    queries = (
        str(m.queries) if m.queries_min == m.queries_max else f"{m.queries_min}-{m.queries_max}"
    )
    runs = f"{min(m.rps_runs):.0f}-{max(m.rps_runs):.0f}" if m.rps_runs else "-"
    return [
        target.label,
        target.path,
        queries,
        f"{m.median_ms:.1f}",
        f"{m.p95_ms:.1f}",
        f"{m.sql_median_ms:.1f}",
        f"{m.bytes / 1024:.1f}",
        f"{m.rps:.1f}" if m.rps is not None else "-",
        runs,
        f"{m.wrk_p50_ms:.1f}" if m.wrk_p50_ms is not None else "-",
        f"{m.cpu_ms_per_request:.1f}" if m.cpu_ms_per_request is not None else "-",
    ]


_HEADER = [
    "target",
    "path",
    "queries",
    "median ms",
    "p95 ms",
    "SQL ms",
    "KiB",
    "req/s",
    "runs",
    "wrk p50 ms",
    "CPU ms/req",
]


def print_table(results: dict[str, Measurement]) -> None:
    rows = [_row(t, results[t.key]) for t in TARGETS if t.key in results]
    widths = [max(len(r[i]) for r in [_HEADER, *rows]) for i in range(len(_HEADER))]
    line = lambda r: "  ".join(  # noqa: E731
        c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
    )
    print(line(_HEADER))
    print("-" * (sum(widths) + 2 * (len(widths) - 1)))
    for r in rows:
        print(line(r))


def markdown_table(results: dict[str, Measurement]) -> str:
    rows = [_row(t, results[t.key]) for t in TARGETS if t.key in results]
    out = ["| " + " | ".join(_HEADER) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * 9) + "|"]
    out += ["| " + " | ".join([r[0], f"`{r[1]}`", *r[2:]]) + " |" for r in rows]
    return "\n".join(out)


def print_ratios(title: str, table: dict) -> None:
    print(f"\n{title}")
    for key, row in table.items():
        parts = []
        if "vs_bare" in row:
            mark = "ok" if row["goal_vs_bare_met"] else "MISSED"
            parts.append(f"{row['vs_bare']:.2f}x bare (goal >= {GOAL_VS_BARE}: {mark})")
        if "vs_admin" in row:
            mark = "ok" if row["goal_vs_admin_met"] else "MISSED"
            parts.append(f"{row['vs_admin']:.2f}x admin (goal >= {GOAL_VS_ADMIN}: {mark})")
        print(f"  {key:<14} " + "; ".join(parts))


def git_commit() -> str | None:
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=10,
        )
        if completed.returncode != 0:
            return None  # not a git checkout (e.g. a `git archive` export): see --label
        return completed.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


# Main -------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    # SIGTERM → SystemExit, so the finally block below stops gunicorn as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    RESULTS.mkdir(parents=True, exist_ok=True)

    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    os.environ["DATABASE_URL"] = args.database_url
    os.environ["CONN_MAX_AGE"] = str(args.conn_max_age)
    os.environ["LIST_CACHE_SECONDS"] = str(args.list_cache_seconds)
    # Import the project, not bench/ modules as top-level names; and work from the project root
    # (a dependency puts the working directory on sys.path, stray modules there would shadow apps).
    sys.path[0:1] = [str(ROOT)]
    os.chdir(ROOT)

    started = time.monotonic()
    digest = migrations_digest()
    ensure_database(args.database_url, args.fresh, digest)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    data = prepare_data(args.scale)
    store_digest(digest)
    log(
        f"data: {data['counties']} counties, {data['stations']} stations, {data['deputies']} deputies; "
        f"user {args.user!r}; CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}; "
        f"LIST_CACHE_SECONDS={settings.LIST_CACHE_SECONDS}"
    )
    targets = [t for t in TARGETS if not args.only or t.key in args.only]
    client = make_client(args.user, args.password)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    # Other processes on the machine skew timings: before each measurement wait (bounded, one
    # budget for the whole run) until the machine is idle.
    quiet = QuietWaiter(budget=args.quiet_budget, threshold=args.max_foreign)
    results: dict[str, Measurement] = {}
    for target in targets:
        log(f"in-process: {target.label} ({args.requests} requests)")
        quiet.wait()
        results[target.key] = measure_in_process(client, target, args.requests)

    profile_text = None
    if args.profile:
        target = next(t for t in TARGETS if t.key == args.profile)
        log(f"profiling {target.label}")
        profile_text = profile_target(client, target)
    connection.close()

    wrk_raw: dict[str, list[str]] = {}
    cpu_busy = None
    if not args.skip_load:
        cpu_busy = cpu_busy_fraction()
        if cpu_busy > 0.2:
            log(
                f"warning: the machine is {cpu_busy:.0%} busy before the load phase; req/s will be low and noisy"
            )
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        server = Gunicorn(
            workers=args.workers, env=env, logfile=RESULTS / f"gunicorn-scale{args.scale}.log"
        )
        runs: dict[str, list[dict]] = {t.key: [] for t in targets}
        try:
            server.start()
            for target in targets:
                results[target.key].live_bytes = check_live(server.base, target, cookie)
            # Rounds interleave the targets, so a disturbance (another process on the machine)
            # spreads over all of them instead of skewing one; each figure is the median round.
            # Before each run the machine must be quiet (bounded wait); a run during which other
            # processes took more than --max-foreign of the CPU is repeated (--retries), keeping
            # the least disturbed attempt.
            wrk = dict(threads=args.threads, connections=args.connections)
            for round_no in range(1, args.rounds + 1):
                for target in targets:
                    log(
                        f"wrk round {round_no}/{args.rounds}: {target.label} "
                        f"({args.warmup}s warm-up + {args.duration}s)"
                    )
                    quiet.wait()
                    if args.warmup:
                        run_wrk(server.base + target.path, cookie, seconds=args.warmup, **wrk)
                    attempts = []
                    for attempt in range(1, args.retries + 2):
                        if attempt > 1:
                            if quiet.left <= 0:
                                break
                            quiet.left -= args.duration  # retries share the budget
                            quiet.wait()
                        window = CpuWindow(server.process.pid)
                        outcome = run_wrk(
                            server.base + target.path, cookie, seconds=args.duration, **wrk
                        )
                        outcome.update(window.close(), attempt=attempt)
                        # Worker CPU per request: unlike req/s, hardly affected by other load.
                        outcome["cpu_ms"] = round(
                            outcome.pop("worker_cpu_seconds") * 1000 / max(1, outcome["requests"]),
                            2,
                        )
                        attempts.append(outcome)
                        if outcome["foreign_share"] <= args.max_foreign:
                            break
                        log(
                            f"  disturbed: {outcome['foreign_share']:.0%} of the CPU went to other "
                            f"processes ({outcome['rps']:.0f} req/s)"
                            + ("; repeating" if attempt <= args.retries and quiet.left > 0 else "")
                        )
                    outcome = min(attempts, key=lambda o: o["foreign_share"])
                    runs[target.key].append(outcome)
                    wrk_raw.setdefault(target.key, []).append(outcome.pop("raw"))
                    if outcome["errors"]:
                        log(f"  warning: {outcome['errors']} errors/non-2xx responses")
        finally:
            server.stop()
        for key, outcomes in runs.items():
            if not outcomes:
                continue
            m = results[key]
            m.rps_runs = [o["rps"] for o in outcomes]
            m.wrk_runs = outcomes
            m.rps = round(statistics.median(m.rps_runs), 1)
            m.wrk_p50_ms = _median_or_none([o["p50_ms"] for o in outcomes])
            m.wrk_p99_ms = _median_or_none([o["p99_ms"] for o in outcomes])
            m.wrk_requests = sum(o["requests"] for o in outcomes)
            m.wrk_errors = sum(o["errors"] for o in outcomes)
            m.cpu_ms_per_request = _median_or_none([o["cpu_ms"] for o in outcomes])
            m.foreign_share_max = max(o["foreign_share"] for o in outcomes)
            m.attempts = sum(o["attempt"] for o in outcomes)

    print()
    print(
        f"scale {args.scale}: {data['counties']} counties, {data['stations']} stations, "
        f"{data['deputies']} deputies; user {args.user!r}; {os.cpu_count()} CPUs; "
        f"gunicorn {args.workers} sync workers; wrk -t{args.threads} -c{args.connections} "
        f"-d{args.duration}s x {args.rounds} rounds (median)"
    )
    print_table(results)
    rps_ratios = ratios(results, lambda m: m.rps) if not args.skip_load else {}
    time_ratios = ratios(results, lambda m: (1000 / m.median_ms) if m.median_ms else None)
    cpu_ratios = (
        ratios(results, lambda m: (1000 / m.cpu_ms_per_request) if m.cpu_ms_per_request else None)
        if not args.skip_load
        else {}
    )
    if rps_ratios:
        print_ratios("Throughput ratios (req/s under gunicorn + wrk):", rps_ratios)
    if cpu_ratios:
        print_ratios("Server CPU ratios (1 / gunicorn worker CPU ms per request):", cpu_ratios)
    print_ratios("In-process ratios (1 / median server time):", time_ratios)
    print("\nMarkdown:\n" + markdown_table(results))
    if profile_text:
        print(f"\nProfile of 20 requests to {args.profile}:\n{profile_text}")

    import django as django_module

    stamp = _utcnow().strftime("%Y%m%d-%H%M%SZ")
    out_path = RESULTS / f"scale{args.scale}-{stamp}.json"
    payload = {
        "scale": args.scale,
        "created": _utcnow().isoformat(timespec="seconds"),
        "git": git_commit(),
        "label": args.label,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "django": django_module.get_version(),
        },
        "data": data,
        "settings": {
            "user": args.user,
            "database": settings.DATABASES["default"]["NAME"],
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
            "conn_health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
            "list_cache_seconds": settings.LIST_CACHE_SECONDS,
            "debug": settings.DEBUG,
            "requests": args.requests,
            "gunicorn_workers": args.workers,
            "wrk": f"-t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds, "
            f"warm-up {args.warmup}s",
            "cpu_busy_before_load": None if cpu_busy is None else round(cpu_busy, 3),
            "max_foreign": args.max_foreign,
            "quiet_wait_seconds": round(quiet.waited, 1),
        },
        "results": {key: asdict(m) for key, m in results.items()},
        "ratios_rps": rps_ratios,
        "ratios_in_process": time_ratios,
        "ratios_worker_cpu": cpu_ratios,
        "goals": {"vs_bare": GOAL_VS_BARE, "vs_admin": GOAL_VS_ADMIN},
        "wrk_output": wrk_raw,
        "profile": profile_text,
        "elapsed_seconds": round(time.monotonic() - started, 1),
    }
    out_path.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"\nwritten {out_path.relative_to(ROOT)} ({payload['elapsed_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
