"""Personal access tokens: `Authorization: Bearer att_<prefix>_<secret>`.

Tokens are created and revoked by their owner in the browser (/accounts/tokens/); the database
keeps only the SHA-256 of the secret. A token authenticates only while it is neither revoked
nor expired, its user is active and has kept the password the token was issued under, and that
user is not locked out by django-axes (the web login's lockout applies to scripts too). Every refusal is audited as a failed login
(detail "API token: <reason>") and answered with the same 401, whatever the reason.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from tenancy import audit

from .models import PersonalAccessToken

# last_used_at is informative: write it at most once a minute per token, not on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)
KEYWORD = b"bearer"
REFUSED = "Invalid, expired or revoked token."


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticate a request by a personal access token (PersonalAccessToken)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None  # not ours: the next authentication class (the session) decides
        if len(header) != 2:
            self._refuse(request, None, "malformed header")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            self._refuse(request, None, "malformed token")
        return self._authenticate_token(request, raw)

    def _authenticate_token(self, request, raw: str):
        parts = PersonalAccessToken.split(raw)
        if parts is None:
            self._refuse(request, None, "malformed token")
        prefix, secret = parts
        token = PersonalAccessToken.objects.select_related("user").filter(prefix=prefix).first()
        if token is None or not token.matches(secret):
            self._refuse(request, None, "unknown token")
        now = timezone.now()
        if token.revoked_at is not None:
            self._refuse(request, token, "revoked")
        if token.expires_at <= now:
            self._refuse(request, token, "expired")
        user = token.user
        if not user.is_active:
            self._refuse(request, token, "inactive user")
        if token.outlived_password(user):
            self._refuse(request, token, "password changed since issue")
        if _locked_out(request, user):
            self._refuse(request, token, "user locked out")
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to unauthenticated requests, with a usable challenge.
        return 'Bearer realm="api"'

    @staticmethod
    def _refuse(request, token, reason: str):
        user = token.user if token is not None else None
        audit.record(
            action="login_failed",
            user=user,
            # The Django request (not DRF's): DRF's .user would re-enter authentication.
            request=getattr(request, "_request", request),
            obj=token,
            outcome="failure",
            detail=f"API token: {reason}",
            username=user.get_username() if user is not None else "",
        )
        raise exceptions.AuthenticationFailed(REFUSED)


def _locked_out(request, user) -> bool:
    from axes.handlers.proxy import AxesProxyHandler

    django_request = getattr(request, "_request", request)
    AxesProxyHandler.update_request(django_request)
    return AxesProxyHandler.is_locked(django_request, credentials={"username": user.get_username()})


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apitokens.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token created at /accounts/tokens/ (shown once; expires; revocable).",
        }
