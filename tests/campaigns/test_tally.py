"""``ReportTally`` (per period and mandal) is kept by every report and correction, equals a full recount,
and gives the same roll-up as reading every figure; on PostgreSQL the roll-up reads it by its index."""

import json
from datetime import timedelta
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from sangathan.campaigns import selectors
from sangathan.campaigns.models import Report, ReportTally, ReportValue, Target
from sangathan.campaigns.selectors import campaign_progress
from sangathan.campaigns.services import report_submit, target_set
from sangathan.campaigns.tally import REPORTS, TARGETS_DAY, tally_path, tally_rebuild
from sangathan.core.tree import subtree_q
from tests.campaigns.conftest import START, WEEK, make_campaign, scope_of

pytestmark = pytest.mark.django_db
BOOTHS = ("d1a1b1", "d1a1b2", "d1a2b1", "d2a1b1")


@pytest.fixture
def booth_reports(tree, clock):
    from tests.campaigns.conftest import NOW

    clock.set(NOW)
    campaign = make_campaign(tree, report_level="booth", code="booth-level")
    scope = scope_of(tree, "state_president")
    for n, key in enumerate(BOOTHS):
        for week in (0, 1):
            report_submit(scope=scope, campaign=campaign, unit=tree[key], day=START + week * WEEK + timedelta(days=1),
                          values={"homes": 10 * (n + 1) + week, "members": n, "walls": 1})
    homes = campaign.metrics.get(code="homes")
    target_set(scope=scope, campaign=campaign, metric=homes, unit=tree["state"], value=4000)
    target_set(scope=scope, campaign=campaign, metric=homes, unit=tree["d1a1m"], value=900)   # replaces a part
    target_set(scope=scope, campaign=campaign, metric=campaign.metrics.get(code="walls"), unit=tree["d2"], value=7)
    # Corrections: figures replaced (up and down), a metric left out now counts 0.
    report_submit(scope=scope, campaign=campaign, unit=tree["d1a1b1"], day=START + timedelta(days=3),
                  values={"homes": 3, "members": 9})
    report_submit(scope=scope, campaign=campaign, unit=tree["d2a1b1"], day=START + WEEK + timedelta(days=3),
                  values={"homes": 500, "members": 0, "walls": 0})
    return campaign


def _tally(campaign) -> dict:
    return {(row.period_start, row.unit_path, row.metric_id): row.total
            for row in ReportTally.objects.filter(campaign=campaign) if row.total}


def _recount(campaign) -> dict:
    counted = {}
    for value in ReportValue.objects.filter(campaign=campaign):
        key = (value.period_start, tally_path(value.unit_path), value.metric_id)
        counted[key] = counted.get(key, 0) + value.value
    for report in Report.objects.filter(campaign=campaign):
        key = (report.period_start, tally_path(report.unit_path), REPORTS)
        counted[key] = counted.get(key, 0) + 1
    for target in Target.objects.filter(campaign=campaign):
        key = (TARGETS_DAY, tally_path(target.unit_path), -target.metric_id)
        counted[key] = counted.get(key, 0) + target.value
    return {key: total for key, total in counted.items() if total}


def test_the_tally_equals_a_full_recount(tree, booth_reports):
    kept = _tally(booth_reports)
    assert kept == _recount(booth_reports)
    reported_paths = {path for day, path, _m in kept if day != TARGETS_DAY}
    assert reported_paths == {tree["d1a1m"].path, tree["d1a2m"].path, tree["d2a1m"].path}
    assert any(day == TARGETS_DAY for day, _path, _m in kept)
    written = tally_rebuild(booth_reports.pk)
    assert written == ReportTally.objects.filter(campaign=booth_reports).count() >= len(kept)
    assert _tally(booth_reports) == kept


def test_the_rebuild_restores_a_lost_or_damaged_tally(booth_reports):
    kept = _tally(booth_reports)
    ReportTally.objects.filter(campaign=booth_reports).update(total=7)
    tally_rebuild()
    assert _tally(booth_reports) == kept


def _as_figures(progress):
    total, rows = progress
    return [(row.unit.pk, row.reports, row.reporting_units, [(m.metric.code, m.reported, m.target) for m in row.metrics])
            for row in [total, *rows]]


@pytest.mark.parametrize("unit_key", ["state", "div", "d1", "d1a1"])
@pytest.mark.parametrize("week", [None, 0, 1])
def test_the_roll_up_from_the_tally_equals_the_one_from_every_figure(tree, booth_reports, unit_key, week):
    scope = scope_of(tree, "state_president")
    period = None if week is None else START + week * WEEK
    fast = campaign_progress(scope=scope, campaign=booth_reports, unit=tree[unit_key], period_start=period)
    with mock.patch.object(selectors, "tally_length", return_value=None):
        slow = campaign_progress(scope=scope, campaign=booth_reports, unit=tree[unit_key], period_start=period)
    assert _as_figures(fast) == _as_figures(slow)
    everything = ReportValue.objects.filter(subtree_q("unit_path", tree[unit_key].path), campaign=booth_reports,
                                            metric__code="homes")
    if period is not None:
        everything = everything.filter(period_start=period)
    assert fast[0].metrics[0].reported == (everything.aggregate(s=Sum("value"))["s"] or 0)


def test_the_state_roll_up_reads_the_tally_not_the_figures(tree, booth_reports):
    scope = scope_of(tree, "state_president")
    with CaptureQueriesContext(connection) as queries:
        total, _rows = campaign_progress(scope=scope, campaign=booth_reports, unit=tree["state"])
    assert len(queries) == 7
    sql = " ".join(query["sql"] for query in queries)
    assert "campaigns_reporttally" in sql
    assert "campaigns_reportvalue" not in sql and "campaigns_report\"" not in sql
    assert "campaigns_target" not in sql
    assert total.reports == Report.objects.filter(campaign=booth_reports).aggregate(n=Count("*"))["n"] == 8


def test_state_roll_up_uses_the_tally_index(tree, booth_reports):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL plans")
    tallies = (ReportTally.objects.filter(subtree_q("unit_path", tree["state"].path), campaign=booth_reports)
               .values("unit_path", "metric_id").annotate(total=Sum("total")))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
    plan = json.loads(tallies.explain(format="json"))[0]["Plan"]
    names, pending = set(), [plan]
    while pending:
        node = pending.pop()
        names.add(node.get("Index Name"))
        pending.extend(node.get("Plans", ()))
    assert "campaigns_tally_rollup" in names


def test_rebuild_command_and_nightly_job(booth_reports):
    from io import StringIO

    from django.core.management import call_command

    from sangathan.campaigns.tasks import report_tally_nightly

    kept = _tally(booth_reports)
    ReportTally.objects.all().delete()
    out = StringIO()
    call_command("campaigns", "tally-rebuild", "--campaign", booth_reports.code, stdout=out)
    assert "tally rows written for booth-level" in out.getvalue() and _tally(booth_reports) == kept
    ReportTally.objects.all().delete()
    call_command("campaigns", "tally-rebuild", stdout=out)
    assert _tally(booth_reports) == kept
    ReportTally.objects.all().delete()
    assert report_tally_nightly() >= len(kept) and _tally(booth_reports) == kept
