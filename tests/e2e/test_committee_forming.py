"""A mandal president on a 360 px phone, in Hindi, forms a booth committee, adds its members one by one
and sees it become complete; the district president sees the district's completeness figure change."""

import re

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope
from sangathan.committees.services import committee_types_seed
from tests.e2e.test_campaign_report import log_in
from tests.factories import PersonFactory

pytestmark = pytest.mark.e2e

# (post, wing, gender, birth year): twelve members who keep every rule of the booth committee.
PLAN = [("president", "", "m", 1970), ("secretary", "", "m", 1975), ("bla", "", "m", 1966),
        ("", "mahila", "f", 1980), ("", "yuva", "m", 2000), ("", "", "f", 1998), ("", "", "f", 1960),
        ("", "", "m", 1999), ("", "", "m", 1965), ("", "", "m", 1962), ("", "", "m", 1961), ("", "", "m", 1958)]


def booth_figure(phone):
    return phone.locator('#completeness [data-type="booth"] .figure')


def test_mandal_forms_a_booth_committee_and_district_sees_it(live_server, e2e_tree, phone, console_errors,
                                                             screenshot):
    tree = e2e_tree
    committee_types_seed(scope=Scope.system())
    booth = tree["d1a1b1"]
    workers = [PersonFactory(unit=booth, gender=gender, birth_year=born) for _post, _wing, gender, born in PLAN]

    log_in(phone, live_server, tree.users["district_president"])
    phone.get_by_role("link", name="समितियाँ", exact=True).click()
    expect(phone.locator("h1")).to_have_text(tree["d1"].name_hi)
    expect(booth_figure(phone)).to_have_text("0/4")
    phone.context.clear_cookies()

    log_in(phone, live_server, tree.users["mandal_president"])
    phone.get_by_role("link", name="समितियाँ", exact=True).click()
    expect(phone.locator("h1")).to_have_text(tree["d1a1m"].name_hi)
    phone.locator("#below ~ ul .row").first.click()  # the shakti kendra
    phone.get_by_role("link", name=re.compile(booth.name_hi)).first.click()
    expect(phone.locator("h1")).to_have_text(booth.name_hi)
    screenshot(phone, "committee-01-booth")
    phone.locator('form:has(input[value="booth"])').get_by_role("button", name="गठित करें").click()
    expect(phone.locator(".flash")).to_contain_text("अब इसके सदस्य जोड़ें")
    expect(phone.locator("#verdict")).to_contain_text("अधूरी")

    for (post, wing, _gender, _born), person in zip(PLAN, workers, strict=True):
        phone.get_by_label("कार्यकर्ता").select_option(str(person.pk))
        phone.get_by_label("समिति में पद").select_option(post)
        phone.get_by_label("मोर्चा/प्रकोष्ठ (वैकल्पिक)").select_option(wing)
        phone.get_by_role("button", name="सदस्य जोड़ें").click()
        expect(phone.locator(".flash").first).to_contain_text(person.name)
    expect(phone.locator("#verdict")).to_contain_text("पूर्ण")
    expect(phone.locator(".flash")).to_contain_text("समिति पूर्ण हो गई")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "committee-02-complete")
    phone.context.clear_cookies()

    log_in(phone, live_server, tree.users["district_president"])
    phone.goto(f"{live_server.url}/committees/")
    expect(booth_figure(phone)).to_have_text("1/4")
    screenshot(phone, "committee-03-district")
    assert console_errors == []
