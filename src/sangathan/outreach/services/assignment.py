"""The daily assignment: which caller calls which targets today, computed for a whole state at once.

Fairness. Every target carries a key (day last called, day last given to a caller, a seeded random number);
the lowest keys are given first, so nobody is called twice before everyone has been called once, ties fall
at random, and the same seed gives the same lists. Missed calls do not count as calls: a target whose call
was missed comes back before anyone already called.

Pairing. A caller's *pool* is a subtree: the unit of their calling post at the program's pairing level (a
district in-charge's district), else their assigned region, else the program's whole root. Callers with the
smallest pools choose first (they have fewest options), each taking the lowest keys of their pool that are
still free that day, never a target of their own home unit (their own booth) and never themselves.

Scale. The work is a few set reads (positions, absences, the per-target ``ContactState``), one pass in
Python over compact lists, one bulk write of the assignments (COPY on PostgreSQL) and one set-based upsert
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

from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.tree import SEGMENT, subtree_q
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
    expired: int = 0
    seconds: float = 0.0
    timings: dict = field(default_factory=dict)


@dataclass(slots=True)
class _Caller:
    person_id: int
    path: str       # unit of the calling post (or the person's own unit for named callers)
    home_unit: int  # the person's own unit: never called from here
    pool: str       # subtree their targets come from


def assignments_expire(*, before: date) -> int:
    """Mark every call still pending from a day before ``before`` as missed; returns how many."""
    return CallAssignment.objects.filter(day__lt=before, status=AssignmentStatus.PENDING).update(
        status=AssignmentStatus.MISSED)


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
    inactive = set()
    for person_id, path, home_unit, status in rows:
        if status != PersonStatus.ACTIVE:
            inactive.add(person_id)
            continue
        # Holding two calling posts, the person calls for the wider one (the shorter path).
        if person_id not in by_person or len(path) < len(by_person[person_id][0]):
            by_person[person_id] = (path, home_unit)
    missing_named = [pid for pid in named if pid not in by_person]
    for person_id, path, home_unit, status in Person.objects.filter(pk__in=missing_named).values_list(
            "id", "unit_path", "unit_id", "status"):
        if status == PersonStatus.ACTIVE:
            by_person[person_id] = (path, home_unit)
    absent = set(CallerAbsence.objects.filter(start_on__lte=day, end_on__gte=day, person_id__in=list(by_person))
                 .values_list("person_id", flat=True)) if by_person else set()
    callers = []
    for person_id, (path, home_unit) in by_person.items():
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


def _targets(program: ContactProgram, day: date) -> tuple[list[int], list[int], list[str]]:
    """Current active holders of the target post at target-level units under the root: (person ids, their
    units, the units' paths), one entry per person, in path order."""
    rows = (Position.objects.current(on=day)
            .filter(subtree_q("unit_path", program.target_path), post_id=program.target_post_id,
                    unit__level=program.target_level, person__status=PersonStatus.ACTIVE)
            .values_list("unit_path", "person_id", "unit_id").order_by("unit_path", "person_id"))
    seen = set()
    people, units, paths = [], [], []
    for path, person_id, unit_id in rows:
        if person_id in seen:
            continue
        seen.add(person_id)
        people.append(person_id)
        units.append(unit_id)
        paths.append(path)
    return people, units, paths


def target_units_count(program: ContactProgram) -> int:
    return Unit.objects.filter(subtree_q("path", program.target_path), level=program.target_level).count()


def run_seed(program: ContactProgram, day: date, seed: int | None) -> int:
    return program.seed if seed is None else seed


@transaction.atomic
def assignments_assign(*, program: ContactProgram, day: date | None = None, seed: int | None = None,
                       actor=None, scope=None) -> AssignResult:
    """Assign ``program``'s calls for ``day`` (default today); see the module docstring for the rules.

    Expires the pending calls of earlier days (they count as missed), writes the day's assignments and
    updates ``ContactState``; idempotent per (program, day). Sends nothing: ``call_lists_send`` does.
    """
    started = time.perf_counter()
    day = day or clock.today()
    if scope is not None and not scope.can_write_path(program.target_path):
        raise PermissionDenied(_("Only the office of this unit may assign its calls."))
    if day < clock.today():
        raise DomainError(_("Calls cannot be assigned for a day that has passed."), field="date")
    result = AssignResult(program_id=program.pk, day=day)
    result.expired = assignments_expire(before=day)
    if not program.is_active:
        result.skipped = "inactive"
        return result
    if not program.works_on(day):
        result.skipped = "not a working day"
        return result
    run_seed_value = run_seed(program, day, seed)
    run, _created = AssignmentRun.objects.select_for_update().get_or_create(
        program=program, day=day, defaults={"seed": run_seed_value, "started_at": timezone.now()})
    timings = result.timings

    mark = time.perf_counter()
    callers, result.absent_callers = _callers(program, day)
    people, units, paths = _targets(program, day)
    result.callers, result.targets = len(callers), len(people)
    result.vacant_units = max(target_units_count(program) - len(set(units)), 0)
    states = {target: (called, assigned) for target, called, assigned in ContactState.objects.filter(
        program=program).values_list("target_id", "last_called_on", "last_assigned_on").iterator(chunk_size=20_000)}
    existing = list(CallAssignment.objects.filter(program=program, day=day).values_list("caller_id", "target_id"))
    timings["read"] = time.perf_counter() - mark

    mark = time.perf_counter()
    rows = _plan(program=program, day=day, seed=run_seed_value, callers=callers, people=people, units=units,
                 paths=paths, states=states, existing=existing)
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
        vacant_units=result.vacant_units, assigned=run.assigned + result.assigned, expired=result.expired,
        finished_at=timezone.now(), seconds=result.seconds)
    return result


