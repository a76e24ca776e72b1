"""The same pages on a phone and at a desk: 360 px stays one column without sideways scrolling, a desk's
screen gets the wider layout; the favicon loads and the public pages are a tap from the login page."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _log_in(page, url, user):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    page.get_by_label("पासवर्ड").fill(PASSWORD)
    page.get_by_role("button", name="लॉग इन करें").click()


def test_phone_first_and_wider_at_a_desk(live_server, e2e_tree, browser, phone, console_errors, screenshot):
    user = e2e_tree.users["district_president"]
    phone.goto(f"{live_server.url}/accounts/login/")
    expect(phone.get_by_role("link", name="शिकायत की स्थिति")).to_be_visible()
    screenshot(phone, "wide-00-login")
    favicon = phone.request.get(f"{live_server.url}/favicon.ico")
    assert favicon.ok and favicon.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")

    _log_in(phone, live_server.url, user)
    expect(phone.locator("h1")).to_have_text(e2e_tree["d1"].name_hi)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    assert phone.locator(".page").bounding_box()["width"] <= 360
    screenshot(phone, "wide-01-phone")

    desk = browser.new_context(viewport={"width": 1366, "height": 800}, locale="en-US").new_page()
    try:
        _log_in(desk, live_server.url, user)
        expect(desk.locator("h1")).to_have_text(e2e_tree["d1"].name_hi)
        assert desk.locator(".page").bounding_box()["width"] > 1000
        assert desk.evaluate("document.documentElement.scrollWidth") <= 1366
        screenshot(desk, "wide-02-desk")
    finally:
        desk.context.close()
    assert console_errors == []
