"""Fixtures of the production tests: the stack of docker-compose.yml on PostgreSQL and Redis.

These tests need the services production needs. They fail, with the reason, rather than skip when
DATABASE_URL is not PostgreSQL or REDIS_URL is unset (the embedded defaults): a production stack
on SQLite and the filesystem broker would prove nothing about production. `.ci/run` provides both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
import subprocess
import time
import urllib.parse
from pathlib import Path

import psycopg2
import pytest
import redis

from . import stack as s

ROOT = s.ROOT
TIMINGS = ROOT / "test-artifacts" / "prod-stack-timings.txt"

# Short schedules for a stack under test (the defaults are a minute and an hour).
TEST_SCHEDULE = {"SCHEDULER_TICK_SECONDS": "2", "WEEKLY_SWEEP_SECONDS": "3"}


def services_or_fail() -> tuple[str, str]:
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url.startswith("redis://"):
        pytest.fail(
            "The production stack tests need PostgreSQL and Redis, as production does: set "
            "DATABASE_URL=postgres://… and REDIS_URL=redis://… (.ci/run starts both and sets them). "
            f"Now DATABASE_URL={database_url or '(unset: SQLite)'} REDIS_URL={redis_url or '(unset: filesystem broker)'}.",
            pytrace=False,
        )
    return database_url, redis_url


class Timings:
    """Wall time of each step, written to test-artifacts/prod-stack-timings.txt."""

    def __init__(self):
        self.rows: list[tuple[str, float]] = []
        self.started = time.monotonic()

    def step(self, name: str):
        timings = self

        class _Step:
            def __enter__(self):
                self.t0 = time.monotonic()

            def __exit__(self, *exc):
                timings.rows.append((name + (" (FAILED)" if exc[0] else ""), time.monotonic() - self.t0))

        return _Step()

    def write(self) -> None:
        TIMINGS.parent.mkdir(exist_ok=True)
        lines = [f"{seconds:7.1f} s  {name}" for name, seconds in self.rows]
        lines.append(f"{time.monotonic() - self.started:7.1f} s  total, from the first step to the last teardown")
        TIMINGS.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="package")
def timings():
    t = Timings()
    yield t
    t.write()


def _fresh_database(database_url: str) -> str:
    """A new, empty database beside the one of DATABASE_URL, named after it (<name>_stack)."""
    parts = urllib.parse.urlsplit(database_url)
    name = parts.path.lstrip("/") + "_stack"
    admin = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "") or None,
        password=urllib.parse.unquote(parts.password or "") or None,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()
    return urllib.parse.urlunsplit(parts._replace(path="/" + name)), name


def _drop_database(database_url: str, name: str) -> None:
    parts = urllib.parse.urlsplit(database_url)
    admin = psycopg2.connect(
        dbname="postgres",
        user=urllib.parse.unquote(parts.username or "") or None,
        password=urllib.parse.unquote(parts.password or "") or None,
        host=parts.hostname,
        port=parts.port or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def build_image(workdir: Path, *, venv_bin: Path | None = None) -> Path:
    """The image's /app: `COPY . .` (minus .dockerignore), the Dockerfile's collectstatic step run
    with its build-only settings, and var/ handed to the unprivileged user (`chown -R crm /app/var`)."""
    app = workdir / "app"
    s.copy_build_context(app)
    venv_bin = venv_bin or s.venv_bin()
    build_env = {"PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", **s.dockerfile_env()}
    step = s.dockerfile_run("collectstatic")
    result = subprocess.run(
        ["/bin/sh", "-c", step], cwd=app, env=build_env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, f"the Dockerfile's collectstatic step failed:\n{result.stdout}\n{result.stderr}"
    assert (app / "var" / "static" / "staticfiles.json").exists(), "collectstatic wrote no manifest"
    if os.geteuid() == 0:
        for path in [app / "var", *(app / "var").rglob("*")]:
            os.chown(path, s.NOBODY, s.NOBODY, follow_symlinks=False)
    return app


@pytest.fixture(scope="package")
def stack(timings):
    """migrate, then gunicorn and one Celery worker as docker-compose.yml starts them (beat is
    started by the journey, once there is a meeting for it to report: see `journey`)."""
    database_url, redis_url = services_or_fail()
    workdir = s.make_workdir()
    logs = workdir / "logs"
    logs.mkdir()
    with timings.step("image: copy the build context, collectstatic with build-only settings"):
        app = build_image(workdir)
    with timings.step("fresh PostgreSQL database, empty Redis database"):
        stack_db_url, stack_db_name = _fresh_database(database_url)
        redis.Redis.from_url(redis_url).flushdb()
    env = s.production_env(database_url=stack_db_url, redis_url=redis_url, venv_bin=s.venv_bin(), extra=TEST_SCHEDULE)
    stack = s.Stack(workdir=app, env=env, port=s.free_port(), logs=logs)
    try:
        with timings.step("migrate (the compose `migrate` service)"):
            result = stack.run(stack.command("migrate"), timeout=300)
            assert result.returncode == 0, f"migrate failed:\n{result.stdout}\n{result.stderr}"
        with timings.step("start gunicorn and the worker; /healthz answers 200"):
            stack.start("web")
            stack.start("worker")
            wait_healthy(stack)
        yield stack
    finally:
        for name in list(stack.processes):
            try:
                stack.stop(name, timeout=30)
            except AssertionError:
                pass
        stack.kill_all()
        _drop_database(database_url, stack_db_name)
        redis.Redis.from_url(redis_url).flushdb()
        if os.environ.get("ATTACHE_KEEP_STACK"):  # keep the logs to look at
            print(f"stack kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def healthz(stack) -> dict | None:
    response = s.Browser(stack, timeout=10).get("/healthz")
    return response.json() if response.status == 200 else None


def wait_healthy(stack, timeout: float = 90) -> dict:
    return s.wait_for(lambda: healthz(stack), timeout=timeout, what="/healthz to answer 200", stack=stack)


def parse_time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


# ---------------------------------------------------------------- a person's week, through HTTP only

POST_CODE = "BANDAR"
PASSWORDS = {"jdoe": "correct horse battery staple 41", "mhartley": "release the weekly cable 2026!"}


class Journey:
    """What the journey leaves behind for the tests that look at it again."""

    attache: s.Browser
    chief: s.Browser
    counterpart_path: str
    meeting_path: str
    cable_id: int
    serial: str
    released_txt: bytes
    sha256: str
    healthz: dict


def sign_in(stack, username: str) -> s.Browser:
    """Open the site, accept the notice, sign in (CSRF from the form, Origin/Referer from the browser)."""
    browser = s.Browser(stack)
    page = browser.follow(browser.get("/"))
    assert page.status == 200 and "Notice and consent" in page.text, page.text[:500]
    page = browser.submit(page.form("/accounts/consent/"))
    assert page.status == 200 and "Sign in" in page.text, page.text[:500]
    form = page.form("/accounts/login/").set("username", username).set("password", PASSWORDS[username])
    page = browser.submit(form)
    assert page.status == 200 and "Dashboard" in page.text, (
        f"{username} did not reach the dashboard:\n{page.text[:1500]}"
    )
    return browser


def _form_errors(page: s.Response) -> str:
    return " | ".join(m.strip() for m in re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.text, re.S))


@pytest.fixture(scope="package")
def journey(stack, timings) -> Journey:
    """Provision a post and two people, then: the attaché logs a meeting, beat drafts the week's
    cable, the chief releases it and downloads the .txt.

    Beat starts after the meeting is logged: the post's cutoff was ten minutes ago, so the first
    sweep drafts the week at once, and a meeting logged after that would belong to no draft. In
    production beat runs all along and the meeting is logged before the cutoff; the order here
    only removes the wait for a cutoff to pass.
    """
    j = Journey()
    cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)).replace(microsecond=0)
    met_at = (dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)).replace(second=0, microsecond=0)
    with timings.step("provision: manage.py addpost, adduser attaché and chief (password on stdin)"):
        stack.manage(
            "addpost", POST_CODE, "--name", "Embassy Bandar", "--country", "XB", "--cable-tag", "BN",
            "--cable-from", "AMEMBASSY BANDAR", "--signature", "HARTLEY", "--tags", "MARR, PREL",
            "--cutoff-weekday", cutoff.strftime("%A").lower(), "--cutoff-time", cutoff.strftime("%H:%M:%S"),
        )  # fmt: skip
        stack.manage("adduser", "jdoe", "--post", POST_CODE, "--role", "attache", "--first-name", "Jane",
                     "--last-name", "Doe", stdin=PASSWORDS["jdoe"] + "\n")  # fmt: skip
        stack.manage("adduser", "mhartley", "--post", POST_CODE, "--role", "chief", "--first-name", "Mark",
                     "--last-name", "Hartley", stdin=PASSWORDS["mhartley"] + "\n")  # fmt: skip

    with timings.step("attaché: notice, sign in, add a counterpart, log a meeting (HTTP)"):
        j.attache = sign_in(stack, "jdoe")
        page = j.attache.get("/counterparts/new/")
        form = page.form(with_field="family_name")
        form.set("family_name", "Arden").set("given_names", "Tomas").set("rank_title", "General")
        form.set("position", "Chief of Defence Staff")
        page = j.attache.submit(form)
        assert re.fullmatch(r"/counterparts/\d+/", j.attache.page), f"counterpart not created: {_form_errors(page)}"
        j.counterpart_path = j.attache.page
        page = j.attache.get(j.counterpart_path + "meetings/new/")
        form = page.form(with_field="starts_at")
        form.set("title", "Office call on the Chief of Defence Staff")
        form.set("starts_at", met_at.strftime("%Y-%m-%dT%H:%M"))  # the post keeps UTC
        form.set("summary", "Discussed helicopter pilot training in the coming year.")
        page = j.attache.submit(form)
        assert j.attache.page == j.counterpart_path, f"meeting not logged: {_form_errors(page)}"
        assert "Meeting logged" in page.text
        found = re.findall(r'href="(/meetings/\d+/)"', page.text)
        assert found, "the counterpart page does not link the meeting"
        j.meeting_path = found[0]

    j.chief = sign_in(stack, "mhartley")
    with timings.step("beat starts; the chief sees the drafted weekly cable on the dashboard"):
        stack.start("beat")

        def drafted():
            page = j.chief.get("/")
            panel = page.text.split("This week's cable", 1)[1].split("</section>", 1)[0]
            return re.findall(r'href="/cables/(\d+)/"', panel)

        j.cable_id = int(
            s.wait_for(drafted, timeout=90, interval=1, what="beat to draft the week's cable", stack=stack)[0]
        )
        page = j.chief.get(f"/cables/{j.cable_id}/")
        assert page.status == 200
        assert "ARDEN" in page.text and "KEY LEADER ENGAGEMENTS" in page.text, page.text[:3000]

    with timings.step("chief: release the cable, download the .txt"):
        confirm = j.chief.get(f"/cables/{j.cable_id}/release/")  # release asks on a page of its own
        release = confirm.form(f"/cables/{j.cable_id}/release/")
        if "reason" in release.names():  # before the week's cutoff the chief says why
            release.set("reason", "Released early for the ambassador's meeting with the Chief of Defence Staff.")
        page = j.chief.submit(release)
        serial = re.search(r"Released as (BANDAR \d{6})", page.text)
        assert serial, f"not released: {page.text[:2000]}"
        j.serial = serial.group(1)
        # The dashboard's panels were kept while the draft showed; the release moved them on, and
        # the panel, which shows the week's cable in draft, no longer names it.
        panel = j.chief.get("/").text.split("This week's cable", 1)[1].split("</section>", 1)[0]
        assert f'href="/cables/{j.cable_id}/"' not in panel and "No weekly summary in draft" in panel, panel
        txt = j.chief.get(f"/cables/{j.cable_id}.txt")
        assert txt.status == 200 and txt.header("Content-Type").startswith("text/plain")
        j.released_txt = txt.body
        j.sha256 = hashlib.sha256(txt.body).hexdigest()
        api = j.chief.get(f"/api/v1/cables/{j.cable_id}/").json()
        assert api["status"] == "released" and api["sha256"] == j.sha256 and api["serial"] == j.serial
        assert f"UNCLAS {j.serial}" in txt.text and "ARDEN" in txt.text

    with timings.step("read /healthz"):
        j.healthz = s.wait_for(
            lambda: (h := healthz(stack)) and h["weekly_sweep"]["status"] == "ok" and h,
            timeout=30,
            what="/healthz to report a weekly sweep",
            stack=stack,
        )
    return j
