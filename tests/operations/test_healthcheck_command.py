"""manage.py healthcheck: the parts that need no running server (tests/prod runs each check
exactly as docker-compose.yml writes it, against the production stack)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from operations import health, heartbeats
from operations.management.commands.healthcheck import allowed_host

pytestmark = pytest.mark.django_db


def test_beat_is_unhealthy_before_the_first_tick():
    with pytest.raises(CommandError, match="never ticked"):
        call_command("healthcheck", "beat")


def test_beat_is_healthy_with_a_fresh_tick(capsys):
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=timezone.now() - dt.timedelta(seconds=30))
    call_command("healthcheck", "beat")
    assert capsys.readouterr().out.startswith("beat: healthy: database and broker answer; last tick 30 s ago")


def test_beat_is_unhealthy_when_the_tick_is_older_than_five_ticks(settings):
    settings.SCHEDULER_TICK_SECONDS = 60
    heartbeats.record(heartbeats.SCHEDULER_TICK, at=timezone.now() - dt.timedelta(seconds=301))
    with pytest.raises(CommandError, match=r"last tick 30\d s ago \(more than 300 s\)"):
        call_command("healthcheck", "beat")
    call_command("healthcheck", "beat", "--max-age", "600")


@pytest.mark.parametrize("role", ["worker", "beat"])
@pytest.mark.parametrize("down", ["database", "broker"])
def test_worker_and_beat_are_unhealthy_when_the_database_or_broker_is_down(monkeypatch, role, down):
    heartbeats.record(heartbeats.SCHEDULER_TICK)
    monkeypatch.setattr(health, f"{down}_ok", lambda: False)
    with pytest.raises(CommandError, match=f"{role}: unhealthy: the {down} does not answer"):
        call_command("healthcheck", role)


def test_web_is_unhealthy_when_nothing_listens():
    with pytest.raises(CommandError, match="web: unhealthy: http://127.0.0.1:9/healthz did not answer"):
        call_command("healthcheck", "web", "--url", "http://127.0.0.1:9/healthz", "--timeout", "5")


@pytest.mark.parametrize(
    ("allowed", "host"),
    [(["crm.example.org", "other"], "crm.example.org"), ([".example.org"], "example.org"), (["*"], "localhost")],
)
def test_the_web_check_sends_a_host_that_allowed_hosts_accepts(settings, allowed, host):
    settings.ALLOWED_HOSTS = allowed
    assert allowed_host() == host
