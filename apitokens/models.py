"""Personal access tokens for scripts calling the REST API.

A token is shown once, when it is created; only its SHA-256 is stored. Every token expires
(at most TOKEN_MAX_LIFETIME after creation) and can be revoked by its owner at any time.
A token dies with the password it was issued under: it keeps a keyed fingerprint of the user's
password hash, compared at every use, so any way of changing the password (the user's own page,
an administrator's reset, `set_password` in a command or a shell) ends it, as it ends sessions.
The token text is `att_<prefix>_<secret>`: the prefix finds the row without scanning, the
secret (256 bits) is what is hashed and compared in constant time.
A token has one scope: the API (a script's Bearer header), or a calendar feed (the secret part of
the feed's address, calendars/): a token of one scope never opens the other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

TOKEN_MAX_LIFETIME = timedelta(days=90)
TOKEN_DEFAULT_LIFETIME = timedelta(days=30)
TOKEN_SCHEME = "att"
PREFIX_LENGTH = 12  # hex characters


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


# Also written by migration 0002 for the tokens that existed before the fingerprint: keep in step.
FINGERPRINT_SALT = "apitokens.PersonalAccessToken.credential_fingerprint"


def credential_fingerprint(password_hash: str, secret: str | None = None) -> str:
    """A keyed hash of the user's stored password hash: changes whenever the password does."""
    return salted_hmac(FINGERPRINT_SALT, password_hash, secret=secret, algorithm="sha256").hexdigest()


class TokenScope(models.TextChoices):
    API = "api", "API"
    CALENDAR = "calendar", "Calendar feed"


class PersonalAccessTokenQuerySet(models.QuerySet):
    def active(self, at=None):
        """Tokens that authenticate now: neither revoked nor expired."""
        at = at or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=at)


class PersonalAccessToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80, help_text="What the token is for, e.g. 'weekly export script'.")
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.API)
    prefix = models.CharField(max_length=PREFIX_LENGTH, unique=True, editable=False)
    hashed_key = models.CharField(max_length=64, editable=False)
    credential_fingerprint = models.CharField(max_length=64, editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = PersonalAccessTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({TOKEN_SCHEME}_{self.prefix}_…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def state(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"

    def clean(self):
        created = self.created_at or timezone.now()
        if self.expires_at is not None:
            if self.expires_at <= created:
                raise ValidationError({"expires_at": "The expiry must be in the future."})
            if self.expires_at > created + TOKEN_MAX_LIFETIME + timedelta(minutes=1):
                raise ValidationError({"expires_at": f"A token lives at most {TOKEN_MAX_LIFETIME.days} days."})

    def matches(self, secret: str) -> bool:
        return hmac.compare_digest(self.hashed_key, hash_secret(secret))

    def outlived_password(self, user) -> bool:
        """Has the user's password changed since this token was issued?"""
        # Keyed like sessions: a rotated SECRET_KEY (kept in SECRET_KEY_FALLBACKS) ends nothing.
        secrets_in_use = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        return not any(
            hmac.compare_digest(self.credential_fingerprint, credential_fingerprint(user.password, secret))
            for secret in secrets_in_use
        )

    @classmethod
    def issue(cls, *, user, name: str, expires_at, scope: str = TokenScope.API) -> tuple[PersonalAccessToken, str]:
        """Create a token and return it with its full text, which is never stored nor shown again."""
        prefix = secrets.token_hex(PREFIX_LENGTH // 2)
        secret = secrets.token_urlsafe(32)
        token = cls(
            user=user,
            name=name,
            scope=scope,
            prefix=prefix,
            hashed_key=hash_secret(secret),
            credential_fingerprint=credential_fingerprint(user.password),
            expires_at=expires_at,
        )
        token.full_clean(exclude=["prefix", "hashed_key"])
        token.save()
        return token, f"{TOKEN_SCHEME}_{prefix}_{secret}"

    @staticmethod
    def split(raw: str) -> tuple[str, str] | None:
        """('prefix', 'secret') of a token text, or None when it is not shaped like one of ours."""
        parts = raw.split("_", 2)
        if len(parts) != 3 or parts[0] != TOKEN_SCHEME or len(parts[1]) != PREFIX_LENGTH or not parts[2]:
            return None
        return parts[1], parts[2]
