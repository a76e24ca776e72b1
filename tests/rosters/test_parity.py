"""Web and API run the same roster and hearing actions: the same actor on the same office gets the same
answer (redirect ↔ 200/201/204, 400 ↔ 400/409, 403 ↔ 403, 404 ↔ 404), and every change leaves its
RosterChange row on both."""

from datetime import date, time

import pytest
from django.test import Client

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import today as clock_today
from sangathan.rosters.models import HearingCase, RosterChange, SittingDay
from sangathan.rosters.services import (
    hearing_schedule,
    hearing_session_open,
    roster_generate,
    sitting_day_add,
)
from tests.api_client import ApiClient
from tests.rosters.helpers import state_grievance

pytestmark = pytest.mark.django_db

WEEK1, WEEK2 = date(2026, 1, 19), date(2026, 1, 26)
WEB = {302: "done", 400: "invalid", 403: "refused", 404: "missing"}
API = {200: "done", 201: "done", 204: "done", 400: "invalid", 409: "invalid", 403: "refused", 404: "missing"}
ACTORS = ["district_president", "district_convener", "state_convener", "mandal_president", "booth_president",
          "nobody", "state_admin"]


def _sitting(tree, offices, weekday):
    return sitting_day_add(scope=Scope.system(), office=offices["d1"], person=tree.people["district_president"],
                           weekday=weekday, starts_at=time(11), ends_at=time(14))


def _web_and_api(tree, offices, action):
    """(web method, web path, web data, API method, API path, API body) of ``action``, each on its own day."""
    d1, state = offices["d1"].pk, offices["state"].pk
    president = tree.people["district_president"].pk
    if action == "sitting-add":
        sitting = {"person": president, "starts_at": "11:00", "ends_at": "14:00", "note": ""}
        return (f"/rosters/offices/{d1}/sittings/", {**sitting, "weekday": 0},
                ("post", f"/rosters/offices/{d1}/sittings", {**sitting, "weekday": 1}))
    if action == "sitting-remove":
        one, two = _sitting(tree, offices, 2), _sitting(tree, offices, 3)
        return (f"/rosters/offices/{d1}/sittings/{one.pk}/remove/", {"reason": "बदला"},
                ("delete", f"/rosters/offices/{d1}/sittings/{two.pk}", None))
    if action == "roster-generate":
        return (f"/rosters/offices/{state}/roster/generate/", {"start": "2026-01-19", "end": "2026-01-23"},
                ("post", f"/rosters/offices/{state}/roster/generate", {"start": "2026-01-26", "end": "2026-01-30"}))
    roster_generate(scope=Scope.system(), office=offices["state"], start=WEEK1, end=date(2026, 2, 6))
    if action == "roster-swap":
        return (f"/rosters/offices/{state}/roster/swap/", {"first": "2026-01-19", "second": "2026-01-20",
                                                           "reason": "यात्रा"},
                ("post", f"/rosters/offices/{state}/roster/swap", {"first": "2026-01-26", "second": "2026-01-27",
                                                                   "reason": "यात्रा"}))
    return (f"/rosters/offices/{state}/roster/absence/", {"on": "2026-01-21", "reason": "सत्र", "substitute": ""},
            ("post", f"/rosters/offices/{state}/roster/absence", {"on": "2026-01-28", "reason": "सत्र"}))


@pytest.mark.parametrize("action", ["sitting-add", "sitting-remove", "roster-generate", "roster-swap",
                                    "roster-absence"])
@pytest.mark.parametrize("actor", ACTORS)
def test_roster_actions_answer_alike_on_web_and_api(tree, offices, ministers, conveners, monday, action, actor):
    user = tree.users[actor]
    web_path, web_data, (method, api_path, api_body) = _web_and_api(tree, offices, action)
    changes = RosterChange.objects.count()
    client = Client()
    client.force_login(user)
    web_outcome = WEB[client.post(web_path, web_data).status_code]
    web_changes = RosterChange.objects.count() - changes
    api = ApiClient.login(user)
    response = api.delete(api_path) if method == "delete" else api.post(api_path, api_body)
    api_outcome = API[response.status_code]
    assert web_outcome == api_outcome, (web_outcome, response.status_code, response.content)
    # Every change is on the office's history, once per channel; a refused one leaves nothing.
    assert RosterChange.objects.count() - changes == 2 * web_changes
    assert web_changes == (1 if web_outcome == "done" else 0)
    if actor in ("nobody", "booth_president", "mandal_president"):
        assert web_outcome == "missing"
    if actor == "state_admin":
        assert web_outcome == "done"


