"""Daily e-mails: follow-up reminders to assignees, agreement expiry alerts to the post's attachés.

Each e-mail is sent at most once: a `Notice` row with a unique (kind, user, key) is written in
the same transaction as the sending, so a second run the same day, a retried task or a second
beat finds the row and sends nothing. E-mail leaves the system, so it names only what is marked
UNCLASSIFIED; anything more sensitive is announced as "an SBU item" to be read in the system.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from engagements.choices import ActionStatus
from tenancy.choices import Role
from tenancy.markings import Marking
from tenancy.models import Post

from . import selectors
from .drafting import day_month_year
from .models import Notice

FOLLOW_UP_REMINDER = "follow_up_reminder"
AGREEMENT_EXPIRY = "agreement_expiry"
EXPIRY_THRESHOLDS = (30, 90)


def _send_once(*, kind: str, user, key: str, subject: str, body: str) -> bool:
    """Send one e-mail unless a notice with this key was already sent; True when sent."""
    if not user.email:
        return False
    try:
        with transaction.atomic():
            Notice.objects.create(kind=kind, user=user, key=key)
            # Inside the transaction: if sending fails, the notice is rolled back and a retry sends.
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    except IntegrityError:
        return False
    return True


def _safe(text: str, marking: str) -> str:
    return text if marking == Marking.U else f"an item marked {marking} (open Attaché CRM to read it)"


def send_follow_up_reminders(*, now: dt.datetime | None = None) -> int:
    """E-mail every assignee their overdue and due-tomorrow follow-ups, once per post-local day."""
    now = now or timezone.now()
    users = get_user_model().objects.filter(is_active=True)
    sent = 0
    for post in Post.objects.order_by("pk"):
        today = now.astimezone(post.tzinfo).date()
        assignees = users.filter(
            action_items__post=post,
            action_items__status=ActionStatus.OPEN,
            action_items__due_on__lte=today + dt.timedelta(days=1),
        ).distinct()
        for user in assignees:
            items = list(selectors.due_follow_ups(user, on=today).filter(post=post))
            if not items:
                continue
            lines = [
                f"- {'OVERDUE' if item.due_on < today else 'due ' + ('today' if item.due_on == today else 'tomorrow')}"
                f" ({day_month_year(item.due_on)}): {_safe(item.description, item.marking)}"
                for item in items
            ]
            body = f"Your open follow-ups at {post.code}:\n\n" + "\n".join(lines) + "\n"
            subject = f"[Attaché CRM] {len(items)} follow-up(s) overdue or due tomorrow at {post.code}"
            sent += _send_once(
                kind=FOLLOW_UP_REMINDER, user=user, key=f"{post.pk}:{today.isoformat()}", subject=subject, body=body
            )
    return sent


def send_agreement_expiry_alerts(*, now: dt.datetime | None = None) -> int:
    """Tell each attaché of a post, once, when a visible agreement comes within 90 and then 30 days of expiry."""
    now = now or timezone.now()
    users = get_user_model().objects.filter(is_active=True)
    sent = 0
    for post in Post.objects.order_by("pk"):
        today = now.astimezone(post.tzinfo).date()
        for user in users.filter(memberships__post=post, memberships__role=Role.ATTACHE):
            for agreement in selectors.expiring_agreements(user, post=post, on=today):
                days = (agreement.expires_on - today).days
                threshold = min(t for t in EXPIRY_THRESHOLDS if days <= t)
                title = _safe(f'"{agreement.title}"', agreement.marking)
                subject = f"[Attaché CRM] Agreement expires in {days} days at {post.code}"
                body = (
                    f"The agreement {title} at {post.code} expires on {day_month_year(agreement.expires_on)} "
                    f"({days} days from today).\n"
                )
                # The expiry date is in the key: an agreement extended to a new date alerts again.
                key = f"{agreement.pk}:{threshold}:{agreement.expires_on.isoformat()}"
                sent += _send_once(kind=AGREEMENT_EXPIRY, user=user, key=key, subject=subject, body=body)
    return sent
