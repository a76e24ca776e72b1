"""Bad roster input answers a field-level 4xx and writes nothing; times go out with the schema's offset."""

import pytest

from sangathan.rosters.models import SittingDay
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("starts_at", ["10:00:00Z", "10:00:00+16:57", "10:00+05:30"])
def test_a_sitting_time_with_an_offset_is_refused_and_nothing_is_saved(tree, offices, monday, starts_at):
    api = ApiClient.login(tree.users["district_president"])
    url = f"/rosters/offices/{offices['d1'].pk}/sittings"
    response = api.post(url, {"person": tree.people["district_president"].pk, "weekday": 0,
                              "starts_at": starts_at, "ends_at": "14:00"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["starts_at"]
    assert not SittingDay.objects.exists()


def test_sitting_times_go_out_with_the_local_offset(tree, offices, monday):
    api = ApiClient.login(tree.users["district_president"])
    url = f"/rosters/offices/{offices['d1'].pk}/sittings"
    created = api.post(url, {"person": tree.people["district_president"].pk, "weekday": 0,
                             "starts_at": "10:00", "ends_at": "14:00"}).json()
    assert (created["starts_at"], created["ends_at"]) == ("10:00:00+05:30", "14:00:00+05:30")
    assert api.get(url).json()[0]["starts_at"] == "10:00:00+05:30"
    day = api.get(f"/rosters/offices/{offices['d1'].pk}/days", {"start": "2026-01-19", "days": 1}).json()[0]
    assert day["sittings"][0]["ends_at"] == "14:00:00+05:30"


def test_roster_times_carry_the_offset(tree, offices, ministers, conveners, monday):
    api = ApiClient.login(conveners["state_convener"])
    url = f"/rosters/offices/{offices['state'].pk}/roster"
    days = api.post(url + "/generate", {"start": "2026-01-19", "end": "2026-01-20"}).json()
    assert all(d["starts_at"].endswith("+05:30") and d["ends_at"].endswith("+05:30") for d in days)


@pytest.mark.parametrize("tail", ["roster", "days"])
def test_a_start_at_the_end_of_the_calendar_is_refused(tree, offices, conveners, monday, tail):
    api = ApiClient.login(conveners["state_convener"])
    response = api.get(f"/rosters/offices/{offices['state'].pk}/{tail}", {"start": "9999-12-31", "days": 7})
    assert response.status_code == 422 and "start" in response.json()["errors"]


def test_hearings_refuse_a_start_at_the_end_of_the_calendar(tree, conveners, monday):
    api = ApiClient.login(conveners["state_convener"])
    response = api.get("/rosters/hearings", {"start": "9999-12-31", "days": 31})
    assert response.status_code == 422 and "start" in response.json()["errors"]


def test_a_period_at_the_end_of_the_calendar_is_refused(tree, offices, ministers, conveners, monday):
    api = ApiClient.login(conveners["state_convener"])
    response = api.post(f"/rosters/offices/{offices['state'].pk}/roster/generate",
                        {"start": "9999-12-30", "end": "9999-12-31"})
    assert response.status_code == 422 and "start" in response.json()["errors"]
