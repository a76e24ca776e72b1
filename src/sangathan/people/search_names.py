"""``people_searchname``: the distinct names of the registry, which a name search reads first (PostgreSQL).

The table, its indexes and the triggers that keep it current are PostgreSQL-only schema (migration
``people.0013_search_names``): every writer of ``people_person`` — the services, the import's COPY, the
demo loader, merge, erasure, a raw UPDATE — adds the names it writes, in the same transaction. Names that
nobody carries any more (after an erasure, a merge or a rename) stay until a rebuild; they cost a few
index entries and change no result, since the search also checks each person (``people.search``).

``rebuild()`` makes the table equal to the names in use: for a database restored from a dump taken without
it, or to drop the names left over. It locks ``people_person`` against writes meanwhile (SHARE mode), so a
name being added cannot be removed under a writer that relies on it being there.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

TABLE = "people_searchname"

_IN_USE = "SELECT DISTINCT name_latin, name_key FROM people_person"


def is_maintained() -> bool:
    """True where the table exists (PostgreSQL after people.0013)."""
    return connection.vendor == "postgresql" and TABLE in connection.introspection.table_names()


def rebuild() -> tuple[int, int]:
    """(names added, names removed) to make the table equal to the names people have."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("LOCK TABLE people_person IN SHARE MODE")
        cursor.execute(f"INSERT INTO {TABLE} (name_latin, name_key) {_IN_USE} ORDER BY 1, 2 "  # noqa: S608
                       "ON CONFLICT DO NOTHING")
        added = cursor.rowcount
        cursor.execute(f"DELETE FROM {TABLE} s WHERE NOT EXISTS (SELECT 1 FROM people_person p "  # noqa: S608
                       "WHERE p.name_latin = s.name_latin AND p.name_key = s.name_key)")
        removed = cursor.rowcount
    return added, removed


@contextmanager
def deferred() -> Iterator[None]:
    """For a bulk loader that holds the table exclusively anyway (the demo drops and rebuilds its indexes):
    the insert trigger is switched off while the block loads, and the names are added in one statement
    afterwards. The trigger's transition table holds every inserted row, which costs a loader of a million
    rows more than one ``SELECT DISTINCT`` at the end."""
    if not is_maintained():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE people_person DISABLE TRIGGER people_searchname_insert")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE people_person ENABLE TRIGGER people_searchname_insert")
            cursor.execute(f"INSERT INTO {TABLE} (name_latin, name_key) {_IN_USE} ORDER BY 1, 2 "  # noqa: S608
                           "ON CONFLICT DO NOTHING")


def differences() -> tuple[int, int]:
    """(names in use missing from the table, names in the table nobody has): (0, 0) right after a rebuild;
    the first must always be 0."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM ({_IN_USE} EXCEPT SELECT name_latin, name_key FROM {TABLE}) m")  # noqa: S608
        missing = cursor.fetchone()[0]
        cursor.execute(f"SELECT count(*) FROM (SELECT name_latin, name_key FROM {TABLE} EXCEPT {_IN_USE}) s")  # noqa: S608
        stale = cursor.fetchone()[0]
    return missing, stale
