"""What every request costs before any page runs: the site's CSP header built once, and the
database connection checked every few seconds rather than before each request."""

import pytest
from csp import middleware
from csp.decorators import csp_update
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory

from attache_crm import csp
from attache_crm.postgresql import base as postgresql

POSTGRES = connections["default"].vendor == "postgresql"


def _headers(view, *, nonce=False):
    """The CSP header of our middleware and of django-csp's own, for the same view."""
    headers = []
    for middleware_class in (csp.CSPMiddleware, middleware.CSPMiddleware):
        request = RequestFactory().get("/")
        handler = middleware_class(view)
        handler.process_request(request)
        if nonce:
            str(request.csp_nonce)
        headers.append(handler.process_response(request, view(request))["Content-Security-Policy"])
    return headers


def _page(request):
    return HttpResponse("ok")


def test_every_plain_response_carries_the_site_policy_as_django_csp_builds_it():
    ours, theirs = _headers(_page)
    assert ours == theirs == csp.site_policy()
    assert "script-src 'self'" in ours and "frame-ancestors 'none'" in ours


def test_a_view_that_changes_its_policy_still_gets_its_own():
    ours, theirs = _headers(csp_update({"img-src": ["https://tiles.example.org"]})(_page))
    assert ours == theirs
    assert "https://tiles.example.org" in ours and "script-src 'self'" in ours


def test_a_page_that_takes_a_nonce_is_left_to_django_csp():
    ours, theirs = _headers(_page, nonce=True)
    assert ours == theirs


@pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL backend's own check: this run is on SQLite")
@pytest.mark.django_db(transaction=True)
def test_the_connection_is_checked_again_only_once_its_last_check_is_old(monkeypatch):
    connection = connections["default"]
    assert isinstance(connection, postgresql.DatabaseWrapper)
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)
    clock = [1000.0]
    monkeypatch.setattr(postgresql.time, "monotonic", lambda: clock[0])
    connection.ensure_connection()
    connection.checked_at = clock[0]

    def request():
        connection.close_if_unusable_or_obsolete()  # what Django does when a request starts
        connection.close_if_health_check_failed()  # before the request's first query

    request()
    clock[0] += postgresql.HEALTH_CHECK_SECONDS / 2
    request()
    assert checks == []
    clock[0] += postgresql.HEALTH_CHECK_SECONDS
    request()
    request()
    assert checks == [1]


@pytest.mark.skipif(not POSTGRES, reason="the PostgreSQL backend's own check: this run is on SQLite")
@pytest.mark.django_db(transaction=True)
def test_a_connection_that_fails_its_check_is_replaced(monkeypatch):
    connection = connections["default"]
    connection.ensure_connection()
    connection.checked_at = float("-inf")
    monkeypatch.setattr(connection, "is_usable", lambda: False)
    dead = connection.connection
    connection.close_if_unusable_or_obsolete()
    connection.close_if_health_check_failed()
    assert connection.connection is None or connection.connection is not dead
    monkeypatch.undo()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
