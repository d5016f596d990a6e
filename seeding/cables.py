"""Demo cables for `seed_demo`: released summaries of past weeks and a draft for the current week."""

import datetime as dt

from django.utils import timezone

from reports import services, weeks
from reports.models import CableStatus
from tenancy.choices import Role
from tenancy.models import Membership

PAST_WEEKS = 3


def seed_cables(post) -> None:
    """Idempotent: drafts what is missing through the same service the scheduler uses, and has the
    post's chief release the past weeks (at their cutoff, so their date-time groups read right)."""
    now = timezone.now()
    current = weeks.monday_of(now.astimezone(post.tzinfo).date())
    chief = Membership.objects.filter(post=post, role=Role.CHIEF).select_related("user").order_by("pk").first()
    for back in range(PAST_WEEKS, 0, -1):
        period_start = current - dt.timedelta(weeks=back)
        cable = services.weekly_summary_draft(post=post, period_start=period_start)
        if chief is not None and cable.status != CableStatus.RELEASED:
            released_at = weeks.cutoff(post, period_start) + dt.timedelta(hours=3)
            services.cable_release(cable=cable, by=chief.user, at=released_at)
    services.weekly_summary_draft(post=post, period_start=current)
