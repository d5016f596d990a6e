"""Session limits: idle timeout 15 minutes after the last request, absolute limit 12 hours."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tenancy.models import AuditEvent

from ..conftest import client_for
from .helpers import consented_client, sign_in

pytestmark = pytest.mark.django_db

DASHBOARD = "/"


def _ok(client) -> bool:
    response = client.get(DASHBOARD)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def test_settings_match_the_policy():
    assert settings.SESSION_COOKIE_AGE == 15 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_ABSOLUTE_LIMIT == timedelta(hours=12)
    assert settings.SESSION_COOKIE_HTTPONLY and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_session_expires_15_minutes_after_the_last_request_not_after_login(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        clock.shift(timedelta(minutes=10))
        assert _ok(client)
        clock.shift(timedelta(minutes=14))  # 24 minutes after login, 14 after the last request
        assert _ok(client)
        clock.shift(timedelta(minutes=15, seconds=5))
        response = client.get(DASHBOARD)
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_idle_timeout_with_the_real_login_flow(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = consented_client()
        sign_in(client, "attache")
        assert _ok(client)
        clock.shift(timedelta(minutes=16))
        assert not _ok(client)


def test_background_requests_do_not_keep_an_idle_session_alive(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        for _ in range(4):  # a page left open polls every 5 minutes
            clock.shift(timedelta(minutes=5))
            client.get(DASHBOARD, headers={"X-Background-Request": "1"})
        assert not _ok(client)
    assert AuditEvent.objects.filter(action="logout", user=attache, detail="idle timeout").exists()


def test_absolute_limit_ends_an_active_session_after_12_hours(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        for _ in range(12 * 6 - 1):  # a request every 10 minutes for 11 h 50 min
            clock.shift(timedelta(minutes=10))
            assert _ok(client)
        clock.shift(timedelta(minutes=10, seconds=1))
        response = client.get(DASHBOARD)
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert AuditEvent.objects.filter(action="logout", user=attache, detail="absolute session limit").exists()
