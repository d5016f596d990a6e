"""Writes of clearances and gifts: one transaction each, through the same rules as every record.

Each write enforces, for the acting user `by`, the post rule (`policy.check_write`), the owner rule
(`policy.check_handling`), links chosen among the visible records of the same post, and the
models' validation; the deadlines (a clearance's submit-by day, a gift's report due) are computed
here from their tables, never taken from the caller.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from attache_crm.lifecycle import services as lifecycle
from contacts.models import Counterpart
from engagements.models import Meeting
from engagements.services import _assign, _chosen_links, _hidden_ids, _save, _stored
from tenancy import audit, policy

from . import leadtimes
from .choices import GiftDirection
from .lifecycles import CLEARANCE_LIFECYCLE
from .models import GIFT_REPORT_DAYS, Clearance, Gift, GiftThreshold

# Fields a caller may set; the status moves only by a step of CLEARANCE_LIFECYCLE (lifecycle.step).
CLEARANCE_FIELDS = {
    "kind", "mission", "itinerary", "starts_on", "ends_on", "host_reference", "host_reply", "marking", "channel",
}  # fmt: skip
GIFT_FIELDS = {
    "direction", "official", "counterpart", "government", "received_on", "meeting", "description", "value_usd",
    "value_basis", "recipient", "disposition", "disposed_on", "marking", "channel",
}  # fmt: skip
GIFT_LINKS = (("counterpart", Counterpart), ("meeting", Meeting))


# ---------------------------------------------------------------- clearances


def _set_submit_by(clearance) -> None:
    if clearance.starts_on and clearance.kind:
        clearance.submit_by = leadtimes.submit_by(clearance.post, clearance.kind, clearance.starts_on)


@transaction.atomic
def clearance_create(*, post, by, **fields) -> Clearance:
    """Record a clearance request as a draft, with the last day it meets the host nation's lead time."""
    policy.check_write(by, "add", model=Clearance, post=post)
    unknown = set(fields) - CLEARANCE_FIELDS
    if unknown:
        raise TypeError(f"Clearance has no editable field(s) {', '.join(sorted(unknown))}.")
    clearance = Clearance(post=post, created_by=by, **fields)
    _set_submit_by(clearance)
    _save(clearance, by)
    lifecycle.open_log(CLEARANCE_LIFECYCLE, clearance, by=by)
    audit.record(action="create", user=by, obj=clearance)
    return clearance


@transaction.atomic
def clearance_update(*, clearance, by, **fields) -> Clearance:
    """Change a request's details; a new kind or travel date moves its submit-by day."""
    stored = _stored(clearance)
    policy.check_write(by, "change", stored)
    changed = _assign(clearance, fields, CLEARANCE_FIELDS)
    _set_submit_by(clearance)
    _save(clearance, by, stored)
    audit.record(action="update", user=by, obj=clearance, detail="changed: " + ", ".join(changed))
    return clearance


# ---------------------------------------------------------------- gifts


def report_terms(direction: str, received_on: dt.date | None, value_usd) -> tuple:
    """(minimal value on the day, report due) of a gift: a gift received above the minimal value
    in force that day is reported GIFT_REPORT_DAYS after receipt; others are not reported."""
    if received_on is None or value_usd is None:
        return None, None
    return report_terms_with(GiftThreshold.in_force_on(received_on), direction, received_on, value_usd)


def report_terms_with(threshold, direction: str, received_on: dt.date, value_usd) -> tuple:
    """report_terms for the minimal value in force on the day, already read."""
    if direction != GiftDirection.RECEIVED or threshold is None or value_usd <= threshold:
        return threshold, None
    return threshold, received_on + dt.timedelta(days=GIFT_REPORT_DAYS)


def _set_report_terms(gift) -> None:
    gift.threshold_usd, gift.report_due_on = report_terms(gift.direction, gift.received_on, gift.value_usd)


def _check_gift_links(gift, by, stored=None) -> None:
    """The counterpart and meeting are records of the post `by` may see; a stored one `by` cannot
    see is kept when the request leaves it empty, and replaced only by a new value."""
    for field, model in GIFT_LINKS:
        link_id = getattr(gift, f"{field}_id")
        stored_id = getattr(stored, f"{field}_id") if stored is not None else None
        if link_id is None and stored_id is not None and _hidden_ids(by, model, [stored_id]):
            setattr(gift, f"{field}_id", stored_id)
        elif link_id is not None and link_id != stored_id:
            _chosen_links(by, gift.post, model, [getattr(gift, field)], field)


@transaction.atomic
def gift_create(*, post, by, **fields) -> Gift:
    """Register a gift; above the minimal value of its day it gets a report due date."""
    policy.check_write(by, "add", model=Gift, post=post)
    unknown = set(fields) - GIFT_FIELDS
    if unknown:
        raise TypeError(f"Gift has no editable field(s) {', '.join(sorted(unknown))}.")
    gift = Gift(post=post, created_by=by, **fields)
    _check_gift_links(gift, by)
    _set_report_terms(gift)
    _save(gift, by)
    audit.record(action="create", user=by, obj=gift)
    return gift


@transaction.atomic
def gift_update(*, gift, by, **fields) -> Gift:
    """Change a gift (its disposition included); a new value or date recomputes the report due."""
    stored = _stored(gift)
    policy.check_write(by, "change", stored)
    changed = _assign(gift, fields, GIFT_FIELDS)
    _check_gift_links(gift, by, stored)
    _set_report_terms(gift)
    _save(gift, by, stored)
    audit.record(action="update", user=by, obj=gift, detail="changed: " + ", ".join(changed))
    return gift


@transaction.atomic
def gift_terms_refresh(*, since: dt.date) -> int:
    """After an operator enters or corrects a minimal value: recompute the report terms of the
    gifts received from `since` on. Returns how many changed."""
    changed = 0
    for gift in Gift.objects.select_for_update().filter(received_on__gte=since):
        terms = report_terms(gift.direction, gift.received_on, gift.value_usd)
        if terms != (gift.threshold_usd, gift.report_due_on):
            Gift.objects.filter(pk=gift.pk).update(threshold_usd=terms[0], report_due_on=terms[1])
            changed += 1
    return changed
