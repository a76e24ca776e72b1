"""A district in-charge on a 360 px phone: today's two booth presidents, one tap to call, the call logged in
Hindi; the state office sees it in its compliance and booth-health pages."""

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope
from sangathan.outreach.models import CallAssignment, CallLog
from sangathan.outreach.services import assignments_assign, program_update
from tests.factories import PASSWORD
from tests.outreach.conftest import build_contact

pytestmark = pytest.mark.e2e


def _log_in(phone, base_url, user):
    phone.goto(f"{base_url}/accounts/login/")
    phone.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()
    expect(phone.locator(".identity, .greeting").first).to_be_visible()


def test_district_incharge_calls_and_logs_in_hindi(live_server, e2e_tree, phone, console_errors, screenshot):
    contact = build_contact(e2e_tree)
    program = program_update(scope=Scope.system(), program=contact.program, working_days=list(range(7)))
    assignments_assign(scope=Scope.system(), program=program)
    user = contact.users["d1_incharge"]
    calls = list(CallAssignment.objects.filter(caller=user.person).order_by("rank").select_related("target"))
    assert len(calls) == 2

    _log_in(phone, live_server.url, user)
    phone.get_by_role("link", name="कॉल").first.click()
    expect(phone.locator("h1")).to_have_text("आज की कॉल")
    cards = phone.locator(".call-card")
    expect(cards).to_have_count(2)
    for card, call in zip((cards.nth(0), cards.nth(1)), calls, strict=True):
        expect(card).to_contain_text(call.target.name)
        dial = card.locator("a.call-card__dial")
        expect(dial).to_have_attribute("href", f"tel:{call.target.mobile}")
        expect(dial).to_contain_text("कॉल करें")
        assert dial.bounding_box()["height"] >= 48  # a thumb-sized target
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(phone, "20-todays-calls")

    cards.nth(0).get_by_role("link", name="कॉल दर्ज करें").click()
    expect(phone.locator("h1")).to_have_text(calls[0].target.name)
    phone.get_by_label("बात हुई").check()
    phone.locator(".call-form__wellbeing_self").get_by_label("सब कुशल").check()
    phone.locator(".call-form__wellbeing_family").get_by_label("अस्वस्थ").check()
    phone.get_by_label("4 — मजबूत").check()
    phone.get_by_label("प्रचार सामग्री").check()
    phone.get_by_label("अगली बार कॉल करने वाले के लिए नोट").fill("पिताजी अस्वस्थ हैं, बूथ पर झंडे चाहिए")
    screenshot(phone, "21-call-form")
    phone.get_by_role("button", name="कॉल सहेजें").click()

    expect(phone.locator(".flash")).to_contain_text("कॉल दर्ज हो गई")
    expect(cards.nth(0).locator(".pill")).to_have_text("कॉल हो गई")
    expect(cards.nth(1).locator(".pill")).to_have_text("कॉल करनी है")
    log = CallLog.objects.get(assignment=calls[0])
    assert (log.reached, log.position_score, log.needs, log.wellbeing_family) == (True, 4, ["material"], "unwell")

    phone.get_by_role("button", name="लॉग आउट").click()
    _log_in(phone, live_server.url, e2e_tree.users["state_admin"])
    phone.goto(f"{live_server.url}/calls/compliance/?unit={e2e_tree['state'].pk}")
    expect(phone.locator("h1")).to_have_text("बूथ संपर्क अनुपालन")
    expect(phone.locator('[data-figure="assigned"]')).to_have_text("6")
    expect(phone.locator('[data-figure="called"]')).to_have_text("1")
    expect(phone.locator('[data-figure="reached"]')).to_have_text("1")
    screenshot(phone, "22-state-compliance")
    phone.get_by_role("link", name="बूथ की स्थिति").click()
    expect(phone.locator("main")).to_contain_text("पिताजी अस्वस्थ हैं, बूथ पर झंडे चाहिए")
    screenshot(phone, "23-state-booth-health")
    assert console_errors == []
