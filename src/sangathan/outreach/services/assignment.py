"""The daily assignment: which caller calls which targets today, computed for a whole state at once.

Fairness. Every target carries a key: the day they were last called (never = first), then how many calls
they have had (a first call before a second one made on the same day), the day they were last given to a
caller, and a seeded random number. Lowest keys are given first, so the booth presidents rotate like a
queue: nobody is called twice before everyone has been called once, ties fall at random, and the same seed
gives the same lists. A missed call is no call: that target keeps their place at the front.

Pairing. A caller's *pool* is a subtree: the unit of their calling post at the program's pairing level (a
district in-charge's district), else their assigned region, else the program's whole root. Targets are
visited from the lowest key; each goes to a caller with calls left whose pool holds it, the smallest pool
first (a district in-charge before a state office-bearer), never to a caller living in that booth and never
to the target themselves; if only such barred callers are left, an earlier pick is swapped to make room.

Scale. The work is a few set reads (callers' positions, absences, and the targets joined to their
``ContactState`` in one query, as integers), one pass in Python over compact lists, one bulk write of the assignments (COPY on PostgreSQL) and one set-based upsert
of the contact state (``INSERT … SELECT … ON CONFLICT``). Nothing is done per row in SQL.

Idempotence. A run for (program, day) locks its ``AssignmentRun`` row; it leaves what that day already has
and only fills what is missing (callers below their cap, targets not yet given that day), so a re-run adds
nothing, and a run after a new caller was appointed only adds that caller's calls.
"""

import random
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.tree import SEGMENT, UPPER_SENTINEL, subtree_q
from sangathan.org.models import Position, Unit
from sangathan.outreach.enums import AssignmentStatus, CallKind
from sangathan.outreach.models import (
    AssignmentRun,
    CallAssignment,
    CallerAbsence,
    ContactProgram,
    ContactState,
    ProgramCaller,
)
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person

ASSIGNMENT_COLUMNS = ("program_id", "kind", "day", "caller_id", "target_id", "target_unit_id", "unit_path",
                      "caller_path", "rank", "questions", "source", "status", "created_at")
SQLITE_BATCH = 5_000
AUDIT_ASSIGN = "outreach.assign"
AUDIT_EXPIRE = "outreach.expire"


@dataclass
class AssignResult:
    program_id: int
    day: date
    skipped: str = ""  # why nothing was done ("not a working day", "inactive"), else ""
    callers: int = 0
    absent_callers: int = 0
    targets: int = 0
    vacant_units: int = 0
    assigned: int = 0
    already: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


@dataclass(slots=True)
class _Caller:
    person_id: int
    path: str       # unit of the calling post (or the person's own unit for named callers)
    home_unit: int  # the person's own unit: never called from here
    pool: str       # subtree their targets come from


@transaction.atomic
def assignments_expire(*, scope: Scope, before: date) -> int:
    """Mark every call still pending from a day before ``before`` as missed, with an audit row when any
    were; returns how many. (Reads already count them as missed; this keeps the stored status honest. It
    walks only the partial index of pending calls, never the history.) The system's work: every subtree."""
    if not scope.writes_all:
        raise PermissionDenied(_("Only the system expires calls."))
    expired = CallAssignment.objects.filter(day__lt=before, status=AssignmentStatus.PENDING).update(
        status=AssignmentStatus.MISSED)
    if expired:
        audit_log(scope=scope, action=AUDIT_EXPIRE, detail={"before": before.isoformat(), "calls": expired})
    return expired


def pairing_depth(program: ContactProgram) -> int | None:
    """The depth (in path segments) of the program's pairing level, or None without one."""
    if not program.pairing_level:
        return None
    return Unit.objects.filter(level=program.pairing_level).values_list("depth", flat=True).first()


