"""Bulk writes for generated data: PostgreSQL COPY (streamed), bulk_create elsewhere.

Rows are dicts of attribute names (`post_id`, not `post`) with their ids allocated here in order,
so that parents and children can be written by separate statements without reading ids back.
Used by seeding.volume (manage.py seed_volume); never by the application's own writes, which go
through services and save().
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import time
from itertools import islice

from django.db import connection, transaction
from django.db.models import Max

from tenancy import writes


def _tsv(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
            value = value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
        return value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    return str(value)


class _Table:
    """Column layout of one model: attnames in order, with the model's defaults for unset ones."""

    def __init__(self, model):
        self.model = model
        self.name = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}

    def line(self, row: dict) -> str:
        defaults = self.defaults
        return "\t".join(_tsv(row[a] if a in row else defaults[a]) for a in self.attnames) + "\n"


class _LineStream(io.RawIOBase):
    """A file whose read() pulls lines from a generator: COPY ingests while Python generates."""

    def __init__(self, lines):
        self._lines = iter(lines)
        self._buffer = b""

    def readable(self):
        return True

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            chunk = "".join(islice(self._lines, 2000))
            if not chunk:
                break
            self._buffer += chunk.encode()
        if size < 0:
            data, self._buffer = self._buffer, b""
        else:
            data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


class Sink:
    """Bulk writes: COPY on PostgreSQL, bulk_create elsewhere. Ids are allocated here, in order."""

    BATCH = 5000

    def __init__(self, log=None):
        self.postgres = connection.vendor == "postgresql"
        self.tables: dict = {}
        self.next_id: dict = {}
        self.counts: dict[str, int] = {}
        self.log = log or (lambda message: None)

    def table(self, model) -> _Table:
        if model not in self.tables:
            self.tables[model] = _Table(model)
            self.next_id[model] = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        return self.tables[model]

    def ids(self, model, count: int) -> range:
        self.table(model)
        start = self.next_id[model]
        self.next_id[model] = start + count
        return range(start, start + count)

    def take(self, model) -> int:
        """The next id of a model (one row)."""
        self.table(model)
        value = self.next_id[model]
        self.next_id[model] = value + 1
        return value

    def write(self, model, rows) -> None:
        """Write an iterable of {attname: value} dicts (each with its id)."""
        table = self.table(model)
        started = time.monotonic()
        count = 0
        if self.postgres:
            counter = [0]

            def lines():
                for row in rows:
                    counter[0] += 1
                    yield table.line(row)

            with connection.cursor() as cursor:
                cursor.cursor.copy_expert(
                    f"COPY {table.name} ({', '.join(table.columns)}) FROM STDIN",
                    _LineStream(lines()),
                    size=1 << 20,
                )
            count = counter[0]
        else:
            batch = []
            for row in rows:
                batch.append(model(**row))
                count += 1
                if len(batch) >= self.BATCH:
                    model.objects.bulk_create(batch)
                    batch = []
            if batch:
                model.objects.bulk_create(batch)
        self.counts[table.name] = self.counts.get(table.name, 0) + count
        self.log(f"  {table.name}: {count} rows in {time.monotonic() - started:.1f}s")

    def buffer(self, model) -> _Buffer:
        return _Buffer(self, model)

    def finish(self) -> None:
        """Count the load as a write (COPY goes around the connection's write counter) and move
        every sequence past the ids written explicitly."""
        transaction.on_commit(writes.move_on, robust=True)
        if not self.postgres:
            return
        with connection.cursor() as cursor:
            for table in self.tables.values():
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table.name}))",
                    [table.name],
                )


class _Buffer:
    """Rows of a child table collected while its parent streams; written after the parent."""

    def __init__(self, sink: Sink, model):
        self.sink, self.model = sink, model
        self.table = sink.table(model)
        self.rows = [] if not sink.postgres else None
        self.file = tempfile.TemporaryFile("w+", encoding="utf-8") if sink.postgres else None
        self.count = 0

    def add(self, row: dict) -> None:
        self.count += 1
        if self.file is not None:
            self.file.write(self.table.line(row))
        else:
            self.rows.append(row)

    def flush(self) -> None:
        if self.file is None:
            self.sink.write(self.model, self.rows)
            return
        started = time.monotonic()
        self.file.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {self.table.name} ({', '.join(self.table.columns)}) FROM STDIN",
                self.file,
                size=1 << 20,
            )
        self.file.close()
        self.sink.counts[self.table.name] = self.sink.counts.get(self.table.name, 0) + self.count
        self.sink.log(f"  {self.table.name}: {self.count} rows in {time.monotonic() - started:.1f}s")
