from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from sangathan.access.scope import Scope
from sangathan.org.models import Post, Wing
from sangathan.org.services import position_assign
from sangathan.rosters.services import office_create, roster_generate, roster_rotation_set
from tests.factories import PersonFactory, make_user
from tests.grievances.cell import MONDAY as CELL_MONDAY
from tests.grievances.cell import build_cell

IST = ZoneInfo("Asia/Kolkata")
# A Monday morning in Bhopal.
MONDAY = datetime(2026, 1, 19, 9, 30, tzinfo=IST)


@pytest.fixture
def monday(clock):
    clock.set(MONDAY)
    return clock


@pytest.fixture
def offices(tree):
    """The state office and district 1's office, with no sitting days yet."""
    return {
        "state": office_create(scope=Scope.system(), unit=tree["state"], name="प्रदेश कार्यालय, भोपाल", address="दीनदयाल परिसर"),
        "d1": office_create(scope=Scope.system(), unit=tree["d1"], name="जिला कार्यालय 1", address="स्टेशन रोड"),
    }


@pytest.fixture
def conveners(tree):
    """A Sahyog Cell convener at the state and one in district 1, each with a login."""
    convener = Post.objects.get(code="convener")
    sahyog = Wing.objects.get(code="sahyog")
    result = {}
    for key, unit in (("state_convener", tree["state"]), ("district_convener", tree["d1"])):
        person = PersonFactory(unit=unit)
        position_assign(scope=Scope.system(), person=person, post=convener, unit=unit, wing=sahyog)
        tree.people[key] = person
        tree.users[key] = result[key] = make_user(person)
    return result


@pytest.fixture
def ministers(tree, offices):
    """Four ministers in the state office's rotation, in order."""
    people = [PersonFactory(unit=tree["state"], name=f"मंत्री {n}") for n in range(1, 5)]
    roster_rotation_set(scope=Scope.system(), office=offices["state"], members=[(p, f"मंत्री, विभाग {n}") for n, p in
                                                          enumerate(people, start=1)])
    return people


@pytest.fixture
def cell(tree, clock):
    """The Sahyog Cell of tests.grievances (cell members, departments with ministers) on its Monday."""
    clock.set(CELL_MONDAY)
    return build_cell(tree)


@pytest.fixture
def state_office(cell):
    """The state office with two ministers in rotation: revenue Mon/Wed/Fri of the first week, health Tue/Thu."""
    office = office_create(scope=Scope.system(), unit=cell.tree["state"], name="प्रदेश कार्यालय, भोपाल")
    roster_rotation_set(scope=Scope.system(), office=office, members=[(cell.people["revenue_minister"], "राजस्व मंत्री"),
                                                (cell.people["health_minister"], "स्वास्थ्य मंत्री")])
    monday = CELL_MONDAY.date()
    roster_generate(scope=Scope.system(), office=office, start=monday, end=monday + timedelta(days=13))
    return office
