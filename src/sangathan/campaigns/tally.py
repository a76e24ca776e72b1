"""``ReportTally``: reported figures and report counts per campaign, period and tally unit (the ancestor
``TALLY_LEVELS_UP`` levels above the reporting unit: the mandal, for booth reports), and the targets per
tally unit (rows of ``TARGETS_DAY`` with minus the metric's id; kept by ``TargetSet``).

Not an action: part of ``ReportSubmit`` (which holds the permission and writes the history) and of the
rebuild (``sangathan campaigns tally-rebuild``, the nightly job, the benchmark after set-based writes).
A submission adds the *changes* it makes (new figure minus the one it replaces; one more report for a new
one) with ``INSERT … ON CONFLICT DO UPDATE SET total = total + excluded.total``, so two reports of the same
mandal at the same moment both count, whatever their order. The rebuild recounts from the reports.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from django.db.models.functions import Length

from sangathan.campaigns.models import ReportTally
from sangathan.core.tree import SEGMENT

TALLY_LEVELS_UP = 2
REPORTS = 0  # the tally row's metric_id for the number of reports
# Targets are the campaign's, not a period's: their rows carry this day and minus the metric's id.
TARGETS_DAY = date(1, 1, 1)
TABLE = ReportTally._meta.db_table


def tally_path(report_path: str) -> str:
    """The tally unit of a reporting unit: its ancestor ``TALLY_LEVELS_UP`` levels up (at least the root)."""
    return report_path[:max(SEGMENT, len(report_path) - TALLY_LEVELS_UP * SEGMENT)]


def tally_add(*, campaign_id: int, period_start: date, report_path: str, deltas: dict[int, int]) -> None:
    """Add ``deltas`` (metric id → change; ``REPORTS`` → change in the number of reports) to the tally of
    the reporting unit at ``report_path``, inside the caller's transaction. One statement."""
    path = tally_path(report_path)
    tally_add_rows(campaign_id=campaign_id,
                   rows=[(period_start, path, metric_id, delta) for metric_id, delta in sorted(deltas.items())])


def tally_add_rows(*, campaign_id: int, rows: list[tuple[date, str, int, int]]) -> None:
    """Add each (period start, tally path, metric id, change) — a statement per 500 rows."""
    rows = [(campaign_id, connection.ops.adapt_datefield_value(day), path, metric_id, delta)
            for day, path, metric_id, delta in rows if delta]
    for first in range(0, len(rows), 500):
        chunk = rows[first:first + 500]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        # Table name and placeholders only in the text; every value is a parameter.
        sql = (f"INSERT INTO {TABLE} (campaign_id, period_start, unit_path, metric_id, total) VALUES {values} "  # noqa: S608
               f"ON CONFLICT (campaign_id, period_start, unit_path, metric_id) "
               f"DO UPDATE SET total = {TABLE}.total + excluded.total")
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in chunk for value in row])


def targets_add(*, campaign_id: int, metric_id: int, changes: list[tuple[str, int]]) -> None:
    """Add the changes of reporting units' targets ((unit path, new minus old value), …) to the tally."""
    by_path: dict[str, int] = {}
    for path, change in changes:
        key = tally_path(path)
        by_path[key] = by_path.get(key, 0) + change
    tally_add_rows(campaign_id=campaign_id,
                   rows=[(TARGETS_DAY, path, -metric_id, change) for path, change in sorted(by_path.items())])


def _prefix_sql(column: str) -> str:
    # tally_path in SQL, the same on PostgreSQL and SQLite.
    cut = TALLY_LEVELS_UP * SEGMENT
    return (f"CASE WHEN length({column}) > {SEGMENT + cut} THEN substr({column}, 1, length({column}) - {cut}) "
            f"ELSE substr({column}, 1, {SEGMENT}) END")


def tally_rebuild(campaign_id: int | None = None) -> int:
    """Recount the tally of one campaign (or of all) from its reports and figures; returns the rows written.
    One transaction: readers see the old tally or the new one, never a half-built one."""
    where = "WHERE campaign_id = %s" if campaign_id is not None else ""
    params = [campaign_id] if campaign_id is not None else []
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE} {where}", params)  # noqa: S608 — constants only
        cursor.execute(
            f"""
            INSERT INTO {TABLE} (campaign_id, period_start, unit_path, metric_id, total)
            SELECT campaign_id, period_start, {_prefix_sql("unit_path")}, metric_id, sum(value)
            FROM campaigns_reportvalue {where}
            GROUP BY campaign_id, period_start, {_prefix_sql("unit_path")}, metric_id
            UNION ALL
            SELECT campaign_id, period_start, {_prefix_sql("unit_path")}, {REPORTS}, count(*)
            FROM campaigns_report {where}
            GROUP BY campaign_id, period_start, {_prefix_sql("unit_path")}
            UNION ALL
            SELECT campaign_id, %s, {_prefix_sql("unit_path")}, -metric_id, sum(value)
            FROM campaigns_target {where}
            GROUP BY campaign_id, {_prefix_sql("unit_path")}, metric_id
            """,  # noqa: S608 — constants only; the campaign id is a parameter
            params * 2 + [connection.ops.adapt_datefield_value(TARGETS_DAY)] + params)
        return cursor.rowcount


def tally_length(campaign) -> int | None:
    """Length of the campaign's tally unit paths (None before its first report): a roll-up whose children
    are at most this deep reads the tally instead of every figure."""
    first = ReportTally.objects.filter(campaign=campaign).order_by().values_list(Length("unit_path"), flat=True)[:1]
    return next(iter(first), None)
