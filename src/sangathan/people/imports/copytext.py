"""COPY's text format for the importer (PostgreSQL): lines built in one pass, without psycopg's per-value
dumpers. A new person's line is built in two parts: the columns the checking process knows
(``person_copy_tail``, built there) and those only the writer knows (id, unit, membership number)."""

import json
import re

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
# ``str.translate`` with a mapping looks every character up; almost no value holds one of these, so they are
# searched for first (one C scan) and only such a value is translated.
_NEEDS_ESCAPE = re.compile(r"[\\\t\n\r]").search


def copy_line(row: tuple) -> str:
    """One row in COPY's text format: tab-separated, \\N for NULL, backslash escapes."""
    return "\t".join(map(copy_value, row)) + "\n"


def copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value.__class__ is not str:
        value = str(value)
    return value.translate(_COPY_ESCAPES) if _NEEDS_ESCAPE(value) else value


_ACTIVE = PersonStatus.ACTIVE.value
_IMPORTED = PersonSource.IMPORT.value
_PURPOSES: dict[tuple, str] = {}  # consent purposes → their JSON (a handful of distinct lists)


def _purposes_json(purposes) -> str:
    key = tuple(purposes or ())
    text = _PURPOSES.get(key)
    if text is None:
        text = _PURPOSES[key] = copy_value(json.dumps(list(key)))
    return text


def person_copy_tail(values: dict, *, created: str, now: str) -> str:
    """A new person's ``TAIL_COLUMNS`` in COPY's text format, from a checked row's values (run by the
    checking process, so the writer only adds id, unit and membership number)."""
    get = values.get
    text = copy_value
    return "\t".join((
        text(created), text(now), text(get("name")), text(get("name_latin")), text(get("name_key")),
        text(get("relative_name", "")), text(get("relative_name_key", "")),
        text(get("relation") or RelationKind.FATHER.value), text(get("gender", "")), text(get("birth_year")),
        text(get("mobile")), text(get("epic", "")), _ACTIVE, "", text(get("alt_mobile", "")),
        text(get("email", "")), text(get("address", "")), text(get("occupation", "")),
        text(get("education", "")), "{}", text(get("joined_on")), text(get("source") or _IMPORTED),
        text(get("consent_at")), text(get("consent_method", "")), _purposes_json(get("consent_purposes")),
        "\\N", ""))


def copy_text(table: str, columns: tuple[str, ...], lines: list[str]) -> None:
    """COPY of lines already in COPY's text format (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for start in range(0, len(lines), 2000):
            copy.write("".join(lines[start:start + 2000]).encode())


def copy_bytes(table: str, columns: tuple[str, ...], data: bytes) -> None:
    """COPY of lines already joined and encoded (PostgreSQL)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
        for start in range(0, len(data), 1 << 20):
            copy.write(data[start:start + (1 << 20)])


def suffixed(data: bytes, taken: set[str]) -> bytes:
    """New people's COPY text (``WRITER_COLUMNS`` first) with "/2" after each membership number in ``taken``
    (a generated number someone once imported by hand). Values escape tabs and newlines, so the raw bytes
    split safely."""
    taken_text = {copy_value(number).encode() for number in taken}
    lines = data.split(b"\n")
    for index, line in enumerate(lines):
        cells = line.split(b"\t", 4)
        if len(cells) == 5 and cells[3] in taken_text:
            cells[3] += b"/2"
            lines[index] = b"\t".join(cells)
    return b"\n".join(lines)


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
