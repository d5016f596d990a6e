"""The clearances a post's weekly summary reports, read without a user through `policy.reportable`
(never the restricted channel): answered by the host nation in the week, and pending past their
lead time at its end."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, Q

from tenancy import policy

from .choices import ClearanceStatus
from .models import Clearance


@dataclass
class ClearanceWeek:
    approved: list = field(default_factory=list)
    late: list = field(default_factory=list)
    denied: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.approved or self.late or self.denied)

    @property
    def records(self) -> list:
        return [*self.approved, *self.late, *self.denied]


def clearance_week(post, *, since: dt.date, until: dt.date) -> ClearanceWeek:
    """Approved and denied with a reply dated `since`..`until`; pending past their lead time on
    `until`: still a draft after the submit-by day, or submitted after it and not yet answered,
    for travel not yet over."""
    clearances = policy.reportable(Clearance, post).order_by("starts_on", "id")
    answered = clearances.filter(replied_on__gte=since, replied_on__lte=until)
    late = clearances.filter(submit_by__lt=until, ends_on__gte=until).filter(
        Q(status=ClearanceStatus.DRAFT) | Q(status=ClearanceStatus.SUBMITTED, submitted_on__gt=F("submit_by"))
    )
    return ClearanceWeek(
        approved=list(answered.filter(status=ClearanceStatus.APPROVED)),
        late=list(late),
        denied=list(answered.filter(status=ClearanceStatus.DENIED)),
    )
