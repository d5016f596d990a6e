"""Test settings: fast hashing, in-memory e-mail, the real database named by DATABASE_URL."""

import hashlib
import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import BASE_DIR, BROKER_DIR, CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# On the embedded defaults the test database is a file, not SQLite's in-memory one, so that worker
# processes started by the integration tests share it; and the tests get a broker folder of their
# own, apart from a `make run` on the same checkout. Both live in the system's temporary folder,
# named after the checkout, so two checkouts never share them.
_scratch = Path(tempfile.gettempdir()) / f"attache-crm-test-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:8]}"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_scratch.with_suffix(".sqlite3"))}
    # WAL lets the test process read while a worker writes; durability does not matter here.
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
if not REDIS_URL:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        key: value.replace(str(BROKER_DIR), f"{_scratch}-broker") if isinstance(value, str) else value
        for key, value in CELERY_BROKER_TRANSPORT_OPTIONS.items()
    }

# The test runner empties tables between transactional tests (TRUNCATE, or DELETE on SQLite),
# which the audit log refuses; this lets `flush` (tenancy/management/commands/flush.py) do it here only.
AUDIT_LOG_FLUSHABLE = True

# Sessions cached in this process (tests and the browser tests' live server share it), whatever
# REDIS_URL says: the number of queries per request is then the same everywhere the suite runs.
CACHES = {
    **CACHES,  # noqa: F405
    "sessions": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "sessions"},
    # Nothing kept between requests: a test writes inside a transaction that never commits, so the
    # write generation would not move. The tests of kept panels turn a shared cache on themselves.
    "pages": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}
