"""Reads of clearances and gifts, always through the access policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from contacts.models import Counterpart
from engagements.models import Meeting
from engagements.selectors import page_marking
from tenancy import policy
from tenancy.history import history_for

from .choices import PENDING_STATUSES, GiftDirection, GiftDisposition
from .models import Clearance, ClearanceLeadTime, Gift


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


# ---------------------------------------------------------------- pages


def clearance_list(user) -> QuerySet:
    """Visible clearances, earliest travel first."""
    return policy.visible(user, Clearance).select_related("post").order_by("starts_on", "id")


def clearance_detail(user, clearance: Clearance) -> dict:
    """The clearance page: the request, its lead time and change history (its status panel:
    attache_crm.lifecycle.views.with_step_form)."""
    history = history_for(user, clearance)
    days, working = ClearanceLeadTime.for_kind(clearance.post_id, clearance.kind)
    return {
        "clearance": clearance,
        "obj": clearance,
        "lead_time": {"days": days, "working_days": working},
        "late": clearance.is_late(post_today(clearance.post)),
        "history": history,
        "can_edit": policy.can(user, "change", clearance),
        "page_marking": page_marking(clearance, [e["record"] for e in history]),
    }


def gift_list(user) -> QuerySet:
    """Visible gifts, newest first."""
    return policy.visible(user, Gift).select_related("post").order_by("-received_on", "-id")


def gift_detail(user, gift: Gift) -> dict:
    """The gift page: the gift, its links the user may see, its report terms and change history."""
    counterpart = policy.visible(user, Counterpart).filter(pk=gift.counterpart_id).first()
    meeting = policy.visible(user, Meeting).filter(pk=gift.meeting_id).first()
    history = history_for(user, gift)
    return {
        "gift": gift,
        "obj": gift,
        "counterpart": counterpart,
        "meeting": meeting,
        "today": post_today(gift.post),
        "history": history,
        "can_edit": policy.can(user, "change", gift),
        "page_marking": page_marking(gift, counterpart, meeting, [e["record"] for e in history]),
    }


def post_today(post) -> dt.date:
    """Today in the post's own calendar: deadlines fall on the post's days."""
    return timezone.localdate(timezone=post.tzinfo)


def meetings_at(user, post) -> QuerySet:
    """Visible meetings of one post (a gift names the meeting it was exchanged at)."""
    return policy.visible(user, Meeting).filter(post=post).select_related("post")


def first_counterpart(user, meeting: Meeting) -> Counterpart | None:
    """The most senior visible counterpart of a meeting: the likely giver of a gift there."""
    return (
        policy.visible(user, Counterpart)
        .filter(participations__meeting=meeting)
        .select_related("post")
        .order_by("-grade_seniority", "family_name")
        .first()
    )
