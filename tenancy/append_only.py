"""The audit log is append-only in the database too, whatever client writes to it.

The ORM already refuses (AppendOnlyQuerySet, AuditEvent.save/delete) and so does the admin; these
triggers also stop raw SQL. PostgreSQL: a row trigger refuses UPDATE and DELETE and a statement
trigger refuses TRUNCATE (row triggers never see it, nor a TRUNCATE ... CASCADE from a table the
log refers to). SQLite has no TRUNCATE: its DELETE without WHERE is the same statement, and a
BEFORE DELETE trigger sees it, since SQLite skips its truncate shortcut on a table with triggers.
Every refusal says "the audit log is append-only: <statement> refused".
"""

TABLE = "tenancy_auditevent"

POSTGRESQL_INSTALL = f"""
CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % refused on {TABLE}', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};
CREATE TRIGGER {TABLE}_append_only
    BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();

DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};
CREATE TRIGGER {TABLE}_no_truncate
    BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_append_only();
"""

POSTGRESQL_REMOVE = f"""
DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};
DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE};
DROP FUNCTION IF EXISTS {TABLE}_append_only();
"""

# One statement each: the sqlite3 driver runs a single statement per execute().
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_{op.lower()} BEFORE {op} ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: {op} refused on {TABLE}'); END"""
    for op in ("UPDATE", "DELETE")
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{op}" for op in ("update", "delete")]


def install(connection) -> None:
    """Create the triggers on this connection's database."""
    _run(connection, POSTGRESQL_INSTALL, SQLITE_INSTALL)


def remove(connection) -> None:
    _run(connection, POSTGRESQL_REMOVE, SQLITE_REMOVE)


def _run(connection, postgresql: str, sqlite: list[str]) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(postgresql)
        elif connection.vendor == "sqlite":
            for statement in sqlite:
                cursor.execute(statement)
