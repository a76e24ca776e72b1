"""The state office's minister roster: rotation, fairness, holidays, swaps, absences, history."""

from collections import Counter
from datetime import date, timedelta

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.rosters.enums import RosterChangeKind
from sangathan.rosters.models import RosterChange, RosterDay
from sangathan.rosters.services import roster_absence, roster_generate, roster_rotation_set, roster_swap
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MON = date(2026, 1, 19)


def _sitters(office, start, end):
    return list(RosterDay.objects.filter(office=office, date__gte=start, date__lte=end).order_by("date")
                .values_list("date", "person__name"))


def test_rotation_weekdays_only_one_minister_a_day(offices, ministers, monday):
    days = roster_generate(scope=Scope.system(), office=offices["state"], start=MON, end=MON + timedelta(days=13))
    assert [d.date.weekday() for d in days] == [0, 1, 2, 3, 4] * 2
    assert [d.person.name for d in days] == ["मंत्री 1", "मंत्री 2", "मंत्री 3", "मंत्री 4"] * 2 + ["मंत्री 1", "मंत्री 2"]
    assert {(d.starts_at.hour, d.ends_at.hour) for d in days} == {(13, 15)}


def test_rotation_is_fair_and_continues_across_periods(offices, ministers, monday):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4))      # 5 days: 1 2 3 4 1
    roster_generate(scope=Scope.system(), office=office, start=MON + timedelta(days=7), end=MON + timedelta(days=60))
    names = [name for _, name in _sitters(office, MON, MON + timedelta(days=60))]
    assert names[4:6] == ["मंत्री 1", "मंत्री 2"]           # the second period picks up after minister 1
    counts = Counter(names)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert all(a != b for a, b in zip(names, names[1:], strict=False))


def test_generate_keeps_days_already_drawn_up(offices, ministers, monday):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4))
    roster_swap(scope=Scope.system(), office=office, first=MON + timedelta(days=1), second=MON + timedelta(days=2), reason="दौरा")
    before = _sitters(office, MON, MON + timedelta(days=4))
    assert roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4)) == []
    assert _sitters(office, MON, MON + timedelta(days=4)) == before


def test_holidays_from_the_office_calendar_are_skipped(offices, ministers, monday, monkeypatch):
    republic_day = date(2026, 1, 26)
    monkeypatch.setattr("sangathan.rosters.services.roster.roster_holidays",
                        lambda start, end: {republic_day})
    days = roster_generate(scope=Scope.system(), office=offices["state"], start=MON, end=MON + timedelta(days=13))
    assert republic_day not in [d.date for d in days]
    assert len(days) == 9
    # The rotation does not skip a minister for the holiday: the next day goes to the next one in order.
    names = [d.person.name for d in days]
    assert names[5] == "मंत्री 2"


def test_swap_exchanges_two_days_and_records_who_and_why(tree, offices, ministers, conveners, monday):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4))
    user = conveners["state_convener"]
    roster_swap(scope=scope_for_user(user), office=office, first=MON + timedelta(days=1),
                second=MON + timedelta(days=3), reason="मंत्री 2 का दौरा")
    names = [name for _, name in _sitters(office, MON, MON + timedelta(days=4))]
    assert names == ["मंत्री 1", "मंत्री 4", "मंत्री 3", "मंत्री 2", "मंत्री 1"]
    change = RosterChange.objects.get(kind=RosterChangeKind.SWAP)
    assert (change.actor, change.reason, change.date, change.other_date) == (
        user, "मंत्री 2 का दौरा", MON + timedelta(days=1), MON + timedelta(days=3))
    day = RosterDay.objects.get(office=office, date=MON + timedelta(days=1))
    assert day.scheduled_person == ministers[1] and day.person == ministers[3]


def test_absence_goes_to_next_in_rotation_or_a_named_substitute(offices, ministers, monday):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4))
    day = roster_absence(scope=Scope.system(), office=office, on=MON + timedelta(days=3), reason="विधानसभा सत्र")  # minister 4 absent
    assert day.person == ministers[0]                                # wraps round to minister 1
    stand_in = PersonFactory(unit=office.unit, name="प्रदेश महामंत्री")
    day = roster_absence(scope=Scope.system(), office=office, on=MON + timedelta(days=2), reason="बीमार", substitute=stand_in)
    assert day.person == stand_in
    changes = RosterChange.objects.filter(kind=RosterChangeKind.ABSENCE).order_by("at", "id")
    assert [(c.from_person, c.to_person) for c in changes] == [(ministers[3], ministers[0]), (ministers[2], stand_in)]


@pytest.mark.parametrize("call, field", [
    (lambda o: roster_swap(scope=Scope.system(), office=o, first=MON, second=MON, reason="x"), "second"),
    (lambda o: roster_swap(scope=Scope.system(), office=o, first=MON, second=MON + timedelta(days=1), reason=" "), "reason"),
    (lambda o: roster_absence(scope=Scope.system(), office=o, on=date(2026, 1, 24), reason="x"), "on"),          # a Saturday
    (lambda o: roster_generate(scope=Scope.system(), office=o, start=MON, end=MON - timedelta(days=1)), "end"),
    (lambda o: roster_generate(scope=Scope.system(), office=o, start=MON, end=MON + timedelta(days=400)), "end"),
])
def test_bad_input_is_refused_and_nothing_changes(offices, ministers, monday, call, field):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4))
    before = _sitters(office, MON, MON + timedelta(days=30))
    changes = RosterChange.objects.count()
    with pytest.raises(DomainError) as caught:
        call(office)
    assert caught.value.field == field
    assert _sitters(office, MON, MON + timedelta(days=30)) == before
    assert RosterChange.objects.count() == changes


def test_past_days_cannot_change(offices, ministers, monday):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=4))
    monday.advance(days=2)
    with pytest.raises(DomainError) as caught:
        roster_absence(scope=Scope.system(), office=office, on=MON, reason="late")
    assert caught.value.code == "past"
    with pytest.raises(NotFound):
        roster_absence(scope=Scope.system(), office=office, on=MON + timedelta(days=5), reason="no such day")


def test_only_the_state_office_has_a_roster(offices, ministers, monday):
    with pytest.raises(DomainError) as caught:
        roster_rotation_set(scope=Scope.system(), office=offices["d1"], members=[(ministers[0], "")])
    assert caught.value.code == "not_state_office"


def test_who_may_change_the_roster(tree, offices, ministers, conveners, monday):
    office = offices["state"]
    for key in ("district_convener", "district_president", "nobody"):
        user = tree.users[key]
        with pytest.raises(PermissionDenied):
            roster_generate(scope=scope_for_user(user), office=office, start=MON, end=MON)
    for key in ("state_convener", "state_president"):
        user = tree.users[key]
        roster_generate(scope=scope_for_user(user), office=office, start=MON, end=MON)
    assert RosterDay.objects.filter(office=office).count() == 1
