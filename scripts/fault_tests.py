"""Fault tests (scripts/fault-tests.sh): the portal under production settings on a throwaway
PostgreSQL cluster and Redis of its own, then four faults, each ending in a PASS or FAIL line.

1. PostgreSQL restarted under a running gunicorn: the web tier answers again, without a restart.
2. A Celery worker killed with ``kill -9`` in the middle of an export (the pool process, then
   the whole worker, restarted as systemd would): the export completes exactly once.
3. Redis stopped for 60 s while receptions are logged and reminders go out: every notification
   is delivered afterwards, none twice (SMS written to a file by ``FileSmsBackend`` below).
4. The media filesystem full (a small tmpfs, root only): uploading a reception's photo and
   running an export fail with a clear Chinese message and leave nothing half-saved.

Never touches the machine's shared PostgreSQL (5432) or Redis (6379): its own cluster listens on
FAULT_PG_PORT (5441), its own redis-server on FAULT_REDIS_PORT (6391), both in a temporary
directory removed at the end with everything else it started. Exit status 1 when a fault fails.
"""

import collections
import contextlib
import datetime
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VENV = ROOT / ".venv" / "bin"
PG_PORT = int(os.environ.get("FAULT_PG_PORT", "5441"))
REDIS_PORT = int(os.environ.get("FAULT_REDIS_PORT", "6391"))
WEB_PORT = int(os.environ.get("FAULT_WEB_PORT", "8795"))
REDIS_DOWN_SECONDS = int(os.environ.get("FAULT_REDIS_DOWN_SECONDS", "60"))
PASSWORD = "Demo@2026"  # demo/seed.py's DEMO_PASSWORD


class FileSmsBackend:
    """SMS "sent" by appending one JSON line to FAULT_SMS_LOG: the fault tests count them."""

    def send(self, phone: str, text: str) -> None:
        with open(os.environ["FAULT_SMS_LOG"], "a", encoding="utf-8") as handle:
            handle.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def log(message: str) -> None:
    print(f"[{datetime.datetime.now(datetime.UTC):%H:%M:%S}] {message}", flush=True)


