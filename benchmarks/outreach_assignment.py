"""How fast a whole state's daily booth-contact calls are assigned (PostgreSQL only).

On a whole state's organization (≥ ``MIN_BOOTHS`` booths: the mp demo's 64,880, so that one ``make bench``
on the members' database runs it too; Uttar Pradesh's with ``sangathan demo --scale up --members 0``, or
``--build`` on an empty database), with a program whose callers are the president, general secretary
and in-charge of the state, every district, every assembly and every mandal (~10,500 people in UP) and whose
targets are the booth presidents, two calls per caller per day, district-bound below the state:

* baseline: one hand-written ``INSERT … SELECT`` of as many assignment rows as the day gets, into
  ``bench_assignment_copy`` (``CREATE TABLE … (LIKE outreach_callassignment INCLUDING ALL)``: the same
  columns and indexes, no foreign keys), booth presidents paired with callers by row number;
* ``assignments_assign`` for ``DAYS`` consecutive days: the first with no contact history, the next ones
  with yesterday's list to expire and every target's contact state to read; then a re-run of the last day
  (which must add nothing);
* the lists of the last day for every caller, as ``call_lists_send`` writes them (one templated SMS per
  caller through the outbox, queued by messaging's bulk templated enqueue in chunks of ``CHUNK``), and
  the time that rate gives for the UP program's 10,467 callers.

Everything it wrote (the program, its assignments, contact state, runs, messages, the copy table) is
removed at the end, so the database can be reused.
"""

import datetime
import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import TestCase

from benchmarks import figure
from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.messaging.models import Message
from sangathan.org.models import Post, Unit
from sangathan.outreach.models import AssignmentRun, CallAssignment, ContactProgram, ContactState
from sangathan.outreach.services import assignments_assign, assignments_expire, program_create
from sangathan.outreach.services.notify import CHUNK, _send_lists_chunk

