"""Helper of scripts/smoke-production.sh.

``setup`` (run by manage.py shell under the production settings) creates the smallest county
that lets a deputy log a reception and committee staff export; ``client URL`` (plain Python, no
Django) then drives the running stack over HTTP as a browser would and exits non-zero on the
first thing that does not work."""

import datetime
import http.client
import json
import re
import ssl
import sys
import time
import urllib.parse

PASSWORD = "Smoke@2026pass"


def setup() -> None:
    from django.utils import timezone

    from accounts.models import Role
    from tests import factories as f

    county = f.make_county("冒烟县")
    township = f.make_township(county, "冒烟镇")
    station = f.make_station(township, name="冒烟镇代表之家")
    deputy = f.make_deputy(station, name="冒烟代表")
    f.make_reception_day(station, timezone.localdate(), on_duty=[deputy])
    for role, username, links in (
        (Role.DEPUTY, "smoke_deputy", {"deputy": deputy}),
        (Role.COMMITTEE_STAFF, "smoke_staff", {"county": county}),
    ):
        user = f.make_user(role, username, **links)
        user.set_password(PASSWORD)
        user.save()
    print("smoke county ready")


class Browser:
    """Cookies and CSRF by hand: the production cookies are Secure. The stack is reached through
    nginx over TLS (a throw-away certificate), or straight at gunicorn over plain HTTP with
    X-Forwarded-Proto: https, as nginx would forward it."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port, self.tls = parts.hostname, parts.port, parts.scheme == "https"
        # nginx forwards Host without the port ($host), gunicorn alone sees it with the port;
        # Django's CSRF check wants the Referer to name the same.
        self.origin = f"https://{parts.hostname}" + ("" if self.tls else f":{parts.port}")
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        if self.tls:
            context = ssl._create_unverified_context()  # the smoke test's own certificate
            conn = http.client.HTTPSConnection(self.host, self.port, timeout=30, context=context)
        else:
            conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        all_headers = {
            "Host": f"{self.host}:{self.port}",
            "X-Forwarded-Proto": "https",
            "Referer": self.origin + path,
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        conn.request(method, path, body=body, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, fields: dict):
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        ).encode()
        return self.request(
            "POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"}
        )

    def login(self, username: str) -> None:
        status, _, _ = self.get("/accounts/login/")
        check(status == 200, f"login page answered {status}")
        status, headers, _ = self.post(
            "/accounts/login/", {"username": username, "password": PASSWORD}
        )
        check(status == 302 and headers.get("Location") == "/", f"login of {username}: {status}")


def check(condition: bool, message: str) -> None:
    if not condition:
        print(f"SMOKE FAILED: {message}", file=sys.stderr)
        sys.exit(1)


def client(base: str) -> None:
    anonymous = Browser(base)
    status, _, body = anonymous.get("/healthz")
    check(status == 200 and json.loads(body) == {"status": "ok"}, f"/healthz: {status} {body!r}")
    print("ok  /healthz")
    for _ in range(60):  # the worker's and beat's first heartbeats
        status, _, body = anonymous.get("/readyz")
        if status == 200:
            break
        time.sleep(1)
    check(status == 200, f"/readyz: {status} {body!r}")
    print("ok  /readyz", json.loads(body)["checks"]["workers"])

    deputy = Browser(base)
    deputy.login("smoke_deputy")
    status, _, page = deputy.get("/stations/receptions/new/")
    check(status == 200, f"reception form: {status}")
    select = re.search(rb'<select name="reception_day".*?</select>', page, re.S)
    check(select is not None, "the reception day field is missing")
    day = re.search(rb'<option value="(\d+)"[^>]*selected', select.group(0)) or re.search(
        rb'<option value="(\d+)"', select.group(0)
    )
    check(day is not None, "no reception day offered")
    deputy_id = re.search(rb'name="deputy" value="(\d+)"', page)
    check(deputy_id is not None, "the deputy field is missing")
    fields = {
        "reception_day": day.group(1).decode(),
        "deputy": deputy_id.group(1).decode(),
        "voters_received": "6",
        "summary": "冒烟测试:接待选民六人。",
    }
    fields.update(
        {
            "opinions-TOTAL_FORMS": "1",
            "opinions-INITIAL_FORMS": "0",
            "opinions-0-category": "roads",
            "opinions-0-content": "村口路灯不亮。",
            "wishes-TOTAL_FORMS": "0",
            "wishes-INITIAL_FORMS": "0",
        }
    )
    status, headers, body = deputy.post("/stations/receptions/new/", fields)
    check(
        status == 302 and "/stations/receptions/" in headers.get("Location", ""),
        f"logging a reception: {status} {body[:2000].decode(errors='replace')}",
    )
    print("ok  reception logged:", headers["Location"])

    staff = Browser(base)
    staff.login("smoke_staff")
    status, headers, _ = staff.post("/exports/new/suggestion_register/", {"next": "/suggestions/"})
    check(status == 302 and headers.get("Location", "").startswith("/exports/"), "export start")
    job = headers["Location"].rstrip("/")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, _, body = staff.get(f"{job}/status/")
        state = json.loads(body)
        if state.get("status") in ("done", "failed"):
            break
        time.sleep(0.5)
    check(state.get("status") == "done", f"export through the worker: {state}")
    status, headers, data = staff.get(f"{job}/download/")
    check(status == 200 and data[:2] == b"PK", f"export download: {status} {len(data)} bytes")
    check("X-Accel-Redirect" not in headers, "nginx passed X-Accel-Redirect on to the browser")
    if anonymous.tls:
        status, _, _ = anonymous.get("/_protected_media/" + "exports/x.xlsx")
        check(status == 404, f"nginx serves the internal media location directly: {status}")
        status, _, _ = anonymous.get("/media/exports/x.xlsx")
        check(status == 404, f"nginx serves /media/: {status}")
    print(f"ok  export through the bulk worker, downloaded {len(data)} bytes")
    print("smoke passed at", datetime.datetime.now().isoformat(timespec="seconds"))


if __name__ == "__main__":
    client(sys.argv[2]) if sys.argv[1:2] == ["client"] else sys.exit("usage: client URL")
