"""Series: one expected occurrence per unit and month, generated idempotently; "not held" by district and
month in one grouped query; editing changes the future only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError, NotFound
from sangathan.events.enums import EventStatus
from sangathan.events.models import Event
from sangathan.events.reports import not_held, not_held_list
from sangathan.events.services import event_record_held, series_create, series_generate, series_update
from sangathan.events.services.series import add_months, month_start
from tests.events.conftest import scope_of

pytestmark = pytest.mark.django_db


def tiffin(tree, months=3, back=2):
    start = add_months(month_start(datetime.date.today()), -back)
    return series_create(scope=scope_of(tree, "state_president"), kind="tiffin", title="टिफिन बैठक",
                         unit=tree["state"], level="mandal", starts_on=start, months=months)


def test_generation_is_one_per_unit_and_month_and_idempotent(etree):
    series = tiffin(etree)
    assert Event.objects.filter(series=series).count() == 6 * 3  # 6 mandals × 3 months
    assert series_generate(scope=Scope.system(), series=series) == 0
    assert Event.objects.filter(series=series).count() == 18


def test_not_held_by_district_and_month(etree):
    series = tiffin(etree)
    this_month = month_start(datetime.date.today())
    occurrence = Event.objects.get(series=series, unit=etree["d1a1m"], period=this_month)
    event_record_held(scope=scope_of(etree, "mandal_president"), event=occurrence, held_on=datetime.date.today(),
                      attendance_count=25)
    scope = scope_of(etree, "state_president")
    with CaptureQueriesContext(connection) as queries:
        periods, rows = not_held(scope=scope, series=series, unit=etree["state"])
    assert len(queries) <= 3  # the district prefix, the one GROUP BY, the units' names
    assert periods[-1] == this_month and len(periods) == 3
    d1 = next(r for r in rows if r.unit == etree["d1"])
    assert d1.months[this_month] == (2, 1)  # two mandals expected, one held
    assert d1.missing == 5 and sum(r.missing for r in rows) == 17
    # The district sees its list without the mandal that held it.
    listed = list(not_held_list(scope=scope_of(etree, "district_president"), series=series, unit=etree["d1"]))
    assert occurrence not in listed and len(listed) == 5


def test_district_reads_only_its_own_rows(etree):
    series = tiffin(etree)
    _periods, rows = not_held(scope=scope_of(etree, "district_president"), series=series, unit=etree["d1"])
    assert {r.unit for r in rows} == {etree["d1a1"], etree["d1a2"]}  # a district's rows are its assemblies


def test_recording_needs_the_unit(etree):
    series = tiffin(etree)
    other = Event.objects.filter(series=series, unit=etree["d2a1m"]).first()
    for key in ("mandal_president", "nobody"):
        with pytest.raises(NotFound):
            event_record_held(scope=scope_of(etree, key), event=other, held_on=datetime.date.today())
    with pytest.raises(DomainError) as error:
        event_record_held(scope=scope_of(etree, "state_president"), event=other,
                          held_on=datetime.date.today() + datetime.timedelta(days=2))
    assert error.value.errors["held_on"]


def test_edit_changes_future_only(etree):
    series = tiffin(etree, months=4, back=1)
    past = Event.objects.filter(series=series, period__lt=month_start(datetime.date.today()))
    assert past.count() == 6
    series_update(scope=scope_of(etree, "state_president"), series=series, title="नई टिफिन बैठक", kind="tiffin",
                  months=4)
    assert set(past.values_list("title", flat=True)) == {"टिफिन बैठक"}
    future = Event.objects.filter(series=series, period__gte=month_start(datetime.date.today()))
    assert set(future.values_list("title", flat=True)) == {"नई टिफिन बैठक"} and future.count() == 18
    held = future.first()
    Event.objects.filter(pk=held.pk).update(status=EventStatus.HELD)
    series_update(scope=scope_of(etree, "state_president"), series=series, title="तीसरा नाम", kind="tiffin",
                  months=4)
    held.refresh_from_db()
    assert held.title == "नई टिफिन बैठक"
