"""Helpers of the access tests: signing in through the real pages, reading the audit log."""

from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenancy.models import AuditEvent

from ..factories import PASSWORD


def consented_client(**kwargs) -> Client:
    client = Client(**kwargs)
    client.post(reverse("consent"))
    return client


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def current_code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now for this device."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def events(action: str, **filters):
    return list(AuditEvent.objects.filter(action=action, **filters))


def clear_throttle(device: TOTPDevice) -> None:
    """Failed codes slow a device down (1 s, 2 s, 4 s …); a test retrying at once clears that."""
    device.refresh_from_db()
    device.throttle_reset()
