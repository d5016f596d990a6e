"""Settings shared by every run mode; values come from the environment (django-environ)."""

from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    # The admin, for operators (superusers) only: attache_crm/accounts/admin_site.py.
    "attache_crm.accounts.admin_site.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_countries",
    "axes",
    "simple_history",
    "guardian",
    "taggit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "csp",
    "tenancy",
    "attache_crm.accounts",
    "contacts",
    "engagements",
    "reports",
    "apitokens",
    "operations",
    "office",
    "handover",
    "calendars",
    "seeding",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "attache_crm.middleware.NoStoreMiddleware",
    # Before anything reads the body: an oversized body or a NUL character is refused unread.
    "attache_crm.middleware.BoundedInputMiddleware",
    "attache_crm.csp.CSPMiddleware",
    # Before anything reads the user or a record: the write generation kept panels are kept under.
    "attache_crm.kept_panels.GenerationSnapshotMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, so that a session ended by its time limits is audited with its user.
    "attache_crm.middleware.AbsoluteSessionLimitMiddleware",
    # Once the user is known (and still signed in): pages show and read times in their post's zone.
    "attache_crm.timezones.PostTimezoneMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "attache_crm.middleware.ResolvedUserMiddleware",
    "attache_crm.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Before CSRF's view check runs on a replayed form: it marks the one request it sends again.
    "attache_crm.unsent.KeepUnsentFormMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "attache_crm.middleware.MethodNotAllowedPageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that it sees the final outcome of the authentication stack.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "attache_crm.urls"

# The one size limit of request bodies, for the pages and the API: a larger one is refused (413)
# before it is read (attache_crm.middleware.BoundedInputMiddleware, the API's JSON parser).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
WSGI_APPLICATION = "attache_crm.wsgi.application"

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
                "attache_crm.context_processors.post_context",
            ],
            # `when` and `day`: the one way every page writes a time and a date.
            "builtins": ["attache_crm.timefilters"],
        },
    },
]

# Forms: Django's renderer with the common widgets drawn in Python (attache_crm/renderers.py).
FORM_RENDERER = "attache_crm.renderers.FormRenderer"

# SQLite when DATABASE_URL is unset (embedded mode), PostgreSQL through psycopg2 otherwise.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, its persistent connections checked every few seconds rather than before
    # every request (attache_crm/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "attache_crm.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Planner settings of every connection, whoever runs the server: the working set of a post
    # sits in memory, where reading a row by its index costs little more than reading the next
    # one (PostgreSQL's default of 4 assumes spinning disks and had it scan every meeting of a
    # post to find a counterpart's few hundred); and no JIT compilation, which costs tens of
    # milliseconds on the few large queries of a page and pays off only on analytical ones.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c random_page_cost=1.1 -c jit=off"
else:
    # The embedded database lives in var/ (kept in the checkout by var/.gitkeep).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update({"timeout": 20, "transaction_mode": "IMMEDIATE"})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out usernames before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading a signed-in user's roles in the same query as the user.
    "attache_crm.accounts.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 15},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Sessions: idle timeout of 15 minutes (renewed by requests, written at most once a minute),
# absolute limit of 12 hours. The store (attache_crm/session_store.py) reads sessions from the
# "sessions" cache and writes them through to the database, and ignores malformed cookie keys.
SESSION_ENGINE = "attache_crm.session_store"
SESSION_CACHE_ALIAS = "sessions"
SESSION_COOKIE_AGE = 15 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"


# Caches. "sessions" and "pages" (panels kept per reader, attache_crm/kept_panels.py, and the write
# generation they are kept under, tenancy/writes.py) are Redis when REDIS_URL is set, shared by
# every process; without Redis they are dummies (sessions are then read from the database, panels
# built for every request): a per-process cache would keep a session signed out in one process
# alive in the others, and a panel written in one process stale in the others. Short socket
# timeouts: when Redis stalls, both fall back to the database rather than hold the request.
def _shared_cache(prefix: str) -> dict:
    if not env("REDIS_URL", default=""):
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    return {
        "BACKEND": "attache_crm.cache.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": prefix,
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }


CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "sessions": _shared_cache(""),
    "pages": _shared_cache("pages"),
}

