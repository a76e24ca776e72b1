"""District office staff take a walk-in's grievance on a phone in Hindi; after it goes overdue and the
sweep escalates it, the state convener finds it in the state cell's queue."""

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope
from sangathan.grievances.models import Grievance
from sangathan.grievances.services import grievances_escalate_overdue
from tests.factories import PASSWORD
from tests.grievances.cell import MONDAY, build_cell

pytestmark = pytest.mark.e2e


def log_in(page, base, user):
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    page.get_by_label("पासवर्ड").fill(PASSWORD)
    page.get_by_role("button", name="लॉग इन करें").click()
    expect(page.locator("h1")).to_be_visible()


def test_walk_in_grievance_on_a_phone_reaches_the_state_cell(live_server, e2e_tree, clock, browser, phone,
                                                             console_errors, screenshot):
    clock.set(MONDAY)
    cell = build_cell(e2e_tree)
    log_in(phone, live_server.url, cell["district_convener"])

    phone.goto(f"{live_server.url}/grievances/")
    phone.get_by_role("link", name="नई शिकायत दर्ज करें").click()
    expect(phone.locator("h1")).to_have_text("नई शिकायत")
    phone.get_by_label("शिकायतकर्ता का नाम").fill("रामलाल अहिरवार")
    phone.get_by_label("शिकायतकर्ता का मोबाइल नंबर").fill("98260 12345")
    phone.get_by_label("इकाई (जिला, विधानसभा या मंडल)").select_option(str(cell.tree["d1a1m"].pk))
    phone.get_by_label("संगठनात्मक (पार्टी)").check()
    phone.get_by_label("विषय", exact=True).fill("मंडल की बैठकों की सूचना नहीं मिलती")
    phone.get_by_label("विवरण").fill("तीन महीने से मंडल अध्यक्ष केवल कुछ कार्यकर्ताओं को बुलाते हैं।")
    # Nothing is wider than the phone: no sideways scrolling on a 360 px screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "sahyog-01-intake-hindi")
    phone.get_by_role("button", name="शिकायत दर्ज करें").click()

    grievance = Grievance.objects.get()
    expect(phone.locator(".grv-taken")).to_contain_text(grievance.tracking_code)
    expect(phone.locator("h1")).to_have_text("मंडल की बैठकों की सूचना नहीं मिलती")
    expect(phone.locator(".grv-status")).to_have_text("खुली")
    screenshot(phone, "sahyog-02-registered")

    # The walk-in leaves with a printed receipt; the address on it answers the complainant's lookup.
    phone.get_by_role("link", name="रसीद छापें").click()
    expect(phone.locator(".receipt__code")).to_have_text(grievance.tracking_code)
    status_url = phone.locator(".receipt__url").inner_text().strip()
    assert status_url.startswith(live_server.url) and status_url.endswith("/status/")
    screenshot(phone, "sahyog-02b-receipt")
    public = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                 locale="hi-IN")
    walk_in = public.new_page()
    walk_in.goto(status_url)
    walk_in.locator("input[name=tracking_code]").fill(grievance.tracking_code)
    walk_in.locator("input[name=mobile]").fill("9826012345")
    walk_in.get_by_role("button", name="स्थिति देखें").click()
    expect(walk_in.locator(".grv-status-card")).to_contain_text(grievance.tracking_code)
    expect(walk_in.locator(".grv-status-card")).to_contain_text("खुली")
    public.close()

    clock.advance(days=9)
    assert grievances_escalate_overdue(scope=Scope.system()) == 1

    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True,
                                  locale="en-US")
    state = context.new_page()
    state_errors: list[str] = []
    state.on("console", lambda message: message.type == "error" and state_errors.append(message.text))
    log_in(state, live_server.url, cell["state_convener"])
    state.goto(f"{live_server.url}/grievances/")
    expect(state.locator(".grv-tab--on")).to_have_text("प्रदेश सेल")
    row = state.locator(".grv-row", has_text=grievance.tracking_code)
    expect(row).to_contain_text("मंडल की बैठकों की सूचना नहीं मिलती")
    expect(row).to_contain_text("प्रदेश सहयोग सेल")
    screenshot(state, "sahyog-03-state-queue")
    row.click()
    expect(state.locator(".timeline")).to_contain_text("ऊपर भेजी गई")
    context.close()
    assert console_errors == [] and state_errors == []
