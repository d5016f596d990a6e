"""manage.py healthcheck web|worker|beat: the container health checks of docker-compose.yml.

Exit status 0 when healthy, 1 when not (the two codes Docker reads), one line of output either way.

- web: GET /healthz from the gunicorn of this container, as the TLS proxy would send it (the Host
  of an allowed host, X-Forwarded-Proto: https), and expect 200. A bare request to 127.0.0.1
  would be refused with 400 by ALLOWED_HOSTS, and one without the proxy header may be redirected.
- worker: the database and the broker answer, and this container's worker node answers a ping
  through the broker (the node is named celery@<hostname> unless --node says otherwise).
- beat: the database and the broker answer, and the scheduler's last tick is at most --max-age
  seconds old (default: five ticks). The tick is run by a worker, so this also fails while no
  worker runs at all: the schedule is then not being carried out.
"""

from __future__ import annotations

import http.client
import json
import signal
import urllib.parse

from celery.utils.nodenames import default_nodename
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from attache_crm.celery import app
from operations import health
from operations.selectors import scheduler_status


class Command(BaseCommand):
    help = "Container health check: web, worker or beat (exit 0 healthy, 1 unhealthy)."

    def add_arguments(self, parser):
        parser.add_argument("role", choices=["web", "worker", "beat"])
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz", help="web: the health page to ask.")
        parser.add_argument("--node", default="", help="worker: node name to ping (default celery@<hostname>).")
        parser.add_argument("--max-age", type=int, default=0, help="beat: oldest acceptable tick, in seconds.")
        parser.add_argument("--timeout", type=int, default=10, help="Give up (unhealthy) after this many seconds.")

    def handle(self, *args, role, url, node, max_age, timeout, **options):
        # A check that hangs is worse than one that fails: the orchestrator's own timeout would
        # leave no reason behind.
        signal.signal(signal.SIGALRM, _timed_out)
        signal.alarm(timeout)
        try:
            message = getattr(self, f"check_{role}")(url=url, node=node, max_age=max_age, timeout=timeout)
        finally:
            signal.alarm(0)
        self.stdout.write(f"{role}: healthy: {message}")

    def check_web(self, *, url, timeout, **_):
        parts = urllib.parse.urlsplit(url)
        host = allowed_host()
        connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=timeout)
        try:
            connection.request("GET", parts.path or "/", headers={"Host": host, "X-Forwarded-Proto": "https"})
            response = connection.getresponse()
            body = response.read(4096).decode("utf-8", "replace")
        except OSError as error:
            raise CommandError(f"web: unhealthy: {url} did not answer ({error})") from None
        finally:
            connection.close()
        if response.status != 200:
            raise CommandError(f"web: unhealthy: {url} as {host} answered {response.status} {_one_line(body)}")
        return f"{url} as {host} answered 200 {_one_line(body)}"

    def check_worker(self, *, node, timeout, **_):
        _require_database_and_broker("worker")
        node = node or default_nodename(None)
        replies = app.control.ping(destination=[node], timeout=min(5.0, timeout / 2))
        if not any(node in reply for reply in replies):
            raise CommandError(f"worker: unhealthy: {node} did not answer a ping through the broker")
        return f"database and broker answer; {node} answered a ping"

    def check_beat(self, *, max_age, **_):
        _require_database_and_broker("beat")
        max_age = max_age or 5 * settings.SCHEDULER_TICK_SECONDS
        tick = scheduler_status().tick
        if tick.at is None:
            raise CommandError("beat: unhealthy: the scheduler has never ticked")
        age = int(tick.age.total_seconds())
        if age > max_age:
            raise CommandError(f"beat: unhealthy: last tick {age} s ago (more than {max_age} s)")
        return f"database and broker answer; last tick {age} s ago"


def allowed_host() -> str:
    """A Host header that ALLOWED_HOSTS accepts: its first entry (".example.org" allows example.org)."""
    for entry in settings.ALLOWED_HOSTS:
        if entry == "*":
            return "localhost"
        if entry.lstrip("."):
            return entry.lstrip(".")
    raise CommandError("web: unhealthy: ALLOWED_HOSTS is empty")


def _require_database_and_broker(role: str) -> None:
    if not health.database_ok():
        raise CommandError(f"{role}: unhealthy: the database does not answer")
    if not health.broker_ok():
        raise CommandError(f"{role}: unhealthy: the broker does not answer")


def _one_line(body: str) -> str:
    try:
        return json.dumps(json.loads(body), separators=(",", ":"))[:600]
    except ValueError:
        return body.replace("\n", " ")[:300]


def _timed_out(signum, frame):
    raise CommandError("unhealthy: no answer within the time limit")