# Lockout: 3 failures for a username within 15 minutes; lifted after 15 minutes or by an admin.
AXES_FAILURE_LIMIT = 3
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# A lockout lifts 15 minutes after it began: attempts during it neither count nor extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# axes.W006 asks for "ip_address" among the lockout parameters, against configurations that lock
# by user agent or cookie, which an attacker rotates at will. The lockout here is by username,
# which an attacker cannot rotate for the account they target; adding the IP as a parameter of its
# own would lock every user behind the post's one NAT address after three typos by anyone.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The covering indexes (INCLUDE columns) serve PostgreSQL at headquarters volume; SQLite keeps
    # their key columns, which is all the embedded mode's small data needs.
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# Client IP: lockouts and the audit log resolve it the same way (django-ipware, through axes).
# X-Forwarded-For is whatever the client sent unless a proxy we run rewrote it, so it is read only
# when TRUSTED_PROXY_COUNT reverse proxies stand in front of the web processes; with 0 (direct
# exposure, the default) the address is REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)


def client_ip_settings(trusted_proxy_count: int) -> dict:
    """The axes/ipware settings for this many trusted reverse proxies."""
    if trusted_proxy_count < 0:
        raise ImproperlyConfigured("TRUSTED_PROXY_COUNT is a number of proxies: 0 or more.")
    if not trusted_proxy_count:
        return {"AXES_IPWARE_PROXY_COUNT": None, "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",)}
    # ipware counts the proxies listed *inside* the header; the nearest one shows only as
    # REMOTE_ADDR, hence one less. The client is then the entry our outermost proxy appended.
    return {
        "AXES_IPWARE_PROXY_COUNT": trusted_proxy_count - 1,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
    }


vars().update(client_ip_settings(TRUSTED_PROXY_COUNT))
AXES_IPWARE_PROXY_ORDER = "left-most"
# Entries a client puts in front of the chain are ignored, not a reason to give up on it.
IPWARE_STRICT = False

# Second factor (django-otp TOTP): the issuer shown by authenticator apps.
OTP_TOTP_ISSUER = "Attaché CRM"

# Guardian: object grants only for named users; no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# django-csp 4: no inline script anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# E-mail: console in development; set EMAIL_URL in production.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email["EMAIL_HOST"] or "localhost"
EMAIL_PORT = _email["EMAIL_PORT"] or 25
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"] or ""
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"] or ""
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="attache-crm@localhost")

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport (no server needed).
# JSON only, tasks take ids and ISO dates; acks_late + reject_on_worker_lost so that a worker
# killed mid-task leaves the message to be delivered again (the tasks are idempotent).
CELERY_TASK_TIME_LIMIT = 30 * 60  # the ceiling; each task sets its own, lower, limit
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
REDIS_URL = env("REDIS_URL", default="")
BROKER_DIR = BASE_DIR / "var" / "broker"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Redis redelivers an unacknowledged message after visibility_timeout, even one still
    # running (a second copy of a long task): keep it well above twice the longest time limit,
    # and no ETA beyond it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": max(4 * 3600, 2 * CELERY_TASK_TIME_LIMIT)}
else:
    # kombu's filesystem transport with whole-file message writes (attache_crm/broker.py).
    CELERY_BROKER_URL = "filesystem-atomic://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Broadcast (pidbox) tables; kombu's default is ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With acks_late, a task still running when the broker connection drops would run twice.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(BASE_DIR / "var" / "celerybeat-schedule")
