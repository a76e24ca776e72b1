"""How fast the completeness of committees answers for the state and for one district.

On the loaded demo (``MIN_BOOTHS`` booths for the real measure; ``--min-people`` lowers the bar, so the
small demo proves the benchmark runs), it gives every booth without pages ``PAGES_PER_BOOTH`` pages
through the application's bulk path (``pages_create``) and writes with set-based SQL a booth committee
for 80 % of booths (three in four of them complete) and a page committee for 80 % of pages, under two
benchmark committee types. Then, in one run:

* baseline: one bare ``GROUP BY type, is_complete`` over the committees of the state (district): the
  least any completeness figure must read;
* ``completeness`` of the state (its divisions) and of the district (its assemblies): what the page and
  ``/committees/completeness`` run (the children, units per prefix and level, committees per prefix and
  type).

Everything it wrote (committees, types, and the pages it added) is removed at the end.
"""

import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef

from benchmarks import delete_listed, figure, summarize
from sangathan.access.scope import Scope
from sangathan.committees.models import Committee, CommitteeType, Page, PageTally
from sangathan.committees.selectors import completeness
from sangathan.committees.services import PageCount, pages_create
from sangathan.committees.tally import tally_rebuild
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit

MIN_BOOTHS = 60_000
PAGES_PER_BOOTH = 30
TYPES = (("bench-booth", "booth"), ("bench-page", "page"))


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    booths = Unit.objects.filter(level="booth").count()
    needed = min(MIN_BOOTHS, min_people)
    if booths < needed or not booths:
        raise CommandError(f"committees_completeness needs at least {needed:,} booths (found {booths:,}): load "
                           "`sangathan demo --scale mp --members 0` first.")
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    district = Unit.objects.filter(level="district").order_by("path").first()
    scope = Scope.system(channel="cli")
    repeat = max(5, min(repeat, 30))
    _clean(None)
    last_unit = Unit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    types = [CommitteeType.objects.create(code=code, name_hi=code, name_en=code, level=level, min_members=1)
             for code, level in TYPES]
    try:
        started = time.perf_counter()
        pages = _pages(scope)
        out(f"committees_completeness: {booths:,} booths; {pages:,} pages added through pages_create in "
            f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        written = _write(types, state)
        out(f"  wrote {written:,} committees in {time.perf_counter() - started:.1f} s "
            f"({connection.vendor})")
        started = time.perf_counter()
        tallied = tally_rebuild()  # the set-based writes above bypass the actions that keep the tally
        out(f"  page tally rebuilt: {tallied:,} booth rows in {time.perf_counter() - started:.1f} s")
        out(f"  {'what':58s} {'p50 ms':>8s} {'p95 ms':>8s} {'mean ms':>8s}")
        ids = [t.pk for t in types]
        for label, unit in (("state → divisions", state), ("district → assemblies", district)):
            base = Committee.objects.filter(subtree_q("unit_path", unit.path), type_id__in=ids, status="active")
            baseline = _time(lambda base=base: list(base.values("type_id", "is_complete").order_by()
                                                    .annotate(n=Count("*"))), repeat)
            timing = _time(lambda unit=unit: completeness(scope=scope, unit=unit, types=types), repeat)
            out(f"  {'baseline: one GROUP BY type, is_complete, ' + label.split()[0]:58s} {baseline}")
            out(f"  {'completeness: ' + label:58s} {timing}  ({timing.p50 / baseline.p50:.2f}x baseline)")
            limit = 1000.0 if unit == state else 100.0
            figure("committees_completeness", f"completeness p50, {label}", timing.p50, "ms", baseline=baseline.p50,
                   target=f"≤ {limit:,.0f} ms, ≤ 3x", met=timing.p50 <= limit and timing.p50 <= 3 * baseline.p50,
                   note="baseline: one GROUP BY over the committees")
    finally:
        _clean(last_unit)
        out("  cleaned up: the benchmark types, their committees and the pages it added")


def _pages(scope) -> int:
    # NOT EXISTS, not the NOT IN that ``exclude(children__…)`` writes: over 2 million pages that one
    # outgrows work_mem and is planned as a nested loop for every booth.
    pages = Unit.objects.filter(parent_id=OuterRef("pk"), level="page")
    bare = list(Unit.objects.filter(level="booth").filter(~Exists(pages)).order_by("path"))
    created = 0
    for start in range(0, len(bare), 2000):
        created += pages_create(scope=scope, counts=[PageCount(b, PAGES_PER_BOOTH) for b in bare[start:start + 2000]])
    return created


def _write(types, state) -> int:
    booth_type, page_type = types
    JSON_CAST = "::jsonb" if connection.vendor == "postgresql" else ""  # noqa: N806
    with transaction.atomic(), connection.cursor() as cursor:
        written = 0
        for ctype, level, share in ((booth_type, "booth", 80), (page_type, "page", 80)):
            cursor.execute(  # noqa: S608 — JSON_CAST is one of two constants
                """
                INSERT INTO committees_committee (type_id, unit_id, unit_path, status, formed_on, address, phone,
                                                  member_count, is_complete, reasons, created_at, updated_at)
                SELECT %s, u.id, u.path, 'active', CURRENT_DATE, '', '', 12, (u.id %% 4) <> 0,
                       (CASE WHEN (u.id %% 4) <> 0 THEN '[]'
                        ELSE '[{"code": "below_size", "size": 9, "min": 12}]' END)""" + JSON_CAST + """,
                       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                FROM org_unit u
                WHERE u.level = %s AND u.path >= %s AND u.path < %s AND (u.id %% 100) < %s
                """, [ctype.pk, level, state.path, state.path + "~", share])
            written += cursor.rowcount
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE") + " committees_committee")
    return written


def _clean(last_unit: int | None) -> None:
    """Plain DELETEs: the rows it wrote have no dependents, and the ORM's cascade collector would load all
    1.6 million committees and 2 million pages into memory first. On PostgreSQL the references are checked
    once per referring table, not once per row (``benchmarks.delete_listed``)."""
    codes = [code for code, _level in TYPES]
    type_ids = list(CommitteeType.objects.filter(code__in=codes).values_list("pk", flat=True))
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if type_ids:
            marks = ", ".join(["%s"] * len(type_ids))
            cursor.execute(f"DELETE FROM {PageTally._meta.db_table} WHERE type_id IN ({marks})", type_ids)  # noqa: S608
            _delete(cursor, Committee, f"type_id IN ({marks})", type_ids, postgres=postgres)
            CommitteeType.objects.filter(pk__in=type_ids).delete()
        if last_unit is not None:
            # The booths' child counters stay where they are: a path once allotted is never reused.
            _delete(cursor, Page, "unit_id > %s", [last_unit], postgres=postgres)
            _delete(cursor, Unit, "level = 'page' AND id > %s", [last_unit], postgres=postgres)


def _delete(cursor, model, where: str, params: list, *, postgres: bool) -> None:
    table, key = model._meta.db_table, model._meta.pk.column
    if not postgres:
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608 — names and placeholders only
        return
    cursor.execute("DROP TABLE IF EXISTS bench_listed")
    cursor.execute(f"CREATE TEMP TABLE bench_listed ON COMMIT DROP AS SELECT {key} AS id FROM {table} "  # noqa: S608
                   f"WHERE {where}", params)
    delete_listed(cursor, table, "bench_listed", key=key)


def _time(fn, repeat: int):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)
