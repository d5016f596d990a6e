"""Personal access tokens: created and revoked in the browser, stored hashed, expiring; the API
refuses (401, audited) anything but a live token of an active, not locked-out user; the session
works for the browser, with CSRF on writes."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apitokens.models import TOKEN_MAX_LIFETIME, PersonalAccessToken, hash_secret
from tenancy.models import AuditEvent
from tests.conftest import client_for
from tests.factories import PASSWORD

from .conftest import ApiClient, issue_token

LIST = "/api/v1/counterparts/"


def _create_token(user, name="export script", days=30):
    response = client_for(user).post(reverse("token_list"), {"name": name, "lifetime_days": days})
    return response


def _token_text(response) -> str:
    return re.search(r'value="(att_[^"]+)"', response.content.decode()).group(1)


# ---------------------------------------------------------------- the profile page


def test_token_page_needs_login(client, db):
    response = client.get(reverse("token_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_created_token_is_shown_once_and_stored_hashed(attache):
    response = _create_token(attache)
    assert response.status_code == 201
    text = _token_text(response)
    token = PersonalAccessToken.objects.get(user=attache)
    prefix, secret = PersonalAccessToken.split(text)
    assert token.prefix == prefix and token.hashed_key == hash_secret(secret)
    assert secret not in token.hashed_key and secret not in str(token.__dict__)
    # The list shows its prefix only, never the secret again.
    listing = client_for(attache).get(reverse("token_list")).content.decode()
    assert f"att_{prefix}_" in listing and secret not in listing
    assert AuditEvent.objects.filter(
        action="create", object_type="apitokens.PersonalAccessToken", user=attache
    ).exists()
    # And it works.
    assert ApiClient(attache, text).get(LIST).status_code == 200


@pytest.mark.parametrize("days", [0, TOKEN_MAX_LIFETIME.days + 1, "soon"])
def test_token_lifetime_is_required_and_bounded(attache, days):
    response = _create_token(attache, days=days)
    assert response.status_code == 400
    assert not PersonalAccessToken.objects.exists()


def test_token_expires_at_is_at_most_ninety_days(attache):
    _create_token(attache, days=TOKEN_MAX_LIFETIME.days)
    token = PersonalAccessToken.objects.get()
    assert token.expires_at - token.created_at <= TOKEN_MAX_LIFETIME + dt.timedelta(seconds=5)


def test_revoked_token_is_refused_and_revocation_audited(attache):
    text = _token_text(_create_token(attache))
    token = PersonalAccessToken.objects.get()
    response = client_for(attache).post(reverse("token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="revoke", object_id=str(token.pk)).exists()
    assert ApiClient(attache, text).get(LIST).status_code == 401


def test_nobody_revokes_another_users_token(attache, second_attache):
    issue_token(attache)
    token = PersonalAccessToken.objects.get(user=attache)
    assert client_for(second_attache).post(reverse("token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_needs_post(attache):
    issue_token(attache)
    token = PersonalAccessToken.objects.get()
    assert client_for(attache).get(reverse("token_revoke", args=[token.pk])).status_code == 405


# ---------------------------------------------------------------- the API's door


def test_anonymous_gets_401_with_a_bearer_challenge(client, db):
    response = client.get(LIST)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json() == {
        "status": 401,
        "code": "not_authenticated",
        "detail": "Authentication credentials were not provided.",
        "fields": {},
    }


@pytest.mark.parametrize(
    "header",
    [
        "Bearer",
        "Bearer a b",
        "Bearer att_000000000000_nope",
        "Bearer not-a-token",
        "Bearer att_short_x",
        "Bearer \u00e9t\u00e9",
    ],
)
def test_bad_tokens_are_401_and_audited(db, header):
    response = Client().get(LIST, HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    assert response.status_code == 401
    assert response.json()["detail"] == "Invalid, expired or revoked token."
    event = AuditEvent.objects.get(action="login_failed")
    assert event.outcome == "failure" and event.detail.startswith("API token:")


def test_a_wrong_secret_with_a_real_prefix_is_refused(attache):
    text = issue_token(attache)
    tampered = text[:-4] + ("AAAA" if not text.endswith("AAAA") else "BBBB")
    assert ApiClient(attache, tampered).get(LIST).status_code == 401
    assert AuditEvent.objects.filter(action="login_failed", detail="API token: unknown token").exists()


def test_expired_token_is_refused(attache):
    text = issue_token(attache)
    PersonalAccessToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert ApiClient(attache, text).get(LIST).status_code == 401
    event = AuditEvent.objects.get(action="login_failed")
    assert event.detail == "API token: expired" and event.user == attache


def test_inactive_users_token_is_refused(attache):
    text = issue_token(attache)
    attache.is_active = False
    attache.save()
    assert ApiClient(attache, text).get(LIST).status_code == 401


def test_locked_out_user_cannot_use_tokens_either(attache, settings):
    """Lockout as for the web login: failed password logins lock the account for tokens too."""
    from tests.access.helpers import consented_client, sign_in

    text = issue_token(attache)
    assert ApiClient(attache, text).get(LIST).status_code == 200
    browser = consented_client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(browser, "attache", "wrong-password-wrong-password")
    assert ApiClient(attache, text).get(LIST).status_code == 401
    assert AuditEvent.objects.filter(action="login_failed", detail="API token: user locked out").exists()


def test_last_used_is_recorded(attache):
    text = issue_token(attache)
    assert PersonalAccessToken.objects.get().last_used_at is None
    assert ApiClient(attache, text).get(LIST).status_code == 200
    assert PersonalAccessToken.objects.get().last_used_at is not None


def test_a_token_carries_its_users_access_only(world, diplomat):
    body = ApiClient(diplomat, issue_token(diplomat)).get(LIST).content.decode()
    assert "CPPOSTMARK" in body.upper() and "ATTACHEMARK" not in body.upper()


# ---------------------------------------------------------------- the session (browser)


def test_session_reads(attache, world):
    assert client_for(attache).get(LIST).status_code == 200


def test_session_writes_need_the_csrf_token(attache, post):
    client = Client(enforce_csrf_checks=True)
    client.force_login(attache)
    response = client.post(LIST, {"family_name": "Csrf"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    # With the token from the cookie (as the browser's JavaScript would send it), it goes through.
    client.get(reverse("token_list"))  # sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        LIST,
        {"family_name": "Csrf"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201, response.content


def test_a_bearer_token_needs_no_csrf(attache, post):
    client = ApiClient(attache, issue_token(attache), Client(enforce_csrf_checks=True))
    assert client.post(LIST, {"family_name": "Script"}).status_code == 201


@pytest.mark.parametrize(
    "value",
    ["abc\x00defghijk", '"\\000abcdefgh"', "abc\x01defghijk", "x" * 200, "A" * 32],
)
def test_a_forged_session_cookie_is_no_session_not_a_server_error(attache, value):
    """Found by schemathesis on PostgreSQL: a NUL in the session key made Django's store fail (500)."""
    client = Client(HTTP_COOKIE=f"sessionid={value}")
    assert client.get(LIST).status_code == 401
    assert client.get(reverse("dashboard")).status_code == 302


