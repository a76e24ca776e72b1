"""Roll-ups up the tree: target vs reported per child, in a fixed number of grouped queries, scoped."""

from datetime import timedelta

import pytest

from sangathan.campaigns.selectors import (
    campaign_get_for_actor,
    campaign_home_unit,
    campaign_progress,
    campaign_series,
    campaigns_visible,
    reports_visible,
)
from sangathan.campaigns.services import report_submit, target_set
from sangathan.core.errors import NotFound
from tests.campaigns.conftest import START, WEEK, scope_of


@pytest.fixture
def reported(tree, campaign, clock):
    state = scope_of(tree, "state_president")
    homes = campaign.metrics.get(code="homes")
    target_set(scope=state, campaign=campaign, metric=homes, unit=tree["state"], value=4000)
    figures = {"d1a1m": (300, 120), "d1a2m": (200, 80), "d2a1m": (100, 60)}
    for key, (week1, week2) in figures.items():
        report_submit(scope=state, campaign=campaign, unit=tree[key], day=START + timedelta(days=2),
                      values={"homes": week1, "members": 5})
        report_submit(scope=state, campaign=campaign, unit=tree[key], day=START + WEEK + timedelta(days=2),
                      values={"homes": week2, "members": 1})
    return campaign


def figures(progress, code="homes"):
    metric = next(m for m in progress.metrics if m.metric.code == code)
    return metric.reported, metric.target, metric.percent


def test_state_rolls_up_per_district(tree, reported, django_assert_num_queries):
    scope = scope_of(tree, "state_president")
    with django_assert_num_queries(7):
        total, rows = campaign_progress(scope=scope, campaign=reported, unit=tree["div"])
    assert [row.unit.code for row in rows] == ["D1", "D2"]
    assert figures(rows[0]) == (700, 2000, 35)
    assert figures(rows[1]) == (160, 2000, 8)
    assert (rows[0].reporting_units, rows[0].reports, rows[1].reports) == (2, 4, 2)
    assert figures(total) == (860, 4000, 22)
    assert figures(total, "members") == (18, 0, None)


def test_one_period_and_reporting_unit_level(tree, reported):
    scope = scope_of(tree, "district_president")
    total, rows = campaign_progress(scope=scope, campaign=reported, unit=tree["d1a1m"],
                                    period_start=START + WEEK)
    assert rows == [] and figures(total) == (120, 1000, 12)
    series = campaign_series(scope=scope, campaign=reported, unit=tree["d1"],
                             metric=reported.metrics.get(code="homes"))
    assert series == [(START, 500), (START + WEEK, 200)]


def test_scope_limits_everything(tree, reported):
    mandal = scope_of(tree, "mandal_president")
    assert list(campaigns_visible(mandal)) == [reported]           # a campaign run above is visible
    assert campaign_home_unit(reported, mandal) == tree["d1a1m"]
    assert {r.unit.code for r in reports_visible(scope=mandal, campaign=reported)} == {"D1A1M"}
    with pytest.raises(NotFound):
        campaign_progress(scope=mandal, campaign=reported, unit=tree["d1"])
    nobody = scope_of(tree, "nobody")
    assert list(campaigns_visible(nobody)) == []
    with pytest.raises(NotFound):
        campaign_get_for_actor(reported.pk, nobody)
    district = scope_of(tree, "district_president")
    total, rows = campaign_progress(scope=district, campaign=reported, unit=tree["d1"])
    assert [row.unit.code for row in rows] == ["D1A1", "D1A2"] and figures(total)[0] == 700


def test_campaign_of_a_district_is_hidden_from_the_other(tree, clock):
    from tests.campaigns.conftest import make_campaign

    campaign = make_campaign(tree, unit=tree["d1"], code="d1-only")
    assert list(campaigns_visible(scope_of(tree, "district_president"))) == [campaign]
    assert list(campaigns_visible(scope_of(tree, "nobody"))) == []
