"""The dashboard of the chief and the post administrator: when the scheduler last ran, and a
warning when it has not run for two hours."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from operations import heartbeats
from operations.selectors import scheduler_status
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

WARNING = "The scheduler has not run"


def panel(user) -> str:
    body = client_for(user).get(reverse("dashboard")).content.decode()
    if 'id="scheduler-heading"' not in body:
        return ""
    return body.split('id="scheduler-heading"')[1].split("</section>")[0]


@pytest.mark.parametrize("role", ["chief", "admin"])
def test_chief_and_admin_see_when_the_scheduler_last_ran(users_by_role, role):
    at = timezone.now() - dt.timedelta(minutes=20)
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=at)
    heartbeats.record(heartbeats.WEEKLY_SWEEP, at=at)
    shown = panel(users_by_role[role])
    assert "Scheduler last ran" in shown and at.strftime("%H:%M") in shown and "20\xa0minutes ago" in shown
    assert "Last weekly summary sweep" in shown
    assert WARNING not in shown


@pytest.mark.parametrize("role", ["attache", "diplomat"])
def test_others_are_not_shown_the_scheduler(users_by_role, role):
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=timezone.now() - dt.timedelta(hours=5))
    assert panel(users_by_role[role]) == ""


def test_chief_is_warned_when_the_scheduler_has_not_run_for_two_hours(chief):
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=timezone.now() - dt.timedelta(hours=2, minutes=5))
    shown = panel(chief)
    assert WARNING in shown and "for 2\xa0hours" in shown


def test_no_warning_just_under_two_hours(chief):
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=timezone.now() - dt.timedelta(hours=1, minutes=55))
    assert WARNING not in panel(chief)


def test_chief_is_warned_when_the_scheduler_never_ran(chief):
    shown = panel(chief)
    assert f"{WARNING} yet" in shown and "Scheduler last ran: never" in shown


def test_the_scheduler_status_is_one_query():
    with CaptureQueriesContext(connection) as queries:
        scheduler_status()
    assert len(queries) == 1


def test_the_panel_adds_one_query_to_the_dashboard(chief, attache):
    heartbeats.record(heartbeats.SCHEDULER_TICK)
    counts = {}
    for user in (chief, attache):
        client = client_for(user)
        client.get(reverse("dashboard"))  # warm: session, roles
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboard"))
        counts[user.username] = [q["sql"] for q in queries.captured_queries]
    assert sum("operations_heartbeat" in sql for sql in counts["chief"]) == 1
    assert sum("operations_heartbeat" in sql for sql in counts["attache"]) == 0
