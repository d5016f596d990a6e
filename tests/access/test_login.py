"""Sign-in: notice and consent first, password with lockout, session rotation, logout by POST."""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from tenancy.models import AuditEvent

from ..conftest import client_for
from ..factories import PASSWORD, MembershipFactory, UserFactory
from .helpers import consented_client, events, sign_in

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- notice and consent


def test_login_page_shows_the_consent_banner_before_the_form(client):
    response = client.get(reverse("login"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "data-consent-accept" in body and "Notice and consent" in body
    assert 'name="password"' not in body


def test_accepting_the_notice_opens_the_login_form_and_keeps_next(client):
    response = client.post(reverse("consent"), {"next": "/meetings/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=%2Fmeetings%2F"
    body = client.get(response["Location"]).content.decode()
    assert 'name="password"' in body and 'value="/meetings/"' in body
    assert "data-consent-accept" not in body


def test_credentials_are_not_even_checked_before_consent(client, attache):
    response = sign_in(client, "attache")
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action__in=["login", "login_failed"]).exists()


def test_consent_is_asked_again_after_logout(attache):
    client = consented_client()
    sign_in(client, "attache")
    client.post(reverse("logout"))
    assert "data-consent-accept" in client.get(reverse("login")).content.decode()


# ---------------------------------------------------------------- password


def test_login_rotates_the_session_key_and_audits(attache):
    client = consented_client(REMOTE_ADDR="10.1.2.3")
    anonymous_key = client.session.session_key
    response = sign_in(client, "attache")
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")
    assert client.session.session_key != anonymous_key
    (event,) = events("login")
    assert event.user == attache and event.ip == "10.1.2.3" and event.outcome == "success"


def test_failed_login_is_audited_with_the_username_typed(attache):
    client = consented_client()
    response = sign_in(client, "attache", "not-the-password-at-all")
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    (event,) = events("login_failed")
    assert event.username == "attache" and event.user == attache and event.outcome == "failure"
    assert "not-the-password" not in event.detail


def test_failed_login_for_an_unknown_username_is_audited_without_user(db):
    sign_in(consented_client(), "nobody-here", "whatever-password-123")
    (event,) = events("login_failed")
    assert event.username == "nobody-here" and event.user is None


def test_logout_needs_post_ends_the_session_and_audits(attache):
    client = consented_client()
    sign_in(client, "attache")
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 302
    (event,) = events("logout")
    assert event.user == attache and event.detail == "signed out"


def test_admin_login_page_redirects_to_the_one_login_page(client, db):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/?next=/admin/"


# ---------------------------------------------------------------- lockout


def _fail(client, username="attache", times=1):
    for _ in range(times):
        response = sign_in(client, username, "wrong-password-wrong-password")
    return response


def test_three_failures_lock_the_account_even_with_the_right_password(attache):
    client = consented_client()
    assert _fail(client, times=2).status_code == 200
    locked = _fail(client)
    assert locked.status_code == 429 and "Account locked" in locked.content.decode()
    response = sign_in(client, "attache")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert events("lockout") and events("lockout")[0].user == attache


def test_lockout_is_by_username_not_by_browser(attache):
    _fail(consented_client(REMOTE_ADDR="10.0.0.1"), times=3)
    response = sign_in(consented_client(REMOTE_ADDR="10.0.0.2"), "attache")
    assert response.status_code == 429


def test_failures_spread_over_more_than_15_minutes_do_not_lock(attache):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = consented_client()
        _fail(client, times=2)
        traveller.shift(timedelta(minutes=16))
        _fail(client, times=1)
        assert sign_in(client, "attache").status_code == 302


def test_lockout_lifts_after_15_minutes(attache):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = consented_client()
        _fail(client, times=3)
        traveller.shift(timedelta(minutes=14))
        assert sign_in(client, "attache").status_code == 429
        traveller.shift(timedelta(minutes=2))
        assert sign_in(client, "attache").status_code == 302


def test_successful_login_resets_the_failure_count(attache):
    client = consented_client()
    _fail(client, times=2)
    assert sign_in(client, "attache").status_code == 302
    client.post(reverse("logout"))
    client.post(reverse("consent"))
    _fail(client, times=2)
    assert sign_in(client, "attache").status_code == 302


def test_admin_lifts_a_lockout_of_their_post(attache, post_admin):
    _fail(consented_client(), times=3)
    admin = client_for(post_admin)
    page = admin.get(reverse("lockouts"))
    assert page.status_code == 200 and "attache" in page.content.decode()
    assert admin.post(reverse("lockouts"), {"username": "attache"}).status_code == 302
    assert not AccessAttempt.objects.filter(username="attache").exists()
    assert sign_in(consented_client(), "attache").status_code == 302
    assert AuditEvent.objects.filter(action="update", detail="lockout lifted", user=post_admin).exists()


def test_admin_cannot_lift_the_lockout_of_another_posts_user(post_admin, outsider):
    _fail(consented_client(), username="outsider", times=3)
    admin = client_for(post_admin)
    assert "outsider" not in admin.get(reverse("lockouts")).content.decode()
    assert admin.post(reverse("lockouts"), {"username": "outsider"}).status_code == 404
    assert AccessAttempt.objects.filter(username="outsider").exists()


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief"])
def test_only_the_admin_role_sees_the_lockouts_page(users_by_role, role):
    assert client_for(users_by_role[role]).get(reverse("lockouts")).status_code == 403


def test_inactive_user_cannot_sign_in(post):
    user = UserFactory(username="gone", is_active=False)
    MembershipFactory(user=user, post=post)
    client = consented_client()
    response = sign_in(client, "gone", PASSWORD)
    assert response.status_code == 200 and "_auth_user_id" not in client.session
