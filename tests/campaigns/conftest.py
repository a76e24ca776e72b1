from datetime import date, datetime, time, timedelta

import pytest

from sangathan.access.scope import scope_for_user
from sangathan.campaigns.services import MetricSpec, campaign_create

# Positions start on the real today, so the tests' clock stands a day after it; the campaign started on
# the Monday at least two weeks before, and its third week has begun.
TODAY = date.today() + timedelta(days=1)
NOW = datetime.combine(TODAY, time(11, 0))
START = TODAY - timedelta(days=14 + TODAY.weekday())
WEEK = timedelta(days=7)
METRICS = [
    MetricSpec(code="homes", label_hi="घर-घर संपर्क", label_en="Homes contacted", measure_hi="घर", measure_en="homes"),
    MetricSpec(code="members", label_hi="नए सदस्य", label_en="Members enrolled", measure_hi="सदस्य",
               measure_en="members"),
    MetricSpec(code="walls", label_hi="दीवार लेखन", label_en="Walls written", measure_hi="दीवारें", measure_en="walls",
               task_kind="wall_writing"),
]


def scope_of(tree, key):
    return scope_for_user(tree.users[key])


def make_campaign(tree, *, report_level="mandal", code="mahajansampark", unit=None, **kwargs):
    return campaign_create(
        scope=scope_of(tree, "state_president"), unit=unit or tree["state"],
        code=code, name_hi="महाजनसंपर्क अभियान", name_en="Mass contact campaign", report_level=report_level,
        start_date=kwargs.pop("start_date", START), end_date=kwargs.pop("end_date", START + 8 * WEEK - timedelta(days=1)),
        metrics=kwargs.pop("metrics", METRICS), **kwargs)


@pytest.fixture
def campaign(tree, clock):
    clock.set(NOW)
    return make_campaign(tree)
