"""The headcount of every unit's subtree (``UnitHeadcount``, a derived table: no history), kept current.

Every writer that adds, removes or moves people adds the *changes* to the headcount inside its own
transaction (``headcount_add``: one ``INSERT … ON CONFLICT DO UPDATE SET people = people + …`` over the
home unit and its ancestors, so two writers at the same moment both count, whatever their order). Pages
read one row per unit instead of counting the subtree's people. ``headcounts_refresh`` recounts the whole
table from the people (after a bulk load, and nightly as a check); the units' booth counts with it.
An import keeps its chunks' changes as ``PendingHeadcount`` rows and folds them in every few chunks
(``headcounts_pend``, ``headcounts_fold``).
"""

from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from sangathan.core.bulk import copy_rows
from sangathan.core.errors import PermissionDenied
from sangathan.core.tree import SEGMENT
from sangathan.org.models import Unit
from sangathan.org.services import unit_booths_recount
from sangathan.people.models import PendingHeadcount, Person, UnitHeadcount

TABLE = UnitHeadcount._meta.db_table
PENDING = PendingHeadcount._meta.db_table
UNITS = Unit._meta.db_table
BATCH = 500


def headcount_changes(*, added: Iterable[str] = (), removed: Iterable[str] = ()) -> Counter:
    """The change per home unit path: one more for each path in ``added``, one fewer for each in ``removed``."""
    changes = Counter(added)
    changes.subtract(removed)
    return changes


def headcount_add(changes: dict[str, int], *, unit_ids: dict[str, int] | None = None) -> None:
    """Add ``changes`` (home unit path → change in people) to the headcount of that unit and every
    ancestor, inside the caller's transaction; rows in path order, so concurrent writers lock shared
    ancestors in the same order. On PostgreSQL one statement over two array parameters; ``unit_ids``
    (path → unit id, a cache the caller keeps, e.g. the import across its chunks) spares the join of
    the paths to their units: missing paths are looked up in one query and added to it. On SQLite a
    statement per ``BATCH`` units."""
    totals: dict[str, int] = defaultdict(int)
    for path, change in changes.items():
        if change:
            for end in range(SEGMENT, len(path) + 1, SEGMENT):
                totals[path[:end]] += change
    rows = sorted((path, change) for path, change in totals.items() if change)
    if not rows:
        return
    if connection.vendor == "postgresql":
        _add_postgres(rows, unit_ids)
        return
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    for first in range(0, len(rows), BATCH):
        chunk = rows[first:first + BATCH]
        values = ", ".join(["(%s, %s)"] * len(chunk))
        # Table names and placeholders only in the text; every value is a parameter. ``WHERE 1 = 1``: SQLite
        # reads ``ON CONFLICT`` after a join without a WHERE as part of the join.
        sql = (f"WITH change(path, people) AS (VALUES {values}) "  # noqa: S608
               f"INSERT INTO {TABLE} (unit_id, people, computed_at) "
               f"SELECT u.id, change.people, %s FROM change JOIN {UNITS} u ON u.path = change.path "
               f"WHERE 1 = 1 ORDER BY u.path "
               f"ON CONFLICT (unit_id) DO UPDATE SET people = {TABLE}.people + excluded.people")
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in chunk for value in row] + [now])


def _add_postgres(rows: list[tuple[str, int]], unit_ids: dict[str, int] | None) -> None:
    upsert = (f"INSERT INTO {TABLE} (unit_id, people, computed_at) "  # noqa: S608
              "SELECT {unit}, c.people, %s FROM {source} ORDER BY c.n "
              f"ON CONFLICT (unit_id) DO UPDATE SET people = {TABLE}.people + excluded.people")
    with connection.cursor() as cursor:
        if unit_ids is None:
            cursor.execute(upsert.format(
                unit="u.id", source=f"unnest(%s::text[], %s::int[]) WITH ORDINALITY AS c(path, people, n) "
                                    f"JOIN {UNITS} u ON u.path = c.path"),
                [timezone.now(), [path for path, _change in rows], [change for _path, change in rows]])
            return
        missing = [path for path, _change in rows if path not in unit_ids]
        if missing:
            cursor.execute(f"SELECT path, id FROM {UNITS} WHERE path = ANY(%s)", [missing])  # noqa: S608
            unit_ids.update(cursor.fetchall())
        rows = [(path, change) for path, change in rows if path in unit_ids]  # a unit gone: nothing to count
        cursor.execute(upsert.format(unit="c.unit_id", source="unnest(%s::bigint[], %s::int[]) WITH ORDINALITY "
                                                              "AS c(unit_id, people, n)"),
                       [timezone.now(), [unit_ids[path] for path, _change in rows],
                        [change for _path, change in rows]])


def headcounts_pend(job_id: int, changes: dict[str, int]) -> None:
    """Keep an import chunk's ``changes`` (home unit path → change) as ``PendingHeadcount`` rows, inside the
    chunk's transaction: one COPY of a row per home unit instead of an upsert per unit and ancestor."""
    rows = [(job_id, path, change) for path, change in changes.items() if change]
    if rows:
        copy_rows(PENDING, ("job_id", "unit_path", "people"), rows)


def headcounts_fold(job_id: int, *, unit_ids: dict[str, int] | None = None) -> int:
    """Add an import's pending changes to the headcounts and drop them, in the caller's transaction;
    returns the home units changed."""
    pending = PendingHeadcount.objects.filter(job_id=job_id)
    changes = dict(pending.order_by().values_list("unit_path").annotate(total=Sum("people")))
    if changes:
        headcount_add(changes, unit_ids=unit_ids)
        pending.delete()
    return len(changes)


def headcounts_refresh(*, scope, now=None) -> int:
    """Recount the people in every unit's subtree into ``UnitHeadcount``; returns the rows written. Also
    recounts the units' booths (``org.services.unit_booths_recount``).

    The system's job (``Scope.system()``): the counts cover the whole tree. The table is locked against
    writers' changes first (they wait, then add to the new counts), then one grouped scan of the people
    table (per home unit) is rolled up every ancestor in Python and the table replaced in the same
    transaction, so readers see either the old counts or the new ones and no change is lost or doubled.
    """
    if not scope.writes_all:
        raise PermissionDenied()
    now = now or timezone.now()
    unit_booths_recount(scope=scope)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Pending first: an import's chunk adds there, then (folding) here, in that order.
                cursor.execute(f"LOCK TABLE {PENDING}, {TABLE} IN EXCLUSIVE MODE")
        totals: dict[str, int] = defaultdict(int)
        per_unit = Person.objects.order_by().values_list("unit_path").annotate(n=Count("*"))
        for path, people in per_unit.iterator(chunk_size=10_000):
            for end in range(SEGMENT, len(path) + 1, SEGMENT):
                totals[path[:end]] += people
        rows = [
            UnitHeadcount(unit_id=unit_id, people=totals[path], computed_at=now)
            for unit_id, path in Unit.objects.values_list("id", "path").iterator(chunk_size=10_000)
            if path in totals
        ]
        UnitHeadcount.objects.all().delete()
        UnitHeadcount.objects.bulk_create(rows, batch_size=5_000)
        PendingHeadcount.objects.all().delete()  # their people are in the count
    return len(rows)
