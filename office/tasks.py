"""Celery tasks of the office app (interface only: the work is in notices). Safe to run twice."""

from celery import shared_task

from reports.tasks import RETRY

from . import notices


@shared_task(time_limit=600, soft_time_limit=570, **RETRY)
def clearance_alerts() -> int:
    """Daily: e-mail attachés the requests past their lead time and travel nearing without approval."""
    return notices.send_clearance_alerts()


@shared_task(time_limit=600, soft_time_limit=570, **RETRY)
def gift_reminders() -> int:
    """Daily: e-mail attachés the gift reports falling due while the gift is undisposed."""
    return notices.send_gift_reminders()
