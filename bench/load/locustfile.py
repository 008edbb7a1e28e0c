"""A county's reception-day morning, for Locust (bench/load/run.py starts everything).

Four kinds of visitor, in the proportions of a morning (weights 3 : 1 : 3 : 3):

- deputies logging the day's receptions from their phones (a reception with two opinions and a
  photo), then looking at it, their notifications and their dashboard;
- station keepers editing their rota (the next reception days, who is on duty);
- county and township staff browsing the lists and statistics;
- the public sending an opinion through 民意直通车 (with the CAPTCHA) and tracking it.

The pools (logins, the reception days each deputy may still log, the keepers' rotas) come from the
JSON file that bench/load/setup.py wrote, named by LOAD_FIXTURE. Pages with an id in the path are
grouped under one name ("/stations/receptions/[id]/"). The statistics are reset LOAD_WARMUP
seconds (default 15) after the last user has logged in, so the logins of the ramp-up, each a
deliberately slow password hash, are reported apart (LOAD_LOGIN_STATS); Locust then stops after
LOAD_DURATION measured seconds (default 60): run.py measures the steady state.
"""

import io
import itertools
import json
import os
import random
import re
import subprocess
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task
from PIL import Image

FIXTURE = json.loads(Path(os.environ["LOAD_FIXTURE"]).read_text(encoding="utf-8"))
PASSWORD = FIXTURE["password"]
WARMUP = float(os.environ.get("LOAD_WARMUP", "15"))
DURATION = float(os.environ.get("LOAD_DURATION", "60"))

_deputies = itertools.cycle(FIXTURE["deputies"])
_keepers = itertools.cycle(FIXTURE["keepers"])
_staff = itertools.cycle(FIXTURE["staff"])
_codes: list[str] = list(FIXTURE["tracking_codes"])
_taken_days: set[tuple[int, int]] = set()

CATEGORIES = ["water", "roads", "elderly_medical", "education", "environment", "agriculture"]
OPINIONS = [
    "村道雨天泥泞,希望硬化",
    "村卫生室缺少常用药品",
    "垃圾清运不及时",
    "灌溉渠道堵塞影响春耕",
]


def _photo() -> bytes:
    """A phone photo after the browser's resize: 800×600 JPEG of some 100–200 KB."""
    rng = random.Random(7)
    image = Image.new("RGB", (800, 600))
    image.putdata(
        [(rng.randint(0, 255), rng.randint(60, 200), rng.randint(0, 120)) for _ in range(480000)]
    )
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=40)
    return buffer.getvalue()


PHOTO = _photo()


_environments = []
_ready = 0


@events.init.add_listener
def _keep_environment(environment, **kwargs):
    _environments.append(environment)


def _user_ready() -> None:
    """Called at the end of each user's on_start: once all are in (logged in), wait WARMUP
    seconds, keep the logins' figures apart (LOAD_LOGIN_STATS), reset the statistics and stop
    after DURATION measured seconds."""
    global _ready
    _ready += 1
    runner = _environments[0].runner
    if _ready == runner.target_user_count:
        gevent.spawn_later(WARMUP, _measure, runner)


