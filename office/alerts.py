"""What needs the office's attention: clearances past their lead time or travelling soon without
approval, gifts above the minimal value not yet disposed of. The dashboard and the daily e-mails
both read these, through the access policy."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from .choices import ClearanceStatus
from .selectors import pending_clearances, undisposed_gifts

# Travel this close without an approval is alerted.
TRAVEL_WARNING_DAYS = 7
# A gift's report is reminded this many days before it is due (and daily once overdue).
GIFT_REMINDER_DAYS = 14


def late_clearances(user, post=None, *, today: dt.date) -> QuerySet:
    """Drafts past the last day that met the host nation's lead time, travel not yet over."""
    return pending_clearances(user, post).filter(status=ClearanceStatus.DRAFT, submit_by__lt=today, ends_on__gte=today)


def travel_without_approval(user, post=None, *, today: dt.date) -> QuerySet:
    """Requests not yet approved whose travel starts within TRAVEL_WARNING_DAYS."""
    return pending_clearances(user, post).filter(
        starts_on__gte=today, starts_on__lte=today + dt.timedelta(days=TRAVEL_WARNING_DAYS)
    )


def clearance_alerts(user, post=None, *, today: dt.date) -> QuerySet:
    """Both kinds of clearance alert, earliest travel first."""
    late = Q(status=ClearanceStatus.DRAFT, submit_by__lt=today, ends_on__gte=today)
    near = Q(starts_on__gte=today, starts_on__lte=today + dt.timedelta(days=TRAVEL_WARNING_DAYS))
    return pending_clearances(user, post).filter(late | near)


def gifts_to_report(user, post=None, *, today: dt.date) -> QuerySet:
    """Undisposed gifts whose report is due within GIFT_REMINDER_DAYS, or overdue."""
    return undisposed_gifts(user, post).filter(report_due_on__lte=today + dt.timedelta(days=GIFT_REMINDER_DAYS))


def dashboard(user, *, today: dt.date, size: int = 10) -> dict:
    """The dashboard's panel: clearance alerts and undisposed gifts, each list capped at `size`."""
    return {
        "clearance_alerts": list(clearance_alerts(user, today=today)[:size]),
        "undisposed_gifts": list(undisposed_gifts(user)[:size]),
    }