def _callers(program: ContactProgram, day: date) -> tuple[list[_Caller], int]:
    """Active, present callers of ``program`` on ``day``, one entry per person; and how many were absent."""
    depth = pairing_depth(program)
    rules = list(program.caller_posts.values_list("post_id", "level"))
    rule_q = Q(pk__in=[])
    for post_id, level in rules:
        rule_q |= Q(post_id=post_id, unit__level=level)
    rows = (Position.objects.current(on=day).filter(rule_q, unit__isnull=False)
            .filter(subtree_q("unit_path", program.target_path))
            .values_list("person_id", "unit_path", "person__unit_id", "person__status"))
    named = {person_id: region_path for person_id, region_path in
             ProgramCaller.objects.filter(program=program).values_list("person_id", "region__path")}
    by_person: dict[int, tuple[str, int]] = {}
    for person_id, path, home_unit, status in rows:
        if status != PersonStatus.ACTIVE:
            continue
        # Holding two calling posts, the person calls for the wider one (the shorter path).
        if person_id not in by_person or len(path) < len(by_person[person_id][0]):
            by_person[person_id] = (path, home_unit)
    missing_named = [pid for pid in named if pid not in by_person]
    for person_id, path, home_unit, status in Person.objects.filter(pk__in=missing_named).values_list(
            "id", "unit_path", "unit_id", "status"):
        if status == PersonStatus.ACTIVE:
            by_person[person_id] = (path, home_unit)
    # Absences of the day are few: read them all rather than send thousands of caller ids.
    absent = set(CallerAbsence.objects.filter(start_on__lte=day, end_on__gte=day)
                 .values_list("person_id", flat=True)) & set(by_person)
    callers = []
    for person_id, (path, home_unit) in sorted(by_person.items()):
        if person_id in absent:
            continue
        if named.get(person_id):
            pool = named[person_id]
        elif depth is not None and len(path) >= depth * SEGMENT and person_id not in named:
            pool = path[:depth * SEGMENT]
        else:
            pool = program.target_path
        if program.target_path.startswith(pool):
            pool = program.target_path
        elif not pool.startswith(program.target_path):
            continue  # the caller's pool lies outside the program: nothing to call
        callers.append(_Caller(person_id, path, home_unit, pool))
    return callers, len(absent)


def _day_number_sql(column: str) -> str:
    """SQL turning a nullable date column into a day number (0 when null): the sort keys stay integers."""
    if connection.vendor == "postgresql":
        return f"COALESCE({column} - DATE '2000-01-01' + 1, 0)"
    return f"COALESCE(CAST(julianday({column}) - julianday('2000-01-01') + 1 AS INTEGER), 0)"


def _targets(program: ContactProgram, day: date) -> list[tuple[str, int, int, int, int, int]]:
    """Current active holders of the target post at target-level units under the root, with their contact
    state: (unit path, person id, unit id, day number last called, calls so far, day number last given), in
    one query."""
    if connection.vendor == "postgresql":
        subtree, subtree_params = "p.unit_path LIKE %s", [program.target_path + "%"]
    else:
        subtree, subtree_params = "p.unit_path >= %s AND p.unit_path < %s", [
            program.target_path, program.target_path + UPPER_SENTINEL]
    day_value = connection.ops.adapt_datefield_value(day)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A state's targets are hash-joined in memory, not in batches spilled to disk (this transaction only).
            cursor.execute("SET LOCAL work_mem = '64MB'")
        cursor.execute(
            f"SELECT p.unit_path, p.person_id, p.unit_id, {_day_number_sql('s.last_called_on')},"  # noqa: S608
            f" COALESCE(s.called_count, 0), {_day_number_sql('s.last_assigned_on')}"
            f" FROM {Position._meta.db_table} p"
            f" JOIN {Unit._meta.db_table} u ON u.id = p.unit_id"
            f" JOIN {Person._meta.db_table} pe ON pe.id = p.person_id"
            f" LEFT JOIN {ContactState._meta.db_table} s ON s.program_id = %s AND s.target_id = p.person_id"
            f" WHERE {subtree} AND p.post_id = %s AND u.level = %s AND pe.status = %s"
            f" AND p.start_date <= %s AND (p.end_date IS NULL OR p.end_date > %s)",
            [program.pk, *subtree_params, program.target_post_id, program.target_level, PersonStatus.ACTIVE,
             day_value, day_value],
        )
        return cursor.fetchall()


def target_units_count(program: ContactProgram) -> int:
    return Unit.objects.filter(subtree_q("path", program.target_path), level=program.target_level).count()


