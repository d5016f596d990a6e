"""Personal access tokens: `Authorization: Bearer att_<prefix>_<secret>`.

Tokens are created and revoked by their owner in the browser (/accounts/tokens/); the database
keeps only the SHA-256 of the secret. Whether a token is accepted is apitokens.verify's decision
(scope, expiry, revocation, password, lockout), the same for every door a token opens; every
refusal is audited there as a failed login (detail "API token: <reason>") and answered here with
the same 401, whatever the reason.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import TokenScope
from .verify import TokenRefused, refuse, verify

KEYWORD = b"bearer"
REFUSED = "Invalid, expired or revoked token."


class BearerTokenAuthentication(BaseAuthentication):
    """Authenticate a request by a personal access token of the API scope (apitokens)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None  # not ours: the next authentication class (the session) decides
        # The Django request (not DRF's): DRF's .user would re-enter authentication.
        django_request = getattr(request, "_request", request)
        try:
            if len(header) != 2:
                refuse(django_request, None, TokenScope.API, "malformed header")
            try:
                raw = header[1].decode("ascii")
            except UnicodeDecodeError:
                refuse(django_request, None, TokenScope.API, "malformed token")
            token = verify(raw, scope=TokenScope.API, request=django_request)
        except TokenRefused as refused:
            raise exceptions.AuthenticationFailed(REFUSED) from refused
        return token.user, token

    def authenticate_header(self, request):
        # Makes DRF answer 401 (not 403) to unauthenticated requests, with a usable challenge.
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "apitokens.authentication.BearerTokenAuthentication"
    name = "personalAccessToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal access token created at /accounts/tokens/ (shown once; expires; revocable).",
        }
