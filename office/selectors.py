"""Reads of clearances and gifts, always through the access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from attache_crm import policy

from .choices import PENDING_STATUSES, GiftDirection, GiftDisposition
from .models import Clearance, Gift


def _at(post) -> dict:
    return {} if post is None else {"post_id": getattr(post, "pk", post)}


def pending_clearances(user, post=None) -> QuerySet:
    """Visible clearances not yet answered by the host nation (draft or submitted), earliest travel
    first; of one post, or of every post of the user when `post` is None."""
    return (
        policy.visible(user, Clearance)
        .filter(status__in=PENDING_STATUSES, **_at(post))
        .select_related("post")
        .order_by("starts_on", "id")
    )


def undisposed_gifts(user, post=None) -> QuerySet:
    """Visible gifts received above the minimal value and not yet disposed of, earliest report due
    first; of one post, or of every post of the user when `post` is None."""
    return (
        policy.visible(user, Gift)
        .filter(
            direction=GiftDirection.RECEIVED,
            report_due_on__isnull=False,
            disposition=GiftDisposition.UNDISPOSED,
            **_at(post),
        )
        .select_related("post")
        .order_by("report_due_on", "id")
    )