@transaction.atomic
def assignments_assign(*, scope: Scope, program: ContactProgram, day: date | None = None,
                       seed: int | None = None) -> AssignResult:
    """Assign ``program``'s calls for ``day`` (default today); see the module docstring for the rules.

    Writes the day's assignments, updates ``ContactState`` and writes an audit row when calls were added;
    idempotent per (program, day). Needs write scope over the program's unit (the worker: the system). Sends
    nothing (``call_lists_send`` does) and expires nothing: a call is callable on its day only whatever its
    status, reads count a pending call of a past day as missed, and ``assignments_expire`` marks them so
    at night.
    """
    started = time.perf_counter()
    day = day or clock.today()
    scope.require(program.target_path, message=_("No such program."))
    if not scope.can_write_path(program.target_path):
        raise PermissionDenied(_("Only the office of this unit may assign its calls."))
    if day < clock.today():
        raise DomainError(_("Calls cannot be assigned for a day that has passed."), field="date")
    result = AssignResult(program_id=program.pk, day=day)
    timings = result.timings
    if not program.is_active:
        result.skipped = "inactive"
        return result
    if not program.works_on(day):
        result.skipped = "not a working day"
        return result
    run_seed_value = program.seed if seed is None else seed
    run, _created = AssignmentRun.objects.select_for_update().get_or_create(
        program=program, day=day, defaults={"seed": run_seed_value, "started_at": timezone.now()})

    mark = time.perf_counter()
    callers, result.absent_callers = _callers(program, day)
    timings["callers"] = time.perf_counter() - mark
    mark = time.perf_counter()
    targets = _targets(program, day)
    result.callers, result.targets = len(callers), len({row[1] for row in targets})
    result.vacant_units = max(target_units_count(program) - len({row[2] for row in targets}), 0)
    existing = list(CallAssignment.objects.filter(program=program, day=day).values_list("caller_id", "target_id"))
    timings["targets"] = time.perf_counter() - mark

    mark = time.perf_counter()
    rows = _plan(program=program, day=day, seed=run_seed_value, callers=callers, targets=targets,
                 existing=existing)
    timings["plan"] = time.perf_counter() - mark
    result.already = len(existing)

    mark = time.perf_counter()
    result.assigned = _write_assignments(rows)
    timings["write"] = time.perf_counter() - mark
    mark = time.perf_counter()
    if result.assigned:
        _upsert_state(program.pk, day)
    timings["state"] = time.perf_counter() - mark

    result.seconds = time.perf_counter() - started
    AssignmentRun.objects.filter(pk=run.pk).update(
        seed=run_seed_value, callers=result.callers, absent_callers=result.absent_callers, targets=result.targets,
        vacant_units=result.vacant_units, assigned=run.assigned + result.assigned,
        finished_at=timezone.now(), seconds=result.seconds)
    if result.assigned:
        audit_log(scope=scope, action=AUDIT_ASSIGN, target=program, unit_path=program.target_path,
                  detail={"day": day.isoformat(), "assigned": result.assigned, "callers": result.callers,
                          "seed": run_seed_value})
    return result


