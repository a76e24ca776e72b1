"""A mandal president on a 360 px phone, in Hindi, submits the week's campaign progress report; the
district president then sees it rolled up under the district, against the target, with its chart."""

import re

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import scope_for_user
from sangathan.campaigns.services import target_set
from tests.campaigns.conftest import make_campaign
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def log_in(phone, live_server, user):
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()
    expect(phone.locator(".greeting__hello")).to_be_visible()


def test_mandal_reports_and_district_sees_the_rollup(live_server, e2e_tree, phone, console_errors, screenshot):
    tree = e2e_tree
    campaign = make_campaign(tree)
    homes = campaign.metrics.get(code="homes")
    target_set(scope=scope_for_user(tree.users["state_president"]), campaign=campaign, metric=homes,
               unit=tree["d1"], value=1000)

    log_in(phone, live_server, tree.users["mandal_president"])
    phone.get_by_role("link", name="अभियान", exact=True).click()
    phone.get_by_role("link", name=re.compile("महाजनसंपर्क अभियान")).click()
    expect(phone.locator("h1")).to_have_text(tree["d1a1m"].name_hi)
    screenshot(phone, "campaign-01-mandal-progress")

    phone.get_by_role("link", name="प्रगति रिपोर्ट भेजें").click()
    expect(phone.locator("h1")).to_have_text("प्रगति रिपोर्ट")
    phone.get_by_label(re.compile("घर-घर संपर्क")).fill("-4")
    phone.get_by_role("button", name="रिपोर्ट भेजें").click()
    expect(phone.locator(".field--error .field__error").first).to_be_visible()
    screenshot(phone, "campaign-02-report-error")

    phone.get_by_label(re.compile("घर-घर संपर्क")).fill("135")
    phone.get_by_label(re.compile("नए सदस्य")).fill("12")
    phone.get_by_label(re.compile("दीवार लेखन")).fill("3")
    phone.get_by_label("टिप्पणी (वैकल्पिक)").fill("दो गाँवों में टोली गई")
    phone.get_by_role("button", name="रिपोर्ट भेजें").click()
    expect(phone.locator(".flash")).to_contain_text("रिपोर्ट सहेजी गई")
    expect(phone.locator(".figures")).to_contain_text("135")
    expect(phone.locator(".figures")).to_contain_text("500")   # its share of the district's 1,000
    # The page fits the phone: nothing wider than the screen.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "campaign-03-report-saved")

    phone.context.clear_cookies()
    log_in(phone, live_server, tree.users["district_president"])
    phone.goto(f"{live_server.url}/campaigns/{campaign.pk}/")
    expect(phone.locator("h1")).to_have_text(tree["d1"].name_hi)
    rows = phone.locator("#below ~ ul .row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(tree["d1a1"].name_hi)
    expect(rows.first).to_contain_text("135/500")
    expect(phone.locator(".chart--bars").first).to_contain_text("135")
    screenshot(phone, "campaign-04-district-rollup")

    rows.first.click()
    expect(phone.locator("h1")).to_have_text(tree["d1a1"].name_hi)
    expect(phone.locator("#below ~ ul .row").first).to_contain_text(tree["d1a1m"].name_hi)
    assert console_errors == []
