"""The health checks of docker-compose.yml, each run exactly as written there (parsed from the
file) against the stack on production settings: they pass on the running stack, and fail (exit 1,
which Docker reads as unhealthy) when the database or the broker is down or the scheduler stops.

"Down" is a loopback port that refuses connections. For `web` it is the gunicorn of the container
that loses its database or broker (a second gunicorn, same command line, its own port); for
`worker` and `beat` it is the container's environment, which the check shares with the service.
"""

import socket
import time

import pytest

from . import stack as s
from .conftest import wait_healthy

pytestmark = pytest.mark.prod

SERVICES = ["web", "worker", "beat"]
VARIABLE = {"database": "DATABASE_URL", "broker": "REDIS_URL"}


def run_check(stack, service, *, env=None, port=None):
    started = time.monotonic()
    result = stack.run(stack.healthcheck(service, port=port), env=env, timeout=60)
    output = (result.stdout + result.stderr).strip()
    print(f"\n[{service}] exit {result.returncode} in {time.monotonic() - started:.1f} s: {output}")
    return result, output


def test_every_app_service_has_a_health_check_run_through_manage_py():
    for service in SERVICES:
        test = s.service(service)["healthcheck"]["test"]
        assert test[:5] == ["CMD", "python", "manage.py", "healthcheck", service], test


@pytest.mark.parametrize("service", SERVICES)
def test_health_check_passes_on_the_running_production_stack(stack, journey, service):
    result, output = run_check(stack, service)
    assert result.returncode == 0, output
    assert output.startswith(f"{service}: healthy"), output


def _accepts_connections(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.parametrize("down", ["database", "broker"])
@pytest.mark.parametrize("service", SERVICES)
def test_health_check_fails_when_the_database_or_broker_is_down(stack, journey, service, down):
    with s.ClosedPort() as closed:
        env = dict(stack.env)
        env[VARIABLE[down]] = s.with_port(env[VARIABLE[down]], closed)
        if service == "web":
            port = s.free_port()
            stack.start(f"web-without-{down}", argv=stack.command("web", port=port), env=env)
            try:
                s.wait_for(lambda: _accepts_connections(port), timeout=60, what="the second gunicorn", stack=stack)
                result, output = run_check(stack, "web", port=port)
            finally:
                stack.stop(f"web-without-{down}")
        else:
            result, output = run_check(stack, service, env=env)
    assert result.returncode == 1, output
    assert "unhealthy" in output, output
    if service == "web":
        assert "answered 503" in output and f'"{down}":"unavailable"' in output, output
    else:
        assert f"the {down} does not answer" in output, output


def test_beat_health_check_fails_once_the_scheduler_stops_ticking(stack, journey):
    stack.stop("beat")
    try:
        time.sleep(5 * int(stack.env["SCHEDULER_TICK_SECONDS"]) + 3)  # five ticks missed, and a margin
        result, output = run_check(stack, "beat")
        assert result.returncode == 1 and "beat: unhealthy: last tick" in output, output
    finally:
        stack.start("beat")
    s.wait_for(lambda: run_check(stack, "beat")[0].returncode == 0, timeout=60, what="beat to tick again")
    wait_healthy(stack)
