"""Hearing pages: the sitting minister's list on the phone, outcomes, walk-ins, scheduling, directions."""

from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sangathan.access.scope import scope_for_user
from sangathan.grievances.enums import GrievanceStatus
from sangathan.rosters.enums import CaseOutcome, DirectionStatus
from sangathan.rosters.models import HearingCase, HearingDirection, HearingSession
from sangathan.rosters.services import hearing_schedule, hearing_session_open
from tests.rosters.helpers import state_grievance
from tests.rosters.test_hearings import MON

pytestmark = pytest.mark.django_db


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def at(hour, minute=0):
    return timezone.make_aware(datetime.combine(MON, time(hour, minute)))


@pytest.fixture
def session(cell, state_office):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    return session


def test_minister_sees_todays_hearing_and_records_outcomes(cell, session, clock, django_assert_max_num_queries):
    client = web(cell["revenue_minister"])
    listing = client.get("/rosters/hearings/").content.decode()
    assert f"/rosters/hearings/{session.pk}/" in listing
    clock.set(at(13, 5))
    page = client.get(f"/rosters/hearings/{session.pk}/")
    body = page.content.decode()
    case = HearingCase.objects.get()
    assert page.status_code == 200 and "पेंशन प्रकरण लंबित" in body and "style=" not in body
    response = client.post(f"/rosters/hearings/{session.pk}/cases/{case.pk}/", {
        f"case{case.pk}-outcome": "resolved", f"case{case.pk}-note": ""})
    assert response.status_code == 400 and "समाधान कैसे हुआ" in response.content.decode()
    response = client.post(f"/rosters/hearings/{session.pk}/cases/{case.pk}/", {
        f"case{case.pk}-outcome": "resolved", f"case{case.pk}-note": "आदेश जारी"})
    assert response.status_code == 302 and response["Location"].endswith(f"#case-{case.pk}")
    case.refresh_from_db()
    assert case.outcome == CaseOutcome.RESOLVED and case.grievance.status == GrievanceStatus.RESOLVED


def test_directions_from_the_phone_reach_their_owner(cell, session, clock):
    clock.set(at(13, 5))
    case = HearingCase.objects.get()
    owner = cell.people["district_president"]
    response = web(cell["revenue_minister"]).post(f"/rosters/hearings/{session.pk}/cases/{case.pk}/", {
        f"case{case.pk}-outcome": "directions", f"case{case.pk}-owner": owner.pk,
        f"case{case.pk}-text": "पीड़ित से मिलकर रिपोर्ट दें", f"case{case.pk}-deadline": "2026-02-09"})
    assert response.status_code == 302
    direction = HearingDirection.objects.get()
    client = web(cell["district_president"])
    page = client.get("/rosters/directions/").content.decode()
    assert "पीड़ित से मिलकर रिपोर्ट दें" in page
    assert client.post(f"/rosters/directions/{direction.pk}/done/", {"note": "रिपोर्ट भेजी"}).status_code == 302
    direction.refresh_from_db()
    assert direction.status == DirectionStatus.DONE
    assert web(cell["health_minister"]).post(f"/rosters/directions/{direction.pk}/done/").status_code == 404


def test_walk_in_and_schedule_at_the_desk(cell, session, clock):
    clock.set(at(13, 30))
    client = web(cell["state_member"])
    response = client.post(f"/rosters/hearings/{session.pk}/walk-in/", {
        "complainant_name": "सीता बाई", "complainant_mobile": "98260", "unit": cell.tree["d2"].pk,
        "kind": "organizational", "subject": "पद से हटाने की शिकायत"})
    assert response.status_code == 400                                    # a bad mobile, a field error
    response = client.post(f"/rosters/hearings/{session.pk}/walk-in/", {
        "complainant_name": "सीता बाई", "complainant_mobile": "9826044444", "unit": cell.tree["d2"].pk,
        "kind": "organizational", "subject": "पद से हटाने की शिकायत"})
    assert response.status_code == 302
    assert HearingCase.objects.filter(session=session).count() == 2
    response = client.post(f"/rosters/hearings/{session.pk}/schedule/", {"tracking_code": "SG-ZZZZZZ"})
    assert response.status_code == 400 and "ट्रैकिंग कोड" in response.content.decode()


def test_outsiders_do_not_see_a_hearing(cell, session):
    assert web(cell["health_minister"]).get(f"/rosters/hearings/{session.pk}/").status_code == 404
    assert web(cell["mandal_president"]).get(f"/rosters/hearings/{session.pk}/").status_code == 404
    assert web(cell["state_convener"]).get(f"/rosters/hearings/{session.pk}/").status_code == 200


def test_open_todays_hearing_from_the_office_page(cell, state_office):
    response = web(cell["state_convener"]).post(f"/rosters/offices/{state_office.pk}/hearings/open/")
    session = HearingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rosters/hearings/{session.pk}/"
    assert session.date == MON and session.person == cell.people["revenue_minister"]
    assert MON + timedelta(days=1) > session.date
