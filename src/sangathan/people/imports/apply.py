"""Applying one chunk of checked rows: match, write, record — a few queries per chunk, not per row.

Per chunk: one query for the units of codes not seen before, one for existing people with any of the
chunk's mobile numbers, membership numbers or voter IDs, then new people in one COPY (PostgreSQL) or
batched INSERT (SQLite), their history rows the same way, changed people in one ``UPDATE … FROM
(VALUES …)`` (PostgreSQL) or one executemany (SQLite), and the job's counters and checkpoint. The caller
runs all of it in one transaction, so a chunk is applied wholly or not at all.
"""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sangathan.people.enums import FlagKind, PersonSource, PersonStatus, RelationKind
from sangathan.people.imports.copytext import (
    HISTORY_COLUMNS,
    INSERT_COLUMNS,
    copy_rows,
    copy_text,
    copy_value,
    person_copy_tail,
)
from sangathan.people.imports.rows import Row, RowChecker
from sangathan.people.imports.units import UnitResolver
from sangathan.people.models import ImportJob, ImportRowError, Person, PersonHistory
from sangathan.people.numbers import PrefixCache, membership_number
from sangathan.people.services import person_flag_raise
from sangathan.people.services.headcounts import headcount_add, headcount_changes

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
LOOKUP_FIELDS = ("id", "created_at", *[name for name in UPDATABLE if name != "unit_id"], "unit_id")


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    flagged: int = 0
    rejected: int = 0
    errors: list[ImportRowError] = field(default_factory=list)


