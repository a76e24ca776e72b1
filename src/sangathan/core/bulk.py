"""Set-based writes for the bulk paths (imports, pages, daily lists): ids reserved up front and rows
streamed with COPY on PostgreSQL, ``executemany`` on SQLite. Callers stay inside their transaction."""

from __future__ import annotations

import functools
import json
import operator
from collections.abc import Iterable, Sequence
from datetime import datetime

from django.db import connection, models

SQLITE_BATCH = 5_000
# ``count`` ids of a table's sequence. The sequence is looked up once (the materialized CTE): as an argument of
# ``nextval`` the lookup ran for every id, ten times the cost of the ids themselves.
NEXT_IDS = ("WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, 'id')::regclass AS seq) "
            "SELECT nextval(s.seq) FROM s, generate_series(1, %s)")


def allocate_ids(table: str, count: int) -> list[int]:
    """Reserve ``count`` primary keys of ``table`` before its rows exist, so child rows can point at them
    in the same COPY pass. On SQLite writes are serialized, so the next ids after the current maximum are
    free until this transaction ends."""
    if count <= 0:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(NEXT_IDS, [table, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        return list(range(first, first + count))


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= SQLITE_BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def update_rows(objs: Sequence, fields: Sequence[str]) -> None:
    """Write ``fields`` of saved model instances (one model) in one ``UPDATE … FROM (VALUES …)`` on
    PostgreSQL, one ``executemany`` on SQLite: what ``QuerySet.bulk_update`` does, without building a
    CASE expression per row and field in Python (most of a sync batch's time)."""
    if not objs:
        return
    meta = objs[0]._meta
    targets = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    rows = [(obj.pk, *[field.get_db_prep_save(getattr(obj, field.attname), connection) for field in targets])
            for obj in objs]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            casts = ", ".join(["%s::bigint", *[f"%s::{field.db_type(connection)}" for field in targets]])
            names = ", ".join(["id", *[quote(field.column) for field in targets]])
            sets = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in targets)
            for start in range(0, len(rows), 1_000):  # under PostgreSQL's 65,535 parameters
                chunk = rows[start:start + 1_000]
                cursor.execute(f"UPDATE {table} AS t SET {sets} FROM (VALUES "  # noqa: S608
                               f"{', '.join([f'({casts})'] * len(chunk))}) AS v({names}) WHERE t.id = v.id",
                               [value for row in chunk for value in row])
            return
        sets = ", ".join(f"{quote(field.column)} = %s" for field in targets)
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608
                           [(*row[1:], row[0]) for row in rows])


