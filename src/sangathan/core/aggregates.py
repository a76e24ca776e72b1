"""One-row count queries of several apps read in one statement.

A page that shows a few counts from each of several apps (the home's "today's work") would pay a round
trip and the ORM's per-query work for each. Each app's selector instead returns a ``CountsQuery``: its
querysets' aggregates as one-row queries (``SELECT COUNT(…), COUNT(…) FILTER (…) FROM … WHERE …``) and how
to turn their row into the selector's answer. ``read_together`` compiles them all and reads them as one
``SELECT * FROM (q1) AS c0 CROSS JOIN (q2) AS c1 …`` (each part one row, so the product is one row);
``CountsQuery.read()`` reads one alone. The apps keep their rules; only the round trips are shared.

Only aggregates that are 0 (``Count``) or None (``Max``) over no rows belong here: a part Django proves
empty while compiling (a filter on an empty list, ``none()``) is answered without the database.

A part may also be written in SQL (``RawPart``, ``raw_counts_query``) where building and compiling its
queryset on every read costs more than the database's work (the home's own grievance counts: a few index
probes, but four querysets' worth of ORM): its text is a constant of its module, every value a parameter.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import Count, Model, QuerySet, Value

T = TypeVar("T")


@dataclass(frozen=True)
class RawPart:
    """A one-row SELECT as SQL text (a constant) with its parameters, read from the database ``db``."""

    sql: str
    params: tuple
    db: str


@dataclass(frozen=True)
class CountsQuery(Generic[T]):
    parts: tuple[tuple[QuerySet | RawPart, tuple[str, ...]], ...]  # one-row queries and their columns' names
    finish: Callable[[dict], T]  # the columns of every part by name → the answer

    def read(self) -> T:
        return read_together([self])[0]


def counts_query(queryset: QuerySet, finish: Callable[[dict], T], **aggregates) -> CountsQuery[T]:
    """``queryset.aggregate(**aggregates)`` as a query not yet read; ``finish`` turns its row (a dict) into
    the answer."""
    one_row = queryset.order_by().values(_one=Value(1)).annotate(**aggregates).values(*aggregates)
    return CountsQuery(((one_row, tuple(aggregates)),), finish)


def raw_counts_query(model: type[Model], sql: str, params: list, names: tuple[str, ...],
                     finish: Callable[[dict], T]) -> CountsQuery[T]:
    """A one-row ``sql`` (columns ``names``, in order) over ``model``'s table, read where ``model`` is read."""
    return CountsQuery(((RawPart(sql, tuple(params), router.db_for_read(model)), names),), finish)


def counts_joined(finish: Callable[[dict], T], *queries: CountsQuery) -> CountsQuery[T]:
    """Several count queries (of unrelated tables) as one answer: ``finish`` gets all their columns."""
    return CountsQuery(tuple(part for query in queries for part in query.parts), finish)


def nothing(answer: T) -> CountsQuery[T]:
    """An answer known without a query (an actor to whom the section does not apply)."""
    return CountsQuery((), lambda row: answer)


def _empty_row(queryset: QuerySet, names: tuple[str, ...]) -> dict:
    aggregates = queryset.query.annotations
    return {name: 0 if isinstance(aggregates.get(name), Count) else None for name in names}


def part_sql(part: QuerySet | RawPart) -> tuple[str, tuple]:
    """The SQL and parameters of one part (``EmptyResultSet`` when Django proves a queryset empty)."""
    if isinstance(part, RawPart):
        return part.sql, part.params
    return part.query.get_compiler(using=part.db).as_sql()


def read_together(queries: list[CountsQuery]) -> list:
    """The answers of ``queries``, in order, from one statement (none when no query needs the database)."""
    rows: list[dict] = [{} for _ in queries]
    selects, params, read, using = [], [], [], None
    for index, query in enumerate(queries):
        for queryset, names in query.parts:
            if using not in (None, queryset.db):
                raise ValueError("Counts read together must come from one database.")
            using = queryset.db
            try:
                sql, part_params = part_sql(queryset)
            except EmptyResultSet:
                rows[index].update(_empty_row(queryset, names))
                continue
            selects.append(f"({sql}) AS c{len(selects)}")
            params.extend(part_params)
            read.append((index, names))
    if selects:
        with connections[using].cursor() as cursor:
            # Only SQL Django compiled from querysets; every value is a parameter.
            cursor.execute("SELECT * FROM " + " CROSS JOIN ".join(selects), params)  # noqa: S608
            values = list(cursor.fetchone())
        for index, names in read:
            rows[index].update(zip(names, values[:len(names)], strict=True))
            values = values[len(names):]
    return [query.finish(row) for query, row in zip(queries, rows, strict=True)]
