"""manage.py adduser: provisioning without a prompt, password from stdin, validated."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tenancy.models import AuditEvent, Membership

pytestmark = pytest.mark.django_db
GOOD = "a-long-enough-passphrase-42"


def _run(monkeypatch, *args, password=GOOD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("adduser", *args, stdout=out)
    return out.getvalue()


def test_creates_the_user_and_membership(monkeypatch, post):
    out = _run(monkeypatch, "jdoe", "--post", "bandar", "--role", "diplomat", "--email", "jdoe@example.org")
    user = get_user_model().objects.get(username="jdoe")
    assert user.check_password(GOOD) and user.email == "jdoe@example.org" and not user.is_staff
    assert Membership.objects.get(user=user).role == "diplomat"
    assert "Created jdoe" in out and GOOD not in out
    assert AuditEvent.objects.filter(action="create", detail__contains="adduser jdoe").exists()


def test_admin_role_gets_no_staff_status_the_django_admin_is_for_operators(monkeypatch, post):
    out = _run(monkeypatch, "sysadmin", "--post", "BANDAR", "--role", "admin")
    assert not get_user_model().objects.get(username="sysadmin").is_staff
    assert "authenticator" in out


@pytest.mark.parametrize(
    "password,message",
    [("short-pass", "at least 15"), ("123456789012345678", "entirely numeric"), ("", "standard input")],
)
def test_weak_or_missing_password_is_refused(monkeypatch, post, password, message):
    with pytest.raises(CommandError, match=message):
        _run(monkeypatch, "weak", "--post", "BANDAR", "--role", "attache", password=password)
    assert not get_user_model().objects.filter(username="weak").exists()


def test_password_similar_to_the_username_is_refused(monkeypatch, post):
    with pytest.raises(CommandError, match="too similar"):
        _run(monkeypatch, "margaret.thatcher", "--post", "BANDAR", "--role", "attache", password="margaret.thatcher1")


def test_unknown_post_duplicate_user_and_bad_role_are_refused(monkeypatch, post, attache):
    with pytest.raises(CommandError, match="No post"):
        _run(monkeypatch, "x1", "--post", "NOWHERE", "--role", "attache")
    with pytest.raises(CommandError, match="already exists"):
        _run(monkeypatch, "attache", "--post", "BANDAR", "--role", "attache")
    with pytest.raises(CommandError):
        _run(monkeypatch, "x2", "--post", "BANDAR", "--role", "emperor")
    assert not get_user_model().objects.filter(username__in=["x1", "x2"]).exists()
