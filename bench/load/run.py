"""The load test in one command: a fresh database, the demo at a scale, the stack as production runs
it, Locust at 10, 50 and 100 concurrent users, one table.

    .venv/bin/python bench/load/run.py --scale 1            # ~8 min on 2 cores
    .venv/bin/python bench/load/run.py --scale 10           # + the 10× seed

What it does:

1. Drops and recreates the PostgreSQL database ``--database`` (default congress_portal_load; only
   names starting with ``congress_portal_load`` are accepted) on ``--pg`` and flushes Redis db
   ``--redis-db`` (default 6; broker and cache share it).
2. ``migrate``, ``seed_demo --scale N --force``, ``ANALYZE``, then bench/load/setup.py (the load
   test's logins and pools).
3. Starts gunicorn (``--workers`` 4, sync, as deploy/systemd/portal-web.service) and one Celery
   worker for both queues under ``bench.settings`` (production settings, plain http on loopback,
   plus the bench URL that reads the public CAPTCHA's answer from the session), PostgreSQL and
   Redis as in production.
4. For each user count: Locust headless (bench/load/locustfile.py) for ``--duration`` seconds
   after a ramp-up and a warm-up that are not measured; the pools are recomputed between counts
   (a reception can be logged once).
5. Prints p50/p95/p99 per page and errors for each count, the machine's load average before and
   after each, whether the goal (50 users: p95 ≤ 300 ms on every page, 0 errors) holds, and writes
   ``bench/results/load-scale<N>-<UTC>.md`` and ``.json`` (git-ignored). Stops what it started.
"""

