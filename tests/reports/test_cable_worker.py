"""Integration: real Celery workers on the configured broker and database.

- an in-process worker (celery.contrib.testing) drafts an enqueued week: one cable;
- a prefork worker process given the same week twice at once: one cable;
- a prefork worker whose child is killed with SIGKILL mid-task: the message is delivered again
  (acks_late + task_reject_on_worker_lost) and, after a worker restart, one cable exists.

They run on both stacks: Redis and PostgreSQL in CI; kombu's filesystem broker and an SQLite test
database file (which worker processes share) on the embedded defaults.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import connection

from attache_crm.celery import app
from reports import tasks
from reports.models import Cable, CableKind

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WEEK = "2026-06-15"


def wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def weekly_cables(post):
    return Cable.objects.filter(post=post, kind=CableKind.WEEKLY_SUMMARY).count()


@pytest.fixture
def empty_queue():
    app.control.purge()
    yield
    app.control.purge()


def test_enqueued_week_is_drafted_once_by_a_worker(post, empty_queue):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        tasks.weekly_summary_draft.delay(post.pk, WEEK)
        wait_for(lambda: weekly_cables(post) == 1, what="the cable")
    assert weekly_cables(post) == 1


def test_sweep_through_a_worker_drafts_what_is_due(post, empty_queue):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=20, loglevel="WARNING"):
        tasks.weekly_summary_sweep.delay()
        wait_for(lambda: weekly_cables(post) == 1, what="the swept cable")
        tasks.weekly_summary_sweep.delay()  # a second beat firing: nothing new
        time.sleep(1.0)
    assert weekly_cables(post) == 1


# ---------------------------------------------------------------- worker processes


def _database_url() -> str:
    """The test database, as the worker processes must reach it."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = quote(s["USER"] or "", safe="")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"], safe="")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


class WorkerProcess:
    """`celery worker` with the prefork pool, in its own process group, logging to a file."""

    def __init__(self, folder: Path, *, concurrency: int, mode: str):
        self.log = folder / f"worker-{uuid.uuid4().hex[:6]}.log"
        env = dict(os.environ)
        env.update(
            DJANGO_SETTINGS_MODULE="attache_crm.settings.test",
            DATABASE_URL=_database_url(),
            HOLD_DIR=str(folder),
            HOLD_MODE=mode,
        )
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "attache_crm",
            "worker",
            "--pool=prefork",
            f"--concurrency={concurrency}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--include=tests.reports.worker_hold",
            "-n",
            f"test-{uuid.uuid4().hex[:8]}@%h",
        ]
        self.handle = open(self.log, "wb")
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=self.handle, stderr=subprocess.STDOUT, start_new_session=True
        )
        wait_for(lambda: b" ready." in self.log.read_bytes() or self.proc.poll() is not None, 60, "worker start")
        assert self.proc.poll() is None, self.log.read_text()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # warm shutdown: running tasks finish first
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.handle.close()
        return self.log.read_text()


@pytest.fixture
def workers(tmp_path, empty_queue):
    started = []

    def start(**kwargs):
        worker = WorkerProcess(tmp_path, **kwargs)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


def test_same_week_enqueued_twice_at_once_leaves_one_cable(post, workers, tmp_path):
    worker = workers(concurrency=2, mode="barrier")
    tasks.weekly_summary_draft.delay(post.pk, WEEK)
    tasks.weekly_summary_draft.delay(post.pk, WEEK)
    # Both runs are inside the task, in two processes, before either is let go.
    wait_for(lambda: len(list(tmp_path.glob("started-*"))) == 2, what="two concurrent runs")
    (tmp_path / "go").touch()
    wait_for(lambda: weekly_cables(post) >= 1, what="the cable")
    log = worker.stop()  # warm shutdown waits for both runs to finish
    assert weekly_cables(post) == 1
    assert log.count("succeeded in") == 2, log
    assert "Traceback" not in log, log


def test_worker_child_killed_mid_task_runs_it_again_and_leaves_one_cable(post, workers, tmp_path):
    first = workers(concurrency=1, mode="once")
    tasks.weekly_summary_draft.delay(post.pk, WEEK)
    wait_for(lambda: (tmp_path / "held").exists() and (tmp_path / "held").read_text(), what="the task to start")
    child = int((tmp_path / "held").read_text())
    assert child != first.proc.pid
    os.kill(child, signal.SIGKILL)
    assert weekly_cables(post) == 0
    wait_for(lambda: b"WorkerLostError" in first.log.read_bytes(), what="the worker to notice its lost child")
    first.stop()
    second = workers(concurrency=1, mode="once")
    wait_for(lambda: weekly_cables(post) == 1, what="the task to run again")
    second.stop()
    runs = (tmp_path / "runs").read_text().split()
    assert len(runs) >= 2 and runs[0] == str(child)
    assert weekly_cables(post) == 1
