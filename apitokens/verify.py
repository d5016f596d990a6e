"""Checking a presented token: one set of rules for every door a token opens (API, calendar feed).

A token is accepted only while it is of the door's scope, neither revoked nor expired, its user is
active and has kept the password the token was issued under, and that user is not locked out by
django-axes (the web login's lockout applies to scripts and calendar clients too). Every refusal is
audited as a failed login ("<door>: <reason>") and raised as TokenRefused; callers answer it the
same way whatever the reason.
"""

from __future__ import annotations

from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.utils import timezone

from tenancy import audit

from .models import PersonalAccessToken, TokenScope

# last_used_at is informative: write it at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
DOORS = {TokenScope.API: "API token", TokenScope.CALENDAR: "Calendar feed"}


class TokenRefused(Exception):
    """The presented token opens nothing; the reason is in the audit log, never in the answer."""


def verify(raw: str, *, scope: str, request) -> PersonalAccessToken:
    """The live token `raw` names for this scope (its user loaded), or TokenRefused (audited)."""
    parts = PersonalAccessToken.split(raw)
    if parts is None:
        refuse(request, None, scope, "malformed token")
    prefix, secret = parts
    token = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not token.matches(secret):
        refuse(request, None, scope, "unknown token")
    if token.scope != scope:
        refuse(request, token, scope, f"token of the {token.scope} scope")
    now = timezone.now()
    if token.revoked_at is not None:
        refuse(request, token, scope, "revoked")
    if token.expires_at <= now:
        refuse(request, token, scope, "expired")
    user = token.user
    if not user.is_active:
        refuse(request, token, scope, "inactive user")
    if token.outlived_password(user):
        refuse(request, token, scope, "password changed since issue")
    if _locked_out(request, user):
        refuse(request, token, scope, "user locked out")
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def refuse(request, token, scope: str, reason: str):
    """Audit a refused token as a failed login, then raise TokenRefused."""
    user = token.user if token is not None else None
    audit.record(
        action="login_failed",
        user=user,
        request=request,
        obj=token,
        outcome="failure",
        detail=f"{DOORS[scope]}: {reason}",
        username=user.get_username() if user is not None else "",
    )
    raise TokenRefused(reason)


def _locked_out(request, user) -> bool:
    AxesProxyHandler.update_request(request)
    return AxesProxyHandler.is_locked(request, credentials={"username": user.get_username()})
