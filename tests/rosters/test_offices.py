"""District offices and the weekly sitting days of their office-bearers; who sits when."""

from datetime import date, time, timedelta

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.rosters.enums import OfficeKind, RosterChangeKind, Weekday
from sangathan.rosters.models import RosterChange, SittingDay
from sangathan.rosters.selectors import office_days, offices_visible, who_sits
from sangathan.rosters.services import (
    office_create,
    office_update,
    roster_absence,
    roster_generate,
    sitting_day_add,
    sitting_day_remove,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

MON = date(2026, 1, 19)


def test_office_kind_follows_the_unit(offices):
    assert offices["state"].kind == OfficeKind.STATE
    assert offices["d1"].kind == OfficeKind.DISTRICT
    assert offices["d1"].unit_path == offices["d1"].unit.path


def test_office_names_are_unique_per_unit_and_required(tree, offices):
    with pytest.raises(DomainError) as caught:
        office_create(scope=Scope.system(), unit=tree["d1"], name="जिला कार्यालय 1")
    assert (caught.value.code, caught.value.field) == ("duplicate", "name")
    with pytest.raises(DomainError) as caught:
        office_update(scope=Scope.system(), office=offices["d1"], name="  ")
    assert caught.value.field == "name"


def test_district_convener_sets_sitting_days_and_each_is_recorded(tree, offices, conveners, monday):
    user = conveners["district_convener"]
    scope = scope_for_user(user)
    president = tree.people["district_president"]
    day = sitting_day_add(scope=scope, office=offices["d1"], person=president, weekday=Weekday.MONDAY,
                          starts_at=time(11), ends_at=time(14))
    sitting_day_add(scope=scope, office=offices["d1"], person=tree.people["district_convener"],
                    weekday=Weekday.MONDAY, starts_at=time(10), ends_at=time(13), note="सहयोग सेल संयोजक")
    sitting_day_add(scope=scope, office=offices["d1"], person=president, weekday=Weekday.THURSDAY,
                    starts_at=time(11), ends_at=time(14))
    today = who_sits(offices["d1"], MON)
    assert [(s.name, s.starts_at) for s in today] == [
        (tree.people["district_convener"].name, time(10)), (president.name, time(11))]
    assert today[0].title == "सहयोग सेल संयोजक"
    assert today[1].title == "अध्यक्ष, जिला 1"                     # the post, when no note was given
    assert who_sits(offices["d1"], MON + timedelta(days=1)) == []
    sitting_day_remove(scope=scope, sitting_day=day, reason="अब गुरुवार ही")
    assert list(RosterChange.objects.filter(office=offices["d1"]).values_list("kind", "actor")) == [
        (RosterChangeKind.SITTING_REMOVED, user.pk)] + [(RosterChangeKind.SITTING_ADDED, user.pk)] * 3


@pytest.mark.parametrize("changes, field", [
    ({"weekday": 7}, "weekday"),
    ({"ends_at": time(10)}, "ends_at"),
    ({"starts_at": None}, "starts_at"),
    ({"person": None}, "person"),
    ({"note": "x" * 201}, "note"),
])
def test_bad_sitting_days_are_refused(tree, offices, changes, field):
    arguments = {"scope": Scope.system(), "office": offices["d1"], "person": tree.people["district_president"],
                 "weekday": 0, "starts_at": time(11), "ends_at": time(14)} | changes
    with pytest.raises(DomainError) as caught:
        sitting_day_add(**arguments)
    assert caught.value.field == field
    assert not SittingDay.objects.exists()


def test_only_office_bearers_of_the_ladder_sit_and_only_once_a_day(tree, offices):
    with pytest.raises(DomainError) as caught:
        sitting_day_add(scope=Scope.system(), office=offices["d1"], person=PersonFactory(unit=tree["d1"]), weekday=0,
                        starts_at=time(11), ends_at=time(14))
    assert caught.value.code == "not_office_bearer"
    other = PersonFactory(unit=tree["d2"])
    position_assign(scope=Scope.system(), person=other, post=Post.objects.get(code="president"), unit=tree["d2"])
    with pytest.raises(DomainError):   # district 2's president is not on district 1's ladder
        sitting_day_add(scope=Scope.system(), office=offices["d1"], person=other, weekday=0, starts_at=time(11), ends_at=time(14))
    # The mandal president is below the district: on its ladder.
    sitting_day_add(scope=Scope.system(), office=offices["d1"], person=tree.people["mandal_president"], weekday=0, starts_at=time(11),
                    ends_at=time(14))
    with pytest.raises(DomainError) as caught:
        sitting_day_add(scope=Scope.system(), office=offices["d1"], person=tree.people["mandal_president"], weekday=0,
                        starts_at=time(15), ends_at=time(16))
    assert caught.value.code == "duplicate"


def test_who_may_set_sitting_days(tree, offices, conveners):
    arguments = {"office": offices["d1"], "person": tree.people["district_president"], "weekday": 2,
                 "starts_at": time(11), "ends_at": time(14)}
    for key in ("mandal_president", "nobody", "booth_president"):
        user = tree.users[key]
        with pytest.raises(PermissionDenied):
            sitting_day_add(scope=scope_for_user(user), **arguments)
    for key, weekday in (("district_president", 2), ("state_convener", 3), ("state_admin", 4)):
        user = tree.users[key]
        sitting_day_add(scope=scope_for_user(user), **(arguments | {"weekday": weekday}))
    assert SittingDay.objects.count() == 3


def test_offices_are_scoped(tree, offices):
    d2_office = office_create(scope=Scope.system(), unit=tree["d2"], name="जिला कार्यालय 2")
    assert set(offices_visible(scope_for_user(tree.users["district_president"]))) == {offices["d1"]}
    assert set(offices_visible(scope_for_user(tree.users["state_president"]))) == {
        offices["state"], offices["d1"], d2_office}
    assert list(offices_visible(scope_for_user(tree.users["nobody"]))) == []          # no post, no scope


def test_a_week_of_the_state_office_in_four_queries(tree, offices, ministers, monday, django_assert_num_queries):
    office = offices["state"]
    roster_generate(scope=Scope.system(), office=office, start=MON, end=MON + timedelta(days=13))
    roster_absence(scope=Scope.system(), office=office, on=MON + timedelta(days=1), reason="दौरा")
    sitting_day_add(scope=Scope.system(), office=office, person=tree.people["state_president"], weekday=Weekday.WEDNESDAY,
                    starts_at=time(11), ends_at=time(13))
    with django_assert_num_queries(4):
        week = office_days(office, MON, days=7)
    assert [len(day.sittings) for day in week] == [1, 1, 2, 1, 1, 0, 0]
    tuesday = week[1].sittings[0]
    assert (tuesday.name, tuesday.changed, tuesday.is_minister) == ("मंत्री 3", True, True)
    assert tuesday.title == "मंत्री, विभाग 3"
    wednesday = week[2].sittings
    assert [s.name for s in wednesday] == ["मंत्री 3", tree.people["state_president"].name]
    assert (wednesday[0].starts_at, wednesday[0].ends_at) == (time(13), time(15))
