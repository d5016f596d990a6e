"""TOTP second factor: optional for everyone, required for the admin role before any page works."""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenancy.models import AuditEvent

from ..conftest import client_for
from .helpers import clear_throttle, consented_client, current_code, sign_in

pytestmark = pytest.mark.django_db


def _signed_in(username):
    client = consented_client()
    assert sign_in(client, username).status_code == 302
    return client


def test_admin_must_set_up_totp_before_any_page_works(post_admin):
    client = _signed_in("postadmin")
    for url in [reverse("dashboard"), reverse("audit_list"), "/admin/", reverse("lockouts")]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp_setup")), url


def test_admin_api_requests_are_refused_until_the_second_factor(post_admin):
    response = _signed_in("postadmin").get("/api/v1/")
    assert response.status_code == 403


def test_setup_page_shows_the_otpauth_uri_and_a_server_side_svg_qr(post_admin):
    response = _signed_in("postadmin").get(reverse("otp_setup"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "otpauth://totp/" in body and "<svg" in body
    assert "<script>" not in body and "style=" not in body  # nothing the CSP would block
    assert "Your role requires a second factor" in body


def test_admin_enrols_with_a_code_and_then_pages_work(post_admin):
    client = _signed_in("postadmin")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=post_admin)
    assert not device.confirmed
    wrong = client.post(reverse("otp_setup"), {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert wrong.status_code == 400
    clear_throttle(device)
    response = client.post(reverse("otp_setup"), {"token": current_code(device), "next": "/audit/"})
    assert response.status_code == 302 and response["Location"] == "/audit/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("audit_list")).status_code == 200
    assert AuditEvent.objects.filter(action="create", detail="second factor enrolled", user=post_admin).exists()


def test_enrolled_admin_must_verify_at_every_sign_in(post_admin):
    device = TOTPDevice.objects.create(user=post_admin, name="phone", confirmed=True)
    client = _signed_in("postadmin")
    response = client.get(reverse("dashboard"))
    assert response["Location"].startswith(reverse("otp_verify"))
    # A password alone never replaces the enrolled device.
    assert client.get(reverse("otp_setup"))["Location"].startswith(reverse("otp_verify"))
    assert client.post(reverse("otp_verify"), {"token": "12345x"}).status_code == 400
    bad = "000000" if current_code(device) != "000000" else "111111"
    assert client.post(reverse("otp_verify"), {"token": bad}).status_code == 400
    assert AuditEvent.objects.filter(action="login_failed", detail="wrong second-factor code").exists()
    clear_throttle(device)
    response = client.post(reverse("otp_verify"), {"token": current_code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_next_of_the_second_factor_never_leaves_the_site(post_admin):
    device = TOTPDevice.objects.create(user=post_admin, name="phone", confirmed=True)
    client = _signed_in("postadmin")
    response = client.post(reverse("otp_verify"), {"token": current_code(device), "next": "https://evil.example/"})
    assert response["Location"] == reverse("dashboard")


@pytest.mark.parametrize("role", ["attache", "diplomat", "chief"])
def test_second_factor_is_optional_for_other_roles(users_by_role, role):
    client = _signed_in(users_by_role[role].username)
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_diplomat_who_enrolled_must_verify_next_time(diplomat):
    client = _signed_in("diplomat")
    page = client.get(reverse("otp_setup")).content.decode()
    assert "optional" in page
    device = TOTPDevice.objects.get(user=diplomat)
    client.post(reverse("otp_setup"), {"token": current_code(device)})
    client.post(reverse("logout"))
    client = _signed_in("diplomat")
    assert client.get(reverse("dashboard"))["Location"].startswith(reverse("otp_verify"))


def test_a_verified_diplomat_may_switch_the_second_factor_off(diplomat):
    TOTPDevice.objects.create(user=diplomat, name="phone", confirmed=True)
    client = client_for(diplomat)
    device = TOTPDevice.objects.get(user=diplomat)
    client.get(reverse("otp_verify"))
    client.post(reverse("otp_verify"), {"token": current_code(device)})
    assert client.post(reverse("otp_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=diplomat).exists()


def test_an_admin_may_not_switch_the_second_factor_off(post_admin):
    client = client_for(post_admin)  # verified
    assert client.post(reverse("otp_remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=post_admin, confirmed=True).exists()


def test_qr_svg_encodes_the_uri(post_admin):
    from attache_crm.accounts import otp

    svg = otp.qr_svg("otpauth://totp/x?secret=ABC")
    assert svg.startswith("<svg") and re.search(r"<path d=\"M", svg)