def test_sitting_days_only_for_the_offices_people_and_unknown_people_are_not_told_apart(tree, offices, monday):
    api = ApiClient.login(tree.users["district_president"])
    url = f"/rosters/offices/{offices['d1'].pk}/sittings"
    body = {"weekday": 0, "starts_at": "11:00", "ends_at": "14:00"}
    outsider = tree.people["d2a1b1p0"].pk       # a member of district 2: exists, but not on the office's ladder
    assert api.post(url, {**body, "person": outsider}).status_code == 404
    assert api.post(url, {**body, "person": 99_999_999}).status_code == 404
    assert not SittingDay.objects.exists()


def test_hearing_cases_answer_alike_on_web_and_api(cell, state_office, clock):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office,
                                   on=clock_today())
    for key, expected in (("state_member", "done"), ("district_president", "missing"),
                          ("district2_convener", "missing")):
        user = cell[key]
        on_web, on_api = state_grievance(cell, mobile="9826022221"), state_grievance(cell, mobile="9826022222")
        client = Client()
        client.force_login(user)
        web = client.post(f"/rosters/hearings/{session.pk}/schedule/", {"tracking_code": on_web.tracking_code})
        web_outcome = {302: "done", 400: "invalid", 404: "missing", 403: "refused"}[web.status_code]
        api = ApiClient.login(user).post(f"/rosters/hearings/{session.pk}/cases", {"grievance": on_api.pk})
        assert web_outcome == API[api.status_code] == expected, (key, web.status_code, api.status_code)
        on_web.refresh_from_db()
        on_api.refresh_from_db()
        assert on_web.status == on_api.status
        assert HearingCase.objects.filter(grievance=on_web).count() == HearingCase.objects.filter(grievance=on_api).count()


@pytest.mark.parametrize("outcome", ["resolved", "adjourned"])
def test_hearing_outcomes_answer_alike_on_web_and_api(cell, state_office, clock, outcome):
    """The sitting official records an outcome the same way on the hearing page and through the API; people
    who cannot see the hearing get 404 on both and change nothing."""
    sitting = scope_for_user(cell["state_member"])
    session = hearing_session_open(scope=sitting, office=state_office, on=clock_today())
    for n, (key, expected) in enumerate((("state_member", "done"), ("district_president", "missing"),
                                         ("district2_convener", "missing"))):
        on_web = state_grievance(cell, mobile=f"98260333{n}1")
        on_api = state_grievance(cell, mobile=f"98260333{n}2")
        web_case = hearing_schedule(scope=sitting, session=session, grievance=on_web)
        api_case = hearing_schedule(scope=sitting, session=session, grievance=on_api)
        client = Client()
        client.force_login(cell[key])
        prefix = f"case{web_case.pk}"
        web = client.post(f"/rosters/hearings/{session.pk}/cases/{web_case.pk}/",
                          {f"{prefix}-outcome": outcome, f"{prefix}-note": "पेंशन स्वीकृत करने का निर्देश"})
        api = ApiClient.login(cell[key]).post(f"/rosters/hearings/{session.pk}/cases/{api_case.pk}/outcome",
                                              {"outcome": outcome, "note": "पेंशन स्वीकृत करने का निर्देश"})
        assert WEB[web.status_code] == API[api.status_code] == expected, (key, web.status_code, api.content)
        web_case.refresh_from_db()
        api_case.refresh_from_db()
        assert web_case.outcome == api_case.outcome == (outcome if expected == "done" else "waiting")
        on_web.refresh_from_db()
        on_api.refresh_from_db()
        assert on_web.status == on_api.status