# Exactly one beat runs (docs/design.md, run modes); the tasks are idempotent should a second one ever run.
# The scheduler's heartbeat (seconds): /healthz, the dashboard and the beat health check read it.
SCHEDULER_TICK_SECONDS = env.int("SCHEDULER_TICK_SECONDS", default=60)
# The dashboard warns, and /healthz says "late", when the tick or the sweep is older than this.
SCHEDULER_LATE_AFTER = timedelta(hours=2)
# Seconds between weekly summary sweeps; 0 (the default) means hourly at five past the hour.
# A short interval is for a test stack that cannot wait for the hour.
WEEKLY_SWEEP_SECONDS = env.int("WEEKLY_SWEEP_SECONDS", default=0)
CELERY_BEAT_SCHEDULE = {
    # Hourly: each post's summary is due after its own cutoff in its own time zone.
    "weekly-summary-sweep": {
        "task": "reports.tasks.weekly_summary_sweep",
        "schedule": WEEKLY_SWEEP_SECONDS or crontab(minute=5),
    },
    # A tick nobody ran in time is dropped rather than run late: it would claim a freshness it lacks.
    "scheduler-tick": {
        "task": "operations.tasks.scheduler_tick",
        "schedule": SCHEDULER_TICK_SECONDS,
        "options": {"expires": SCHEDULER_TICK_SECONDS},
    },
    "follow-up-reminders": {"task": "reports.tasks.follow_up_reminders", "schedule": crontab(hour=5, minute=0)},
    "agreement-expiry-alerts": {
        "task": "reports.tasks.agreement_expiry_alerts",
        "schedule": crontab(hour=5, minute=15),
    },
    "clearance-alerts": {"task": "office.tasks.clearance_alerts", "schedule": crontab(hour=5, minute=30)},
    "gift-reminders": {"task": "office.tasks.gift_reminders", "schedule": crontab(hour=5, minute=45)},
    "clear-sessions": {"task": "reports.tasks.clear_sessions", "schedule": crontab(hour=3, minute=30)},
}

# REST API (/api/v1/): JSON only; tokens first so that an unauthenticated request gets 401 with
# a Bearer challenge; the session (with CSRF) for the browser. Lists are filtered by the access
# policy in each viewset, never by a permission class: DRF checks no object permission on GET,
# nor on the rows of a list, so a permission class would let hidden records through.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apitokens.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["attache_crm.api.permissions.IsAuthenticatedMember"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "attache_crm.api.filters.StableOrderingFilter",
    ],
    "DEFAULT_PAGINATION_CLASS": "attache_crm.api.pagination.Pagination",
    "PAGE_SIZE": 25,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["attache_crm.api.parsers.StrictJSONParser"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "attache_crm.api.negotiation.JSONOnlyNegotiation",
    "EXCEPTION_HANDLER": "attache_crm.api.errors.api_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "STRICT_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Attaché CRM API",
    "DESCRIPTION": (
        "Counterparts, engagements and reporting cables of a defense attaché office. "
        "Authenticate with the browser session (send the CSRF token on writes) or with a personal "
        "access token (`Authorization: Bearer <token>`, created at /accounts/tokens/). Every change "
        "needs `If-Match` with the ETag read from the record (428 without it, 412 when stale). "
        "Errors share one shape: `{status, code, detail, fields}`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "MarkingEnum": "tenancy.markings.Marking",
        "ChannelEnum": "tenancy.markings.Channel",
        "CountryEnum": "attache_crm.api.serializers.COUNTRY_CHOICES",
        "NatoGradeEnum": "contacts.choices.NatoGrade",
        "CounterpartStatusEnum": "contacts.choices.CounterpartStatus",
        "OrganizationKindEnum": "contacts.choices.OrganizationKind",
        "MeetingKindEnum": "engagements.choices.MeetingKind",
        "MeetingStatusEnum": "engagements.choices.MeetingStatus",
        "AgreementKindEnum": "engagements.choices.AgreementKind",
        "AgreementStatusEnum": "engagements.choices.AgreementStatus",
        "ExerciseKindEnum": "engagements.choices.ExerciseKind",
        "ExercisePhaseEnum": "engagements.choices.ExercisePhase",
        "ActionStatusEnum": "engagements.choices.ActionStatus",
        "CableKindEnum": "reports.models.CableKind",
        "CableStatusEnum": "reports.models.CableStatus",
        "ClearanceKindEnum": "office.choices.ClearanceKind",
        "ClearanceStatusEnum": "office.choices.ClearanceStatus",
        "GiftDirectionEnum": "office.choices.GiftDirection",
        "GiftDispositionEnum": "office.choices.GiftDisposition",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "attache_crm.api.schema.document_errors_and_preconditions",
    ],
    # Swagger UI and Redoc from the drf-spectacular-sidecar package: no CDN (posts may be offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False, "displayOperationId": True},
}

# manage.py seed_demo (the demo post and its well-known logins): development and tests only.
DEMO_SEED_ALLOWED = True

TAGGIT_CASE_INSENSITIVE = True

# XB is an ISO 3166 user-assigned code: the fictional Bandaria of the demo post and the tests.
COUNTRIES_OVERRIDE = {"XB": "Bandaria"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
}
