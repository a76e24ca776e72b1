"""Streaming rows into tables in bulk: COPY on PostgreSQL, batched INSERTs on SQLite."""

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max
from django.utils import timezone

SQLITE_BATCH = 5_000
PROGRESS_EVERY = 250_000


def next_id(model: type[models.Model]) -> int:
    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def adapt_date(value):
    return connection.ops.adapt_datefield_value(value)


class BulkWriter:
    """Streams rows into a table: COPY on PostgreSQL, batched INSERTs on SQLite (tuples, not model
    instances, so both paths share the generators)."""

    def __init__(self, *, log: Callable[[str], None]):
        self.log = log
        self.postgres = connection.vendor == "postgresql"
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    def write(self, model: type[models.Model], fields: Sequence[str], rows: Iterable[tuple], *, label: str) -> int:
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
        started = time.perf_counter()
        count = 0
        report_at = PROGRESS_EVERY
        rows = iter(rows)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                        if count == report_at:
                            self._progress(label, count, started)
                            report_at += PROGRESS_EVERY
            else:
                sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608
                while batch := list(islice(rows, SQLITE_BATCH)):
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    if count >= report_at:
                        self._progress(label, count, started)
                        report_at += PROGRESS_EVERY
        if count:
            self._progress(label, count, started, done=True)
        return count

    def _progress(self, label: str, count: int, started: float, *, done: bool = False) -> None:
        seconds = max(time.perf_counter() - started, 1e-6)
        suffix = "" if done else " …"
        self.log(f"{label}: {count:,} rows in {seconds:.1f} s ({count / seconds:,.0f} rows/s){suffix}")

    @contextmanager
    def indexes_deferred(self, model: type[models.Model]) -> Iterator[None]:
        """On PostgreSQL, drop the table's secondary indexes and its unique and foreign-key constraints while
        the block loads rows, then rebuild them from their own definitions: sorted index builds and one
        validating join are several times faster than maintaining them row by row (PostgreSQL manual,
        "Populating a Database"). DDL is transactional, so a failed load leaves them as they were."""
        if not self.postgres:
            yield
            return
        table = model._meta.db_table
        quote = connection.ops.quote_name
        # Dropping a foreign key alters the referenced table too, which must have no deferred checks pending.
        connection.check_constraints()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY contype DESC, conname",
                [table],
            )
            constraints = cursor.fetchall()
            cursor.execute(
                "SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                " WHERE x.indrelid = %s::regclass"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _ in constraints:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _ in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            for _, definition in indexes:
                cursor.execute(definition)
            for name, definition in constraints:  # unique ones first, then foreign keys
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
        self.log(f"{table}: {len(indexes)} indexes and {len(constraints)} constraints rebuilt "
                 f"in {time.perf_counter() - started:.1f} s")

    def reset_sequences(self, model_list: list[type[models.Model]]) -> None:
        """Move the id sequences past the ids allotted here (SQLite's AUTOINCREMENT follows by itself)."""
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), model_list):
                cursor.execute(sql)

    def analyze(self, model_list: list[type[models.Model]]) -> None:
        """Fresh PostgreSQL statistics, so the first queries after a bulk load do not guess, and (outside a
        transaction) a VACUUM that sets the visibility map: until autovacuum gets round to a freshly loaded
        table, every "index-only" scan fetches each heap page (the first page of a district's people: 2,509
        heap fetches and 47 ms before, 0.5 ms after, at 1M). SQLite keeps statistics only when asked and then
        never refreshes them, so it is left to its defaults."""
        if not self.postgres:
            return
        tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in model_list)
        with connection.cursor() as cursor:
            cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {tables}")
