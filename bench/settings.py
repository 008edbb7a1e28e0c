"""Settings for the benchmark in bench/run.py: production behaviour over plain http on loopback.

Everything that matters for throughput is as in production (DEBUG off, cached template loader,
persistent database connections with health checks, the same middleware); only what cannot work
on http://127.0.0.1 is relaxed (SSL redirect, secure cookies, HSTS), static files skip the manifest
(no collectstatic needed) and the URLconf adds the bare baseline lists (bench/urls.py).

The database comes from DATABASE_URL (bench/run.py sets it); without it this module points at a
throwaway PostgreSQL bench database, never at var/portal.sqlite3.
"""

import os
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent

os.environ.setdefault(
    # Fixed, long and useless outside this benchmark; production.py refuses short keys.
    "SECRET_KEY",
    "bench-only-secret-key-0f3c9a7e41d2b8c65e7a90d14f2b3c8e9a6d5f4c3b2a1908f7e6d5c4b3a2",
)
# Personal data at rest (core/crypto.py): bench-only keys, the demo's personal data is invented.
os.environ.setdefault("PERSONAL_DATA_KEYS", "5oNcVpWQUYq9iFAzIIVBbvGjkTmW9tgytCz0w0PZUgM=")
os.environ.setdefault("PERSONAL_DATA_HASH_KEY", "bench-only-personal-data-hash-key-000000000000")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/congress_bench_1")
os.environ.setdefault("VAR_DIR", str(BENCH_DIR / "results" / "var"))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")
os.environ.setdefault("LOG_LEVEL", "WARNING")

from congress_portal.settings.production import *  # noqa: E402,F403
from congress_portal.settings.production import DATABASES, TEMPLATES  # noqa: E402

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.urls"

# Plain http on loopback.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# production.py keeps connections open (CONN_MAX_AGE, default 600) with health checks on;
# bench/run.py --conn-max-age overrides it through the environment to show the difference.
assert DATABASES["default"]["CONN_HEALTH_CHECKS"]

STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BENCH_DIR / "templates"]

# WhiteNoise warns when STATIC_ROOT is missing; the benchmark never serves static files.
STATIC_ROOT = BENCH_DIR / "results" / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
