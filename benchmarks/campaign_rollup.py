"""How fast a campaign's roll-up answers at state size (PostgreSQL only).

On the loaded ``mp`` demo (≥ ``MIN_BOOTHS`` booths), a campaign reported weekly by every booth with four
metrics and eight weeks of reports (~2 million reported figures) and a target per booth and metric is
written with set-based SQL. Then, in one run:

* baseline: one bare aggregate of every reported figure of the campaign
  (``SELECT metric_id, sum(value) … WHERE campaign_id = …``): the least a roll-up of the state must read;
* ``campaign_progress`` of the state (its divisions), of a district (its assemblies) and of a mandal (its
  shakti kendras), the whole campaign and one week: what the campaign page and ``/rollup`` run. Above the
  mandal it reads the per-period tally by mandal (``campaigns.tally``), which the benchmark rebuilds after
  its set-based writes (timed: what the nightly job and ``sangathan campaigns tally-rebuild`` cost).

Everything it wrote is removed at the end, so the database can be reused.
"""

import time
from collections.abc import Callable
from datetime import timedelta

from django.core.management.base import CommandError
from django.db import connection, transaction

from benchmarks import figure, summarize
from sangathan.access.scope import Scope
from sangathan.campaigns.models import Campaign
from sangathan.campaigns.selectors import campaign_progress
from sangathan.campaigns.services import MetricSpec, campaign_create
from sangathan.campaigns.tally import tally_rebuild
from sangathan.core import clock
from sangathan.org.models import Unit

MIN_BOOTHS = 60_000
WEEKS = 8
CODE = "bench-rollup"
TARGET_P95_MS = 300.0
METRICS = [MetricSpec(code=code, label_hi=code) for code in ("homes", "members", "meetings", "walls")]


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("campaign_rollup measures PostgreSQL: run it with DATABASE_URL=postgres://…")
    booths = Unit.objects.filter(level="booth").count()
    needed = min(MIN_BOOTHS, min_people)  # --min-people below MIN_BOOTHS lowers the bar (the tests run it small)
    if booths < needed:
        raise CommandError(f"campaign_rollup needs at least {needed:,} booths (found {booths:,}): load "
                           "`sangathan demo --scale mp --members 0` first.")
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    district = Unit.objects.filter(level="district").order_by("path").first()
    mandal = Unit.objects.filter(level="mandal", path__startswith=district.path).order_by("path").first()
    scope = Scope.system(channel="cli")
    Campaign.objects.filter(code=CODE).delete()
    today = clock.today()
    start = today - timedelta(days=7 * WEEKS + today.weekday())
    campaign = campaign_create(scope=scope, unit=state, code=CODE, name_hi="बेंचमार्क अभियान",
                               report_level="booth", start_date=start, end_date=start + timedelta(weeks=WEEKS + 4),
                               metrics=METRICS)
    repeat = max(5, min(repeat, 30))
    try:
        started = time.perf_counter()
        figures = _write(campaign, state, start)
        out(f"campaign_rollup: {booths:,} booths; wrote {figures:,} reported figures and targets in "
            f"{time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        tallies = tally_rebuild(campaign.pk)
        _vacuum("campaigns_reporttally")
        out(f"  tally by period and mandal rebuilt: {tallies:,} rows in {time.perf_counter() - started:.1f} s")
        with connection.cursor() as cursor:
            baseline = _time(lambda: cursor.execute(
                "SELECT metric_id, sum(value) FROM campaigns_reportvalue WHERE campaign_id = %s GROUP BY metric_id",
                [campaign.pk]) or cursor.fetchall(), repeat)
        out(f"  {'what':60s} {'p50 ms':>8s} {'p95 ms':>8s} {'mean ms':>8s}")
        out(f"  {'baseline: bare sum of every figure of the campaign':60s} {baseline}")
        week = start + timedelta(weeks=WEEKS - 1)
        for label, unit, period in (("state → divisions, whole campaign", state, None),
                                    ("state → divisions, one week", state, week),
                                    ("district → assemblies, whole campaign", district, None),
                                    ("mandal → shakti kendras, whole campaign", mandal, None)):
            timing = _time(lambda unit=unit, period=period: campaign_progress(
                scope=scope, campaign=campaign, unit=unit, period_start=period), repeat)
            out(f"  {'campaign_progress: ' + label:60s} {timing}  ({timing.p50 / baseline.p50:.2f}x baseline)")
            if unit == state:
                figure("campaign_rollup", f"campaign_progress p95, {label}", timing.p95, "ms",
                       baseline=baseline.p95, target=f"p95 ≤ {TARGET_P95_MS:.0f} ms",
                       met=timing.p95 <= TARGET_P95_MS, note="baseline: bare sum of every figure")
    finally:
        _clean(campaign.pk)
        out("  cleaned up: the benchmark campaign, its reports, figures and targets")


def _time(fn, repeat: int):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)


def _write(campaign, state, start) -> int:
    """Reports of every booth for every week, four figures each, and a target per booth and metric."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO campaigns_report (campaign_id, unit_id, unit_path, period_start, period_end, submitted_at,
                                          revision, note, created_at, updated_at)
            SELECT %s, u.id, u.path, %s::date + 7 * w, %s::date + 7 * w + 6, now(), 1, '', now(), now()
            FROM org_unit u CROSS JOIN generate_series(0, %s) AS w
            WHERE u.level = 'booth' AND u.path LIKE %s
            """, [campaign.pk, start, start, WEEKS - 1, state.path + "%"])
        cursor.execute(
            """
            INSERT INTO campaigns_reportvalue (report_id, campaign_id, metric_id, unit_path, period_start, value)
            SELECT r.id, r.campaign_id, m.id, r.unit_path, r.period_start, (abs(hashtext(r.id::text || m.code)) %% 200)
            FROM campaigns_report r JOIN campaigns_metric m ON m.campaign_id = r.campaign_id
            WHERE r.campaign_id = %s
            """, [campaign.pk])
        figures = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO campaigns_target (campaign_id, metric_id, unit_id, unit_path, value, set_at_id, created_at,
                                          updated_at)
            SELECT %s, m.id, u.id, u.path, 1000, %s, now(), now()
            FROM org_unit u CROSS JOIN campaigns_metric m
            WHERE u.level = 'booth' AND u.path LIKE %s AND m.campaign_id = %s
            """, [campaign.pk, state.pk, state.path + "%", campaign.pk])
        figures += cursor.rowcount
    _vacuum("campaigns_report, campaigns_reportvalue, campaigns_target")
    return figures


def _vacuum(tables: str) -> None:
    with connection.cursor() as cursor:
        # What autovacuum gives a minute after a bulk load: statistics and the visibility map (index-only
        # scans). Inside a transaction (the test of this benchmark) VACUUM cannot run: statistics only.
        verb = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
        cursor.execute(f"{verb} {tables}")


def _clean(campaign_id: int) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("campaigns_reporttally", "campaigns_reportvalue", "campaigns_target", "campaigns_report",
                      "campaigns_metric"):
            cursor.execute(f"DELETE FROM {table} WHERE campaign_id = %s", [campaign_id])  # noqa: S608
        cursor.execute("DELETE FROM campaigns_campaign WHERE id = %s", [campaign_id])
