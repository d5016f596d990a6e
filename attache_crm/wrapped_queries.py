"""An ORM query run inside SQL of our own (a WITH clause, an outer ranking), its rows read back as
the ORM reads the query's own: the two places that need SQL the ORM cannot write keep its
conversions (SQLite's datetimes, for one, come back from the cursor as text)."""

from __future__ import annotations

from django.db.models.sql.compiler import SQLCompiler


def rows_around(compiler: SQLCompiler, sql: str, params) -> list[tuple]:
    """The rows of `sql`, a statement around the query of `compiler` whose rows start with that
    query's columns; those columns converted as the ORM converts them, the others left as read."""
    with compiler.connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return list(compiler.results_iter(results=[rows], tuple_expected=True))
