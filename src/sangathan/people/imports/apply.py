"""Applying one chunk of checked rows: match, write, record — a few queries per chunk, not per row.

A chunk is applied in two steps. ``ChunkApplier.plan`` checks what needs the database (units, repeats in
the file), looks up existing people with any of the chunk's mobile numbers, membership numbers or voter
IDs (one query), matches the rows and reserves ids for the new people: reads only. ``ChunkApplier.write``
then gives the new people their membership numbers and writes, inside the caller's transaction: new people
in one COPY (PostgreSQL) or batched INSERT (SQLite), their history rows the same way, changed people in one
``UPDATE … FROM (VALUES …)``, the headcount changes (kept pending, folded in now and then: ``FOLD_CHUNKS``),
flags and rejected rows. The caller commits the chunk and its checkpoint together, so a chunk is applied
wholly or not at all.

Because planning only reads, the importer can plan the next chunk while the database writes this one
(``imports.pipeline``). Rows of the next chunk that share a mobile number, membership number or voter ID
with a row being written (or the person it matched) are *held*: ``settle`` matches them once that chunk is
committed, so they see what it wrote, exactly as if the chunks had been applied one after the other.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sangathan.core.bulk import allocate_ids
from sangathan.people.enums import FlagKind
from sangathan.people.imports.copytext import (
    HISTORY_COLUMNS,
    INSERT_COLUMNS,
    copy_bytes,
    copy_rows,
    copy_text,
    copy_value,
    person_copy_tail,
    suffixed,
)
from sangathan.people.imports.rows import Row, RowChecker, identifiers
from sangathan.people.imports.units import UnitResolver
from sangathan.people.imports.writes import UPDATABLE, add_tags, db_datetime, person_tuples, update_people
from sangathan.people.models import ImportJob, ImportRowError, Person, PersonHistory
from sangathan.people.numbers import PrefixCache, membership_number
from sangathan.people.services import person_flag_raise
from sangathan.people.services.headcounts import headcount_changes, headcounts_fold, headcounts_pend

LOOKUP_FIELDS = ("id", "created_at", *[name for name in UPDATABLE if name != "unit_id"], "unit_id")
# A chunk's headcount changes wait as ``PendingHeadcount`` rows until at least this many chunks and seconds
# have passed since they were last added to the headcounts (and the job's end): pages show a running import's
# people that late. A fold upserts the headcount of every unit the chunks touched, up to a state's 77,000
# (0.85 s, measured): every ten chunks it was ~8% of a big import's time.
FOLD_CHUNKS = 10
FOLD_SECONDS = 30


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    flagged: int = 0
    rejected: int = 0
    errors: list[ImportRowError] = field(default_factory=list)


@dataclass
class NewPeople:
    """A plan's new people as columns, in ``ChunkPlan.ids`` order: file lines, units, membership numbers (None:
    to be generated, on write), COPY tails (PostgreSQL; ``copytext.person_copy_tail``), tags as pairs of index
    and tag id."""

    lines: list[int]
    unit_ids: list[int]
    paths: list[str]
    numbers: list[str | None]
    tails: list[str | None]
    tags: list[tuple[int, int]]


@dataclass
class ChunkPlan:
    """A chunk matched and ready to write (``ChunkApplier.plan``)."""

    result: ChunkResult
    new_rows: list[Row] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)         # reserved for new_rows, in order
    generated: list[str] = field(default_factory=list)   # membership numbers made on write (a clash is fixed there)
    copy: bytes | None = None                            # new people in COPY text (PostgreSQL), made on write
    updates: list[tuple[Row, dict, dict]] = field(default_factory=list)  # (row, match, {field: (before, after)})
    flags: list[tuple[Row, dict]] = field(default_factory=list)
    held: list[Row] = field(default_factory=list)        # matched by ``settle``, after the chunk before commits
    keys: set[tuple[str, str]] = field(default_factory=set)  # identifiers this chunk writes (see module doc)

    people: "NewPeople | None" = None                     # new_rows as columns, as the writer process gets them

    def for_writer(self) -> "ChunkPlan":
        """What ``ChunkApplier.write`` needs of a settled plan, made small and cheap to pickle for the writer
        process: new people as columns (pickling ten thousand row objects cost the planner more than the write
        it handed off), changed and flagged rows reduced to line and tags."""
        def small(row: Row) -> Row:
            return Row(row.line, None, {}, row.tag_ids, None, None, ())

        return ChunkPlan(result=self.result, ids=self.ids, people=self.new_people(),
                         updates=[(small(row), match, diff) for row, match, diff in self.updates],
                         flags=[(small(row), match) for row, match in self.flags])

    def new_people(self) -> "NewPeople":
        if self.people is None:
            rows = self.new_rows
            units = [row.unit_of() for row in rows]
            self.people = NewPeople(
                lines=[row.line for row in rows], unit_ids=[unit[0] for unit in units], paths=[unit[1] for unit in units],
                numbers=[row.ident("membership_no") for row in rows], tails=[row.tail for row in rows],
                tags=[(index, tag_id) for index, row in enumerate(rows) for tag_id in row.tag_ids])
        return self.people


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
        self._db_now = db_datetime(now)
        # People created by this job carry its creation time, to the microsecond: a later row of the file
        # matching one of them repeats an earlier row, in whichever chunk (or run) that one was applied.
        self.created_marker = job.created_at
        self._db_created = db_datetime(job.created_at)
        self.unit_ids: dict[str, int] = {}  # path → id, for the headcounts (ancestors included)
        self.chunks_written = 0
        self._folded = (0, time.monotonic())  # chunks written and the clock at the last fold
        if self.postgres:
            # Checking processes (forked after this) build each good row's COPY text but the writer's columns.
            checker.copy_tail = partial(person_copy_tail, created=str(job.created_at), now=str(now))

    def apply(self, checked: list[tuple[Row, list[str]]]) -> ChunkResult:
        """Plan and write rows already through ``RowChecker.check`` (pairs of row and reasons)."""
        return self.write(self.plan(checked))

    # --- planning (reads only) ----------------------------------------------------------------------

    def plan(self, checked: list[tuple[Row, list[str]]], *, busy: set | frozenset = frozenset()) -> ChunkPlan:
        """Match a chunk; rows sharing an identifier with ``busy`` (the keys of a chunk still being written)
        are held for ``settle``."""
        rows, result = self._check(checked)
        plan = ChunkPlan(result=result)
        if busy:
            clear = []
            for row in rows:
                (plan.held if any(key in busy for key in row.keys) else clear).append(row)
            rows = clear
        self._match(plan, rows)
        return plan

    def settle(self, plan: ChunkPlan) -> ChunkPlan:
        """Match the held rows (call once the chunk written before this one is committed)."""
        held, plan.held = plan.held, []
        self._match(plan, held)
        return plan

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
                    row.set_unit(unit)
            keys = row.keys
            for key in keys:
                earlier = seen.get(key)
                if earlier is not None:
                    errors.append(f"{label(key[0])}: " + _("Same as line %(line)d of this file.")
                                  % {"line": earlier})
            if errors:
                result.errors.append(ImportRowError(job=self.job, line=row.line, values=row.cells, reasons=errors))
                continue
            for key in keys:
                seen[key] = row.line
            good.append(row)
        return good, result

    def _existing(self, rows: list[Row]) -> tuple[dict, dict, dict]:
        mobiles = [row.ident("mobile") for row in rows]
        numbers = [number for row in rows if (number := row.ident("membership_no"))]
        epics = [epic for row in rows if (epic := row.ident("epic"))]
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

    def _match(self, plan: ChunkPlan, rows: list[Row]) -> None:
        """Sort ``rows`` into the plan: new, changed, flagged, skipped, unchanged or rejected."""
        if not rows:
            return
        result = plan.result
        by_mobile, by_number, by_epic = self._existing(rows)
        have_tags = self._existing_tags(rows, by_mobile, by_number)
        label = self.checker.label
        on_match = self.job.on_match
        new_rows: list[Row] = []
        for row in rows:
            match = by_mobile.get(row.ident("mobile"))
            matched_on = "mobile"
            number = row.ident("membership_no")
            if number:
                owner = by_number.get(number)
                if owner is not None and match is not None and owner["id"] != match["id"]:
                    self._reject(result, row, [f"{label('membership_no')}: " + _(
                        "The mobile number and the membership number belong to two different records.")])
                    continue
                if match is None and owner is not None:
                    match, matched_on = owner, "membership_no"
            epic = row.ident("epic")
            if epic:
                owner = by_epic.get(epic)
                if owner is not None and (match is None or owner["id"] != match["id"]):
                    self._reject(result, row, [f"{label('epic')}: " + _(
                        "A person with this voter ID is already registered.")])
                    continue
            if match is None:
                new_rows.append(row)
                plan.keys.update(row.keys)
            elif match["created_at"] == self.created_marker:
                # Created from an earlier row of this very file (in an earlier chunk): a repeat.
                self._reject(result, row, [f"{label(matched_on)}: " + _(
                    "Same person as an earlier row of this file.")])
            elif on_match == ImportJob.OnMatch.SKIP:
                result.skipped += 1
            elif on_match == ImportJob.OnMatch.FLAG:
                plan.flags.append((row, match))
            elif not self.scope.can_write_path(match["unit_path"]):
                self._reject(result, row, [f"{label('mobile')}: " + _(
                    "This person is already registered in a unit outside your area.")])
            else:
                diff = self._diff(row, match, have_tags)
                if diff:
                    plan.updates.append((row, match, diff))
                    plan.keys.update(row.keys)
                    plan.keys.update(identifiers(match))
                else:
                    result.unchanged += 1
        self._number(plan, new_rows)

    def _number(self, plan: ChunkPlan, rows: list[Row]) -> None:
        """Reserve ids for new people (their membership numbers and COPY text are made on write: in the writer
        process, when planned ahead)."""
        if not rows:
            return
        if self.postgres:
            tail_of = self.checker.copy_tail
            for row in rows:
                if row.tail is None:
                    row.tail = tail_of(row.values)
        plan.new_rows.extend(rows)
        plan.ids.extend(self._allocate_ids(len(rows)))

    def _reject(self, result: ChunkResult, row: Row, reasons: list[str]) -> None:
        result.errors.append(ImportRowError(job=self.job, line=row.line, values=row.cells, reasons=reasons))

    @staticmethod
    def _existing_tags(rows: list[Row], by_mobile: dict, by_number: dict) -> dict[int, set[int]]:
        """Tag ids of the existing people that rows with tags may match (one query)."""
        ids = set()
        for row in rows:
            if row.tag_ids:
                for match in (by_mobile.get(row.ident("mobile")), by_number.get(row.ident("membership_no"))):
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

    def _allocate_ids(self, count: int) -> list[int]:
        # SQLite is never planned ahead (``imports.pipeline``): the chunk is written before the next is planned,
        # so ``allocate_ids``'s ids after the current maximum are free.
        return allocate_ids(Person._meta.db_table, count)

    def _number_people(self, plan: ChunkPlan, people: NewPeople) -> None:
        """Give new people without a membership number their generated one; on PostgreSQL make their COPY text."""
        for_path = self.prefixes.for_path
        numbers = people.numbers
        for index, number in enumerate(numbers):
            if number is None:
                numbers[index] = number = membership_number(for_path(people.paths[index]), plan.ids[index])
                plan.generated.append(number)
                if plan.new_rows:  # rows are here when written in the planning process (SQLite writes them)
                    plan.new_rows[index].values["membership_no"] = number
        if self.postgres:
            plan.copy = "".join([
                f"{person_id}\t{unit_id}\t{copy_value(path)}\t{copy_value(number)}\t{tail}\n"
                for person_id, unit_id, path, number, tail in zip(
                    plan.ids, people.unit_ids, people.paths, numbers, people.tails, strict=True)]).encode()

    # --- writing (inside the caller's transaction) ----------------------------------------------------

    def write(self, plan: ChunkPlan) -> ChunkResult:
        """Write a planned (and settled) chunk; returns its counts."""
        result = plan.result
        people = plan.new_people()
        self._number_people(plan, people)
        self._insert(plan, people)
        update_people(plan.updates, actor_id=self.actor_id, now=self._db_now)
        moves = [diff["unit_path"] for _row, _match, diff in plan.updates if "unit_path" in diff]
        self.unit_ids.update(zip(people.paths, people.unit_ids, strict=True))
        headcounts_pend(self.job.pk, headcount_changes(added=people.paths + [new for _old, new in moves],
                                                       removed=[old for old, _new in moves]))
        self.chunks_written += 1
        chunks, at = self._folded
        if self.chunks_written - chunks >= FOLD_CHUNKS and time.monotonic() - at >= FOLD_SECONDS:
            headcounts_fold(self.job.pk, unit_ids=self.unit_ids)
            self._folded = (self.chunks_written, time.monotonic())
        add_tags(plan.updates)
        for row, match in plan.flags:
            person_flag_raise(scope=self.scope, person=Person(pk=match["id"], unit_path=match["unit_path"]),
                              kind=FlagKind.DUPLICATE, source=f"people.import:{self.job.pk}:{row.line}",
                              note=_("Line %(line)d of the import %(file)s has the same mobile number or "
                                     "membership number.") % {"line": row.line, "file": self.job.file_name[:100]})
        result.created = len(plan.ids)
        result.updated = len(plan.updates)
        result.flagged = len(plan.flags)
        result.rejected = len(result.errors)
        if result.errors:
            ImportRowError.objects.bulk_create(result.errors, batch_size=1000)
        return result

    def _insert(self, plan: ChunkPlan, people: NewPeople) -> None:
        ids = plan.ids
        if not ids:
            return
        # Looking every generated number up costs a probe a row, and a clash (a number someone once imported
        # by hand) is rare: write, and only on a clash look them up, suffix them and write again.
        try:
            with transaction.atomic():
                self._write_people(plan)
        except (IntegrityError, connection.Database.IntegrityError) as error:  # COPY's is the driver's own
            if not plan.generated or "membership" not in str(error):
                raise
            taken = self._suffix_taken(plan.new_rows, plan.generated)  # no rows in the writer process: bytes
            if self.postgres:
                plan.copy = suffixed(plan.copy, taken)
            self._write_people(plan)
        job_id = self.job.pk
        created = PersonHistory.Action.CREATED.value
        if self.postgres:
            head = f"\t{created}\t{copy_value(self.actor_id)}\t{self._db_now}\t{{\"import\": [null, \"{job_id}:"
            copy_text(PersonHistory._meta.db_table, HISTORY_COLUMNS,
                      [f'{person_id}{head}{line}"]}}\n' for person_id, line in zip(ids, people.lines, strict=True)])
        else:
            now = self._db_now
            copy_rows(PersonHistory._meta.db_table, HISTORY_COLUMNS,
                      [(person_id, created, self.actor_id, now, f'{{"import": [null, "{job_id}:{line}"]}}')
                       for person_id, line in zip(ids, people.lines, strict=True)])
        tag_rows = [(ids[index], tag_id) for index, tag_id in people.tags]
        if tag_rows:
            copy_rows(Person.tags.through._meta.db_table, ("person_id", "tag_id"), tag_rows)

    def _write_people(self, plan: ChunkPlan) -> None:
        table = Person._meta.db_table
        if self.postgres:
            copy_bytes(table, INSERT_COLUMNS, plan.copy)
        else:
            copy_rows(table, INSERT_COLUMNS, person_tuples(plan.ids, plan.new_rows, created=self._db_created,
                                                           now=self._db_now))

    @staticmethod
    def _suffix_taken(rows: list[Row], numbers: list[str]) -> set[str]:
        """A generated number someone once imported by hand gets a suffix; returns the numbers taken."""
        taken = set(Person.objects.filter(membership_no__any_of=numbers).values_list("membership_no", flat=True))
        for row in rows:
            if row.values["membership_no"] in taken:
                row.values["membership_no"] = f"{row.values['membership_no']}/2"
        return taken
