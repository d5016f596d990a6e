"""The image's build steps, without Docker: the Dockerfile's `pip install -r requirements.txt` into a
fresh virtualenv (requirements-dev.txt is not there: the app must start without it), its
`collectstatic` step with the build-only settings it gives, and the app run as an unprivileged user
who may write to var/ and nowhere else in the image.

The slowest test of tests/prod (about a minute for the install on a shared 2-core machine, with
pip's cache; the image itself installs with --no-cache-dir, which only keeps the cache out of the
image, so it is dropped here to reuse the cache).
"""

import os
import shutil
import subprocess
import sys

import pytest

from . import stack as s
from .conftest import build_image

pytestmark = pytest.mark.prod

PIP_TIMEOUT = 900  # seconds: the bound on the install, far above the minute it takes


@pytest.fixture(scope="module")
def fresh_venv(timings):
    workdir = s.make_workdir()
    venv = workdir / "venv"
    try:
        with timings.step("image test: fresh virtualenv, pip install -r requirements.txt"):
            subprocess.run([sys._base_executable, "-m", "venv", str(venv)], check=True, timeout=120)
            step = s.dockerfile_run("requirements.txt").replace("--no-cache-dir", "")
            env = {**os.environ, "PATH": f"{venv / 'bin'}:/usr/local/bin:/usr/bin:/bin", "VIRTUAL_ENV": str(venv)}
            result = subprocess.run(
                ["/bin/sh", "-c", step], cwd=s.ROOT, env=env, capture_output=True, text=True, timeout=PIP_TIMEOUT
            )
            assert result.returncode == 0, f"{step} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        yield workdir, venv
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def test_requirements_txt_alone_runs_the_app_checks_and_serves_as_an_unprivileged_user(fresh_venv, timings):
    workdir, venv = fresh_venv
    installed = subprocess.run([venv / "bin" / "pip", "freeze"], capture_output=True, text=True).stdout.lower()
    assert "pytest" not in installed and "gunicorn==" in installed and "celery==" in installed

    with timings.step("image test: copy the build context, collectstatic"):
        app = build_image(workdir, venv_bin=venv / "bin")
    env = s.production_env(
        database_url="postgres://attache:change-me@127.0.0.1:5432/attache",  # never connected to here
        redis_url="redis://127.0.0.1:6379/0",
        venv_bin=venv / "bin",
    )
    stack = s.Stack(workdir=app, env=env, port=s.free_port(), logs=workdir)

    with timings.step("image test: check --deploy, gunicorn --check-config, celery, var/ writable (as nobody)"):
        checks = stack.run(stack.translate(["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"]))
        assert checks.returncode == 0, checks.stdout + checks.stderr

        # gunicorn loads the WSGI application of the compose command line; the Celery app finds its tasks.
        web = stack.run(stack.command("web") + ["--check-config"])
        assert web.returncode == 0, web.stdout + web.stderr
        tasks = "import django; django.setup(); from attache_crm.celery import app; app.loader.import_default_modules(); print(sorted(app.tasks))"  # fmt: skip
        worker = stack.run(stack.translate(["python", "-c", tasks]))
        assert worker.returncode == 0, worker.stdout + worker.stderr
        assert "reports.tasks.weekly_summary_sweep" in worker.stdout
        assert "operations.tasks.scheduler_tick" in worker.stdout

        probe = "import pathlib, sys\nfor path in sys.argv[1:]:\n    try:\n        pathlib.Path(path).write_text('x')\n        print(path, 'written')\n    except PermissionError:\n        print(path, 'refused')\n"  # fmt: skip
        writes = stack.run(stack.translate(["python", "-c", probe, "var/probe", "probe", "attache_crm/probe"]))
        assert writes.returncode == 0, writes.stderr
        if os.geteuid() == 0:  # as nobody: var/ is the one writable place, as in the image
            assert writes.stdout.split("\n")[:3] == ["var/probe written", "probe refused", "attache_crm/probe refused"]
        else:
            assert "var/probe written" in writes.stdout
