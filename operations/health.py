"""The checks behind /healthz and `manage.py healthcheck`: database, broker, scheduler.

Only the database and the broker decide whether the process is healthy (200 or 503): a web
process that cannot reach either cannot serve a page or enqueue a task, and restarting it or
taking it out of the load balancer is the right remedy. A late scheduler is reported but does not
make the web process unhealthy: restarting web would not bring beat back. The beat container's
own check (`healthcheck beat`) is the one that fails on a late tick.
"""

from __future__ import annotations

from django.db import DatabaseError, connection

from attache_crm.celery import app

from .selectors import LastRun, scheduler_status

BROKER_TIMEOUT = 2  # seconds: a health check must answer well within the orchestrator's timeout


def database_ok() -> bool:
    """True when the database answers a trivial query."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True
    except Exception:
        return False


def broker_ok() -> bool:
    """True when a connection to the broker can be opened within BROKER_TIMEOUT."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        return True
    except Exception:
        return False


def _last_run(run: LastRun | None, key: str) -> dict:
    if run is None:  # the database is away: nothing can be known
        return {"status": "unknown", key: None, "age_seconds": None}
    return {
        "status": run.status,
        key: run.at.isoformat() if run.at else None,
        "age_seconds": None if run.age is None else int(run.age.total_seconds()),
    }


def _scheduler_status():
    try:
        return scheduler_status()
    except DatabaseError:  # e.g. before `migrate` has created the table: unknown, not a 500
        return None


def report() -> tuple[int, dict]:
    """(HTTP status, JSON body) of /healthz: 200 when the database and the broker answer, else 503."""
    database, broker = database_ok(), broker_ok()
    status = _scheduler_status() if database else None
    body = {
        "status": "ok" if database and broker else "unavailable",
        "database": "ok" if database else "unavailable",
        "broker": "ok" if broker else "unavailable",
        "scheduler": _last_run(status and status.tick, "last_tick"),
        "weekly_sweep": _last_run(status and status.weekly_sweep, "last_success"),
    }
    return (200 if database and broker else 503), body
