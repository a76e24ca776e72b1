"""A district president on a phone: the district's units with their counts, a tap down the tree, a search."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.e2e


def test_district_president_walks_down_the_tree(live_server, e2e_tree, phone, console_errors, screenshot):
    tree = e2e_tree
    user = tree.users["district_president"]
    PersonFactory(unit=tree["d1a2b1"], name="रमेश खंडेलवाल")

    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()

    expect(phone.locator("h1")).to_have_text(tree["d1"].name_hi)
    children = phone.locator("#children ~ ul .row")
    expect(children).to_have_count(2)
    expect(children.nth(1)).to_contain_text(tree["d1a2"].name_hi)
    expect(children.nth(1)).to_contain_text("2 बूथ")
    expect(children.nth(1).locator(".badge")).to_have_text("5")
    screenshot(phone, "08-district-hindi")

    children.nth(1).click()
    expect(phone.locator("h1")).to_have_text(tree["d1a2"].name_hi)
    expect(phone.get_by_role("link", name=tree["d1"].name_hi)).to_be_visible()

    phone.get_by_placeholder("नाम, मोबाइल या मतदाता पहचान पत्र").fill("khandelwal")
    phone.get_by_role("button", name="खोजें").click()
    rows = phone.locator("#people ~ ul .row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("रमेश खंडेलवाल")
    expect(phone.locator(".search__status")).to_contain_text("1 परिणाम")
    screenshot(phone, "09-assembly-search")
    assert console_errors == []
