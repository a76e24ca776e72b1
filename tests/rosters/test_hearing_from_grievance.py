"""Scheduling a grievance for the minister's hearing from its own page (or the API): it goes on that day's
hearing list with a token, and an error (no minister that day) is shown in the form that was tapped."""

from datetime import timedelta

import pytest
from django.test import Client

from sangathan.access.scope import scope_for_user
from sangathan.grievances.enums import EventKind, GrievanceStatus
from sangathan.grievances.services import grievance_schedule_hearing
from sangathan.rosters.models import HearingCase, HearingSession
from sangathan.rosters.services import hearing_schedule, hearing_session_open
from tests.grievances.cell import MONDAY as CELL_MONDAY
from tests.rosters.helpers import state_grievance

pytestmark = pytest.mark.django_db

MON = CELL_MONDAY.date()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_scheduling_on_the_grievance_page_lists_the_case_in_that_hearing(cell, state_office):
    grievance = state_grievance(cell)
    wednesday = MON + timedelta(days=2)
    client = _client(cell["state_member"])
    response = client.post(f"/grievances/{grievance.pk}/hearing/", {"on": wednesday.isoformat(), "label": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = HearingCase.objects.select_related("session").get(grievance=grievance)
    assert (case.session.date, case.session.person, case.token) == (wednesday, cell.people["revenue_minister"], 1)
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.SCHEDULED and grievance.hearing_on == wednesday
    assert "टोकन 1" in grievance.hearing_label
    assert grievance.events.filter(kind=EventKind.SCHEDULED).count() == 1
    page = _client(cell["revenue_minister"]).get(f"/rosters/hearings/{case.session.pk}/")
    assert page.status_code == 200 and grievance.tracking_code in page.content.decode()


def test_no_minister_that_day_is_said_in_the_hearing_form(cell, state_office):
    grievance = state_grievance(cell)
    saturday = MON + timedelta(days=5)
    response = _client(cell["state_member"]).post(f"/grievances/{grievance.pk}/hearing/",
                                                  {"on": saturday.isoformat(), "label": "प्रदेश कार्यालय"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'id="grv-hearing" open' in html and "कोई मंत्री नहीं" in html
    assert f'action="/grievances/{grievance.pk}/hearing/#grv-hearing"' in html
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.OPEN and not HearingCase.objects.exists()
    assert not HearingSession.objects.exists()


def test_the_api_lists_it_too_and_the_hearing_page_does_not_list_it_twice(cell, state_office):
    first, second = state_grievance(cell), state_grievance(cell, subject="सदस्यता का विवाद", mobile="9826022222")
    scope = scope_for_user(cell["state_member"])
    grievance_schedule_hearing(scope=scope, grievance=first, on=MON, label="")
    session = hearing_session_open(scope=scope, office=state_office, on=MON)
    case = hearing_schedule(scope=scope, session=session, grievance=second)
    assert list(HearingCase.objects.filter(session=session).order_by("token").values_list("grievance", "token")) == [
        (first.pk, 1), (second.pk, 2)]
    assert case.grievance.events.filter(kind=EventKind.SCHEDULED).count() == 1


def test_without_a_state_office_the_date_and_label_are_kept_as_given(cell):
    grievance = state_grievance(cell)
    scheduled = grievance_schedule_hearing(scope=scope_for_user(cell["state_member"]), grievance=grievance,
                                           on=MON + timedelta(days=2), label="प्रदेश कार्यालय, 13:00")
    assert scheduled.hearing_label == "प्रदेश कार्यालय, 13:00" and not HearingCase.objects.exists()
