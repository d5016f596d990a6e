"""Celery tasks of the reports app (interface only: the work is in services and notices).

Every task takes ids and ISO dates, is safe to run twice, and retries with backoff when the
database is briefly away. acks_late + task_reject_on_worker_lost (settings) mean a worker
killed mid-task leaves its message to be delivered again, which the idempotent services absorb.
"""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.core.management import call_command
from django.db import InterfaceError, OperationalError

from operations import heartbeats
from tenancy.models import Post

from . import notices, services

TRANSIENT = (OperationalError, InterfaceError, ConnectionError)
RETRY = {"autoretry_for": TRANSIENT, "retry_backoff": True, "retry_backoff_max": 600, "max_retries": 5}


@shared_task(time_limit=120, soft_time_limit=100, **RETRY)
def weekly_summary_draft(post_id: int, period_start: str) -> int:
    """Draft the weekly summary of one post for one week; a no-op if it exists."""
    post = Post.objects.get(pk=post_id)
    return services.weekly_summary_draft(post=post, period_start=dt.date.fromisoformat(period_start)).pk


@shared_task(time_limit=300, soft_time_limit=270, **RETRY)
def weekly_summary_sweep() -> int:
    """Hourly: enqueue every weekly summary that is due and missing (missed weeks included)."""
    due = services.weekly_summaries_due()
    for post_id, period_start in due:
        weekly_summary_draft.delay_on_commit(post_id, period_start.isoformat())
    # Only once every due draft is enqueued: an exception above leaves the last success as it was.
    heartbeats.record(heartbeats.WEEKLY_SWEEP)
    return len(due)


@shared_task(time_limit=600, soft_time_limit=570, **RETRY)
def follow_up_reminders() -> int:
    """Daily: e-mail assignees their overdue and due-tomorrow follow-ups."""
    return notices.send_follow_up_reminders()


@shared_task(time_limit=600, soft_time_limit=570, **RETRY)
def agreement_expiry_alerts() -> int:
    """Daily: e-mail attachés about agreements 90 and 30 days before expiry."""
    return notices.send_agreement_expiry_alerts()


@shared_task(time_limit=600, soft_time_limit=570, **RETRY)
def clear_sessions() -> None:
    """Daily: Django never deletes expired session rows by itself."""
    call_command("clearsessions")
