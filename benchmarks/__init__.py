"""Benchmarks run by ``sangathan bench NAME|all`` from the repository root.

Each module listed in ``BENCHMARKS`` has ``run(*, out, repeat, min_people, build)``; it prints its figures
through ``out`` and raises ``CommandError`` when it cannot run (wrong database, too little data).
"""

import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass

BENCHMARKS = ("people_subtree", "unit_pages", "messaging_fanout", "people_import", "people_search",
              "grievance_escalation", "outreach_assignment", "campaign_rollup", "committees_completeness",
              "events_reports", "fieldwork_sync")


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
