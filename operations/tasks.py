"""The scheduler's own heartbeat task."""

from celery import shared_task

from . import heartbeats


@shared_task(time_limit=30, soft_time_limit=25)
def scheduler_tick() -> None:
    """Every SCHEDULER_TICK_SECONDS: record that beat, the broker, a worker and the database work."""
    heartbeats.record(heartbeats.SCHEDULER_TICK)
