"""The rosters demo: offices with sitting days, the minister roster ahead, a hearing with cases on it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sangathan.rosters import demo
from sangathan.rosters.enums import OfficeKind
from sangathan.rosters.models import HearingCase, HearingSession, Office, RosterDay, RosterMember, SittingDay
from sangathan.rosters.selectors import who_sits
from tests.people.test_demo import run_demo

pytestmark = pytest.mark.django_db


def test_demo_makes_rosters_and_hearings_alive():
    # The real clock: the Sahyog Cell's demo takes its grievances at frozen times of its own.
    output = run_demo("--scale", "small")
    assert "Rosters: " in output and demo.demo_has_data()
    state = Office.objects.get(kind=OfficeKind.STATE)
    districts = Office.objects.filter(kind=OfficeKind.DISTRICT)
    assert districts.count() >= 1 and SittingDay.objects.filter(office__in=districts).count() >= 5
    members = list(RosterMember.objects.filter(office=state, is_active=True))
    assert len(members) >= 2
    first = timezone.localdate()
    while first.weekday() > 4:
        first += timedelta(days=1)
    days = RosterDay.objects.filter(office=state, date__gte=first, date__lt=first + timedelta(weeks=4))
    assert days.count() == 20 and all(day.date.weekday() < 5 for day in days)
    assert who_sits(state, first)[0].person_id == members[0].person_id   # the revenue minister, first
    session = HearingSession.objects.get(office=state, date=first)
    assert HearingCase.objects.filter(session=session).count() == 3
    monday = first - timedelta(days=first.weekday())
    assert who_sits(districts.first(), monday)                            # the president sits on Mondays
    # A second load into the loaded database adds nothing (the extension sees its data).
    run_demo("--if-empty")
    assert Office.objects.count() == districts.count() + 1
