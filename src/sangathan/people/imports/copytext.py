"""COPY's text format for the importer (PostgreSQL): lines built in one pass, without psycopg's per-value
dumpers. A new person's line is built in two parts: the columns the checking process knows
(``person_copy_tail``, built there) and those only the writer knows (id, unit, membership number)."""

import json

from django.db import connection

from sangathan.people.enums import PersonSource, PersonStatus, RelationKind

# Columns written for a new person, in COPY order: first those the writer knows (id, unit, number), then
# the rest, which on PostgreSQL the checking process already turned into COPY text (``person_copy_tail``).
WRITER_COLUMNS = ("id", "unit_id", "unit_path", "membership_no")
TAIL_COLUMNS = ("created_at", "updated_at", "name", "name_latin", "name_key", "relative_name",
                "relative_name_key", "relation", "gender", "birth_year", "mobile", "epic", "status", "photo",
                "alt_mobile", "email", "address", "occupation", "education", "social", "joined_on", "source",
                "consent_at", "consent_method", "consent_purposes", "verified_at", "verified_method")
INSERT_COLUMNS = WRITER_COLUMNS + TAIL_COLUMNS
HISTORY_COLUMNS = ("person_id", "action", "actor_id", "at", "changes")


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_line(row: tuple) -> str:
    """One row in COPY's text format: tab-separated, \\N for NULL, backslash escapes."""
    return "\t".join("\\N" if value is None else value.translate(_COPY_ESCAPES) if isinstance(value, str)
                     else str(value).translate(_COPY_ESCAPES) for value in row) + "\n"


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    return (value if isinstance(value, str) else str(value)).translate(_COPY_ESCAPES)


def person_copy_tail(values: dict, *, created: str, now: str) -> str:
    """A new person's ``TAIL_COLUMNS`` in COPY's text format, from a checked row's values (run by the
    checking process, so the writer only adds id, unit and membership number)."""
    get = values.get
    consent_at = get("consent_at")
    return "\t".join(map(copy_value, (
        created, now, get("name"), get("name_latin"), get("name_key"), get("relative_name", ""),
        get("relative_name_key", ""), get("relation") or RelationKind.FATHER.value, get("gender", ""),
        get("birth_year"), get("mobile"), get("epic", ""), PersonStatus.ACTIVE.value, "", get("alt_mobile", ""),
        get("email", ""), get("address", ""), get("occupation", ""), get("education", ""), "{}", get("joined_on"),
        get("source") or PersonSource.IMPORT.value, consent_at, get("consent_method", ""),
        json.dumps(get("consent_purposes") or []), None, "")))


def copy_text(table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    """COPY of lines already in COPY's text format (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for start in range(0, len(lines), 2000):
            copy.write("".join(lines[start:start + 2000]).encode())


def copy_rows(table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows (tuples in ``columns`` order) into ``table``: COPY on PostgreSQL, executemany on SQLite."""
    if connection.vendor == "postgresql":
        copy_text(table, columns, list(map(copy_line, rows)))
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # noqa: S608
