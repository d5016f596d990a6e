"""Test settings: fast hashing, in-memory e-mail, the real database named by DATABASE_URL."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The test runner empties tables between transactional tests with TRUNCATE, which the audit log
# refuses on PostgreSQL; this lets `flush` (reports/management/commands/flush.py) do it here only.
AUDIT_LOG_FLUSHABLE = True
