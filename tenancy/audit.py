"""Writing the append-only audit log (`AuditEvent`; what is audited: docs/access.md)."""

from __future__ import annotations

import logging

from axes.helpers import get_client_ip_address
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from . import spill
from .limits import BoundedDateField
from .markings import Channel
from .models import AuditAction, AuditEvent, AuditOutcome

logger = logging.getLogger("tenancy.audit")


def client_ip(request) -> str | None:
    """The client's address as the lockout sees it: REMOTE_ADDR unless TRUSTED_PROXY_COUNT says
    which X-Forwarded-For entry our own proxies vouch for (settings, django-ipware through axes)."""
    if request is None:
        return None
    # The very function axes calls for its lockouts, so both logs name the same address.
    resolved = get_client_ip_address(request)
    # A chain shorter than the configured proxies (a request that bypassed them) resolves to
    # nothing: keep the peer we saw, never a header.
    return resolved or request.META.get("REMOTE_ADDR") or None


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


def record_many(*, action: str, user, objects: list[Model], post=None, detail: str = "") -> list:
    """One event per object, written in one statement: what `record` appends for each of them
    (a service that creates many records at once, an import, writes them this way)."""
    if user is not None and not user.is_authenticated:
        user = None
    username = user.get_username() if user is not None else ""
    events = [
        AuditEvent(
            user=user,
            username=username,
            post_id=getattr(post, "pk", post) if post is not None else getattr(obj, "post_id", None),
            action=action,
            object_type=obj._meta.label,
            object_id=str(obj.pk or ""),
            detail=detail[:300],
        )
        for obj in objects
    ]
    return AuditEvent.objects.bulk_create(events, batch_size=1000)


def viewed(request, obj: Model):
    """Record that the requesting user read an attaché-channel or restricted record (post channel: nothing)."""
    if getattr(obj, "channel", Channel.POST) == Channel.POST:
        return None
    return record(action="view", request=request, obj=obj, detail=f"{obj.channel} channel")


def classified_refused(*, fields: dict[str, str], via: str, request=None, user=None, model=None, post=None):
    """The one `classified_refused` audit event of a refused request, whatever interface refused it.

    Called by the interface (form base, API exception handler) once the service's transaction,
    if any, has rolled back, so the event survives the refused write. The detail names the fields
    and the markings found (`tenancy.spill` found them), never the rest of the text.
    """
    found = "; ".join(f"{name}: {marking}" if marking else name for name, marking in sorted(fields.items()))
    return record(
        action="classified_refused",
        user=user,
        request=request,
        obj=model,
        post=post,
        outcome="denied",
        detail=f"{via}: classified marking refused ({found})",
    )


def service_refusal(error: ValidationError, **kwargs) -> None:
    """Audit a service's refusal when it was a classified marking (the page calls this once the
    service's transaction has rolled back): forms usually refuse first, but not every write has one."""
    if fields := spill.classified_fields(error):
        classified_refused(fields=fields, **kwargs)


# ---------------------------------------------------------------- reading (/audit/)


def _object_type_choices(events) -> list[tuple[str, str]]:
    types = events.order_by("object_type").values_list("object_type", flat=True).distinct()
    return [("", "Any")] + [(t, t) for t in types if t]


def filter_form(data, events):
    """The /audit/ filters: user, action, outcome, date range (days of the page's time zone), object type."""
    # A day typed year-month-day, not a browser date picker that follows the browser's locale.
    DAY = forms.DateInput(attrs={"placeholder": "YYYY-MM-DD", "inputmode": "numeric", "size": 10}, format="%Y-%m-%d")

    class AuditFilterForm(forms.Form):
        user = forms.CharField(required=False, max_length=150, label="User")
        action = forms.ChoiceField(required=False, choices=[("", "Any")] + AuditAction.choices)
        outcome = forms.ChoiceField(required=False, choices=[("", "Any")] + AuditOutcome.choices)
        object_type = forms.ChoiceField(required=False, choices=_object_type_choices(events), label="Object type")
        date_from = BoundedDateField(required=False, label="From", widget=DAY)
        date_to = BoundedDateField(required=False, label="To", widget=DAY)

        def clean(self):
            cleaned = super().clean()
            start, end = cleaned.get("date_from"), cleaned.get("date_to")
            if start and end and end < start:
                self.add_error("date_to", "The end of the range is before its start.")
            return cleaned

    return AuditFilterForm(data)


def filtered_events(events, cleaned: dict):
    """Apply the valid filters of the /audit/ form to a queryset of visible events."""
    if cleaned.get("user"):
        events = events.filter(username__icontains=cleaned["user"])
    for field in ("action", "outcome", "object_type"):
        if cleaned.get(field):
            events = events.filter(**{field: cleaned[field]})
    if cleaned.get("date_from"):
        events = events.filter(at__date__gte=cleaned["date_from"])
    if cleaned.get("date_to"):
        events = events.filter(at__date__lte=cleaned["date_to"])
    return events
