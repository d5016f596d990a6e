"""Writing the append-only audit log (DESIGN §2 AuditEvent)."""

from __future__ import annotations

import logging

from django.db.models import Model

logger = logging.getLogger("attache_crm.audit")


def client_ip(request) -> str | None:
    if request is None:
        return None
    # Behind the production proxy the client is the first hop it reports.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    return (forwarded.split(",")[0].strip() or request.META.get("REMOTE_ADDR")) or None


def record(
    *,
    action: str,
    user=None,
    request=None,
    obj: Model | type | None = None,
    post=None,
    outcome: str = "success",
    detail: str = "",
    username: str = "",
):
    """Append one audit event; never raises into the caller's flow for a logging failure."""
    from reports.models import AuditEvent

    if user is None and request is not None:
        user = getattr(request, "user", None)
    if user is not None and not user.is_authenticated:
        user = None
    if obj is None:
        object_type, object_id = "", ""
    elif isinstance(obj, type):
        object_type, object_id = obj._meta.label, ""
    else:
        object_type, object_id = obj._meta.label, str(obj.pk or "")
        if post is None:
            post = getattr(obj, "post", None)
    return AuditEvent.objects.create(
        user=user,
        username=username or (user.get_username() if user is not None else ""),
        post_id=getattr(post, "pk", post),
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=object_id,
        outcome=outcome,
        detail=detail[:300],
    )