def as_postgres(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def pg_bin(name: str) -> str:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/" + name))
    return str(versions[-1]) if versions else name


class Services:
    """The throwaway PostgreSQL cluster and redis-server."""

    def __init__(self, work: Path):
        self.work = work
        self.pgdata = work / "pg"
        self.redis_dir = work / "redis"
        self.redis: subprocess.Popen | None = None

    def start_pg(self) -> None:
        self.pgdata.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.work, "postgres")
            shutil.chown(self.pgdata, "postgres")
        subprocess.run(
            as_postgres(
                [pg_bin("initdb"), "-D", str(self.pgdata), "-U", "postgres", "-A", "trust"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.pg_ctl("start", "-w")

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            as_postgres(
                [
                    pg_bin("pg_ctl"),
                    "-D",
                    str(self.pgdata),
                    "-l",
                    str(self.pgdata / "server.log"),
                    "-o",
                    f"-p {PG_PORT} -k {self.pgdata} -c listen_addresses=127.0.0.1 "
                    "-c fsync=off -c max_connections=60",
                    *args,
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def start_redis(self) -> None:
        self.redis_dir.mkdir(exist_ok=True)
        self.redis = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.redis_dir),
                "--appendonly",
                "yes",
                "--save",
                "",
            ],
            stdout=(self.work / "redis.log").open("ab"),
            stderr=subprocess.STDOUT,
        )
        for _ in range(50):
            if (
                subprocess.run(
                    ["redis-cli", "-p", str(REDIS_PORT), "ping"], capture_output=True, text=True
                ).stdout.strip()
                == "PONG"
            ):
                return
            time.sleep(0.1)
        raise RuntimeError("redis-server did not start")

    def stop_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.terminate()  # as systemctl stop: SIGTERM, Redis saves its AOF and exits
            self.redis.wait(timeout=30)
        self.redis = None

    def stop(self) -> None:
        self.stop_redis()
        if (self.pgdata / "postmaster.pid").exists():
            with contextlib.suppress(subprocess.CalledProcessError):
                self.pg_ctl("stop", "-m", "immediate")


class Stack:
    """gunicorn, a Celery worker for both queues and beat, as deploy/systemd runs them."""

    def __init__(self, env: dict, work: Path):
        self.env, self.work = env, work
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str) -> None:
        argv = {
            "web": [
                str(VENV / "gunicorn"),
                "congress_portal.wsgi",
                "--bind",
                f"127.0.0.1:{WEB_PORT}",
                "--workers",
                "2",
                "--timeout",
                "60",
            ],
            "worker": [
                str(VENV / "celery"),
                "-A",
                "congress_portal",
                "worker",
                "--queues",
                "default,bulk",
                "--hostname",
                "fault@%h",
                "--concurrency",
                "1",
                "--loglevel",
                "INFO",
            ],
            "beat": [
                str(VENV / "celery"),
                "-A",
                "congress_portal",
                "beat",
                "--loglevel",
                "INFO",
                "--schedule",
                str(self.work / "beat-schedule"),
            ],
        }[name]
        self.procs[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=(self.work / f"{name}.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill9(self, name: str) -> None:
        """kill -9 the process and its children (what the OOM killer or a crash leaves)."""
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        self.procs.clear()


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_until(predicate, timeout: float, step: float = 0.5):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


# Data, through the ORM of this process (same settings and database as the stack) -------------


def free_receptions(count: int) -> list[tuple[int, int]]:
    """(reception day, deputy) pairs the demo keeper may still log at their station."""
    from django.utils import timezone

    from accounts.models import User
    from directory.models import Deputy
    from stations.models import Reception, ReceptionDay

    station = User.objects.get(username="keeper").station
    today = timezone.localdate()
    days = ReceptionDay.objects.filter(
        station=station, date__lte=today, date__gte=today - datetime.timedelta(days=180)
    ).exclude(status=ReceptionDay.Status.CANCELLED)
    logged = set(Reception.objects.values_list("reception_day_id", "deputy_id"))
    pairs = []
    for day_id in days.order_by("-date").values_list("pk", flat=True):
        for deputy_id in Deputy.objects.filter(station=station).values_list("pk", flat=True):
            if (day_id, deputy_id) not in logged:
                pairs.append((day_id, deputy_id))
                if len(pairs) == count:
                    return pairs
    return pairs


def make_reminder_duties() -> None:
    """Reception days RECEPTION_REMINDER_DAYS ahead at five stations, two deputies on duty each
    (each reminder enqueued while Redis is down costs some 6 s of connection retries)."""
    from django.conf import settings
    from django.utils import timezone

    from directory.models import Deputy, Station
    from stations.models import ReceptionDay

    target = timezone.localdate() + datetime.timedelta(days=settings.RECEPTION_REMINDER_DAYS)
    for station in Station.objects.order_by("pk")[:5]:
        day, _ = ReceptionDay.objects.get_or_create(station=station, date=target)
        ReceptionDay.objects.filter(pk=day.pk).update(status=ReceptionDay.Status.PLANNED)
        deputies = Deputy.objects.filter(station=station, user__is_active=True).order_by("pk")
        day.on_duty.add(*deputies[:2])


def send_reminders() -> int:
    from django.utils import timezone

    from stations.services.receptions import reception_reminders_send

    return reception_reminders_send(today=timezone.localdate())


# Faults ------------------------------------------------------------------------------------------


def db_fresh():
    from django.db import connections

    for connection in connections.all():
        connection.close()


def browser(base: str, username: str):
    from scripts.smoke_production import Browser

    client = Browser(base)
    status, _, _ = client.get("/accounts/login/")
    status, headers, _ = client.post(
        "/accounts/login/", {"username": username, "password": PASSWORD}
    )
    if status != 302:
        raise RuntimeError(f"login of {username}: {status}")
    return client


def fault_postgres_restart(services: Services, base: str) -> tuple[bool, str]:
    staff = browser(base, "staff")
    before = [staff.get("/deputies/")[0] for _ in range(4)]
    services.pg_ctl("restart", "-m", "fast", "-w")
    statuses = [staff.get(path)[0] for path in ("/deputies/", "/stations/", "/", "/healthz") * 5]
    ok = before == [200] * 4 and statuses == [200] * len(statuses)
    return ok, f"before {before}; 20 requests after the restart: {collections.Counter(statuses)}"


def _start_export(staff_user) -> str:
    from django.utils import timezone

    from core.exports import start_export

    year = str(timezone.localdate().year)
    job = start_export(user=staff_user, identifier="duty_scores", data={"year": year})
    return str(job.pk)


def fault_export_kill(stack: Stack, media: Path, whole_worker: bool) -> tuple[bool, str]:
    from accounts.models import User
    from core.models import ExportJob

    db_fresh()
    job_id = _start_export(User.objects.get(username="staff"))

    def running():
        return ExportJob.objects.filter(pk=job_id, status="running").exists()

    if not wait_until(running, 60, 0.02):
        return False, "the export never started"
    worker = stack.procs["worker"]
    if whole_worker:
        stack.kill9("worker")
        what = "the whole worker (main process and pool) killed with -9, then restarted"
        stack.start("worker")
    else:
        pool = children(worker.pid)
        for pid in pool:
            os.kill(pid, signal.SIGKILL)
        what = f"the pool process {pool} killed with -9"

    def finished():
        status = ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first()
        return status if status in ("done", "failed") else None

    final = wait_until(finished, 150, 1)
    job = ExportJob.objects.get(pk=job_id)
    files = sorted(
        p.name for p in (media / "exports").rglob("*") if p.is_file() and job_id in str(p)
    )
    time.sleep(3)  # a late duplicate would show within seconds
    job.refresh_from_db()
    ok = (
        final == "done"
        and job.status == "done"
        and bool(job.file)
        and (media / job.file.name).is_file()
        and len(files) == 1
        and job.rows_done > 0
    )
    return ok, (
        f"{what}: status {job.status}, attempts {getattr(job, 'attempts', '?')}, "
        f"{job.rows_done} rows, files for this job {files}"
    )


def _log_receptions(base: str, count: int) -> tuple[int, list[str]]:
    """The demo keeper logs ``count`` receptions for the deputies of the home station."""
    keeper = browser(base, "keeper")
    logged, problems = 0, []
    for day_id, deputy_id in free_receptions(count):
        status, headers, body = keeper.post(
            "/stations/receptions/new/",
            {
                "reception_day": str(day_id),
                "deputy": str(deputy_id),
                "voters_received": "5",
                "summary": "故障测试:Redis 停止期间登记。",
                "opinions-TOTAL_FORMS": "1",
                "opinions-INITIAL_FORMS": "0",
                "opinions-0-category": "roads",
                "opinions-0-content": "村道需要硬化。",
                "wishes-TOTAL_FORMS": "0",
                "wishes-INITIAL_FORMS": "0",
            },
        )
        if status == 302 and "/stations/receptions/" in headers.get("Location", ""):
            logged += 1
        else:
            problems.append(f"{status} {body[:200].decode(errors='replace')}")
    return logged, problems


def fault_redis_down(services: Services, base: str, sms_log: Path) -> tuple[bool, str]:
    from core.models import Notification, OutboxMessage

    db_fresh()
    make_reminder_duties()
    sms_log.write_text("")
    first = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    services.stop_redis()
    down_at = time.monotonic()
    log(f"redis stopped; logging receptions and sending reminders for {REDIS_DOWN_SECONDS} s")
    logged, problems = _log_receptions(base, 6)
    sent = send_reminders()  # as beat's daily task would, on a worker that had it already
    pending = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    time.sleep(max(0, REDIS_DOWN_SECONDS - (time.monotonic() - down_at)))
    services.start_redis()
    log(f"redis back after {time.monotonic() - down_at:.0f} s; {pending} outbox messages pending")
    from core.notifications import recipient_phone

    notes = Notification.objects.filter(pk__gt=first, kind="reception_reminder")
    with_phone = [
        n.pk for n in notes.select_related("recipient__deputy") if recipient_phone(n.recipient)
    ]
    notes = notes.filter(pk__in=with_phone)

    def delivered():
        return notes.exists() and not notes.filter(sms_sent_at__isnull=True).exists()

    wait_until(delivered, 150, 2)
    time.sleep(5)  # a duplicate delivery would land within seconds
    lines = [json.loads(line) for line in sms_log.read_text().splitlines() if line]
    lines = [line for line in lines if "接待日提醒" in line["text"]]
    counts = collections.Counter((line["phone"], line["text"]) for line in lines)
    twice = [key for key, n in counts.items() if n > 1]
    missing = notes.filter(sms_sent_at__isnull=True).count()
    ok = (
        logged == 6
        and sent > 0
        and notes.count() > 0
        and missing == 0
        and not twice
        and len(lines) == notes.count()
    )
    return ok, (
        f"receptions logged while Redis was down: {logged}/6 {problems[:2]}; reminders "
        f"created {sent}, {notes.count()} with a phone (outbox pending at restart: {pending}); "
        f"SMS delivered {len(lines)}, "
        f"undelivered {missing}, sent twice {len(twice)}"
    )


def fault_disk_full(base: str, media: Path) -> tuple[bool, str]:
    from django.utils import timezone

    from accounts.models import User
    from core.exports import run_export
    from core.models import ExportJob
    from stations.models import Reception, ReceptionPhoto

    db_fresh()
    filler = media / "filler.bin"
    with filler.open("wb") as handle:  # fill the filesystem
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    files_before = sorted(str(p) for p in media.rglob("*") if p.is_file())
    receptions_before, photos_before = Reception.objects.count(), ReceptionPhoto.objects.count()
    keeper = browser(base, "keeper")
    ((day_id, deputy_id),) = free_receptions(1)
    status, body = _post_photo(keeper, day_id, deputy_id)
    text = body.decode(errors="replace")
    message_ok = status == 200 and "存储空间" in text
    job = ExportJob.objects.create(
        user=User.objects.get(username="staff"),
        exporter="duty_scores",
        params={"year": timezone.localdate().year, "filters": {}},
    )
    outcome = run_export(str(job.pk))
    job.refresh_from_db()
    files_after = sorted(str(p) for p in media.rglob("*") if p.is_file())
    nothing_saved = (
        Reception.objects.count() == receptions_before
        and ReceptionPhoto.objects.count() == photos_before
        and files_after == files_before
    )
    export_ok = outcome == "failed" and "存储空间" in job.error and not job.file
    filler.unlink()
    ok = message_ok and nothing_saved and export_ok
    shown = re.search(r"[^<>]*存储空间[^<>]*", text)
    return ok, (
        f"reception with a photo: HTTP {status}, message {shown.group(0).strip() if shown else None!r}; "
        f"export: {outcome}, {job.error!r}; nothing half-saved: {nothing_saved}"
    )


def _post_photo(client, day_id: int, deputy_id: int):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), "green").save(buffer, format="JPEG")
    boundary = "----faulttest"
    fields = {
        "csrfmiddlewaretoken": client.cookies.get("csrftoken", ""),
        "reception_day": str(day_id),
        "deputy": str(deputy_id),
        "voters_received": "3",
        "summary": "故障测试:磁盘已满。",
        "opinions-TOTAL_FORMS": "0",
        "opinions-INITIAL_FORMS": "0",
        "wishes-TOTAL_FORMS": "0",
        "wishes-INITIAL_FORMS": "0",
    }
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename="p.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n".encode()
        + buffer.getvalue()
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    status, _, body = client.request(
        "POST",
        "/stations/receptions/new/",
        b"".join(parts),
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    return status, body


# Driver -----------------------------------------------------------------------------------------


def _interrupt(signum, frame):
    raise KeyboardInterrupt  # so that the finally below stops and removes what was started


def main() -> int:
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="portal-faults-"))
    os.chmod(work, 0o755)
    media = work / "media"
    media.mkdir()
    mounted = False
    sms_log = work / "sms.jsonl"
    secret = os.urandom(32).hex()
    from cryptography.fernet import Fernet

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "congress_portal.settings.production",
        "SECRET_KEY": "fault-" + secret,
        "PERSONAL_DATA_KEYS": Fernet.generate_key().decode(),
        "PERSONAL_DATA_HASH_KEY": "fault-hash-" + secret,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{PG_PORT}/portal",
        "CELERY_BROKER_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
        "CACHE_URL": f"redis://127.0.0.1:{REDIS_PORT}/1",
        "ALLOWED_HOSTS": "127.0.0.1",
        "VAR_DIR": str(work / "var"),
        "MEDIA_ROOT": str(media),
        "STATIC_ROOT": str(work / "static"),
        "SMS_BACKEND": "scripts.fault_tests.FileSmsBackend",
        "FAULT_SMS_LOG": str(sms_log),
        # A worker killed outright leaves its message unacknowledged: Redis hands it out again
        # after the visibility timeout (3 h in production), 20 s here to keep the test short.
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "EXPORT_LEASE_SECONDS": "10",
        "WORKER_HEARTBEAT_SECONDS": "5",
        "BEAT_HEARTBEAT_SECONDS": "5",
        "LOG_LEVEL": "INFO",
    }
    os.environ.update(env)
    services = Services(work)
    stack = Stack(env, work)
    results: list[tuple[str, bool | None, str]] = []
    try:
        if os.geteuid() == 0:
            subprocess.run(
                ["mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", str(media)], check=True
            )
            mounted = True
        (work / "var" / "celery").mkdir(parents=True)
        log(f"own PostgreSQL on {PG_PORT}, own Redis on {REDIS_PORT}, in {work}")
        services.start_pg()
        subprocess.run(
            [
                "psql",
                f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres",
                "-qc",
                "CREATE DATABASE portal",
            ],
            check=True,
        )
        services.start_redis()
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        log("seed_demo --scale 1")
        call_command("seed_demo", scale=1, force=True, stdout=io.StringIO())
        call_command("collectstatic", verbosity=0, interactive=False)
        for name in ("web", "worker", "beat"):
            stack.start(name)
        base = f"http://127.0.0.1:{WEB_PORT}"
        if not wait_until(lambda: _answers(base), 60):
            raise RuntimeError("gunicorn did not answer /healthz")
        log(f"stack up after {time.monotonic() - started:.0f} s")

        for name, run in (
            ("PostgreSQL restarted", lambda: fault_postgres_restart(services, base)),
            (
                "worker pool process kill -9 mid-export",
                lambda: fault_export_kill(stack, media, False),
            ),
            ("whole worker kill -9 mid-export", lambda: fault_export_kill(stack, media, True)),
            (
                f"Redis stopped {REDIS_DOWN_SECONDS} s",
                lambda: fault_redis_down(services, base, sms_log),
            ),
            (
                "media disk full",
                lambda: fault_disk_full(base, media) if mounted else (None, "needs root (tmpfs)"),
            ),
        ):
            log(f"fault: {name}")
            t0 = time.monotonic()
            try:
                ok, detail = run()
            except Exception as exc:  # a fault test that crashes is a failure, with its reason
                ok, detail = False, f"{type(exc).__name__}: {exc}"
            label = "SKIP" if ok is None else ("PASS" if ok else "FAIL")
            results.append((name, ok, detail))
            print(f"{label}  {name} ({time.monotonic() - t0:.0f} s): {detail}", flush=True)
    finally:
        stack.stop()
        services.stop()
        if mounted:
            subprocess.run(["umount", str(media)], check=False)
        if os.environ.get("FAULT_KEEP"):
            log(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    failed = [name for name, ok, _ in results if ok is False]
    print(
        f"fault tests: {sum(ok is True for _, ok, _ in results)} passed, {len(failed)} failed, "
        f"{sum(ok is None for _, ok, _ in results)} skipped in {time.monotonic() - started:.0f} s"
    )
    return 1 if failed or len(results) < 5 else 0


def _answers(base: str) -> bool:
    from scripts.smoke_production import Browser

    try:
        return Browser(base).get("/healthz")[0] == 200
    except OSError:
        return False


if __name__ == "__main__":
    sys.exit(main())