MIN_BOOTHS = 60_000  # a state: MP has 64,880 booths, UP ~160,000
CODE = "bench-daily-contact"
COPY_TABLE = "bench_assignment_copy"
DAYS = 3
CALLER_LEVELS = ("state", "district", "assembly", "mandal")
CALLER_POSTS = ("president", "general_secretary", "incharge")
TARGET_SECONDS = 10.0
TARGET_RATIO = 5.0
LISTS_CALLERS = 10_467  # the UP program's callers: their lists must be queued in LISTS_TARGET_S
LISTS_TARGET_S = 10.0


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("outreach_assignment measures PostgreSQL: run it with DATABASE_URL=postgres://…")
    if build and not Unit.objects.exists():
        from sangathan.people.demo import demo_build

        demo_build(scale="up", members=0, log=out)
    booths = Unit.objects.filter(level="booth").count()
    needed = min(MIN_BOOTHS, min_people)  # --min-people lowers the bar (the mp demo: 64,880 booths; tests)
    if booths < needed:
        raise CommandError(f"outreach_assignment needs at least {needed:,} booths (found {booths:,}): load "
                           "`sangathan demo --scale mp` (or `--scale up --members 0`) into an empty database first.")
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    _clean()
    posts = {post.code: post for post in Post.objects.filter(code__in=CALLER_POSTS)}
    system = Scope.system(channel="cli")
    program = program_create(
        scope=system,
        code=CODE, name_hi="बेंचमार्क बूथ संपर्क", target_root=state, target_post=posts["president"],
        per_caller_per_day=2, working_days=list(range(7)), seed=1,
        caller_posts=[(posts[post], level) for level in CALLER_LEVELS for post in CALLER_POSTS])
    out(f"outreach_assignment: {booths:,} booths in {state.name_en} ({state.code}); callers: "
        f"{', '.join(CALLER_POSTS)} at {', '.join(CALLER_LEVELS)} levels")
    try:
        first_day = clock.today()
        results = []
        for offset in range(DAYS):
            day = first_day + datetime.timedelta(days=offset)
            started = time.perf_counter()
            expired = assignments_expire(scope=system, before=day)
            if offset:
                out(f"  night before day {offset + 1}: {expired:,} calls left pending marked missed in "
                    f"{time.perf_counter() - started:.2f} s")
            started = time.perf_counter()
            with transaction.atomic():
                result = assignments_assign(scope=system, program=program, day=day)
                committing = time.perf_counter()
            commit_s = time.perf_counter() - committing
            elapsed = time.perf_counter() - started
            results.append((result, elapsed))
            parts = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in
                              (result.timings | {"commit (deferred foreign-key checks)": commit_s}).items())
            out(f"  day {offset + 1} ({day}): {result.assigned:,} calls for {result.callers:,} callers over "
                f"{result.targets:,} booth presidents ({result.vacant_units:,} vacant), "
                f"in {elapsed:.2f} s ({parts})")
        assigned = results[-1][0].assigned
        with connection.cursor() as cursor:
            baseline_rows, baseline_s = _baseline(cursor, program, assigned)
        out(f"  baseline INSERT…SELECT into {COPY_TABLE}: {baseline_rows:,} rows in {baseline_s:.2f} s")
        steady = sorted(elapsed for _, elapsed in results[1:])
        worst = max(elapsed for _, elapsed in results)
        median = steady[len(steady) // 2]
        out(f"  daily assignment, steady state (days 2–{DAYS}, median): {median:.2f} s = "
            f"{median / baseline_s:.1f}x the baseline; worst day {worst:.2f} s "
            f"(targets: ≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_RATIO:.0f}x)")
        started = time.perf_counter()
        again = assignments_assign(scope=system, program=program, day=first_day + datetime.timedelta(days=DAYS - 1))
        out(f"  re-run of the last day: {again.assigned} new calls ({again.already:,} kept) in "
            f"{time.perf_counter() - started:.2f} s")
        last_day = first_day + datetime.timedelta(days=DAYS - 1)
        caller_ids = list(CallAssignment.objects.filter(program=program, day=last_day)
                          .values_list("caller_id", flat=True).distinct().order_by("caller_id"))
        started = time.perf_counter()
        lists = 0
        with TestCase.captureOnCommitCallbacks(execute=False):
            for start in range(0, len(caller_ids), CHUNK):
                lists += _send_lists_chunk(program, last_day, caller_ids[start:start + CHUNK])
        sent_s = time.perf_counter() - started
        out(f"  call lists (call_lists_send's chunks of {CHUNK}, the bulk templated enqueue) for all {lists:,} "
            f"callers: {sent_s:.1f} s = {lists / sent_s:,.0f} callers/s")
        figure("outreach_assignment", f"daily assignment, steady state ({results[-1][0].assigned:,} calls)",
               median, "s", baseline=baseline_s, target=f"≤ {TARGET_RATIO:.0f}x baseline",
               met=median / baseline_s <= TARGET_RATIO, note="baseline: INSERT … SELECT of the same rows")
        figure("outreach_assignment", f"call lists of {lists:,} callers queued", sent_s, "s",
               target=f"≤ {LISTS_TARGET_S:.0f} s for {LISTS_CALLERS:,}",
               met=sent_s * LISTS_CALLERS / max(lists, 1) <= LISTS_TARGET_S,
               note=f"{lists / sent_s:,.0f} callers/s; all {LISTS_CALLERS:,} at that rate: "
                    f"{sent_s * LISTS_CALLERS / max(lists, 1):.1f} s")
    finally:
        _clean()
        out("  cleaned up: the program, its assignments, contact state, runs and messages, the copy table")


def _baseline(cursor, program: ContactProgram, rows: int) -> tuple[int, float]:
    """As many rows as the day got, written set-based: the i-th booth president with the i-th caller."""
    cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
    cursor.execute(f"CREATE TABLE {COPY_TABLE} (LIKE outreach_callassignment INCLUDING ALL)")
    started = time.perf_counter()
    cursor.execute(
        f"""
        WITH targets AS (
            SELECT p.person_id, p.unit_id, p.unit_path, row_number() OVER () AS n
            FROM org_position p JOIN org_unit u ON u.id = p.unit_id
            WHERE p.post_id = %s AND u.level = 'booth' AND p.end_date IS NULL LIMIT %s),
        callers AS (
            SELECT person_id, unit_path, row_number() OVER () AS n FROM (
                SELECT DISTINCT ON (p.person_id) p.person_id, p.unit_path
                FROM org_position p JOIN org_unit u ON u.id = p.unit_id
                WHERE u.level <> 'booth' AND p.end_date IS NULL) AS distinct_callers)
        INSERT INTO {COPY_TABLE} (program_id, kind, day, caller_id, target_id, target_unit_id, unit_path,
            caller_path, rank, questions, source, status, created_at)
        SELECT %s, 'daily', current_date, c.person_id, t.person_id, t.unit_id, t.unit_path, c.unit_path,
            1 + (t.n %% 2), '[]'::jsonb, '', 'pending', now()
        FROM targets t JOIN callers c ON c.n = 1 + (t.n - 1) / 2
        """,
        [program.target_post_id, rows, program.pk],
    )
    written = cursor.rowcount
    return written, time.perf_counter() - started


def _clean() -> None:
    program = ContactProgram.objects.filter(code=CODE).first()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
    if program is None:
        return
    Message.objects.filter(idempotency_key__startswith=f"outreach:list:{program.pk}:").delete()
    CallAssignment.objects.filter(program=program).delete()
    ContactState.objects.filter(program=program).delete()
    AssignmentRun.objects.filter(program=program).delete()
    program.delete()
