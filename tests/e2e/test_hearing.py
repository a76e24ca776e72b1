"""The minister sitting at the state office opens today's hearing on a phone in Hindi and records an
outcome; the public "who sits today" page shows the minister without a login."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope, scope_for_user
from sangathan.grievances.enums import GrievanceStatus
from sangathan.grievances.models import Grievance
from sangathan.rosters.models import HearingCase
from sangathan.rosters.services import (
    hearing_schedule,
    hearing_session_open,
    office_create,
    roster_generate,
    roster_rotation_set,
)
from tests.factories import PASSWORD
from tests.grievances.cell import MONDAY, build_cell
from tests.rosters.helpers import state_grievance

pytestmark = pytest.mark.e2e


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    page.get_by_label("पासवर्ड").fill(PASSWORD)
    page.get_by_role("button", name="लॉग इन करें").click()
    expect(page.locator("h1")).to_be_visible()


def test_minister_records_an_outcome_at_todays_hearing(live_server, e2e_tree, clock, phone, console_errors,
                                                       screenshot):
    clock.set(MONDAY)
    cell = build_cell(e2e_tree)
    office = office_create(scope=Scope.system(), unit=cell.tree["state"], name="प्रदेश कार्यालय, भोपाल", address="अरेरा कॉलोनी")
    roster_rotation_set(scope=Scope.system(), office=office, members=[(cell.people["revenue_minister"], "राजस्व मंत्री"),
                                                (cell.people["health_minister"], "स्वास्थ्य मंत्री")])
    roster_generate(scope=Scope.system(), office=office, start=MONDAY.date(), end=MONDAY.date() + timedelta(days=6))
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=office, on=MONDAY.date())
    grievance = state_grievance(cell, subject="पेंशन प्रकरण दो वर्ष से लंबित")
    hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=grievance)
    clock.advance(hours=3, minutes=5)                       # 1:05 PM: the hearing has begun

    phone.goto(f"{live_server.url}/today/{office.pk}/")
    expect(phone.locator("#today-list")).to_contain_text(cell.people["revenue_minister"].name)
    expect(phone.locator("#today-list")).to_contain_text("13:00")
    screenshot(phone, "hearing-01-who-sits-today")

    log_in(phone, live_server.url, cell["revenue_minister"])
    phone.goto(f"{live_server.url}/rosters/hearings/")
    phone.get_by_role("link", name="प्रदेश कार्यालय, भोपाल").first.click()
    expect(phone.locator("h1")).to_contain_text(cell.people["revenue_minister"].name)
    case = phone.locator(".case").first
    expect(case.locator(".token")).to_have_text("1")
    expect(case).to_contain_text("पेंशन प्रकरण दो वर्ष से लंबित")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "hearing-02-list")

    case.get_by_label("क्या तय हुआ").fill("कलेक्टर को पेंशन स्वीकृत करने के निर्देश; आदेश आज जारी हुआ।")
    case.get_by_role("button", name="समाधान हुआ").click()
    expect(phone.locator(".flash")).to_contain_text("टोकन 1: दर्ज हुआ।")
    expect(phone.locator(".case").first.locator(".pill")).to_have_text("सुनवाई: समाधान")
    expect(phone.locator("#waiting-count")).to_have_text("0")
    screenshot(phone, "hearing-03-resolved")

    assert HearingCase.objects.get().outcome == "resolved"
    assert Grievance.objects.get(pk=grievance.pk).status == GrievanceStatus.RESOLVED
    assert console_errors == []