# ---------------------------------------------------------------- tokens die with credentials (issue row 10)

NEW_PASSWORD = "Correct-horse-battery-staple-9"


def _refused_as_outlived(user, text):
    assert ApiClient(user, text).get(LIST).status_code == 401
    return AuditEvent.objects.filter(action="login_failed", detail="API token: password changed since issue").exists()


def test_a_token_dies_when_its_user_changes_their_own_password(attache):
    text = issue_token(attache)
    assert ApiClient(attache, text).get(LIST).status_code == 200
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    assert client_for(attache).post(reverse("password_change"), data).status_code == 302
    assert ApiClient(attache, text).get(LIST).status_code == 401


def test_a_token_dies_when_an_administrator_resets_the_password(attache, post_admin):
    text = issue_token(attache)
    data = {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    assert client_for(post_admin).post(reverse("person_password", args=[attache.pk]), data).status_code == 302
    assert ApiClient(attache, text).get(LIST).status_code == 401


def test_a_token_dies_when_set_password_is_called_anywhere(attache):
    """A command, a shell, a script: no service involved, nothing revoked — the fingerprint still tells."""
    text = issue_token(attache)
    attache.set_password(NEW_PASSWORD)
    attache.save()
    assert _refused_as_outlived(attache, text)
    assert PersonalAccessToken.objects.get().revoked_at is None  # refused at use, not by revocation


def test_a_token_dies_when_the_password_hash_is_written_without_signals(attache):
    from django.contrib.auth.hashers import make_password

    text = issue_token(attache)
    type(attache).objects.filter(pk=attache.pk).update(password=make_password(NEW_PASSWORD))
    assert _refused_as_outlived(attache, text)


def test_a_token_dies_with_manage_py_changepassword(attache, monkeypatch):
    from django.core.management import call_command

    text = issue_token(attache)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "attache", stdout=io.StringIO())
    assert _refused_as_outlived(attache, text)


def test_a_token_dies_when_the_password_is_made_unusable(attache):
    text = issue_token(attache)
    attache.set_unusable_password()
    attache.save()
    assert _refused_as_outlived(attache, text)


def test_a_token_issued_after_the_change_works(attache):
    attache.set_password(NEW_PASSWORD)
    attache.save()
    assert ApiClient(attache, issue_token(attache)).get(LIST).status_code == 200


def test_a_token_survives_a_secret_key_rotation_kept_as_fallback(attache, settings):
    text = issue_token(attache)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 50
    assert ApiClient(attache, text).get(LIST).status_code == 200


def test_a_token_dies_when_the_account_is_deactivated_and_stays_dead_after_reactivation(attache, post_admin):
    text = issue_token(attache)
    admin = client_for(post_admin)
    assert admin.post(reverse("person_deactivate", args=[attache.pk])).status_code == 302
    assert ApiClient(attache, text).get(LIST).status_code == 401
    assert admin.post(reverse("person_reactivate", args=[attache.pk])).status_code == 302
    assert ApiClient(attache, text).get(LIST).status_code == 401
    assert PersonalAccessToken.objects.get().revoked_at is not None


def test_a_token_stays_dead_after_a_deactivation_outside_the_app_is_undone_in_it(attache, post_admin):
    text = issue_token(attache)
    type(attache).objects.filter(pk=attache.pk).update(is_active=False)  # a shell, another tool
    assert ApiClient(attache, text).get(LIST).status_code == 401
    assert client_for(post_admin).post(reverse("person_reactivate", args=[attache.pk])).status_code == 302
    assert ApiClient(attache, text).get(LIST).status_code == 401


def test_token_page_shows_tokens_revoked_by_a_password_change(attache):
    issue_token(attache)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    client = client_for(attache)
    client.post(reverse("password_change"), data)
    assert "revoked" in client.get(reverse("token_list")).content.decode()
