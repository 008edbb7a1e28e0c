"""Test settings: fast hashing, in-memory mail and cache, eager Celery unless a test starts a worker.

DATABASE_URL and CELERY_BROKER_URL from the environment are honoured, so CI runs the same suite on
PostgreSQL and Redis."""

import atexit
import os
import shutil
import tempfile

if "VAR_DIR" not in os.environ:
    # A scratch directory of this process's own, removed when it exits (a forked child leaves it
    # to its parent).
    _var_dir = tempfile.mkdtemp(prefix="congress-portal-test-")
    _owner = os.getpid()
    os.environ["VAR_DIR"] = _var_dir
    atexit.register(lambda: os.getpid() == _owner and shutil.rmtree(_var_dir, ignore_errors=True))

from .base import *  # noqa: E402,F403

SECRET_KEY = "test-secret-key-not-for-production"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages are rendered afresh in tests (query counts measure the real work); the list cache has
# its own tests, which turn it on.
LIST_CACHE_SECONDS = 0
STATIC_ROOT = VAR_DIR / "static"  # noqa: F405
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# Without an explicit broker the worker tests use kombu's in-memory transport in one process.
# With Redis and several pytest-xdist workers (gw0, gw1 …), each worker takes the next database
# number after the given one, so one worker's Celery worker never takes another's tasks.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if CELERY_BROKER_URL.startswith("redis") and _xdist_worker.startswith("gw"):  # noqa: F405
    _base, _, _number = CELERY_BROKER_URL.rpartition("/")  # noqa: F405
    if _number.isdigit():
        CELERY_BROKER_URL = f"{_base}/{int(_number) + int(_xdist_worker[2:])}"
        CELERY_RESULT_BACKEND = CELERY_BROKER_URL
if not os.environ.get("CELERY_BROKER_URL"):
    CELERY_BROKER_URL = "memory://"
    CELERY_RESULT_BACKEND = "cache+memory://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The worker tests start workers in this process: no heartbeat thread writing behind a test's back
# (tests/operations call the heartbeat step themselves).
WORKER_HEARTBEAT = False
PERSONAL_DATA_KEYS = ["0LmQ5GwemFS0W6DqoMuOpIzowPi-LuUVx-x7Idjl8xs="]
PERSONAL_DATA_HASH_KEY = "test-hash-key-for-personal-data-000000000"
