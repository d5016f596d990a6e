"""Schema that only PostgreSQL can hold (an index in NULLS LAST order, a trigram GIN index …), as a
migration operation that creates it there and does nothing on SQLite, whose embedded mode holds one
post's data and needs none of it."""

from django.db import migrations


def index(name: str, definition: str) -> migrations.RunPython:
    """CREATE INDEX `name` ON `definition` (e.g. "office_clearance USING gin (…)"), reversibly."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")

    return migrations.RunPython(create, drop)


def statistics(name: str, table: str, columns: str) -> migrations.RunPython:
    """CREATE STATISTICS `name` on `columns` of `table` (how far one column decides the other, and
    their distinct pairs), gathered at once; reversibly. The planner otherwise takes the columns
    for independent and may misjudge a filter on both by a hundredfold."""

    def create(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE STATISTICS IF NOT EXISTS {name} (dependencies, ndistinct) ON {columns} FROM {table}"
            )
            schema_editor.execute(f"ANALYZE {table}")

    def drop(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP STATISTICS IF EXISTS {name}")

    return migrations.RunPython(create, drop)
