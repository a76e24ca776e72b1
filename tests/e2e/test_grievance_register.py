"""The grievance register in real Chromium: cards on a 360 px phone, a sortable table on a desk; the walk-in's
receipt after intake, with no CSP error from its print button."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_sahyog_intake import log_in
from tests.grievances.cell import MONDAY, build_cell
from tests.grievances.helpers import take

pytestmark = pytest.mark.e2e


def test_register_cards_on_a_phone_table_on_a_desk_and_the_receipt(live_server, e2e_tree, clock, browser, phone,
                                                                     console_errors, screenshot):
    clock.set(MONDAY)
    cell = build_cell(e2e_tree)
    first = take(cell, subject="मंडल की बैठकों की सूचना नहीं मिलती")
    take(cell, subject="क्षेत्र में पानी की समस्या", mobile="9826012301")
    log_in(phone, live_server.url, cell["district_convener"])

    phone.goto(f"{live_server.url}/grievances/register/")
    expect(phone.locator("h1")).to_have_text("शिकायत रजिस्टर")
    assert phone.locator(".reg-row").count() == 2
    assert phone.evaluate("getComputedStyle(document.querySelector('.reg-row')).display") == "block"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "register-01-phone-cards")

    phone.locator(".reg-filters summary").click()
    phone.get_by_label("खोजें").fill("पानी")
    phone.get_by_role("button", name="दिखाएँ").click()
    assert phone.locator(".reg-row").count() == 1

    phone.goto(f"{live_server.url}/grievances/{first.pk}/receipt/")
    expect(phone.locator(".receipt__code")).to_have_text(first.tracking_code)
    expect(phone.locator(".receipt__url")).to_contain_text("/status/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "register-02-receipt")
    assert not console_errors, console_errors

    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="hi-IN")
    desk = context.new_page()
    log_in(desk, live_server.url, cell["district_convener"])
    desk.goto(f"{live_server.url}/grievances/register/")
    assert desk.evaluate("getComputedStyle(document.querySelector('.reg-row')).display") == "table-row"
    expect(desk.locator(".reg-table thead")).to_be_visible()
    desk.get_by_role("link", name="विषय").click()
    expect(desk.locator("th[aria-sort='ascending']")).to_contain_text("विषय")
    screenshot(desk, "register-03-desk-table")
    context.close()
