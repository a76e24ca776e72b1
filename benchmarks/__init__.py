"""Benchmarks run by ``sangathan bench NAME|all`` from the repository root.

Each module listed in ``BENCHMARKS`` has ``run(*, out, repeat, min_people, build)``; it prints its figures
through ``out`` and raises ``CommandError`` when it cannot run (wrong database, too little data). The
figures that have a target are also handed to ``figure(...)``: ``sangathan bench`` ends with one summary
table of them (``summary_table``) — each figure beside its baseline measured in the same run, the ratio,
the target and whether it is met.
"""

import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

BENCHMARKS = ("people_subtree", "unit_pages", "messaging_fanout", "messaging_drain", "people_import",
              "people_search", "grievance_escalation", "outreach_assignment", "campaign_rollup",
              "committees_completeness", "events_reports", "fieldwork_sync")


@dataclass(frozen=True)
class Figure:
    """One summary row. ``value`` and ``baseline`` in ``unit``; ``ratio`` is value / baseline for times and
    baseline / value for rates (how many times the baseline's cost), unless given; ``met`` is the verdict
    of the benchmark against ``target`` (None when the benchmark could not run)."""

    benchmark: str
    name: str
    value: float | None
    unit: str
    target: str
    met: bool | None
    baseline: float | None = None
    ratio: float | None = None
    note: str = ""


FIGURES: list[Figure] = []


def figure(benchmark: str, name: str, value: float | None, unit: str, *, target: str, met: bool | None,
           baseline: float | None = None, ratio: float | None = None, note: str = "") -> Figure:
    """Record a figure for the summary table (and return it)."""
    if ratio is None and value and baseline:
        ratio = baseline / value if unit.endswith("/s") else value / baseline
    row = Figure(benchmark, name, value, unit, target, met, baseline, ratio, note)
    FIGURES.append(row)
    return row


SERVER_SETTINGS = ("shared_buffers", "max_wal_size", "checkpoint_timeout", "wal_compression", "work_mem",
                   "synchronous_commit")


def machine_line() -> str:
    """The cores and, on PostgreSQL, the server's version and the settings that move the figures most (a
    stock ``shared_buffers`` of 128 MB halves COPY's rate into a million-person table): printed before the
    figures so that each run says what it ran on."""
    parts = [f"{os.cpu_count()} cores", f"load average {os.getloadavg()[0]:.1f}"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)",
                           [list(SERVER_SETTINGS)])
            settings = dict(cursor.fetchall())
            cursor.execute("SHOW server_version")
            parts.append(f"PostgreSQL {cursor.fetchone()[0].split()[0]}")
        parts.extend(f"{name} {settings[name]}" for name in SERVER_SETTINGS if name in settings)
    else:
        parts.append(f"database {connection.vendor}")
    return "machine: " + ", ".join(parts)


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "ms" or value < 100:
        return f"{value:,.1f} {unit}"
    return f"{value:,.0f} {unit}"


def summary_table(figures: Sequence[Figure]) -> str:
    """The figures as one Markdown table: figure, baseline (same run), ratio, target, met."""
    lines = ["| benchmark | figure | result | baseline (same run) | ratio | target | met |",
             "|---|---|---|---|---|---|---|"]
    for row in figures:
        verdict = {True: "yes", False: "**no**", None: "not run"}[row.met]
        ratio = f"{row.ratio:.2f}x" if row.ratio is not None else "—"
        baseline = _number(row.baseline, row.unit) if row.baseline is not None else "—"
        note = f" ({row.note})" if row.note else ""
        lines.append(f"| {row.benchmark} | {row.name}{note} | {_number(row.value, row.unit)} | {baseline} | "
                     f"{ratio} | {row.target} | {verdict} |")
    return "\n".join(lines)


@dataclass(frozen=True)
class Timing:
    p50: float  # milliseconds
    p95: float
    mean: float

    def __str__(self) -> str:
        return f"{self.p50:8.2f} {self.p95:8.2f} {self.mean:8.2f}"


def time_sql(cursor, sql: str | Sequence[str], *, repeat: int, warmup: int = 5,
             params: Sequence | None = None) -> Timing:
    """Run ``sql`` ``warmup`` times untimed (to warm the caches), then ``repeat`` times timed, fetching
    every row each time. Without ``params`` the SQL is sent as is (a literal ``%`` stays a ``%``).
    A sequence of statements (a read the app makes in several queries) is timed as one run."""
    statements = [sql] if isinstance(sql, str) else list(sql)

    def run_once() -> None:
        for statement in statements:
            cursor.execute(statement, params)
            cursor.fetchall()

    for _ in range(warmup):
        run_once()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run_once()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def summarize(samples: Sequence[float]) -> Timing:
    """p50, p95 and mean of timings in milliseconds."""
    ordered = sorted(samples)
    return Timing(p50=statistics.median(ordered), p95=ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))],
                  mean=statistics.fmean(ordered))


def delete_listed(cursor, table: str, listed: str, *, key: str = "id") -> int:
    """Delete the rows of ``table`` whose ``key`` (its primary key) is in ``listed`` (a table with an ``id``
    column, e.g. a temporary one the clean-up filled), on PostgreSQL; returns the rows deleted.

    PostgreSQL checks every deleted row against every table that refers to ``table``, one check per row and
    table: 2,000,000 people (44 referring tables) took ~8 minutes of such checks, 1.9 million page units
    longer. Where the role may (a superuser, as on the benchmark machine), the references are checked once
    per referring table over the whole set, and the rows then go without the per-row checks; otherwise, or
    if any row is still referred to, the plain delete, whose checks then raise as usual."""
    delete = f"DELETE FROM {table} WHERE {key} IN (SELECT id FROM {listed})"  # noqa: S608 — names only
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    if cursor.fetchone()[0]:
        cursor.execute("SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c JOIN pg_attribute a "
                       "ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
                       "WHERE c.contype = 'f' AND c.confrelid = %s::regclass", [table])
        probes = [f"EXISTS (SELECT 1 FROM {other} WHERE {column} IN (SELECT id FROM {listed})"
                  # a row of the table itself that goes too does not count (an anti-join: NOT IN over a
                  # set larger than work_mem is a scan of the set per row)
                  + (f" AND NOT EXISTS (SELECT 1 FROM {listed} AS going WHERE going.id = {other}.{key}))"
                     if other == table else ")")
                  for other, column in cursor.fetchall()]
        # Hash joins: a nested loop would probe the referring table's index once per listed row (the very
        # cost of the per-row checks; 2M people × 44 tables took minutes), as EXISTS expects an early match.
        cursor.execute("SET LOCAL enable_nestloop = off")
        cursor.execute(f"SELECT {' OR '.join(probes) or 'false'}")
        referred = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_nestloop = on")
        if not referred:
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(delete)
            removed = cursor.rowcount
            cursor.execute("SET LOCAL session_replication_role = origin")  # the caller's next statements checked
            return removed
    cursor.execute(delete)
    return cursor.rowcount
