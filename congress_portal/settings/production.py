"""Production settings: everything secret or host-specific must come from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    CACHES,
    DATABASES,
    PERSONAL_DATA_HASH_KEY,
    PERSONAL_DATA_KEYS,
    SECRET_KEY,
    SILENCED_SYSTEM_CHECKS,
)
from .env import env_bool, env_int

if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured(
        "Set SECRET_KEY (or SECRET_KEY_FILE) to a random value of 50+ characters."
    )

if not PERSONAL_DATA_KEYS or len(PERSONAL_DATA_HASH_KEY) < 32:
    raise ImproperlyConfigured(
        "Set PERSONAL_DATA_KEYS (Fernet keys) and PERSONAL_DATA_HASH_KEY (32+ characters); see "
        "docs/security.md for how to generate and rotate them."
    )

# The public rate limits (opinions, tracking and evaluation codes) and the list cache live in the
# cache: a per-process memory cache would multiply every limit by the number of worker processes
# and let each process serve its own stale lists.
if CACHES["default"]["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
    raise ImproperlyConfigured(
        "Set CACHE_URL to a Redis cache shared by every web process (redis://host:6379/1): the "
        "public rate limits must be counted in one place; see docs/security.md."
    )

DEBUG = False
# No task's result is read (jobs keep their state in their own rows). Storing none also keeps the
# web, beat and workers from subscribing to the Redis result backend on every publish, which,
# while Redis is down, blocks each publish for some 20 s and then breaks the process's result
# consumer until it is restarted (found by scripts/fault_tests.py, Redis stopped for 60 s).
CELERY_TASK_IGNORE_RESULT = env_bool("CELERY_TASK_IGNORE_RESULT", True)
# Keep connections open between requests: measured in bench/, this alone doubles list throughput.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 600)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# W021 asks for HSTS preload. Joining the browsers' preload list binds every subdomain of the
# organisation's domain to HTTPS for good, a decision for the domain's owner, not a default;
# set SECURE_HSTS_PRELOAD=1 once it is taken.
if not SECURE_HSTS_PRELOAD:
    SILENCED_SYSTEM_CHECKS = [*SILENCED_SYSTEM_CHECKS, "security.W021"]