def insert_objects(objs: Sequence, *, ids: bool = True) -> None:
    """Insert unsaved model instances (one model) in one COPY on PostgreSQL (``executemany`` on SQLite), with
    ids reserved up front and set on the instances: ``bulk_create`` without the per-value SQL quoting that
    made most of a sync batch's INSERT time. Field defaults and ``auto_now`` stamps are filled as ``save``
    fills them. A unique violation raises Django's ``IntegrityError``, as ``bulk_create`` does.

    ``ids=False`` (rows nobody points at, such as history rows, none of them with an id yet): the database
    numbers the rows, one statement less; the instances keep ``pk`` None."""
    if not objs:
        return
    meta = objs[0]._meta
    fields = [field for field in meta.concrete_fields if not field.generated]
    missing = [obj for obj in objs if obj.pk is None]
    if not ids and len(missing) == len(objs):
        fields = [field for field in fields if field is not meta.pk]
    else:
        for obj, pk in zip(missing, allocate_ids(meta.db_table, len(missing)), strict=True):
            obj.pk = pk
    stamped = [field for field in fields if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)]
    for obj in objs:
        for field in stamped:
            field.pre_save(obj, True)
    rows = _rows(objs, fields)
    with connection.wrap_database_errors:  # COPY's errors are the driver's own otherwise
        copy_rows(meta.db_table, [field.column for field in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias


def _rows(objs: Sequence, fields: list) -> list:
    """The COPY rows of ``objs``: every value read in one ``attrgetter`` call (C), then the few that need
    converting (JSON, times, anything on SQLite) replaced."""
    if len(fields) == 1:  # ``attrgetter`` of one name gives the value, not a tuple
        read = _reader(fields[0])
        return [(read(obj),) for obj in objs]
    getter = operator.attrgetter(*[field.attname for field in fields])
    converted = [(index, reader) for index, reader in enumerate(map(_reader, fields))
                 if not isinstance(reader, operator.attrgetter)]
    if not converted:
        return [getter(obj) for obj in objs]
    rows = []
    for obj in objs:
        row = list(getter(obj))
        for index, read in converted:
            row[index] = read(obj)
        rows.append(row)
    return rows


# Fields whose Python value the PostgreSQL driver takes as it is (``get_db_prep_save`` per value was most of
# the time of building a COPY's rows); any other field, and every field on SQLite, goes through Django.
_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.FloatField,
          models.UUIDField)


def _reader(field):
    attname = field.attname
    target = field.target_field if field.is_relation else field
    slow = field.get_db_prep_save

    def read(obj):
        return slow(getattr(obj, attname), connection)

    if connection.vendor != "postgresql":
        return read
    if isinstance(target, _AS_IS):
        return operator.attrgetter(attname)
    if isinstance(field, models.JSONField):
        # What Django hands the driver (``Jsonb`` with the field's encoder), as COPY text: the same JSON.
        dumps = functools.partial(json.dumps, cls=field.encoder) if field.encoder else json.dumps

        def read_json(obj):
            value = getattr(obj, attname)
            return None if value is None else read(obj) if hasattr(value, "as_sql") else dumps(value)

        return read_json
    if isinstance(field, models.DateTimeField):
        # An aware time goes as it is (Django makes a naive one aware in the project's zone, with a warning).
        def read_time(obj):
            value = getattr(obj, attname)
            return value if value is None or (type(value) is datetime and value.tzinfo is not None) else read(obj)

        return read_time
    return read


def new_instances(model, rows: Iterable[dict]) -> list:
    """Unsaved ``model`` instances from dicts of field values, as ``model(**values)`` makes them (defaults
    filled, a related instance cached on its field) without ``Model.__init__``'s per-field work, which was
    a tenth of a sync batch's CPU. Keys are field names or attnames; an unknown key raises ``TypeError``
    as the constructor does. A model with init signal receivers goes through its constructor."""
    return _Builder.of(model).build(rows)


class _Builder:
    _cache: dict = {}

    def __init__(self, model):
        self.model = model
        fields = [field for field in model._meta.concrete_fields if not field.generated]
        self.constant: dict = {}
        self.called: list = []  # (attname, callable default): called for each instance, as Django does
        for field in fields:
            if field.has_default() and callable(field.default):
                self.called.append((field.attname, field.default))
            else:
                self.constant[field.attname] = field.get_default()
        self.related = {field.name: field for field in fields if field.is_relation}
        self.attnames = {field.attname for field in fields}

    @classmethod
    def of(cls, model) -> _Builder:
        builder = cls._cache.get(model)
        if builder is None:
            builder = cls._cache[model] = cls(model)
        return builder

    def build(self, rows: Iterable[dict]) -> list:
        model = self.model
        signals = models.signals
        if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):  # asked each time:
            return [model(**values) for values in rows]  # a receiver may connect after the first call
        constant, called, related, attnames = self.constant, self.called, self.related, self.attnames
        made = []
        for values in rows:
            obj = model.__new__(model)
            data = obj.__dict__
            data.update(constant)
            for attname, default in called:
                data[attname] = default()
            state = data["_state"] = models.base.ModelState()
            for name, value in values.items():
                field = related.get(name)
                if field is not None:  # a related instance (or None): its key, and the instance cached
                    if value is not None and not isinstance(value, field.related_model):
                        raise ValueError(f"{model.__name__}.{name} must be a {field.related_model.__name__}.")
                    data[field.attname] = None if value is None else getattr(value, field.target_field.attname)
                    if value is not None:
                        state.fields_cache[name] = value
                elif name in attnames:
                    data[name] = value
                else:
                    raise TypeError(f"{model.__name__}() got an unexpected keyword argument '{name}'")
            made.append(obj)
        return made
