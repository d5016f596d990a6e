"""The write generation: a number that moves on after every committed write to the database.

Whatever is kept because it was expensive to read (attache_crm.kept_panels) is kept under the
generation it was read at, and is never served under a later one. Every write of the product goes
through one of Django's database connections — the ORM's saves and deletes, `update()`,
`bulk_create`, raw SQL, migrations; in the web processes, the Celery workers and the management
commands alike — so a wrapper on each connection sees them all, whoever forgot to say so.

- Counted once per transaction, after its commit (right away in autocommit): a reader that starts
  before the commit keeps what it read under the old generation, which nobody asks for again.
- Tables written by reading pages (sessions, sign-in attempts, the audit of reads) and the API's
  and calendar feeds' last-use stamps are not counted: nothing kept shows them, and counting them
  would move the generation on every request.
- The number lives in the cache alias "pages", shared by every process when it is Redis. When the
  cache cannot be reached the write still stands (the error is logged); kept panels then expire
  within their own short lifetime. A generation that is missing (a new or emptied Redis) starts
  from the clock in nanoseconds, past any number an earlier one reached: a panel kept under an
  earlier count is never matched again.
- Its key names the database by what the server says it is, not by how the settings spell it, so
  that every process writing to one database (through any host name or port) moves one number,
  and two databases that share a Redis never share one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import time

from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.signals import connection_created
from django.dispatch import receiver

CACHE_ALIAS = "pages"
UNCOUNTED_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "tenancy_auditevent",
        "apitokens_personalaccesstoken",
        "calendars_calendarfeed",
        "otp_totp_totpdevice",
    }
)
# The table a write statement changes: INSERT INTO t, UPDATE t, DELETE FROM t (quoted or not).
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)
# Anything else that changes rows or tables: counted, whatever the table. Creating or dropping a
# whole database is not: nothing is kept for a database that does not exist yet, or any more.
_OTHER_WRITE = re.compile(
    r"\s*(?:MERGE|TRUNCATE|ALTER|(?:DROP|CREATE)(?!\s+DATABASE\b)|REPLACE|WITH\b.*\b(?:INSERT|UPDATE|DELETE)\b)",
    re.IGNORECASE | re.DOTALL,
)

logger = logging.getLogger(__name__)


# The identities of the databases this process has asked about, by the settings that reach them.
_identities: dict[tuple, str] = {}


def database_id() -> str:
    """A short name of the database this process writes to, asked of the database once per
    process. Two deployments (or a benchmark and a development server) may share one Redis: what is
    kept for one database is never read for another, where the same user id is someone else."""
    connection = connections[DEFAULT_DB_ALIAS]
    database = connection.settings_dict
    spelled = (connection.vendor, database["NAME"], database.get("HOST"), database.get("PORT"))
    if spelled not in _identities:
        _identities[spelled] = identity(connection)
    return _identities[spelled]


def identity(connection) -> str:
    """The database a connection reaches, whatever host name, port or path it is reached by:
    on PostgreSQL the server's system identifier (unique to each cluster) and the database's oid;
    on SQLite the file's real path."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT (SELECT system_identifier FROM pg_control_system()), oid "
                "FROM pg_database WHERE datname = current_database()"
            )
            where = "postgresql:{}:{}".format(*cursor.fetchone())
    elif connection.vendor == "sqlite" and not connection.is_in_memory_db():
        where = f"sqlite:{os.path.realpath(connection.settings_dict['NAME'])}"
    else:
        database = connection.settings_dict
        where = f"{connection.vendor}:{database['NAME']}@{database.get('HOST') or ''}:{database.get('PORT') or ''}"
    return hashlib.blake2b(where.encode(), digest_size=6).hexdigest()


def _key() -> str:
    return f"write-generation:{database_id()}"


def generation() -> int:
    """The current generation, started when missing. May raise the cache's errors."""
    cache, key = caches[CACHE_ALIAS], _key()
    value = cache.get(key)
    if value is None:
        cache.add(key, time.time_ns(), timeout=None)
        value = cache.get(key)
    return value


def counts(sql: str) -> bool:
    """Does this statement write something a kept panel may show?"""
    match = _WRITE.match(sql)
    if match is not None:
        return match.group(1).lower() not in UNCOUNTED_TABLES
    return _OTHER_WRITE.match(sql) is not None


def move_on() -> None:
    """Count a write now. The wrapper below counts every write made through Django; a write made
    beside it (a restore by pg_restore, psql) calls this once it is done."""
    cache, key = caches[CACHE_ALIAS], _key()
    try:
        cache.incr(key)
    except ValueError:  # no generation yet (or the cache was emptied): start one, or join the racer's
        if not cache.add(key, time.time_ns(), timeout=None):
            cache.incr(key)


class _CountWrites:
    """The connection's execute wrapper: after a counted statement has run, one count on commit."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if not counts(sql) or self._pending():
            return result
        if self.connection.in_atomic_block or self.connection.get_autocommit():
            # The connection's own hook, as it may be one Django opens beside the named ones (to
            # create a database) that `transaction.on_commit(using=…)` cannot find; robust, as a
            # cache that cannot be reached must not fail a write already committed.
            self.connection.on_commit(move_on, robust=True)
        else:
            # Transactions managed by hand (nothing of ours does) have no on-commit hook: counted
            # at once, and what a reader keeps meanwhile lasts a minute at most.
            self._move_on_now()
        return result

    @staticmethod
    def _move_on_now() -> None:
        try:
            move_on()
        except Exception:
            logger.exception("A write could not be counted: kept panels may lag by up to a minute.")

    def _pending(self) -> bool:
        """Is this transaction's count already waiting for its commit?"""
        return self.connection.in_atomic_block and any(
            callback is move_on for _, callback, _ in self.connection.run_on_commit
        )


@receiver(connection_created)
def count_writes(sender, connection, **kwargs) -> None:
    """Once per connection object (it keeps its wrappers when it reconnects), first in the list:
    `connection.execute_wrapper()` blocks pop the last wrapper when they end, and a connection
    opened inside one of them must not lose this one."""
    if not any(isinstance(wrapper, _CountWrites) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.insert(0, _CountWrites(connection))
