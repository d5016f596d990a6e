"""Authorization helpers of the API. Reads are filtered by the policy's querysets (never by a
permission class: DRF's object permissions do not run on lists); writes ask policy.can()."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from tenancy import policy


class IsAuthenticatedMember(BasePermission):
    """Any authenticated, active user. What they see is decided by policy.visible() per queryset,
    what they change by policy.require() in each write, so a user without a role sees empty lists."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


def require(request, action: str, obj=None, *, model=None, post=None) -> None:
    """policy.require() with the Django request (for the audit trail): 403 and an audit event."""
    policy.require(
        request.user,
        action,
        obj,
        model=model,
        post=post,
        request=getattr(request, "_request", request),
    )
