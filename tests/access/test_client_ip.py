"""The audit log's client IP (issue row 10): REMOTE_ADDR unless trusted proxies are configured,
resolved exactly as the lockout (django-axes, through django-ipware) resolves it."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import RequestFactory

from attache_crm.settings.base import client_ip_settings
from tenancy import audit
from tenancy.models import AuditEvent

from ..factories import PASSWORD
from .helpers import consented_client, sign_in

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SPOOFED = "203.0.113.66"  # what the client claims
CLIENT = "198.51.100.7"  # the address our proxy saw and appended
PROXY = "10.0.0.2"  # the proxy, as the web process sees it


@pytest.fixture
def proxies(settings):
    def configure(count: int):
        for name, value in client_ip_settings(count).items():
            setattr(settings, name, value)

    return configure


def _ip(**meta) -> str | None:
    return audit.client_ip(RequestFactory().get("/", **meta))


def test_a_client_sent_forwarded_for_is_not_the_audit_ip_without_proxies(attache):
    """The attack: a client sends X-Forwarded-For to put another address in the audit log."""
    browser = consented_client(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED)
    sign_in(browser, "attache", PASSWORD)
    login = AuditEvent.objects.get(action="login", user=attache)
    assert login.ip == CLIENT
    sign_in(consented_client(REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=SPOOFED), "attache", "wrong-password-123456")
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.ip == CLIENT
    assert AccessAttempt.objects.get(username="attache").ip_address == CLIENT  # the lockout agrees
    assert not AuditEvent.objects.filter(ip=SPOOFED).exists()


def test_behind_one_trusted_proxy_the_address_it_appended_is_used(attache, proxies):
    proxies(1)
    headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{SPOOFED}, {CLIENT}"}
    sign_in(consented_client(**headers), "attache", PASSWORD)
    assert AuditEvent.objects.get(action="login", user=attache).ip == CLIENT
    sign_in(consented_client(**headers), "attache", "wrong-password-123456")
    assert AuditEvent.objects.get(action="login_failed").ip == CLIENT
    assert AccessAttempt.objects.get(username="attache").ip_address == CLIENT


@pytest.mark.parametrize(
    "count,forwarded,expected",
    [
        (0, f"{SPOOFED}, {CLIENT}", PROXY),
        (1, CLIENT, CLIENT),
        (1, f"{SPOOFED}, {CLIENT}", CLIENT),
        (1, f"{SPOOFED}, 192.0.2.1, {CLIENT}", CLIENT),
        (2, f"{SPOOFED}, {CLIENT}, 10.0.0.3", CLIENT),
        (1, None, PROXY),  # a request that bypassed the proxy: the peer we saw, never a header
        (2, CLIENT, PROXY),  # a chain shorter than the proxies configured: likewise
        (1, "not-an-address", PROXY),
    ],
)
def test_client_ip_resolution(proxies, count, forwarded, expected):
    proxies(count)
    meta = {"REMOTE_ADDR": PROXY} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {})
    assert _ip(**meta) == expected


def test_no_request_no_ip():
    assert audit.client_ip(None) is None


def test_trusted_proxy_count_comes_from_the_environment_and_feeds_axes():
    script = (
        "from django.conf import settings as s;"
        "print(s.TRUSTED_PROXY_COUNT, s.AXES_IPWARE_PROXY_COUNT, ','.join(s.AXES_IPWARE_META_PRECEDENCE_ORDER))"
    )

    def run(value):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "attache_crm.settings.test", "TRUSTED_PROXY_COUNT": value}
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("0").stdout.strip().splitlines()[-1] == "0 None REMOTE_ADDR"
    assert run("2").stdout.strip().splitlines()[-1] == "2 1 HTTP_X_FORWARDED_FOR,REMOTE_ADDR"
    refused = run("-1")
    assert refused.returncode != 0 and "TRUSTED_PROXY_COUNT" in refused.stderr
