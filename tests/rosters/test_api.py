"""/api/v1/rosters: offices, who sits when, sitting days and the minister roster, scoped."""

from datetime import date

import pytest

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
