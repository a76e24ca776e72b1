"""Rosters pages: the public "who sits today" page, the office page and its forms."""

from datetime import date, time, timedelta

import pytest
from django.test import Client

from sangathan.access.scope import Scope
from sangathan.rosters.models import RosterChange, RosterDay, SittingDay
from sangathan.rosters.services import roster_generate, sitting_day_add

pytestmark = pytest.mark.django_db

MON = date(2026, 1, 19)


def web(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def sittings(tree, offices):
    sitting_day_add(scope=Scope.system(), office=offices["d1"], person=tree.people["district_president"], weekday=0, starts_at=time(11),
                    ends_at=time(14))
    sitting_day_add(scope=Scope.system(), office=offices["d1"], person=tree.people["mandal_president"], weekday=1, starts_at=time(12),
                    ends_at=time(15), note="मंडल अध्यक्ष")


def test_public_page_needs_no_login_and_speaks_hindi(tree, offices, ministers, sittings, monday,
                                                     django_assert_max_num_queries):
    roster_generate(scope=Scope.system(), office=offices["state"], start=MON, end=MON + timedelta(days=6))
    client = web()
    index = client.get("/today/")
    assert index.status_code == 200
    body = index.content.decode()
    assert "आज कौन बैठेगा" in body and offices["d1"].name in body and offices["state"].name in body
    with django_assert_max_num_queries(6):
        page = client.get(f"/today/{offices['d1'].pk}/")
    body = page.content.decode()
    today = body[body.index('id="today-list"'):body.index('id="next-days"')]
    assert tree.people["district_president"].name in today and "11:00" in today and "14:00" in today
    assert tree.people["mandal_president"].name not in today
    assert tree.people["mandal_president"].name in body               # tomorrow, under the next days
    assert tree.people["district_president"].mobile[3:] not in body    # no numbers on a public page
    state = client.get(f"/today/{offices['state'].pk}/").content.decode()
    assert "मंत्री 1" in state[state.index('id="today-list"'):state.index('id="next-days"')]
    assert "13:00" in state and "style=" not in state and "<script" not in state


def test_public_page_of_a_closed_or_unknown_office_is_404(offices):
    offices["d1"].is_active = False
    offices["d1"].save()
    assert web().get(f"/today/{offices['d1'].pk}/").status_code == 404
    assert web().get("/today/999999/").status_code == 404


def test_office_page_and_sitting_form(tree, offices, conveners, monday):
    client = web(conveners["district_convener"])
    page = client.get(f"/rosters/offices/{offices['d1'].pk}/")
    assert page.status_code == 200 and "बैठने का दिन जोड़ें" in page.content.decode()
    president = tree.people["district_president"]
    response = client.post(f"/rosters/offices/{offices['d1'].pk}/sittings/", {
        "person": president.pk, "weekday": 0, "starts_at": "11:00", "ends_at": "10:00"})
    assert response.status_code == 400
    assert "बैठक शुरू होने के बाद ही समाप्त हो सकती है" in response.content.decode()
    assert not SittingDay.objects.exists()
    response = client.post(f"/rosters/offices/{offices['d1'].pk}/sittings/", {
        "person": president.pk, "weekday": 0, "starts_at": "11:00", "ends_at": "14:00"})
    assert response.status_code == 302
    sitting = SittingDay.objects.get()
    assert (sitting.person, sitting.starts_at) == (president, time(11))
    response = client.post(f"/rosters/offices/{offices['d1'].pk}/sittings/{sitting.pk}/remove/")
    assert response.status_code == 302 and not SittingDay.objects.exists()


def test_readers_without_the_right_see_no_forms_and_cannot_post(tree, offices, monday):
    client = web(tree.users["mandal_president"])
    assert client.get(f"/rosters/offices/{offices['d1'].pk}/").status_code == 404   # outside the mandal
    client = web(tree.users["nobody"])
    assert client.get("/rosters/").status_code == 200
    assert client.get(f"/rosters/offices/{offices['state'].pk}/").status_code == 404


def test_state_convener_draws_up_swaps_and_records_absences(tree, offices, ministers, conveners, monday):
    client = web(conveners["state_convener"])
    url = f"/rosters/offices/{offices['state'].pk}/"
    assert "रोस्टर बनाएं" in client.get(url).content.decode()
    response = client.post(url + "roster/generate/", {"start": "2026-01-19", "end": "2026-01-30"})
    assert response.status_code == 302
    assert RosterDay.objects.count() == 10
    response = client.post(url + "roster/swap/", {"first": "2026-01-20", "second": "2026-01-21", "reason": ""})
    assert response.status_code == 400
    response = client.post(url + "roster/swap/", {"first": "2026-01-20", "second": "2026-01-21",
                                                  "reason": "कैबिनेट बैठक"})
    assert response.status_code == 302
    response = client.post(url + "roster/absence/", {"on": "2026-01-22", "substitute": "", "reason": "दौरा"})
    assert response.status_code == 302
    assert RosterChange.objects.filter(actor=conveners["state_convener"]).count() == 3
    page = client.get(url).content.decode()
    assert "कैबिनेट बैठक" in page


def test_district_president_may_not_change_the_state_roster(tree, offices, ministers, monday):
    client = web(tree.users["state_president"])
    client.post(f"/rosters/offices/{offices['state'].pk}/roster/generate/", {"start": "2026-01-19",
                                                                            "end": "2026-01-23"})
    roster = RosterDay.objects.count()
    client = web(tree.users["district_president"])
    response = client.post(f"/rosters/offices/{offices['state'].pk}/roster/generate/", {"start": "2026-01-26",
                                                                                       "end": "2026-01-30"})
    assert response.status_code == 404
    assert RosterDay.objects.count() == roster


def test_open_an_office(tree, conveners):
    client = web(tree.users["district_president"])
    response = client.post("/rosters/", {"unit": tree["d1"].pk, "name": "जिला कार्यालय", "address": "मुख्य मार्ग"})
    assert response.status_code == 302
    response = client.post("/rosters/", {"unit": tree["d1"].pk, "name": "जिला कार्यालय", "address": ""})
    assert response.status_code == 400
    response = client.post("/rosters/", {"unit": tree["d2"].pk, "name": "x"})
    assert response.status_code == 400          # not a choice for district 1's president
