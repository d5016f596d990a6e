"""The session is written at most once a minute, and the idle timeout still holds to the minute."""

import os
import subprocess
import sys
from datetime import timedelta

import fakeredis
import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from attache_crm.cache import RedisCache
from attache_crm.session_store import SAVED_AT, SessionStore
from tenancy.models import AuditEvent

from ..conftest import client_for
from .test_settings import PROD_ENV, ROOT

pytestmark = [pytest.mark.django_db, pytest.mark.urls("attache_crm.bench_urls")]

OK = "/bench/ok"
BACKGROUND = {"X-Background-Request": "1"}


def _session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"] and not q["sql"].lstrip().startswith("SELECT")]


def _expiry(client):
    return Session.objects.get(session_key=client.cookies["sessionid"].value).expire_date


def _signed_in(client) -> bool:
    response = client.get("/")
    return response.status_code == 200


def test_a_request_within_the_same_minute_does_not_write_the_session(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        client.get(OK)
        expiry = _expiry(client)
        clock.shift(timedelta(seconds=50))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(OK).status_code == 200
        assert _session_writes(queries) == []
        assert _expiry(client) == expiry


def test_a_request_a_minute_later_writes_the_session_once(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        client.get(OK)
        expiry = _expiry(client)
        clock.shift(timedelta(seconds=61))
        with CaptureQueriesContext(connection) as queries:
            client.get(OK)
        assert len(_session_writes(queries)) == 1
        assert _expiry(client) == expiry + timedelta(seconds=61)


def test_the_ok_view_costs_one_query_the_user_with_their_roles(attache, django_assert_num_queries):
    client = client_for(attache)
    client.get(OK)
    with django_assert_num_queries(1) as queries:
        assert client.get(OK).status_code == 200
    assert "auth_user" in queries.captured_queries[0]["sql"] and "tenancy_membership" in queries[0]["sql"]


def test_without_a_shared_cache_the_session_is_read_from_the_database_and_not_written(attache):
    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={"default": dummy, "sessions": dummy, "pages": dummy}):
        client = client_for(attache)
        client.get(OK)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(OK).status_code == 200
        assert len(queries) == 2  # the session, the user with their roles
        assert _session_writes(queries) == []


def test_activity_every_50_seconds_keeps_the_session_alive_past_15_minutes(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        for _ in range(30):  # 25 minutes
            clock.shift(timedelta(seconds=50))
            assert client.get(OK).status_code == 200
        assert _signed_in(client)


def test_the_idle_timeout_ends_the_session_15_minutes_after_a_burst_of_requests(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        for _ in range(10):  # ten requests within 50 seconds: one write at most
            clock.shift(timedelta(seconds=5))
            client.get(OK)
        clock.shift(timedelta(minutes=14))
        assert _signed_in(client)
        clock.shift(timedelta(minutes=15, seconds=1))
        response = client.get("/")
        assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_idle_clock_counts_from_the_first_request_of_its_minute(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        clock.shift(timedelta(seconds=30))
        assert _signed_in(client)  # within the login's minute: no new stamp
        clock.shift(timedelta(minutes=14, seconds=31))  # 15:01 after login, 14:31 after that request
        assert not _signed_in(client)


def test_background_polling_more_often_than_once_a_minute_does_not_keep_the_session_alive(attache):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        client = client_for(attache)
        for _ in range(40):  # a page polling every 30 seconds for 20 minutes
            clock.shift(timedelta(seconds=30))
            client.get(OK, headers=BACKGROUND)
        assert not _signed_in(client)
    assert AuditEvent.objects.filter(action="logout", user=attache, detail="idle timeout").exists()


def test_a_cached_session_past_its_expiry_is_refused_whatever_the_cache_keeps(attache):
    client = client_for(attache)
    key = client.cookies["sessionid"].value
    cache = caches["sessions"]
    cached = cache.get(SessionStore.cache_key_prefix + key)
    cached[SAVED_AT] -= 16 * 60
    cache.set(SessionStore.cache_key_prefix + key, cached, 3600)
    assert SessionStore(key).load() == {}


def test_signing_out_ends_the_session_in_the_cache_and_in_the_database(attache):
    client = client_for(attache)
    key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert caches["sessions"].get(SessionStore.cache_key_prefix + key) is None
    assert not Session.objects.filter(session_key=key).exists()
    assert SessionStore(key).load() == {}


def _sessions_cache_backend(env: dict) -> str:
    base = {k: v for k, v in os.environ.items() if k not in PROD_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    script = "from django.conf import settings as s; print(s.CACHES['sessions']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result.stdout.strip().splitlines()[-1]


def test_production_reads_sessions_from_redis_and_the_embedded_mode_from_the_database_alone():
    assert _sessions_cache_backend(PROD_ENV) == "attache_crm.cache.RedisCache"
    embedded = {"DJANGO_SETTINGS_MODULE": "attache_crm.settings.dev"}
    assert _sessions_cache_backend(embedded) == "django.core.cache.backends.dummy.DummyCache"


def _redis_cache_under_test() -> RedisCache:
    """The cache on REDIS_URL (CI, where a Redis that does not answer fails the test), else on an
    in-process Redis (fakeredis) that speaks the same protocol, so that a machine with no
    services runs this test too."""
    url = os.environ.get("REDIS_URL")
    if url:
        return RedisCache(url, {"OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}})
    in_process = {"connection_class": fakeredis.FakeRedisConnection, "server": fakeredis.FakeServer()}
    return RedisCache("redis://in-process", {"OPTIONS": in_process})


def test_the_redis_cache_keeps_one_client_and_reads_what_it_wrote():
    cache = _redis_cache_under_test()
    key = f"test-session-cache-{os.getpid()}"
    cache.set(key, {"_saved_at": 1.5}, 30)
    try:
        assert cache.get(key) == {"_saved_at": 1.5}
        client = cache._cache.get_client()
        assert cache._cache.get_client(write=True) is client
    finally:
        cache.delete(key)


def test_with_redis_down_signed_in_pages_are_read_from_the_database(attache, settings):
    """Sessions live in the database; the cache only speeds them up. (Signing in and out need
    it: an ended session must not stay in a cache that serves it once Redis is back.)"""
    client = client_for(attache)
    key = client.cookies["sessionid"].value
    unreachable = {
        "BACKEND": "attache_crm.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {**settings.CACHES, "sessions": unreachable}
    assert Session.objects.filter(session_key=key).exists()
    for _ in range(2):
        assert client.get(OK).status_code == 200
    assert SessionStore(key).load()["_auth_user_id"] == str(attache.pk)