class ChunkApplier:
    """Applies chunks of one job's rows within ``scope`` (where the import may write; its actor is named in
    the history rows)."""

    def __init__(self, *, scope, job: ImportJob, checker: RowChecker, now: datetime):
        self.job = job
        self.checker = checker
        self.scope = scope
        self.actor_id = scope.user_id
        self.now = now
        self.units = UnitResolver()
        self.units.preload()
        self.prefixes = PrefixCache()
        self.postgres = connection.vendor == "postgresql"
        self._db_now = now if self.postgres else connection.ops.adapt_datetimefield_value(now)
        # People created by this job carry its creation time, to the microsecond: a later row of the file
        # matching one of them repeats an earlier row, in whichever chunk (or run) that one was applied.
        self.created_marker = job.created_at
        self._db_created = (job.created_at if self.postgres
                            else connection.ops.adapt_datetimefield_value(job.created_at))
        self.unit_ids: dict[str, int] = {}  # path → id, for the headcounts (ancestors included)
        if self.postgres:
            # Checking processes (forked after this) build each good row's COPY text but the writer's columns.
            checker.copy_tail = partial(person_copy_tail, created=str(job.created_at), now=str(now))

    # --- checking ---------------------------------------------------------------------------------

    def _check(self, checked: list[tuple[Row, list[str]]]) -> tuple[list[Row], ChunkResult]:
        """Rows that passed ``RowChecker.check`` and the checks that need the database (units, repeats)."""
        result = ChunkResult()
        self.units.resolve({row.unit_code for row, _errors in checked if row.unit_code})
        scope = self.scope
        label = self.checker.label
        seen: dict[tuple[str, str], int] = {}
        good: list[Row] = []
        for row, errors in checked:
            if row.unit_code:
                unit = self.units.get(row.unit_code)
                if unit is None:
                    errors.append(f"{label('unit_code')}: " + _("No unit has the code %(code)s.")
                                  % {"code": row.unit_code})
                elif not scope.can_write_path(unit[1]):
                    errors.append(f"{label('unit_code')}: " + _("This unit is outside your area."))
                else:
                    row.values["unit_id"], row.values["unit_path"] = unit
            for key, column in (("mobile", "mobile"), ("membership_no", "membership_no"), ("epic", "epic")):
                value = row.values.get(key)
                if value:
                    earlier = seen.get((key, value))
                    if earlier is not None:
                        errors.append(f"{label(column)}: " + _("Same as line %(line)d of this file.")
                                      % {"line": earlier})
            if errors:
                result.errors.append(ImportRowError(job=self.job, line=row.line, values=row.cells, reasons=errors))
                continue
            for key in ("mobile", "membership_no", "epic"):
                value = row.values.get(key)
                if value:
                    seen[(key, value)] = row.line
            good.append(row)
        return good, result

    # --- matching ---------------------------------------------------------------------------------

    def _existing(self, rows: list[Row]) -> tuple[dict, dict, dict]:
        mobiles = [row.values["mobile"] for row in rows]
        numbers = [row.values["membership_no"] for row in rows if row.values.get("membership_no")]
        epics = [row.values["epic"] for row in rows if row.values.get("epic")]
        query = Q(mobile__any_of=mobiles)
        if numbers:
            query |= Q(membership_no__any_of=numbers)
        if epics:
            query |= Q(epic__any_of=epics)
        by_mobile, by_number, by_epic = {}, {}, {}
        for values in Person.objects.filter(query).order_by().values(*LOOKUP_FIELDS):
            by_mobile[values["mobile"]] = values
            if values["membership_no"]:
                by_number[values["membership_no"]] = values
            if values["epic"]:
                by_epic[values["epic"]] = values
        return by_mobile, by_number, by_epic

    def apply(self, checked: list[tuple[Row, list[str]]]) -> ChunkResult:
        """Apply rows already through ``RowChecker.check`` (pairs of row and reasons)."""
        rows, result = self._check(checked)
        if not rows:
            self._write_errors(result)
            return result
        by_mobile, by_number, by_epic = self._existing(rows)
        have_tags = self._existing_tags(rows, by_mobile, by_number)
        label = self.checker.label
        on_match = self.job.on_match
        new_rows: list[Row] = []
        updates: list[tuple[Row, dict, dict]] = []
        flags: list[tuple[Row, dict]] = []
        for row in rows:
            values = row.values
            match = by_mobile.get(values["mobile"])
            matched_on = "mobile"
            number = values.get("membership_no")
            if number:
                owner = by_number.get(number)
                if owner is not None and match is not None and owner["id"] != match["id"]:
                    self._reject(result, row, [f"{label('membership_no')}: " + _(
                        "The mobile number and the membership number belong to two different records.")])
                    continue
                if match is None and owner is not None:
                    match, matched_on = owner, "membership_no"
            epic = values.get("epic")
            if epic:
                owner = by_epic.get(epic)
                if owner is not None and (match is None or owner["id"] != match["id"]):
                    self._reject(result, row, [f"{label('epic')}: " + _(
                        "A person with this voter ID is already registered.")])
                    continue
            if match is None:
                new_rows.append(row)
            elif match["created_at"] == self.created_marker:
                # Created from an earlier row of this very file (in an earlier chunk): a repeat.
                self._reject(result, row, [f"{label(matched_on)}: " + _(
                    "Same person as an earlier row of this file.")])
            elif on_match == ImportJob.OnMatch.SKIP:
                result.skipped += 1
            elif on_match == ImportJob.OnMatch.FLAG:
                flags.append((row, match))
            elif not self.scope.can_write_path(match["unit_path"]):
                self._reject(result, row, [f"{label('mobile')}: " + _(
                    "This person is already registered in a unit outside your area.")])
            else:
                diff = self._diff(row, match, have_tags)
                if diff:
                    updates.append((row, match, diff))
                else:
                    result.unchanged += 1
        self._insert(new_rows)
        self._update(updates)
        moves = [diff["unit_path"] for _row, _match, diff in updates if "unit_path" in diff]
        for row in new_rows:
            self.unit_ids[row.values["unit_path"]] = row.values["unit_id"]
        headcount_add(headcount_changes(added=[row.values["unit_path"] for row in new_rows] + [new for _old, new in moves],
                                        removed=[old for old, _new in moves]), unit_ids=self.unit_ids)
        self._add_tags(updates)
        for row, match in flags:
            person_flag_raise(scope=self.scope, person=Person(pk=match["id"], unit_path=match["unit_path"]),
                              kind=FlagKind.DUPLICATE, source=f"people.import:{self.job.pk}:{row.line}",
                              note=_("Line %(line)d of the import %(file)s has the same mobile number or "
                                     "membership number.") % {"line": row.line, "file": self.job.file_name[:100]})
        result.created = len(new_rows)
        result.updated = len(updates)
        result.flagged = len(flags)
        self._write_errors(result)
        return result

    def _reject(self, result: ChunkResult, row: Row, reasons: list[str]) -> None:
        result.errors.append(ImportRowError(job=self.job, line=row.line, values=row.cells, reasons=reasons))

    def _write_errors(self, result: ChunkResult) -> None:
        result.rejected = len(result.errors)
        if result.errors:
            ImportRowError.objects.bulk_create(result.errors, batch_size=1000)

    @staticmethod
    def _existing_tags(rows: list[Row], by_mobile: dict, by_number: dict) -> dict[int, set[int]]:
        """Tag ids of the existing people that rows with tags may match (one query)."""
        ids = set()
        for row in rows:
            if row.tag_ids:
                for match in (by_mobile.get(row.values["mobile"]), by_number.get(row.values.get("membership_no"))):
                    if match is not None:
                        ids.add(match["id"])
        have: dict[int, set[int]] = {}
        if ids:
            for person_id, tag_id in Person.tags.through.objects.filter(person_id__in=ids).values_list(
                    "person_id", "tag_id"):
                have.setdefault(person_id, set()).add(tag_id)
        return have

    def _diff(self, row: Row, existing: dict, have_tags: dict[int, set[int]]) -> dict:
        """Fields the row changes: {field: (before, after)}; only cells the row gives count. Tags are only
        added; consent given again the same way keeps its first date."""
        diff = {}
        for key, value in row.values.items():
            if key in UPDATABLE and existing.get(key) != value:
                diff[key] = (existing.get(key), value)
        if "consent_at" in diff and existing["consent_at"] is not None and "consent_method" not in diff \
                and "consent_purposes" not in diff:
            del diff["consent_at"]
        if row.tag_ids:
            before = have_tags.get(existing["id"], set())
            if not set(row.tag_ids) <= before:
                codes = self.checker.tag_codes
                diff["tags"] = (sorted(codes[t] for t in before), sorted(codes[t] for t in before | set(row.tag_ids)))
        return diff

    # --- writing ----------------------------------------------------------------------------------

    def _allocate_ids(self, count: int) -> list[int]:
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SELECT nextval(pg_get_serial_sequence('people_person', 'id')) "
                               "FROM generate_series(1, %s)", [count])
                return [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM people_person")
            first = cursor.fetchone()[0] + 1
            return list(range(first, first + count))

    def _insert(self, rows: list[Row]) -> None:
        if not rows:
            return
        ids = self._allocate_ids(len(rows))
        numbers = []
        for_path = self.prefixes.for_path
        for person_id, row in zip(ids, rows, strict=True):
            values = row.values
            if not values.get("membership_no"):
                values["membership_no"] = membership_number(for_path(values["unit_path"]), person_id)
                numbers.append(values["membership_no"])
        # Looking every generated number up costs a probe a row, and a clash (a number someone once imported
        # by hand) is rare: write, and only on a clash look them up, suffix them and write again.
        try:
            with transaction.atomic():
                self._write_people(ids, rows)
        except (IntegrityError, connection.Database.IntegrityError) as error:  # COPY's is the driver's own
            if not numbers or "membership" not in str(error):
                raise
            self._suffix_taken(rows, numbers)
            self._write_people(ids, rows)
        job_id = self.job.pk
        created = PersonHistory.Action.CREATED.value
        if self.postgres:
            head = f"\t{created}\t{copy_value(self.actor_id)}\t{self._db_now}\t{{\"import\": [null, \"{job_id}:"
            copy_text(PersonHistory._meta.db_table, HISTORY_COLUMNS,
                            [f'{person_id}{head}{row.line}"]}}\n' for person_id, row in zip(ids, rows, strict=True)])
        else:
            now = self._db_now
            copy_rows(PersonHistory._meta.db_table, HISTORY_COLUMNS,
                       [(person_id, created, self.actor_id, now, f'{{"import": [null, "{job_id}:{row.line}"]}}')
                        for person_id, row in zip(ids, rows, strict=True)])
        tag_rows = [(person_id, tag_id) for person_id, row in zip(ids, rows, strict=True) for tag_id in row.tag_ids]
        if tag_rows:
            copy_rows(Person.tags.through._meta.db_table, ("person_id", "tag_id"), tag_rows)

    def _write_people(self, ids: list[int], rows: list[Row]) -> None:
        table = Person._meta.db_table
        if not self.postgres:
            copy_rows(table, INSERT_COLUMNS, self._person_tuples(ids, rows))
            return
        tail_of = self.checker.copy_tail
        lines = []
        for person_id, row in zip(ids, rows, strict=True):
            values = row.values
            tail = row.tail if row.tail is not None else tail_of(values)
            lines.append(f"{person_id}\t{values['unit_id']}\t{copy_value(values['unit_path'])}\t"
                         f"{copy_value(values['membership_no'])}\t{tail}\n")
        copy_text(table, INSERT_COLUMNS, lines)

    @staticmethod
    def _suffix_taken(rows: list[Row], numbers: list[str]) -> None:
        """A generated number someone once imported by hand gets a suffix."""
        taken = set(Person.objects.filter(membership_no__any_of=numbers).values_list("membership_no", flat=True))
        for row in rows:
            if row.values["membership_no"] in taken:
                row.values["membership_no"] = f"{row.values['membership_no']}/2"

    def _person_tuples(self, ids: list[int], rows: list[Row]) -> list[tuple]:
        """Rows in ``INSERT_COLUMNS`` order (SQLite; PostgreSQL gets COPY text)."""
        now = self._db_now
        adapt_date = self._adapt_date
        tuples = []
        for person_id, row in zip(ids, rows, strict=True):
            get = row.values.get
            consent_at = get("consent_at")
            tuples.append((
                person_id, get("unit_id"), get("unit_path"), get("membership_no"),
                self._db_created, now, get("name"), get("name_latin"), get("name_key"), get("relative_name", ""),
                get("relative_name_key", ""), get("relation") or RelationKind.FATHER.value, get("gender", ""),
                get("birth_year"), get("mobile"), get("epic", ""), PersonStatus.ACTIVE.value, "",
                get("alt_mobile", ""), get("email", ""), get("address", ""), get("occupation", ""),
                get("education", ""), "{}", adapt_date(get("joined_on")), get("source") or PersonSource.IMPORT.value,
                self._adapt_datetime(consent_at) if consent_at else None, get("consent_method", ""),
                json.dumps(get("consent_purposes") or []), None, "",
            ))
        return tuples

    def _update(self, updates: list[tuple[Row, dict, dict]]) -> None:
        if not updates:
            return
        columns = sorted({key for _row, _match, diff in updates for key in diff if key in UPDATABLE})
        if columns:
            rows = []
            for _row, match, diff in updates:
                if not set(diff) - {"tags"}:
                    continue
                merged = {key: (diff[key][1] if key in diff else match[key]) for key in columns}
                rows.append((match["id"], *[self._sql_value(key, merged[key]) for key in columns]))
            self._update_rows(columns, rows)
        now = self._db_now
        history = []
        for _row, match, diff in updates:
            changes = {key: [_jsonable(before), _jsonable(after)] for key, (before, after) in diff.items()
                       if key not in HISTORY_HIDDEN}
            if "unit_id" in changes:
                changes["unit"] = changes.pop("unit_id")
            if changes:
                history.append((match["id"], PersonHistory.Action.UPDATED.value, self.actor_id, now,
                                json.dumps(changes, ensure_ascii=False)))
        if history:
            copy_rows(PersonHistory._meta.db_table, ("person_id", "action", "actor_id", "at", "changes"), history)

    def _add_tags(self, updates: list[tuple[Row, dict, dict]]) -> None:
        wanted = {(match["id"], tag_id) for row, match, diff in updates if "tags" in diff for tag_id in row.tag_ids}
        if not wanted:
            return
        through = Person.tags.through
        have = set(through.objects.filter(person_id__in={pid for pid, _tag in wanted})
                   .values_list("person_id", "tag_id"))
        missing = sorted(wanted - have)
        if missing:
            copy_rows(through._meta.db_table, ("person_id", "tag_id"), missing)

    def _update_rows(self, columns: list[str], rows: list[tuple]) -> None:
        if not rows:
            return
        quote = connection.ops.quote_name
        table = quote(Person._meta.db_table)
        with connection.cursor() as cursor:
            if self.postgres:
                casts = ", ".join(["%s::bigint", *[f"%s::{UPDATABLE[c]}" for c in columns]])
                values = ", ".join([f"({casts})"] * len(rows))
                assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
                names = ", ".join(["id", *[quote(c) for c in columns]])
                cursor.execute(
                    f"UPDATE {table} AS p SET {assignments}, updated_at = %s "  # noqa: S608
                    f"FROM (VALUES {values}) AS v({names}) WHERE p.id = v.id",
                    [self._db_now, *[value for row in rows for value in row]],
                )
            else:
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.executemany(f"UPDATE {table} SET {assignments}, updated_at = %s WHERE id = %s",  # noqa: S608
                                   [(*row[1:], self._db_now, row[0]) for row in rows])

    def _adapt_date(self, value):
        if value is None:
            return None
        return value if self.postgres else value.isoformat()

    def _adapt_datetime(self, value):
        return value if self.postgres else connection.ops.adapt_datetimefield_value(value)

    def _sql_value(self, key: str, value):
        if UPDATABLE[key] == "jsonb":
            return json.dumps(value if value is not None else [])
        if UPDATABLE[key] == "date":
            return self._adapt_date(value)
        if UPDATABLE[key] == "timestamptz":
            return self._adapt_datetime(value) if value is not None else None
        return value


def _jsonable(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value
