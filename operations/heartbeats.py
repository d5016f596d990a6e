"""Writing heartbeats: called by the periodic tasks when they have done their work."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from .models import Heartbeat

# Written by the tick task that beat sends every SCHEDULER_TICK_SECONDS: fresh means the scheduler,
# the broker, a worker and the database all work.
SCHEDULER_TICK = "scheduler_tick"
# Written by the weekly summary sweep once it has enqueued every draft that was due.
WEEKLY_SWEEP = "weekly_sweep"


def record(name: str, *, at: dt.datetime | None = None) -> None:
    """Set heartbeat `name` to `at` (now): one upsert, harmless if two processes race."""
    Heartbeat.objects.bulk_create(
        [Heartbeat(name=name, at=at or timezone.now())],
        update_conflicts=True,
        unique_fields=["name"],
        update_fields=["at"],
    )
