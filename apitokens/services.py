"""Issuing and revoking personal access tokens (each audited)."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tenancy import audit

from .models import PersonalAccessToken


@transaction.atomic
def token_issue(*, user, name: str, lifetime_days: int, request=None) -> tuple[PersonalAccessToken, str]:
    """Issue a token for `user`; returns (token, full token text shown once)."""
    token, text = PersonalAccessToken.issue(
        user=user, name=name, expires_at=timezone.now() + timedelta(days=lifetime_days)
    )
    audit.record(
        action="create",
        user=user,
        request=request,
        obj=token,
        detail=f"API token {token.prefix}",
    )
    return token, text


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, by, request=None) -> PersonalAccessToken:
    """Revoke a token now; revoking twice changes nothing."""
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            action="revoke",
            user=by,
            request=request,
            obj=token,
            detail=f"API token {token.prefix}",
        )
    return token


@transaction.atomic
def tokens_revoke_all(*, user, by, reason: str, post=None, request=None) -> int:
    """Revoke every live token of `user` at once (credentials changed, account deactivated); one audit event."""
    revoked = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        audit.record(
            action="revoke",
            user=by,
            request=request,
            obj=user,
            post=post,
            detail=f"{revoked} API token(s) of {user.get_username()} revoked: {reason}",
        )
    return revoked
