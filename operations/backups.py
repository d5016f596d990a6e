"""Back up and restore the configured database, with a manifest that proves the restore.

PostgreSQL: `pg_dump --format=custom` and `pg_restore` (the client tools of the server's major
version must be on PATH). SQLite (the embedded mode): the online backup API, safe while the app runs.
Next to the dump, `<file>.manifest.json` holds the database's fingerprint at backup time; a restore
compares the restored database with it and fails loudly on any difference.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection, connections

from tenancy import writes

from .fingerprint import database_fingerprint, differences


class BackupError(Exception):
    """A backup or restore could not be made, or a restore does not match its backup."""


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def _vendor() -> str:
    return connection.vendor


def _pg_env_and_args(database: str | None = None) -> tuple[dict, list[str]]:
    """libpq environment and connection arguments of the configured database."""
    settings = connection.settings_dict
    env = dict(os.environ)
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings.get(key):
            args += [flag, str(settings[key])]
    return env, [*args, "--dbname", database or settings["NAME"]]


def _run(command: list[str], env: dict | None = None) -> None:
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client tools.")
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def backup(path: Path) -> dict:
    """Write a backup of the configured database to `path` and its manifest; return the manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Read the fingerprint first, then dump in one snapshot: writes in between would show in the
    # restore check, which is the point of running the drill on a quiet database.
    manifest = {"vendor": _vendor(), "fingerprint": database_fingerprint()}
    if _vendor() == "postgresql":
        env, args = _pg_env_and_args()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(path), *args], env)
    elif _vendor() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        raise BackupError(f"No backup method for {_vendor()}.")
    manifest_path(path).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def _pg_create_if_missing() -> None:
    """Create the configured PostgreSQL database when it is gone (a restore after losing it)."""
    name = connection.settings_dict["NAME"]
    env, args = _pg_env_and_args("postgres")
    probe = subprocess.run(
        ["psql", *args, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if probe.returncode != 0:
        raise BackupError(f"Cannot reach PostgreSQL: {probe.stderr.strip()}")
    if probe.stdout.strip() != "1":
        _run(["createdb", *args[:-2], name], env)


def restore(path: Path) -> dict:
    """Replace the configured database's contents with the backup at `path`, then verify it.

    Returns the manifest; raises BackupError when the restored database differs from it.
    """
    path = Path(path)
    if not path.exists():
        raise BackupError(f"No backup at {path}.")
    try:
        manifest = json.loads(manifest_path(path).read_text())
    except FileNotFoundError:
        raise BackupError(f"The manifest {manifest_path(path)} is missing: the restore could not be checked.") from None
    if manifest["vendor"] != _vendor():
        raise BackupError(f"This is a {manifest['vendor']} backup; the configured database is {_vendor()}.")
    connections.close_all()
    if _vendor() == "postgresql":
        _pg_create_if_missing()
        env, args = _pg_env_and_args()
        _run(
            ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", *args,
             str(path)],
            env,
        )  # fmt: skip
    else:
        source = sqlite3.connect(path)
        target = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
    connections.close_all()
    # Every row was replaced beside Django's connections: what was kept from the old ones goes.
    writes.move_on()
    problems = differences(manifest["fingerprint"], database_fingerprint())
    if problems:
        raise BackupError("The restored database differs from the backup: " + "; ".join(problems))
    return manifest
