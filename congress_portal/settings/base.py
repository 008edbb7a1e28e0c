"""Settings shared by every environment; everything that differs per deployment comes from the
environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy
from kombu import Queue

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "rest_framework.authtoken",
    # Third-party apps under Chinese names (congress_portal/apps.py); labels unchanged.
    "congress_portal.apps.AxesConfig",
    "congress_portal.apps.AuditlogConfig",
    "csp",
    "django_otp",
    "congress_portal.apps.TOTPConfig",
    "core",
    "accounts",
    "directory",
    "stations",
    "deputies",
    "linkages",
    "dutyreports",
    "oversight",
    "legislation",
    "plenary",
    "suggestions",
    "reports",
    "public",
    "rosters",
    "elections",
    "operations",
    # The demo county (seed_demo): the top layer, nothing imports it.
    "demo",
]

MIDDLEWARE = [
    # First: one JSON log line per request with its id, duration and query count, refusals too.
    "operations.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Refuses oversized bodies (413) before anything reads them.
    "core.uploads.RequestSizeLimitMiddleware",
    # Refuses a query string with a NUL character (400): no database column can hold one.
    "core.middleware.QueryStringNullMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "congress_portal.urls"
WSGI_APPLICATION = "congress_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.portal",
                "congress_portal.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a Celery worker writes; busy timeout instead of
    # "database is locked" errors under light concurrency (the demo runs web, worker and beat).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "DATABASE_JIT", False
):
    # PostgreSQL's JIT compiles any plan whose estimate is high — the portal's per-row subqueries
    # over a whole county (exports, compliance) look expensive — and spends up to a second
    # compiling a query that runs in 50 ms (bench/README.md, annual workbook). Off unless asked.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = f"{options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "accounts.validators.CharacterClassesValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.PasswordHistoryValidator"},
]
PASSWORD_EXPIRY_DAYS = env_int("PASSWORD_EXPIRY_DAYS", 90)
# A new password may be neither the current one nor one of this many before it.
PASSWORD_HISTORY_COUNT = env_int("PASSWORD_HISTORY_COUNT", 5)

# Sessions (docs/security.md): idle and absolute timeouts are enforced by
# accounts.middleware.SessionTimeoutMiddleware; the cookie itself never outlives the absolute one.
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Login lockout per username (django-axes): 5 failures lock the account for 30 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# axes.W006 suggests locking by IP address too. The lockout is per username on purpose: it holds
# however many addresses an attacker rotates through, while an IP lockout would shut out a whole
# township office behind one NAT address after five typos.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# Optional TOTP second factor for staff roles (django-otp).
OTP_REQUIRED_FOR_STAFF = env_bool("OTP_REQUIRED_FOR_STAFF", False)
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "人大代表工作门户")

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
# The empty choice of every list filter's select (django-filter's default is "---------").
FILTERS_EMPTY_CHOICE_LABEL = gettext_lazy("全部")

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# In development whitenoise serves straight from the source folders, no collectstatic needed.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "core.storage.MediaStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "portal@localhost")
# Dotted path of the SMS sender; the console backend prints messages (reminders come with later
# features and all go through core.sms.send_sms).
SMS_BACKEND = env_str("SMS_BACKEND", "core.sms.ConsoleSmsBackend")

# A shared Redis cache in production (production.py refuses to start without one); the demo and
# the tests use a per-process memory cache.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL and not CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("CACHE_URL must be a Redis URL (redis://, rediss:// or unix://).")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# Celery. The default broker is kombu's filesystem transport under var/, so the demo runs a real
# worker and beat with no Redis; production sets CELERY_BROKER_URL=redis://…
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", "")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "celery" / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "store_processed": False,
    }
    if not CELERY_RESULT_BACKEND:
        CELERY_RESULT_BACKEND = f"file://{VAR_DIR / 'celery' / 'results'}"
elif CELERY_BROKER_URL.startswith("redis"):
    # A task not acknowledged within this time is handed to another worker; it must exceed the
    # longest task (exports, scoring) so nothing runs twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3 * 3600)
    }
    if not CELERY_RESULT_BACKEND:
        CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = TIME_ZONE
# Two queues, so a long job (三零 check, a county export, scoring, a roster import, the nightly
# backup) never delays a reminder or a notification: run one worker per queue in production
# (deploy/systemd/), the demo runs one worker consuming both.
CELERY_TASK_DEFAULT_QUEUE = "default"
# Both declared: a worker started without --queues consumes both (the README's single worker).
CELERY_TASK_QUEUES = (Queue("default"), Queue("bulk"))
BULK_TASKS = (
    "elections.tasks.run_registration_check",
    "rosters.tasks.run_import",
    "core.tasks.run_export",  # every export, the annual report's workbook among them
    "deputies.tasks.run_scoring",
    "deputies.tasks.compute_scores_nightly",
    "operations.tasks.nightly_backup",
)
CELERY_TASK_ROUTES = {name: {"queue": "bulk"} for name in BULK_TASKS}
# Signs of life (operations.heartbeats): a worker writes its own every WORKER_HEARTBEAT_SECONDS,
# beat schedules one every BEAT_HEARTBEAT_SECONDS; each is dead after three missed.
WORKER_HEARTBEAT = env_bool("WORKER_HEARTBEAT", True)
WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
BEAT_HEARTBEAT_SECONDS = env_int("BEAT_HEARTBEAT_SECONDS", 60)
TASK_FAILURE_RETENTION_DAYS = env_int("TASK_FAILURE_RETENTION_DAYS", 30)
# manage.py backup and the nightly backup write here and keep the newest BACKUP_KEEP archives.
BACKUP_DIR = Path(env_str("BACKUP_DIR", str(VAR_DIR / "backups")))
BACKUP_KEEP = max(env_int("BACKUP_KEEP", 14), 1)
# How long the rendered deputy and station lists are reused (core.listcache); 0 turns it off.
LIST_CACHE_SECONDS = env_int("LIST_CACHE_SECONDS", 60)
# Finished exports stay downloadable this long, then core.tasks.purge_expired_exports removes them.
EXPORT_RETENTION_HOURS = env_int("EXPORT_RETENTION_HOURS", 24)
# A running export renews its lease every PROGRESS_EVERY rows; a run whose lease has lapsed (its
# worker was killed) is taken over by the redelivered task, at most EXPORT_MAX_ATTEMPTS runs.
EXPORT_LEASE_SECONDS = env_int("EXPORT_LEASE_SECONDS", 300)
EXPORT_MAX_ATTEMPTS = env_int("EXPORT_MAX_ATTEMPTS", 3)
# Uploaded rosters (personal data) and their previews are deleted this long after the upload.
ROSTER_IMPORT_RETENTION_HOURS = env_int("ROSTER_IMPORT_RETENTION_HOURS", 72)
# The 三零 check takes a county's voter and population lists: about 20 MB each as .xlsx and up to
# 200 MB each unpacked (bench/sanling.py), more than any other upload. Its page alone gets the
# larger request limit (core.uploads.RequestSizeLimitMiddleware); the proxy in front must allow it.
ELECTIONS_UPLOAD_MAX_BYTES = env_int("ELECTIONS_UPLOAD_MAX_BYTES", 100 * 1024 * 1024)
ELECTIONS_XLSX_MAX_UNCOMPRESSED_BYTES = env_int(
    "ELECTIONS_XLSX_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024
)
REQUEST_MAX_BYTES_BY_PATH = {
    "/elections/registration-checks/new/": 2 * ELECTIONS_UPLOAD_MAX_BYTES + 1024 * 1024,
}
# Every upload is held in memory (bounded by the request limits above), never spooled to a clear
# temporary file; what is kept is sealed or re-encoded before it is written (docs/security.md).
# Private files (photos, exports, sealed uploads) are sent by the portal after its permission
# check. Behind nginx set this to the internal location that aliases MEDIA_ROOT
# (deploy/nginx/portal.conf: /_protected_media/): the portal then answers with X-Accel-Redirect
# and nginx streams the file, no Python worker held for a large download.
PRIVATE_MEDIA_ACCEL_REDIRECT = env_str("PRIVATE_MEDIA_ACCEL_REDIRECT", "")
FILE_UPLOAD_HANDLERS = ["core.uploadhandlers.MemoryOnlyUploadHandler"]
# At most this many data rows in one roster file (rosters.services).
ROSTER_IMPORT_MAX_ROWS = env_int("ROSTER_IMPORT_MAX_ROWS", 50_000)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    "beat-heartbeat": {
        "task": "operations.tasks.beat_heartbeat",
        "schedule": float(BEAT_HEARTBEAT_SECONDS),
        "options": {"expires": BEAT_HEARTBEAT_SECONDS},
    },
    "nightly-backup": {
        "task": "operations.tasks.nightly_backup",
        "schedule": crontab(hour=1, minute=45),
    },
    "prune-operations-records": {
        "task": "operations.tasks.prune_operations_records",
        "schedule": crontab(hour=3, minute=53),
    },
    "clear-expired-sessions": {
        "task": "core.tasks.clear_expired_sessions",
        "schedule": crontab(hour=3, minute=17),
    },
    "relay-outbox": {
        "task": "core.tasks.relay_outbox",
        "schedule": 60.0,
    },
    "generate-reception-days": {
        "task": "stations.tasks.generate_reception_days",
        "schedule": crontab(hour=1, minute=5, day_of_month=1),
    },
    "generate-visit-days": {
        "task": "stations.tasks.generate_visit_days",
        "schedule": crontab(hour=1, minute=15, day_of_month=1),
    },
    "reception-reminders": {
        "task": "stations.tasks.send_reception_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
    "visit-reminders": {
        "task": "stations.tasks.send_visit_reminders",
        "schedule": crontab(hour=8, minute=5),
    },
    "suggestion-reminders": {
        "task": "suggestions.tasks.send_suggestion_reminders",
        "schedule": crontab(hour=8, minute=10),
    },
    "compute-duty-scores": {
        "task": "deputies.tasks.compute_scores_nightly",
        "schedule": crontab(hour=2, minute=30),
    },
    "duty-warnings": {
        "task": "deputies.tasks.send_duty_warnings",
        "schedule": crontab(hour=9, minute=0, day_of_week=1),
    },
    "duty-report-reminders": {
        "task": "dutyreports.tasks.send_report_reminders",
        "schedule": crontab(hour=9, minute=30, day_of_week=1),
    },
    "rectification-reminders": {
        "task": "oversight.tasks.send_rectification_reminders",
        "schedule": crontab(hour=8, minute=40),
    },
    "review-opinion-reminders": {
        "task": "oversight.tasks.send_review_opinion_reminders",
        "schedule": crontab(hour=8, minute=45),
    },
    "close-expired-legislative-drafts": {
        "task": "legislation.tasks.close_expired_drafts",
        "schedule": crontab(hour=0, minute=5),
    },
    "legislation-deadline-reminders": {
        "task": "legislation.tasks.send_deadline_reminders",
        "schedule": crontab(hour=8, minute=50),
    },
    "purge-expired-exports": {
        "task": "core.tasks.purge_expired_exports",
        "schedule": crontab(minute=23),
    },
    "purge-roster-imports": {
        "task": "rosters.tasks.purge_old_imports",
        "schedule": crontab(minute=29),
    },
    "prune-audit-trail": {
        "task": "core.tasks.prune_audit_trail",
        "schedule": crontab(hour=3, minute=41),
    },
    "expire-stale-registration-checks": {
        "task": "elections.tasks.expire_stale_checks",
        "schedule": crontab(minute=37),
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "core.api.filters.PortalFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.api.schema.PortalAutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "人大代表工作门户 API",
    "DESCRIPTION": "苍溪县人大常委会“五个三”人大代表工作体系门户的只读接口,按用户角色限定范围。",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation documents its 400/403/404 answers (core.api.schema).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_error_responses",
    ],
    # Several models have a "status" or "kind": name each choice set after its model.
    "ENUM_NAME_OVERRIDES": {
        "OpinionStatusEnum": "stations.models.opinions.Opinion.Status",
        "OpinionChannelEnum": "stations.models.opinions.Opinion.Channel",
        "ReceptionDayStatusEnum": "stations.models.receptions.ReceptionDay.Status",
        "SmallWishStatusEnum": "stations.models.wishes.SmallWish.Status",
        "StationActivityKindEnum": "stations.models.ledger.StationActivity.Kind",
        "StationKindEnum": "directory.models.Station.Kind",
        "RegionLevelEnum": "directory.models.Region.Level",
        "MandateLevelEnum": "directory.models.Level",
        "HandlingUnitKindEnum": "directory.models.HandlingUnit.Kind",
    },
}

# Structured logs (operations.logs): one JSON line per request (portal.request) and per task
# (portal.task) on standard error, where systemd's journal or the log file picks them up.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "operations.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "portal.request": {"handlers": ["json"], "level": "INFO", "propagate": False},
        "portal.task": {"handlers": ["json"], "level": "INFO", "propagate": False},
    },
}

# Domain settings.
PORTAL_NAME = env_str("PORTAL_NAME", "苍溪县人大代表工作门户")
PORTAL_PAGE_SIZE = 50
# Reception days (《代表接待选民制度》): generated this many months ahead, this many deputies on
# duty each day, reminded this many days before.
RECEPTION_MONTHS_AHEAD = env_int("RECEPTION_MONTHS_AHEAD", 3)
RECEPTION_DUTY_SIZE = env_int("RECEPTION_DUTY_SIZE", 2)
# Deputies planned for a station's monthly 选民走访日.
VISIT_DUTY_SIZE = env_int("VISIT_DUTY_SIZE", 3)
RECEPTION_REMINDER_DAYS = env_int("RECEPTION_REMINDER_DAYS", 3)
# 立法意见征集: keepers of stations that have recorded no opinion are reminded this many days
# before a draft's deadline.
LEGISLATION_REMINDER_DAYS = env_int("LEGISLATION_REMINDER_DAYS", 3)
# Suggestions (代表法: answered within 3 months of assignment, 6 for complex ones). Submitting
# without a recorded meeting with the public (三见面之一) is "refuse"d or only "flag"ged.
SUGGESTION_DEADLINE_MONTHS = env_int("SUGGESTION_DEADLINE_MONTHS", 3)
SUGGESTION_COMPLEX_DEADLINE_MONTHS = env_int("SUGGESTION_COMPLEX_DEADLINE_MONTHS", 6)
# A second answer after an unsatisfied evaluation (重新办理) has its own, shorter period.
SUGGESTION_REHANDLE_DEADLINE_MONTHS = env_int("SUGGESTION_REHANDLE_DEADLINE_MONTHS", 1)
SUGGESTION_PUBLIC_MEETING_RULE = env_str("SUGGESTION_PUBLIC_MEETING_RULE", "refuse")
if SUGGESTION_PUBLIC_MEETING_RULE not in ("refuse", "flag"):
    raise ImproperlyConfigured("SUGGESTION_PUBLIC_MEETING_RULE must be 'refuse' or 'flag'.")
# 改办: a unit may ask for reassignment within this many working days of assignment.
SUGGESTION_REASSIGN_WINDOW_WORKDAYS = env_int("SUGGESTION_REASSIGN_WINDOW_WORKDAYS", 5)
# A reply without any contact with the lead deputy this round: "flag" (accepted, flagged to
# staff) or "refuse".
SUGGESTION_CONTACT_RULE = env_str("SUGGESTION_CONTACT_RULE", "flag")
if SUGGESTION_CONTACT_RULE not in ("refuse", "flag"):
    raise ImproperlyConfigured("SUGGESTION_CONTACT_RULE must be 'refuse' or 'flag'.")
# 三联: how many grassroots deputies a committee member pairs with at most.
MEMBER_LINK_LIMIT = env_int("MEMBER_LINK_LIMIT", 3)
# The public pages (/public/): the county they show (its region code; empty = the first county),
# how long a rendered page is reused, and the 民意直通车 limits per address.
PUBLIC_COUNTY_CODE = env_str("PUBLIC_COUNTY_CODE", "")
PUBLIC_CACHE_SECONDS = env_int("PUBLIC_CACHE_SECONDS", 60)
PUBLIC_OPINION_LIMIT = env_int("PUBLIC_OPINION_LIMIT", 5)  # submissions (tries) per window
PUBLIC_OPINION_WINDOW = env_int("PUBLIC_OPINION_WINDOW", 3600)
PUBLIC_TRACK_LIMIT = env_int("PUBLIC_TRACK_LIMIT", 60)  # code look-ups per window
PUBLIC_PHOTO_MAX_BYTES = env_int("PUBLIC_PHOTO_MAX_BYTES", 5 * 1024 * 1024)
PUBLIC_CLIENT_IP_HEADER = env_str("PUBLIC_CLIENT_IP_HEADER", "")
# Days before a suggestion's deadline when its handling units are reminded.
SUGGESTION_REMINDER_DAYS = tuple(
    sorted((int(d) for d in env_list("SUGGESTION_REMINDER_DAYS", ["30", "7", "1"])), reverse=True)
)

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out username before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "accounts.backends.RolePermissionBackend",
]

# Personal data at rest (core/crypto.py): Fernet keys, newest first, and the key of the hashes.
PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEYS", [])
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY", "")

# Content-Security-Policy (django-csp): no inline scripts or styles anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Audit trail (django-auditlog): who changed what, with personal fields masked.
AUDITLOG_MASK_CALLABLE = "core.masking.mask_for_audit"
AUDIT_RETENTION_DAYS = max(env_int("AUDIT_RETENTION_DAYS", 365), 183)
