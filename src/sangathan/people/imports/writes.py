"""The importer's writes of existing people: changed fields in one statement, their history rows, added tags;
and new people as tuples for SQLite (PostgreSQL gets COPY text, ``copytext``)."""

import json
from datetime import date, datetime

from django.db import connection
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError
from sangathan.people.enums import PersonSource, PersonStatus, RelationKind
from sangathan.people.imports.copytext import HISTORY_COLUMNS, copy_rows
from sangathan.people.imports.rows import Row
from sangathan.people.models import Person, PersonHistory

# Fields an import may change on an existing person (only those its row gives), with their SQL types.
UPDATABLE = {
    "name": "varchar", "name_latin": "varchar", "name_key": "varchar", "relative_name": "varchar",
    "relative_name_key": "varchar", "relation": "varchar", "gender": "varchar", "birth_year": "smallint",
    "mobile": "varchar", "epic": "varchar", "unit_id": "bigint", "unit_path": "varchar", "alt_mobile": "varchar",
    "email": "varchar", "address": "text", "occupation": "varchar", "education": "varchar", "joined_on": "date",
    "membership_no": "varchar", "source": "varchar", "consent_at": "timestamptz", "consent_method": "varchar",
    "consent_purposes": "jsonb",
}
# Fields of history rows: what people see as "changed" (keys of the *_key/latin columns are left out).
HISTORY_HIDDEN = {"name_latin", "name_key", "relative_name_key", "unit_path"}


def db_datetime(value):
    """A datetime as the database takes it (SQLite wants text)."""
    if value is None or connection.vendor == "postgresql":
        return value
    return connection.ops.adapt_datetimefield_value(value)


def _db_date(value):
    if value is None or connection.vendor == "postgresql":
        return value
    return value.isoformat()


def person_tuples(ids: list[int], rows: list[Row], *, created, now) -> list[tuple]:
    """New people in ``copytext.INSERT_COLUMNS`` order (SQLite; PostgreSQL gets COPY text)."""
    tuples = []
    for person_id, row in zip(ids, rows, strict=True):
        get = row.values.get
        consent_at = get("consent_at")
        tuples.append((
            person_id, get("unit_id"), get("unit_path"), get("membership_no"),
            created, now, get("name"), get("name_latin"), get("name_key"), get("relative_name", ""),
            get("relative_name_key", ""), get("relation") or RelationKind.FATHER.value, get("gender", ""),
            get("birth_year"), get("mobile"), get("epic", ""), PersonStatus.ACTIVE.value, "",
            get("alt_mobile", ""), get("email", ""), get("address", ""), get("occupation", ""),
            get("education", ""), "{}", _db_date(get("joined_on")), get("source") or PersonSource.IMPORT.value,
            db_datetime(consent_at), get("consent_method", ""),
            json.dumps(get("consent_purposes") or []), None, "",
        ))
    return tuples


def update_people(updates: list[tuple[Row, dict, dict]], *, actor_id, now) -> None:
    """Write the changed fields of matched people (one statement) and an UPDATED history row for each."""
    if not updates:
        return
    _lock_matched([match["id"] for _row, match, _diff in updates])
    columns = sorted({key for _row, _match, diff in updates for key in diff if key in UPDATABLE})
    if columns:
        rows = []
        for _row, match, diff in updates:
            if not set(diff) - {"tags"}:
                continue
            merged = {key: (diff[key][1] if key in diff else match[key]) for key in columns}
            rows.append((match["id"], *[_sql_value(key, merged[key]) for key in columns]))
        _update_rows(columns, rows, now=now)
    history = []
    for _row, match, diff in updates:
        changes = {key: [_jsonable(before), _jsonable(after)] for key, (before, after) in diff.items()
                   if key not in HISTORY_HIDDEN}
        if "unit_id" in changes:
            changes["unit"] = changes.pop("unit_id")
        if changes:
            history.append((match["id"], PersonHistory.Action.UPDATED.value, actor_id, now,
                            json.dumps(changes, ensure_ascii=False)))
    if history:
        copy_rows(PersonHistory._meta.db_table, HISTORY_COLUMNS, history)


def add_tags(updates: list[tuple[Row, dict, dict]]) -> None:
    """Tags rows give that their matched people lack (tags are only ever added)."""
    wanted = {(match["id"], tag_id) for row, match, diff in updates if "tags" in diff for tag_id in row.tag_ids}
    if not wanted:
        return
    through = Person.tags.through
    have = set(through.objects.filter(person_id__in={pid for pid, _tag in wanted})
               .values_list("person_id", "tag_id"))
    missing = sorted(wanted - have)
    if missing:
        copy_rows(through._meta.db_table, ("person_id", "tag_id"), missing)


def _lock_matched(ids: list[int]) -> None:
    """Hold the matched people until the chunk commits, and stop if one is gone: a merge that removed it
    after this chunk was matched would leave its history row naming nobody (the history table has no key
    constraint to refuse it, see ``PersonHistory``). The chunk rolls back; running the import again matches
    the survivor."""
    wanted = set(ids)
    table = connection.ops.quote_name(Person._meta.db_table)
    if connection.vendor == "postgresql":
        sql, params = f"SELECT id FROM {table} WHERE id = ANY(%s) FOR KEY SHARE", [sorted(wanted)]  # noqa: S608
    else:  # SQLite has one writer at a time: nothing to lock
        sql, params = f"SELECT id FROM {table} WHERE id IN ({', '.join(['%s'] * len(wanted))})", sorted(wanted)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {person_id for (person_id,) in cursor.fetchall()}
    if found != wanted:
        raise DomainError(_("A record this import matched was merged or removed meanwhile. Run the import "
                            "again: it goes on from where it stopped."), code="busy")


def _update_rows(columns: list[str], rows: list[tuple], *, now) -> None:
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ", ".join(["%s::bigint", *[f"%s::{UPDATABLE[c]}" for c in columns]])
            values = ", ".join([f"({casts})"] * len(rows))
            assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
            names = ", ".join(["id", *[quote(c) for c in columns]])
            cursor.execute(
                f"UPDATE {table} AS p SET {assignments}, updated_at = %s "  # noqa: S608
                f"FROM (VALUES {values}) AS v({names}) WHERE p.id = v.id",
                [now, *[value for row in rows for value in row]],
            )
        else:
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
                               [(*row[1:], now, row[0]) for row in rows])


def _sql_value(key: str, value):
    if UPDATABLE[key] == "jsonb":
        return json.dumps(value if value is not None else [])
    if UPDATABLE[key] == "date":
        return _db_date(value)
    if UPDATABLE[key] == "timestamptz":
        return db_datetime(value)
    return value


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
