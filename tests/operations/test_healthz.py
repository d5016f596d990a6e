"""/healthz: 200 when the database and the broker answer, 503 otherwise; the scheduler in the body."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from operations import health, heartbeats

pytestmark = pytest.mark.django_db


def test_healthz_reports_each_component_and_a_scheduler_that_never_ran(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "broker": "ok",
        "scheduler": {"status": "never", "last_tick": None, "age_seconds": None},
        "weekly_sweep": {"status": "never", "last_success": None, "age_seconds": None},
    }


def test_healthz_reports_the_last_tick_and_sweep_with_their_age(client):
    now = timezone.now()
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=now - dt.timedelta(seconds=42))
    heartbeats.record(heartbeats.WEEKLY_SWEEP, at=now - dt.timedelta(minutes=30))
    body = client.get(reverse("healthz")).json()
    assert body["scheduler"]["status"] == "ok" and 42 <= body["scheduler"]["age_seconds"] < 60
    assert dt.datetime.fromisoformat(body["scheduler"]["last_tick"]) == now - dt.timedelta(seconds=42)
    assert body["weekly_sweep"]["status"] == "ok" and 1800 <= body["weekly_sweep"]["age_seconds"] < 1820


def test_a_late_scheduler_is_reported_but_keeps_healthz_at_200(client):
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=timezone.now() - dt.timedelta(hours=3))
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["scheduler"]["status"] == "late"


def test_healthz_is_503_when_the_broker_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(health, "broker_ok", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable" and response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"


def test_healthz_is_503_and_the_scheduler_unknown_when_the_database_does_not_answer(client, monkeypatch):
    monkeypatch.setattr(health, "database_ok", lambda: False)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "unavailable" and body["scheduler"]["status"] == "unknown"
    assert body["weekly_sweep"] == {"status": "unknown", "last_success": None, "age_seconds": None}


def test_recording_a_heartbeat_twice_keeps_one_row_with_the_later_time():
    from operations.models import Heartbeat

    first = timezone.now() - dt.timedelta(minutes=5)
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=first)
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=first + dt.timedelta(minutes=1))
    assert list(Heartbeat.objects.values_list("name", "at")) == [
        (heartbeats.SCHEDULER_TICK, first + dt.timedelta(minutes=1))
    ]


def test_healthz_refuses_other_methods(client):
    assert client.post(reverse("healthz")).status_code == 405
