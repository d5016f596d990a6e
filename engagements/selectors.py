"""Reads of engagements, shaped for pages, always through the access policy."""

from django.utils import timezone

from attache_crm import policy

from .choices import ActionStatus
from .models import ActionItem, Meeting


def dashboard_for(user) -> dict:
    """My upcoming meetings, my open and overdue follow-ups, recent activity at my post(s)."""
    now = timezone.now()
    meetings = policy.visible(user, Meeting)
    actions = policy.visible(user, ActionItem)
    return {
        "upcoming_meetings": list(meetings.filter(starts_at__gte=now).order_by("starts_at")[:10]),
        "my_actions": list(
            actions.filter(assignee=user, status=ActionStatus.OPEN).select_related("meeting").order_by("due_on")[:20]
        ),
        "recent_meetings": list(meetings.filter(starts_at__lt=now).order_by("-starts_at")[:10]),
        "today": timezone.localdate(),
    }
