"""The TOTP second factor: optional for everyone, required for the `admin` role and for operators."""

from __future__ import annotations

import qrcode
import qrcode.image.svg
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenancy import policy
from tenancy.choices import Role

# Whether the signed-in user had a confirmed device at login, kept in the session so that
# the check on every request costs no query.
ENROLLED_SESSION_KEY = "_otp_enrolled"
DEVICE_NAME = "Authenticator app"


def remember_enrolment(session, user) -> None:
    session[ENROLLED_SESSION_KEY] = user_has_device(user, confirmed=True)


def is_required_by_role(user) -> bool:
    """Administrators and operators must use a second factor; nobody may switch it off for them."""
    return user.is_superuser or policy.has_role(user, [Role.ADMIN])


def is_required(user, session) -> bool:
    """Must this signed-in user verify a second factor before any page works?"""
    return is_required_by_role(user) or bool(session.get(ENROLLED_SESSION_KEY))


def confirmed_devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def pending_device(user) -> TOTPDevice:
    """The user's unconfirmed device, created on first use, to be confirmed by a first code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def qr_svg(uri: str) -> str:
    """The otpauth URI as an SVG QR code, drawn here so the page needs neither script nor a third party."""
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")