def _plan(*, program, day, seed, callers: list[_Caller], targets, existing) -> list[tuple]:
    """The new assignment rows for the day (see the module docstring); ``targets`` as ``_targets`` reads
    them. Ties are broken by a hash of (seed, program, day, person), so the same seed gives the same lists
    whatever order the database returns rows in."""
    rng = random.Random(f"{seed}:{program.pk}:{day.isoformat()}")
    salt = rng.getrandbits(60)
    # One integer key per target: the day last called (0 = never), then fewer calls so far (a first call
    # before a second one made the same day), the day last given, a seeded tie-break.
    keys = [(((called << 16 | min(count, 0xFFFF)) << 16 | assigned) << 24) | (hash((salt, person_id)) & 0xFFFFFF)
            for _path, person_id, _unit, called, count, assigned in targets]
    paths = [row[0] for row in targets]
    people = [row[1] for row in targets]
    units = [row[2] for row in targets]
    called_today = set()  # a person holding two target posts is still called once a day
    cap = program.per_caller_per_day
    load: dict[int, int] = {}
    for caller_id, target_id in existing:
        load[caller_id] = load.get(caller_id, 0) + 1
        called_today.add(target_id)

    rng.shuffle(callers)
    left = {caller.person_id: cap - load.get(caller.person_id, 0) for caller in callers}
    queues: dict[str, deque[_Caller]] = {}
    for caller in callers:
        if left[caller.person_id] > 0:
            queues.setdefault(caller.pool, deque()).append(caller)
    lengths = sorted({len(pool) for pool in queues}, reverse=True)
    remaining = sum(n for n in left.values() if n > 0)

    picks: list[list] = []  # [caller, target index], in the order given
    for index in sorted(range(len(people)), key=keys.__getitem__):
        if not remaining:
            break
        path, unit, person = paths[index], units[index], people[index]
        if person in called_today:
            continue
        chosen = None
        waiting = False
        for length in lengths:
            queue = queues.get(path[:length])
            if not queue:
                continue
            waiting = True
            for _turn in range(len(queue)):
                caller = queue[0]
                if caller.home_unit != unit and caller.person_id != person:
                    chosen = queue.popleft()
                    if left[chosen.person_id] > 1:
                        queue.append(chosen)
                    break
                queue.rotate(-1)
            if chosen is not None:
                break
        if chosen is None:
            if not waiting:
                continue  # everyone who may call this target is full today
            chosen = _swap_for(index, picks, queues, left, paths, units, people)
            if chosen is None:
                continue
        else:
            picks.append([chosen, index])
        left[chosen.person_id] -= 1
        remaining -= 1
        called_today.add(person)

    now = connection.ops.adapt_datetimefield_value(timezone.now())
    day_value = connection.ops.adapt_datefield_value(day)
    rows = []
    picks.sort(key=lambda pick: (pick[0].person_id, keys[pick[1]]))
    for caller, index in picks:
        load[caller.person_id] = load.get(caller.person_id, 0) + 1
        rows.append((program.pk, CallKind.DAILY.value, day_value, caller.person_id, people[index], units[index],
                     paths[index], caller.path, load[caller.person_id], "[]", "", AssignmentStatus.PENDING.value,
                     now))
    return rows


SWAP_LOOKBACK = 64


def _swap_for(index, picks, queues, left, paths, units, people):
    """Give target ``index`` to an earlier pick's caller, whose target goes to a caller with calls left
    who may not call ``index`` itself (their own booth). Returns the caller with calls left (who is charged
    for one call), or None."""

    def may_call(caller: _Caller, i: int) -> bool:
        return paths[i].startswith(caller.pool) and units[i] != caller.home_unit and people[i] != caller.person_id

    waiting = [caller for queue in queues.values() for caller in queue if left[caller.person_id] > 0
               and paths[index].startswith(caller.pool)]
    for pick in reversed(picks[-SWAP_LOOKBACK:]):
        earlier_caller, earlier_index = pick
        if not may_call(earlier_caller, index):
            continue
        for caller in waiting:
            if may_call(caller, earlier_index):
                pick[1] = index
                picks.append([caller, earlier_index])
                if left[caller.person_id] <= 1:
                    for queue in queues.values():
                        if caller in queue:
                            queue.remove(caller)
                return caller
    return None


def _write_assignments(rows: list[tuple]) -> int:
    if not rows:
        return 0
    table = CallAssignment._meta.db_table
    columns = ", ".join(ASSIGNMENT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(ASSIGNMENT_COLUMNS))})"  # noqa: S608
            for start in range(0, len(rows), SQLITE_BATCH):
                cursor.executemany(sql, rows[start:start + SQLITE_BATCH])
    return len(rows)


def _upsert_state(program_id: int, day: date) -> None:
    """Record in one statement that the day's targets were given to a caller (a re-run counts nobody twice)."""
    state = ContactState._meta.db_table
    assignment = CallAssignment._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {state} (program_id, target_id, last_assigned_on, assigned_count, called_count,"  # noqa: S608
            f" target_unit_id, unit_path)"
            f" SELECT program_id, target_id, day, 1, 0, target_unit_id, unit_path FROM {assignment}"
            f" WHERE program_id = %s AND day = %s"
            f" ON CONFLICT (program_id, target_id) DO UPDATE SET last_assigned_on = excluded.last_assigned_on,"
            f" assigned_count = {state}.assigned_count + 1, target_unit_id = excluded.target_unit_id,"
            f" unit_path = excluded.unit_path"
            f" WHERE {state}.last_assigned_on IS NULL OR {state}.last_assigned_on < excluded.last_assigned_on",
            [program_id, connection.ops.adapt_datefield_value(day)],
        )
