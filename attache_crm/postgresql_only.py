"""Schema that only PostgreSQL can hold (an index in NULLS LAST order, a trigram GIN index …), as a
migration operation that creates it there and does nothing on SQLite, whose embedded mode holds one
post's data and needs none of it."""

from django.db import migrations


def _on_postgresql(forward: list[str], backward: list[str]) -> migrations.RunPython:
    """A reversible operation running these statements on PostgreSQL and nothing elsewhere."""

    def running(statements):
        def run(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                for statement in statements:
                    schema_editor.execute(statement)

        return run

    return migrations.RunPython(running(forward), running(backward))


def index(name: str, definition: str) -> migrations.RunPython:
    """CREATE INDEX `name` ON `definition` (e.g. "office_clearance USING gin (…)"), reversibly."""
    return _on_postgresql([f"CREATE INDEX IF NOT EXISTS {name} ON {definition}"], [f"DROP INDEX IF EXISTS {name}"])


def statistics(name: str, table: str, columns: str) -> migrations.RunPython:
    """CREATE STATISTICS `name` on `columns` of `table` (how far one column decides the other, and
    their distinct pairs), gathered at once; reversibly. The planner otherwise takes the columns
    for independent and may misjudge a filter on both by a hundredfold."""
    return _on_postgresql(
        [
            f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies, ndistinct) ON {columns} FROM {table}",
            f"ANALYZE {table}",
        ],
        [f"DROP STATISTICS IF EXISTS {name}"],
    )