def _ticks(pids: list[int]) -> int:
    """CPU clock ticks (user + system) the processes have used so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


def _portal_pids() -> tuple[list[int], list[int]]:
    """The gunicorn workers (LOAD_WEB_PID's children) and the load database's backends."""
    master = os.environ.get("LOAD_WEB_PID")
    if not master:
        return [], []
    web = subprocess.run(["pgrep", "-P", master], capture_output=True, text=True).stdout.split()
    db = subprocess.run(
        [
            "psql",
            os.environ["LOAD_DATABASE_URL"],
            "-Atc",
            "SELECT pid FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    return [int(p) for p in web], [int(p) for p in db]


def _measure(runner) -> None:
    logins = runner.stats.get("/accounts/login/ (POST)", "POST")
    Path(os.environ.get("LOAD_LOGIN_STATS", os.devnull)).write_text(
        json.dumps(
            {
                "requests": logins.num_requests,
                "failures": logins.num_failures,
                "p50": logins.get_response_time_percentile(0.5),
                "p95": logins.get_response_time_percentile(0.95),
                "p99": logins.get_response_time_percentile(0.99),
            }
        )
    )
    web, db = _portal_pids()
    start = (_ticks(web), _ticks(db))
    runner.stats.reset_all()
    print(f"all {_ready} users in; statistics reset, measuring {DURATION:.0f} s", flush=True)

    def finish():
        # CPU the portal used per request in the measured window: robust to other load on a
        # shared machine, and what capacity on dedicated cores follows from.
        hz = os.sysconf("SC_CLK_TCK")
        Path(os.environ.get("LOAD_CPU_STATS", os.devnull)).write_text(
            json.dumps(
                {
                    "requests": runner.stats.total.num_requests,
                    "web_cpu_s": (_ticks(web) - start[0]) / hz,
                    "db_cpu_s": (_ticks(db) - start[1]) / hz,
                    "web_processes": len(web),
                    "db_backends": len(db),
                }
            )
        )
        runner.quit()

    gevent.spawn_later(DURATION, finish)


class PortalUser(HttpUser):
    abstract = True
    wait_time = between(2, 6)

    def login(self, username: str) -> None:
        self.client.get("/accounts/login/", name="/accounts/login/")
        with self.client.post(
            "/accounts/login/",
            {
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="/accounts/login/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login of {username}: {response.status_code}")

    def post(self, path: str, data: dict, *, name: str, files=None, expect: str = ""):
        """A form POST that must redirect (to a path containing ``expect``); the Location."""
        data = {"csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""), **data}
        with self.client.post(
            path, data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as response:
            location = response.headers.get("Location", "")
            if response.status_code != 302 or expect not in location:
                response.failure(f"{response.status_code} {location or response.text[:300]!r}")
                return None
            return location


class Deputy(PortalUser):
    weight = 3

    def on_start(self):
        account = next(_deputies)
        self.deputy = account["deputy"]
        self.days = list(account["days"])
        self.login(account["username"])
        _user_ready()

    @task(3)
    def log_reception(self):
        day = None
        while self.days:
            candidate = self.days.pop(0)
            if (self.deputy, candidate) not in _taken_days:
                _taken_days.add((self.deputy, candidate))
                day = candidate
                break
        self.client.get("/stations/receptions/new/", name="/stations/receptions/new/")
        if day is None:
            return
        fields = {
            "reception_day": str(day),
            "deputy": str(self.deputy),
            "voters_received": str(random.randint(2, 12)),
            "summary": "接待日:听取选民意见,现场答复政策咨询。",
            "opinions-TOTAL_FORMS": "2",
            "opinions-INITIAL_FORMS": "0",
            "wishes-TOTAL_FORMS": "0",
            "wishes-INITIAL_FORMS": "0",
        }
        for n in range(2):
            fields[f"opinions-{n}-category"] = random.choice(CATEGORIES)
            fields[f"opinions-{n}-content"] = random.choice(OPINIONS)
        location = self.post(
            "/stations/receptions/new/",
            fields,
            name="/stations/receptions/new/ (POST, photo)",
            files={"photos": ("现场.jpg", PHOTO, "image/jpeg")},
            expect="/stations/receptions/",
        )
        if location:
            self.client.get(location, name="/stations/receptions/[id]/")

    @task(1)
    def dashboard(self):
        self.client.get("/", name="/ (dashboard)")

    @task(1)
    def notifications(self):
        self.client.get("/notifications/", name="/notifications/")

    @task(1)
    def receptions(self):
        self.client.get("/stations/receptions/", name="/stations/receptions/")


class Keeper(PortalUser):
    weight = 1

    def on_start(self):
        self.account = next(_keepers)
        self.login(self.account["username"])
        _user_ready()

    @task(2)
    def rota(self):
        self.client.get("/stations/reception-days/", name="/stations/reception-days/")

    @task(2)
    def edit_rota(self):
        day = random.choice(self.account["days"])
        path = f"/stations/reception-days/{day['pk']}/edit/"
        self.client.get(path, name="/stations/reception-days/[id]/edit/")
        on_duty = random.sample(self.account["deputies"], min(2, len(self.account["deputies"])))
        self.post(
            path,
            {
                "date": day["date"],
                "status": day["status"],
                "note": random.choice(["上午九点开始", "请带好台账", "县人大领导参加"]),
                "on_duty": [str(pk) for pk in on_duty],
            },
            name="/stations/reception-days/[id]/edit/ (POST)",
            expect="/stations/reception-days/",
        )

    @task(1)
    def receptions(self):
        self.client.get("/stations/receptions/", name="/stations/receptions/")


class Staff(PortalUser):
    weight = 3
    PAGES = [
        ("/", "/ (dashboard)"),
        ("/deputies/", "/deputies/"),
        ("/deputies/?page=3", "/deputies/?page=N"),
        ("/stations/", "/stations/"),
        ("/stations/receptions/", "/stations/receptions/"),
        ("/stations/opinions/", "/stations/opinions/"),
        ("/stations/wishes/stats/", "/stations/wishes/stats/"),
        ("/stations/compliance/", "/stations/compliance/"),
        ("/suggestions/", "/suggestions/"),
        ("/suggestions/statistics/", "/suggestions/statistics/"),
        ("/deputies/scores/", "/deputies/scores/"),
    ]

    def on_start(self):
        self.login(next(_staff))
        _user_ready()

    @task
    def browse(self):
        path, name = random.choice(self.PAGES)
        self.client.get(path, name=name)


class Public(HttpUser):
    weight = 3
    wait_time = between(2, 6)

    def on_start(self):
        _user_ready()

    @task(2)
    def home(self):
        self.client.get("/public/", name="/public/")

    @task(1)
    def directory(self):
        self.client.get("/public/stations/", name="/public/stations/")

    @task(1)
    def figures(self):
        self.client.get("/public/figures/", name="/public/figures/")

    @task(2)
    def send_opinion(self):
        self.client.get("/public/opinions/new/", name="/public/opinions/new/")
        self.client.get("/public/captcha.png", name="/public/captcha.png")
        answer = self.client.get("/bench/captcha-answer/", name="(bench) captcha answer").text
        station = random.choice(FIXTURE["public_stations"])
        fields = {
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            "township": str(station["township_id"]),
            "station": str(station["pk"]),
            "category": random.choice(CATEGORIES),
            "content": random.choice(OPINIONS) + ",请代表帮忙反映。",
            "contact": "",
            "captcha": answer,
            "website": "",
        }
        files = {"photo": ("photo.jpg", PHOTO, "image/jpeg")} if random.random() < 0.3 else None
        with self.client.post(
            "/public/opinions/new/",
            fields,
            files=files,
            name="/public/opinions/new/ (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            match = re.search(r"/public/track/([^/]+)/", location)
            if response.status_code != 302 or not match:
                response.failure(f"{response.status_code} {response.text[:300]!r}")
                return
            _codes.append(match.group(1))
        self.client.get(location, name="/public/track/[code]/")

    @task(2)
    def track(self):
        if _codes:
            code = random.choice(_codes)
            self.client.get(f"/public/track/{code}/", name="/public/track/[code]/")
