"""The restore drill: back up a working database, destroy it, restore it, and prove nothing changed.

Runs `manage.py` in subprocesses against a scratch database of the configured kind (PostgreSQL when
DATABASE_URL names one, else an SQLite file), so the drill exercises exactly what an operator runs.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
FINGERPRINT = (
    "import json; from operations.fingerprint import database_fingerprint; print(json.dumps(database_fingerprint()))"
)


@pytest.fixture
def scratch_env(tmp_path):
    """Environment for manage.py on a scratch database; the database is dropped afterwards."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "attache_crm.settings.test"}
    configured = os.environ.get("DATABASE_URL", "")
    if configured.startswith(("postgres://", "postgresql://")):
        settings = environ.Env.db_url_config(configured)
        name = f"{settings['NAME']}_drill_{os.getpid()}"
        env["DATABASE_URL"] = configured.rsplit("/", 1)[0] + "/" + name
        pg = [f"--host={settings['HOST'] or '127.0.0.1'}", f"--port={settings['PORT'] or 5432}"]
        pg += [f"--username={settings['USER']}"] if settings.get("USER") else []
        pg_env = {**os.environ, "PGPASSWORD": str(settings.get("PASSWORD") or "")}
        subprocess.run(["dropdb", "--if-exists", *pg, name], env=pg_env, check=True)
        subprocess.run(["createdb", *pg, name], env=pg_env, check=True)
        env["DRILL_DESTROY"] = json.dumps(["dropdb", *pg, name])
        yield env
        subprocess.run(["dropdb", "--if-exists", *pg, name], env=pg_env, check=False)
    else:
        database = tmp_path / "live.sqlite3"
        env["DATABASE_URL"] = f"sqlite:///{database}"
        env["DRILL_DESTROY"] = json.dumps(["rm", "-f", str(database)])
        yield env


def manage(env, *args, stdin=None) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def fingerprint(env) -> dict:
    return json.loads(manage(env, "shell", "--no-imports", "-c", FINGERPRINT).strip().splitlines()[-1])


def test_backup_destroy_restore_keeps_counts_released_cables_and_audit_log(scratch_env, tmp_path):
    manage(scratch_env, "migrate", "--noinput", "-v0")
    manage(scratch_env, "seed_demo")
    before = fingerprint(scratch_env)
    assert before["released_cables"] and before["audit_events"] and before["counts"]["contacts.Counterpart"]

    backup = tmp_path / "attache.backup"
    manage(scratch_env, "backup", str(backup))
    subprocess.run(json.loads(scratch_env["DRILL_DESTROY"]), env=scratch_env, check=True)

    out = manage(scratch_env, "restore", "--yes", str(backup))
    after = fingerprint(scratch_env)
    assert after == before
    assert "verified" in out
    assert all(not digest.startswith("MISMATCH") for digest in after["released_cables"].values())


def test_restore_refuses_a_backup_that_does_not_match_its_manifest(scratch_env, tmp_path):
    manage(scratch_env, "migrate", "--noinput", "-v0")
    manage(scratch_env, "seed_demo")
    backup = tmp_path / "attache.backup"
    manage(scratch_env, "backup", str(backup))
    manifest_file = backup.with_name(backup.name + ".manifest.json")
    manifest = json.loads(manifest_file.read_text())
    manifest["fingerprint"]["counts"]["contacts.Counterpart"] += 1
    manifest_file.write_text(json.dumps(manifest))

    result = subprocess.run(
        [sys.executable, "manage.py", "restore", "--yes", str(backup)],
        cwd=ROOT, env=scratch_env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "contacts.Counterpart" in result.stderr and "differs" in result.stderr


def test_restore_with_no_one_to_ask_restores_nothing_and_says_why(scratch_env, tmp_path):
    """Run from a script without --yes, restore cannot ask: it stops with one line, not a traceback."""
    manage(scratch_env, "migrate", "--noinput", "-v0")
    backup = tmp_path / "attache.backup"
    manage(scratch_env, "backup", str(backup))
    manage(scratch_env, "seed_demo")
    before = fingerprint(scratch_env)

    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(backup)],
        cwd=ROOT, env=scratch_env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode != 0
    assert "Nothing restored" in result.stderr and "--yes" in result.stderr
    assert "Traceback" not in result.stderr
    assert fingerprint(scratch_env) == before  # the seeded rows are still there