import argparse
import csv
import datetime
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
GOAL_USERS, GOAL_P95_MS = 50, 300
# Not pages of the portal: the benchmark's own CAPTCHA shortcut.
NOT_A_PAGE = {"(bench) captcha answer"}
# Reported apart: the logins of the ramp-up, a deliberately slow password hash each.
LOGIN_RAMP = "/accounts/login/ (POST, during ramp-up)"


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="demo counties (1 = 1×, 10 = 10×)")
    parser.add_argument("--users", default="10,50,100", help="concurrent users, comma-separated")
    parser.add_argument("--duration", type=int, default=60, help="measured seconds per count")
    parser.add_argument("--warmup", type=int, default=15, help="unmeasured seconds after ramp-up")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--database", default="congress_portal_load")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379")
    parser.add_argument("--redis-db", type=int, default=6)
    parser.add_argument("--port", type=int, default=8790)
    parser.add_argument("--keep-data", action="store_true", help="reuse the database as it is")
    args = parser.parse_args(argv)
    if not args.database.startswith("congress_portal_load"):
        parser.error("--database must start with congress_portal_load (it is dropped)")
    return args


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def manage(env: dict, *args: str) -> None:
    subprocess.run([str(VENV / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def psql(url: str, *commands: str) -> None:
    argv = ["psql", url, "-q", "-v", "ON_ERROR_STOP=1"]
    for command in commands:
        argv += ["-c", command]
    subprocess.run(argv, check=True)


def read_stats(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"],
                    "type": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50": _num(row["50%"]),
                    "p95": _num(row["95%"]),
                    "p99": _num(row["99%"]),
                    "rps": float(row["Requests/s"]),
                }
            )
    return rows


def _num(text: str):
    return None if text in ("", "N/A") else float(text)


def table(rows: list[dict]) -> str:
    lines = [
        "| page | requests | errors | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        if not row["requests"]:
            continue
        name = "**all**" if row["name"] == "Aggregated" else f"`{row['name']}`"
        lines.append(
            f"| {name} | {row['requests']} | {row['failures']} | {_fmt(row['p50'])} | "
            f"{_fmt(row['p95'])} | {_fmt(row['p99'])} |"
        )
    return "\n".join(lines)


def _fmt(value) -> str:
    return "–" if value is None else f"{value:.0f}"


class Stack:
    def __init__(self, env: dict, work: Path, workers: int, port: int):
        self.env, self.work, self.workers, self.port = env, work, workers, port
        self.processes: list[subprocess.Popen] = []

    def start(self) -> None:
        self._spawn(
            "web",
            [
                str(VENV / "gunicorn"),
                "congress_portal.wsgi",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "120",
            ],
        )
        self._spawn(
            "worker",
            [
                str(VENV / "celery"),
                "-A",
                "congress_portal",
                "worker",
                "--queues",
                "default,bulk",
                "--hostname",
                "load@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            ],
        )
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer; see {self.work}/web.log")

    def _spawn(self, name: str, argv: list[str]) -> None:
        logfile = (self.work / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=logfile, stderr=subprocess.STDOUT)
        )

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes.clear()


def main(argv=None) -> int:
    args = parse_args(argv)
    users = [int(n) for n in args.users.split(",")]
    started = datetime.datetime.now(datetime.UTC)
    stamp = started.strftime("%Y%m%d-%H%M%SZ")
    work = Path(tempfile.mkdtemp(prefix="portal-load-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": f"{args.pg}/{args.database}",
        "CELERY_BROKER_URL": f"{args.redis}/{args.redis_db}",
        "CACHE_URL": f"{args.redis}/{args.redis_db}",
        "VAR_DIR": str(work / "var"),
        "PUBLIC_COUNTY_CODE": "510824",  # the first demo county (demo/seed.py)
        # All the load comes from 127.0.0.1: the per-address limits would refuse the public
        # after five opinions; they are measured by their own tests.
        "PUBLIC_OPINION_LIMIT": "1000000",
        "PUBLIC_TRACK_LIMIT": "1000000",
        "LOG_LEVEL": "INFO",
        "PYTHONUNBUFFERED": "1",
    }
    (work / "var").mkdir()
    fixture = work / "fixture.json"
    stack = Stack(env, work, args.workers, args.port)

    def on_signal(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    results = {
        "scale": args.scale,
        "started": started.isoformat(),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip(),
        "workers": args.workers,
        "duration": args.duration,
        "levels": [],
    }
    try:
        if not args.keep_data:
            log(f"fresh database {args.database}, Redis db {args.redis_db}")
            psql(
                f"{args.pg}/postgres",
                f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)',
                f'CREATE DATABASE "{args.database}"',
            )
            subprocess.run(
                ["redis-cli", "-u", f"{args.redis}/{args.redis_db}", "FLUSHDB"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            manage(env, "migrate", "--noinput", "-v", "0")
            seeded = time.monotonic()
            log(f"seed_demo --scale {args.scale}")
            manage(env, "seed_demo", "--scale", str(args.scale), "--force")
            results["seed_seconds"] = round(time.monotonic() - seeded)
            psql(f"{args.pg}/{args.database}", "ANALYZE")
        log("starting gunicorn and the worker")
        stack.start()
        for count in users:
            manage(
                env,
                "shell",
                "-c",
                f"from bench.load.setup import prepare; prepare({str(fixture)!r})",
            )
            before = uptime()
            log(f"{count} users: {before}")
            prefix = work / f"u{count}"
            # A bound only: Locust stops itself args.duration s after the warm-up.
            run_time = int(count / args.spawn_rate + 600 + args.warmup + args.duration)
            subprocess.run(
                [
                    str(VENV / "locust"),
                    "-f",
                    str(ROOT / "bench" / "load" / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(count),
                    "--spawn-rate",
                    str(args.spawn_rate),
                    "--run-time",
                    f"{run_time}s",
                    "--host",
                    f"http://127.0.0.1:{args.port}",
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=ROOT,
                env={
                    **os.environ,
                    "LOAD_FIXTURE": str(fixture),
                    "LOAD_WARMUP": str(args.warmup),
                    "LOAD_DURATION": str(args.duration),
                    "LOAD_LOGIN_STATS": f"{prefix}_logins.json",
                    "LOAD_CPU_STATS": f"{prefix}_cpu.json",
                    "LOAD_WEB_PID": str(stack.processes[0].pid),
                    "LOAD_DATABASE_URL": f"{args.pg}/{args.database}",
                },
                check=True,
                stdout=(work / f"locust-{count}.log").open("wb"),
                stderr=subprocess.STDOUT,
            )
            after = uptime()
            rows = read_stats(Path(f"{prefix}_stats.csv"))
            logins_file = Path(f"{prefix}_logins.json")
            if logins_file.exists():
                login = json.loads(logins_file.read_text())
                rows.insert(-1, {"name": LOGIN_RAMP, **login})
            failures = []
            failures_csv = Path(f"{prefix}_failures.csv")
            if failures_csv.exists():
                with failures_csv.open(encoding="utf-8") as handle:
                    failures = list(csv.DictReader(handle))
            cpu_file = Path(f"{prefix}_cpu.json")
            cpu = json.loads(cpu_file.read_text()) if cpu_file.exists() else None
            results["levels"].append(
                {
                    "cpu": cpu,
                    "users": count,
                    "before": before,
                    "after": after,
                    "rows": rows,
                    "failures": failures,
                }
            )
            log(f"{count} users done: {after}")
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        stack.stop()
        log(f"logs of the run in {work}")

    report = [
        f"Load test, scale {args.scale}×, commit {results['commit']}, gunicorn "
        f"{args.workers} workers, {args.duration} s measured per count, started {results['started']}"
    ]
    verdict = []
    for level in results["levels"]:
        report += [
            "",
            f"### {level['users']} concurrent users",
            "",
            f"machine before: `{level['before']}`  ",
            f"machine after: `{level['after']}`",
            "",
            table(level["rows"]),
        ]
        cpu = level.get("cpu")
        if cpu and cpu["requests"]:
            web_ms = 1000 * cpu["web_cpu_s"] / cpu["requests"]
            db_ms = 1000 * cpu["db_cpu_s"] / cpu["requests"]
            report += [
                "",
                f"{cpu['requests']} requests in {args.duration} s "
                f"({cpu['requests'] / args.duration:.1f}/s); CPU per request: gunicorn "
                f"{web_ms:.1f} ms, PostgreSQL {db_ms:.1f} ms ({cpu['db_backends']} backends), "
                f"i.e. at most ~{2000 / (web_ms + db_ms):.0f} requests/s on 2 dedicated cores",
            ]
        if level["failures"]:
            report += ["", "Errors:"]
            report += [
                f"- {f['Method']} {f['Name']}: {f['Occurrences']}× {f['Error'][:200]}"
                for f in level["failures"]
            ]
        pages = [
            r
            for r in level["rows"]
            if r["name"] not in NOT_A_PAGE | {"Aggregated", LOGIN_RAMP} and r["requests"]
        ]
        slow = [r["name"] for r in pages if r["p95"] is not None and r["p95"] > GOAL_P95_MS]
        errors = sum(r["failures"] for r in pages)
        verdict.append(
            f"{level['users']} users: {len(slow)} page(s) over p95 {GOAL_P95_MS} ms"
            + (f" ({', '.join(slow)})" if slow else "")
            + f", {errors} error(s)"
        )
        if level["users"] == GOAL_USERS:
            results["goal_met"] = not slow and not errors
    report += ["", "### Verdict", ""] + [f"- {line}" for line in verdict]
    if "goal_met" in results:
        report.append(
            f"- goal ({GOAL_USERS} users, p95 ≤ {GOAL_P95_MS} ms on every page, 0 errors): "
            + ("met" if results["goal_met"] else "NOT met")
        )
    text = "\n".join(report)
    print(text)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"load-scale{args.scale}-{stamp}.md").write_text(text + "\n", encoding="utf-8")
    (RESULTS / f"load-scale{args.scale}-{stamp}.json").write_text(
        json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    shutil.copy(fixture, RESULTS / f"load-scale{args.scale}-{stamp}-fixture.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
