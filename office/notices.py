"""Daily e-mails of the office app: clearance alerts and gift report reminders to the attachés.

Sent once each through the reports app's notice table (a unique kind, user and key): the key
names the record and the date that makes it due, so a moved travel date or a new report date
alerts again, and a second run of the day sends nothing. Only what is marked UNCLASSIFIED is
named in an e-mail.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from reports.drafting import day_month_year
from reports.notices import _safe, _send_once
from tenancy.choices import Role
from tenancy.models import Post

from . import alerts

CLEARANCE_LATE = "clearance_late"
CLEARANCE_TRAVEL = "clearance_travel"
GIFT_REPORT = "gift_report"


def _attaches(post):
    return (
        get_user_model()
        .objects.filter(is_active=True, memberships__post=post, memberships__role=Role.ATTACHE)
        .order_by("pk")
    )


def send_clearance_alerts(*, now: dt.datetime | None = None) -> int:
    """Tell each attaché of a post about the requests they may see that are past their lead time
    and not submitted, and those whose travel comes within a week without approval."""
    now = now or timezone.now()
    sent = 0
    for post in Post.objects.order_by("pk"):
        today = now.astimezone(post.tzinfo).date()
        for user in _attaches(post):
            for clearance in alerts.late_clearances(user, post, today=today):
                name = _safe(f'"{clearance.mission}"', clearance.marking)
                sent += _send_once(
                    kind=CLEARANCE_LATE,
                    user=user,
                    key=f"{clearance.pk}:{clearance.submit_by.isoformat()}",
                    subject=f"[Attaché CRM] Clearance request past its lead time at {post.code}",
                    body=(
                        f"The {clearance.get_kind_display().lower()} request {name} at {post.code} should have "
                        f"gone to the host nation by {day_month_year(clearance.submit_by)} for travel on "
                        f"{day_month_year(clearance.starts_on)}; it is still a draft.\n"
                    ),
                )
            for clearance in alerts.travel_without_approval(user, post, today=today):
                name = _safe(f'"{clearance.mission}"', clearance.marking)
                sent += _send_once(
                    kind=CLEARANCE_TRAVEL,
                    user=user,
                    key=f"{clearance.pk}:{clearance.starts_on.isoformat()}",
                    subject=f"[Attaché CRM] Travel without clearance approval at {post.code}",
                    body=(
                        f"The {clearance.get_kind_display().lower()} request {name} at {post.code} travels on "
                        f"{day_month_year(clearance.starts_on)} and is {clearance.get_status_display().lower()}, "
                        "not approved.\n"
                    ),
                )
    return sent


def send_gift_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind each attaché of a post, once per report date, of the undisposed gifts they may see
    whose report falls due within two weeks (or is overdue)."""
    now = now or timezone.now()
    sent = 0
    for post in Post.objects.order_by("pk"):
        today = now.astimezone(post.tzinfo).date()
        for user in _attaches(post):
            for gift in alerts.gifts_to_report(user, post, today=today):
                name = _safe(f'"{gift.description[:80]}"', gift.marking)
                overdue = "overdue since" if gift.report_due_on < today else "due on"
                sent += _send_once(
                    kind=GIFT_REPORT,
                    user=user,
                    key=f"{gift.pk}:{gift.report_due_on.isoformat()}",
                    subject=f"[Attaché CRM] Gift report {overdue.split()[0]} at {post.code}",
                    body=(
                        f"The gift {name} received at {post.code} on {day_month_year(gift.received_on)} is above "
                        f"the minimal value; its report is {overdue} {day_month_year(gift.report_due_on)} and it "
                        "has no disposition yet.\n"
                    ),
                )
    return sent
