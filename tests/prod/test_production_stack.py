"""The production stack end to end, as docker-compose runs it but as plain processes on loopback.

Production settings with .env.example filled in, a fresh PostgreSQL database, Redis, `migrate`,
gunicorn with the compose command line, one Celery worker and one beat (short schedules), every
request carrying the headers of the TLS-terminating proxy. A person's week through HTTP only
(fixture `journey` in conftest.py), then every process stopped with SIGTERM and started again.
Each step's wall time goes to test-artifacts/prod-stack-timings.txt.
"""

import datetime as dt
import hashlib
import re

import pytest

from . import stack as s
from .conftest import POST_CODE, healthz, parse_time, wait_healthy

pytestmark = pytest.mark.prod


def weekly_cables(browser) -> list[dict]:
    response = browser.get("/api/v1/cables/?kind=weekly_summary&page_size=200")
    assert response.status == 200, response.text[:500]
    return response.json()["results"]


def test_a_week_at_the_post_through_http_on_the_production_stack(stack, journey):
    assert journey.serial == f"{POST_CODE} 000001"
    assert len(weekly_cables(journey.chief)) == 1
    health = journey.healthz
    assert health["status"] == health["database"] == health["broker"] == "ok"
    assert health["scheduler"]["status"] == "ok" and health["scheduler"]["age_seconds"] <= 30
    assert health["weekly_sweep"]["status"] == "ok"
    dashboard = journey.chief.get("/").text
    assert "Scheduler last ran" in dashboard and "has not run" not in dashboard


def test_production_answers_plain_http_with_a_redirect_and_https_with_hsts(stack, journey):
    browser = s.Browser(stack)
    plain = browser.request("GET", "/accounts/login/", headers={"X-Forwarded-Proto": "http"})
    assert plain.status == 301 and plain.header("Location") == f"https://{stack.host}/accounts/login/"
    secure = browser.get("/accounts/login/")
    assert "max-age=31536000" in secure.header("Strict-Transport-Security")
    assert all(name.startswith("__Host-") for name in browser.cookies)
    # A Host the stack does not serve is refused, as the health check's own request would be without one.
    assert browser.request("GET", "/healthz", headers={"Host": "127.0.0.1:8000"}).status == 400


def test_restart_with_sigterm_loses_nothing_and_drafts_nothing_twice(stack, journey, timings):
    before = {
        "cables": weekly_cables(journey.chief),
        "meeting": journey.attache.get(journey.meeting_path).text,
        "counterpart": journey.attache.get(journey.counterpart_path).status,
    }
    with timings.step("SIGTERM web, worker and beat; each exits"):
        codes = {name: stack.stop(name) for name in ("beat", "worker", "web")}
    # gunicorn and Celery exit 0 after a graceful stop; anything else means they were cut short.
    assert codes == {"beat": 0, "worker": 0, "web": 0}, codes
    restarted_at = dt.datetime.now(dt.UTC)
    with timings.step("start web, worker and beat again; /healthz answers 200"):
        for name in ("web", "worker", "beat"):
            stack.start(name)
        wait_healthy(stack)
    with timings.step("wait for a sweep after the restart"):
        s.wait_for(
            lambda: (
                (h := healthz(stack))
                and h["weekly_sweep"]["last_success"]
                and parse_time(h["weekly_sweep"]["last_success"]) > restarted_at
            ),
            timeout=60,
            what="a weekly sweep after the restart",
            stack=stack,
        )

    # The sessions live in the database: the people are still signed in.
    after = weekly_cables(journey.chief)
    assert [(c["id"], c["status"], c["period_start"]) for c in after] == [
        (c["id"], c["status"], c["period_start"]) for c in before["cables"]
    ]
    assert len(after) == 1 and after[0]["status"] == "released"
    txt = journey.chief.get(f"/cables/{journey.cable_id}.txt")
    assert hashlib.sha256(txt.body).hexdigest() == journey.sha256 == after[0]["sha256"]
    assert txt.body == journey.released_txt
    assert journey.attache.get(journey.counterpart_path).status == before["counterpart"] == 200
    meeting = journey.attache.get(journey.meeting_path)
    assert meeting.status == 200 and "Office call on the Chief of Defence Staff" in meeting.text
    assert re.sub(r"\s+", " ", meeting.text).count("ARDEN") == re.sub(r"\s+", " ", before["meeting"]).count("ARDEN")