def _plan(*, program, day, seed, callers: list[_Caller], people, units, paths, states, existing) -> list[tuple]:
    """The new assignment rows for the day (see the module docstring).

    Targets are visited from the lowest key up; each goes to a caller with calls left whose pool holds it,
    the most constrained pool first, callers of one pool taking turns. When every caller with calls left is
    barred from a target (it is their own booth), one of the day's earlier picks is swapped so that the
    target is still given (a one-step augmenting path), and the lowest keys are always served first.
    """
    rng = random.Random(f"{seed}:{program.pk}:{day.isoformat()}")
    # Sort keys: (day last called, day last given, random); never = 0, so the never-called come first.
    keys = []
    for person_id in people:
        called, assigned = states.get(person_id, (None, None))
        keys.append((called.toordinal() if called else 0, assigned.toordinal() if assigned else 0, rng.random()))
    index_of = {person_id: i for i, person_id in enumerate(people)}
    taken = bytearray(len(people))
    cap = program.per_caller_per_day
    load: dict[int, int] = {}
    for caller_id, target_id in existing:
        load[caller_id] = load.get(caller_id, 0) + 1
        if target_id in index_of:
            taken[index_of[target_id]] = 1

    rng.shuffle(callers)
    left = {caller.person_id: cap - load.get(caller.person_id, 0) for caller in callers}
    queues: dict[str, deque[_Caller]] = {}
    for caller in callers:
        if left[caller.person_id] > 0:
            queues.setdefault(caller.pool, deque()).append(caller)
    lengths = sorted({len(pool) for pool in queues}, reverse=True)
    remaining = sum(max(n, 0) for n in left.values())

    def may_call(caller: _Caller, index: int) -> bool:
        return (paths[index].startswith(caller.pool) and units[index] != caller.home_unit
                and people[index] != caller.person_id)

    picks: list[list] = []  # [caller, target index], in the order given
    for index in sorted(range(len(people)), key=keys.__getitem__):
        if not remaining:
            break
        if taken[index]:
            continue
        path = paths[index]
        chosen = None
        for length in lengths:
            queue = queues.get(path[:length])
            if not queue:
                continue
            for _turn in range(len(queue)):
                if may_call(queue[0], index):
                    chosen = queue.popleft()
                    break
                queue.rotate(-1)
            if chosen is not None:
                if left[chosen.person_id] > 1:
                    queue.append(chosen)
                break
        if chosen is None:
            chosen = _swap_for(index, picks, queues, lengths, left, may_call)
            if chosen is None:
                continue
        else:
            picks.append([chosen, index])
        left[chosen.person_id] -= 1
        remaining -= 1
        taken[index] = 1

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


def _swap_for(index, picks, queues, lengths, left, may_call):
    """Give target ``index`` to an earlier pick's caller, whose target goes to a caller with calls left
    that may not call ``index`` itself. Returns the caller with calls left (who is charged), or None."""
    waiting = [caller for queue in queues.values() for caller in queue if left[caller.person_id] > 0]
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
