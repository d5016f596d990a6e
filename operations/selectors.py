"""Reads of the operations app: how long ago the scheduler and the weekly sweep last ran."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from . import heartbeats
from .models import Heartbeat


@dataclass(frozen=True)
class LastRun:
    """When one periodic job last completed, seen from `checked_at`."""

    at: dt.datetime | None
    checked_at: dt.datetime
    late_after: dt.timedelta

    @property
    def age(self) -> dt.timedelta | None:
        return None if self.at is None else max(self.checked_at - self.at, dt.timedelta(0))

    @property
    def late(self) -> bool:
        """Never ran, or not for longer than `late_after`."""
        return self.age is None or self.age > self.late_after

    @property
    def status(self) -> str:
        if self.at is None:
            return "never"
        return "late" if self.late else "ok"


@dataclass(frozen=True)
class SchedulerStatus:
    tick: LastRun
    weekly_sweep: LastRun


def scheduler_status(*, now: dt.datetime | None = None) -> SchedulerStatus:
    """The last scheduler tick and the last successful weekly sweep, in one query (no user: not post data)."""
    now = now or timezone.now()
    names = (heartbeats.SCHEDULER_TICK, heartbeats.WEEKLY_SWEEP)
    seen = dict(Heartbeat.objects.filter(name__in=names).values_list("name", "at"))
    late_after = settings.SCHEDULER_LATE_AFTER
    return SchedulerStatus(
        tick=LastRun(seen.get(heartbeats.SCHEDULER_TICK), now, late_after),
        weekly_sweep=LastRun(seen.get(heartbeats.WEEKLY_SWEEP), now, late_after),
    )
