"""Production settings: refuse to start half-configured; pass check --deploy with no warning."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "attache_crm.settings.prod",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "crm.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/attache_crm",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, env):
    # Nothing of the test run leaks in (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE, which
    # check --deploy rightly refuses).
    base = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_passes_with_no_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PROD_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_prod_refuses_to_start_and_names_what_is_missing(missing):
    env = {k: v for k, v in PROD_ENV.items() if k != missing}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and missing in result.stderr.splitlines()[-1]


@pytest.mark.parametrize("key", ["too-short", "dev-only-insecure-key-change-me" + "x" * 40])
def test_prod_refuses_a_weak_secret_key(key):
    result = _manage("check", env={**PROD_ENV, "SECRET_KEY": key})
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_security_headers_of_every_page(client, db):
    response = client.get("/accounts/login/")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp


def test_password_policy():
    validators = {v["NAME"].rsplit(".", 1)[-1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 15
    assert {"UserAttributeSimilarityValidator", "CommonPasswordValidator", "NumericPasswordValidator"} <= set(
        validators
    )


def test_prod_hardening_values():
    script = (
        "from django.conf import settings as s;"
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.DEBUG)"
    )
    result = _manage("shell", "-c", script, env=PROD_ENV)
    assert result.stdout.strip().splitlines()[-1].split() == [
        "31536000",
        "True",
        "True",
        "True",
        "True",
        "Lax",
        "False",
    ], result.stderr


def test_prod_logs_one_json_object_per_line():
    script = (
        "import logging;"
        "logging.getLogger('attache_crm.audit').warning('Sign-in refused for %s', 'jdoe', extra={'post': 'BANDAR'})"
    )
    result = _manage("shell", "-c", script, env=PROD_ENV)
    assert result.returncode == 0, result.stderr
    line = json.loads(result.stderr.strip().splitlines()[-1])
    assert line["level"] == "WARNING" and line["logger"] == "attache_crm.audit"
    assert line["message"] == "Sign-in refused for jdoe" and line["post"] == "BANDAR"
    assert "time" in line
