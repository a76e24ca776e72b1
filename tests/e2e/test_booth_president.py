"""A booth president on a 360 px phone: logs in in Hindi, sees the booth, switches to English, is refused
another booth."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.e2e


def spaced(e164: str) -> str:
    """+919000000012 → "90000 00012", the way people type their number."""
    return f"{e164[3:8]} {e164[8:]}"


def test_booth_president_journey(live_server, e2e_tree, phone, console_errors, screenshot):
    tree = e2e_tree
    user = tree.users["booth_president"]
    own_people = [p for key, p in tree.people.items() if key.startswith("d1a1b1p")]
    other = PersonFactory(unit=tree["d1a1b2"], name="गुप्तेश्वर रामप्रसाद")

    # Any page sends an anonymous visitor to log in, in Hindi although the browser asks for English.
    phone.goto(f"{live_server.url}/")
    expect(phone).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(phone.locator("h1")).to_have_text("लॉग इन करें")
    expect(phone.get_by_label("मोबाइल नंबर")).to_be_visible()
    screenshot(phone, "01-login-hindi")

    phone.get_by_label("मोबाइल नंबर").fill(spaced(user.mobile))
    phone.get_by_label("पासवर्ड").fill("not-the-password")
    phone.get_by_role("button", name="लॉग इन करें").click()
    expect(phone.get_by_role("alert")).to_have_text("मोबाइल नंबर या पासवर्ड गलत है।")
    screenshot(phone, "02-login-wrong-password")

    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()
    expect(phone).to_have_url(f"{live_server.url}/")
    expect(phone.locator("h1")).to_have_text(tree["d1a1b1"].name_hi)
    expect(phone.locator(".greeting__hello")).to_have_text(f"नमस्ते, {user.display_name}")
    for person in own_people:
        expect(phone.get_by_role("link", name=re.compile(re.escape(person.name)))).to_be_visible()
    screenshot(phone, "03-booth-hindi")

    phone.get_by_role("link", name=re.compile(re.escape(own_people[0].name))).click()
    expect(phone.locator("h1")).to_have_text(own_people[0].name)
    expect(phone.get_by_role("link", name=re.compile("कॉल करें"))).to_have_attribute(
        "href", f"tel:{own_people[0].mobile}"
    )
    screenshot(phone, "04-person-hindi")

    phone.get_by_role("button", name="English").click()
    expect(phone.locator("h1")).to_have_text(own_people[0].name)
    expect(phone.get_by_role("heading", name="Record")).to_be_visible()
    expect(phone.get_by_role("button", name="हिन्दी")).to_be_visible()
    screenshot(phone, "05-person-english")

    phone.goto(f"{live_server.url}/")
    expect(phone.get_by_role("heading", name="Office-bearers")).to_be_visible()
    expect(phone.locator("h1")).to_have_text(tree["d1a1b1"].name_en)
    screenshot(phone, "06-booth-english")

    response = phone.goto(f"{live_server.url}/units/{tree['d1a1b2'].pk}/")
    assert response.status == 404
    expect(phone.locator("h1")).to_have_text("Page not found")
    assert other.name not in phone.content()
    screenshot(phone, "07-other-booth-refused")

    response = phone.goto(f"{live_server.url}/people/{other.pk}/")
    assert response.status == 404
    assert other.name not in phone.content()

    # Only the deliberate 404s may have logged errors.
    assert [error for error in console_errors if "404" not in error] == []
