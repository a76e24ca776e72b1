"""/api/v1/rosters: offices, who sits when, sitting days and the minister roster, scoped."""

from datetime import date

import pytest

from sangathan.access.scope import scope_for_user
from sangathan.core.clock import today as clock_today
from sangathan.rosters.models import RosterDay, SittingDay
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

MON = date(2026, 1, 19)


def test_offices_are_listed_within_scope(tree, offices):
    api = ApiClient.login(tree.users["district_president"])
    data = api.get("/rosters/offices").json()
    assert (data["count"], data["items"][0]["name"]) == (1, "जिला कार्यालय 1")
    assert api.get(f"/rosters/offices/{offices['state'].pk}").status_code == 404
    assert api.get(f"/rosters/offices/{offices['d1'].pk}").json()["kind"] == "district"


def test_sitting_days_through_the_api(tree, offices, monday):
    api = ApiClient.login(tree.users["district_president"])
    url = f"/rosters/offices/{offices['d1'].pk}/sittings"
    person = tree.people["district_president"].pk
    response = api.post(url, {"person": person, "weekday": 0, "starts_at": "11:00", "ends_at": "09:00"})
    assert response.status_code == 400 and "ends_at" in response.json()["errors"]
    response = api.post(url, {"person": person, "weekday": 9, "starts_at": "11:00", "ends_at": "14:00"})
    assert response.status_code == 422
    response = api.post(url, {"person": person, "weekday": 0, "starts_at": "11:00", "ends_at": "14:00"})
    assert response.status_code == 201 and response.json()["weekday"] == 0
    assert api.post(url, {"person": person, "weekday": 0, "starts_at": "11:00",
                          "ends_at": "14:00"}).status_code == 409
    days = api.get(f"/rosters/offices/{offices['d1'].pk}/days", {"start": "2026-01-19", "days": 2}).json()
    assert [len(day["sittings"]) for day in days] == [1, 0]
    sitting = SittingDay.objects.get()
    assert api.client.delete(f"/api/v1{url}/{sitting.pk}", headers=api._headers()).status_code == 204
    assert not SittingDay.objects.exists()


def test_roster_through_the_api(tree, offices, ministers, conveners, monday):
    api = ApiClient.login(conveners["state_convener"])
    url = f"/rosters/offices/{offices['state'].pk}/roster"
    response = api.post(url + "/generate", {"start": "2026-01-19", "end": "2026-01-23"})
    assert response.status_code == 201 and len(response.json()) == 5
    response = api.post(url + "/swap", {"first": "2026-01-19", "second": "2026-01-20", "reason": "यात्रा"})
    assert [d["person_id"] for d in response.json()] == [ministers[1].pk, ministers[0].pk]
    response = api.post(url + "/absence", {"on": "2026-01-21", "reason": "सत्र", "substitute": 99999999})
    assert response.status_code == 404 and "substitute" in response.json()["errors"]
    response = api.post(url + "/absence", {"on": "2026-01-21", "reason": "सत्र"})
    assert response.json()["person_id"] == ministers[3].pk
    assert [d["person_id"] for d in api.get(url, {"start": "2026-01-19", "days": 3}).json()] == [
        ministers[1].pk, ministers[0].pk, ministers[3].pk]
    outsider = ApiClient.login(tree.users["district_president"])
    assert outsider.post(url + "/generate", {"start": "2026-01-26", "end": "2026-01-30"}).status_code == 404
    assert RosterDay.objects.count() == 5


def test_hearings_through_the_api(cell, state_office, clock):
    from datetime import datetime, time

    from django.utils import timezone

    from sangathan.rosters.services import hearing_session_open
    from tests.factories import PASSWORD
    from tests.rosters.helpers import state_grievance

    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=clock_today())
    grievance = state_grievance(cell)
    desk = ApiClient.login(cell["state_member"], PASSWORD)
    response = desk.post(f"/rosters/hearings/{session.pk}/cases", {"grievance": grievance.pk})
    assert response.status_code == 201 and response.json()["token"] == 1
    assert desk.post(f"/rosters/hearings/{session.pk}/cases", {"grievance": 999999}).status_code == 404
    minister = ApiClient.login(cell["revenue_minister"])
    listed = minister.get("/rosters/hearings").json()
    assert [s["id"] for s in listed] == [session.pk]
    detail = minister.get(f"/rosters/hearings/{session.pk}").json()
    case_id = detail["cases"][0]["id"]
    assert detail["cases"][0]["tracking_code"] == grievance.tracking_code
    clock.set(timezone.make_aware(datetime.combine(session.date, time(13, 10))))
    url = f"/rosters/hearings/{session.pk}/cases/{case_id}/outcome"
    response = minister.post(url, {"outcome": "directions", "directions": [
        {"owner": cell.people["district_president"].pk, "text": "रिपोर्ट दें", "deadline": "2026-01-01"}]})
    assert response.status_code == 400 and "directions.0.deadline" in response.json()["errors"]
    response = minister.post(url, {"outcome": "resolved", "note": "आदेश जारी"})
    assert response.status_code == 200 and response.json()["outcome"] == "resolved"
    assert ApiClient.login(cell["health_minister"]).get(f"/rosters/hearings/{session.pk}").status_code == 404
