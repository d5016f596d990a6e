"""The periodic tasks leave heartbeats: the tick every SCHEDULER_TICK_SECONDS, the sweep on success."""

from unittest import mock

import pytest
from django.conf import settings

from attache_crm.celery import app
from operations import tasks as operation_tasks
from operations.models import Heartbeat
from operations.selectors import scheduler_status
from reports import services
from reports import tasks as report_tasks

pytestmark = pytest.mark.django_db


def test_scheduler_tick_records_the_tick():
    assert scheduler_status().tick.at is None
    operation_tasks.scheduler_tick.run()
    assert scheduler_status().tick.status == "ok"


def test_beat_sends_the_tick_at_its_interval_and_drops_ticks_nobody_ran_in_time():
    entry = next(e for e in app.conf.beat_schedule.values() if e["task"].endswith("scheduler_tick"))
    assert entry["schedule"] == settings.SCHEDULER_TICK_SECONDS
    assert entry["options"]["expires"] == settings.SCHEDULER_TICK_SECONDS


def test_a_sweep_records_its_success_after_enqueueing_what_is_due(post):
    with mock.patch.object(report_tasks.weekly_summary_draft, "delay_on_commit") as delay:
        report_tasks.weekly_summary_sweep()
    assert delay.called
    assert scheduler_status().weekly_sweep.status == "ok"


def test_a_failed_sweep_leaves_the_last_success_as_it_was(post):
    with mock.patch.object(services, "weekly_summaries_due", side_effect=RuntimeError("database away")):
        with pytest.raises(RuntimeError):
            report_tasks.weekly_summary_sweep()
    assert not Heartbeat.objects.exists()
