"""A district president on a phone broadcasts the PM's live address to the district's booth presidents:
compose, preview count, send, the progress bar reaching the end while the outbox drains through the
console provider, then the messages on the sent-messages page."""

import re

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope
from sangathan.messaging.models import Message, MessageKind
from sangathan.messaging.outbox import outbox_drain
from sangathan.messaging.services import template_create
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

BOOTHS = ("d1a1b2", "d1a2b1", "d1a2b2")


def test_district_president_broadcasts_to_booth_presidents(live_server, e2e_tree, phone, console_errors,
                                                            screenshot, settings):
    settings.SANGATHAN_MESSAGING_QUIET_HOURS = None  # the test may run at night
    tree = e2e_tree
    user = tree.users["district_president"]
    president = Post.objects.get(code="president")
    presidents = [tree.people["booth_president"]]
    for key in BOOTHS:
        position_assign(scope=Scope.system(), person=tree.people[f"{key}p0"], post=president, unit=tree[key])
        presidents.append(tree.people[f"{key}p0"])
    position_assign(scope=Scope.system(), person=tree.people["d2a1b1p0"], post=president, unit=tree["d2a1b1"])  # another district
    template_create(scope=Scope.system(), code="pm-live", name="प्रधानमंत्री का संबोधन", body_hi="{name} जी, प्रधानमंत्री का संबोधन लाइव: {link}",
                    channels=["sms", "whatsapp"], kind=MessageKind.BULK)

    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()
    expect(phone.locator("h1")).to_have_text(tree["d1"].name_hi)

    phone.get_by_role("link", name="प्रसारण").click()
    expect(phone.locator("h1")).to_have_text("प्रसारण")
    phone.get_by_role("link", name="नया प्रसारण").click()
    phone.get_by_role("button", name="अगला").click()
    phone.get_by_label("किसके कार्यकर्ताओं को भेजें").select_option(label=f"{tree['d1'].name_hi} (D1)")
    phone.locator("fieldset", has_text="केवल इन पदों के धारक").get_by_label("अध्यक्ष").check()
    phone.locator("fieldset", has_text="इन स्तरों के पद").get_by_label("बूथ").check()
    phone.get_by_label("{link} का मान").fill("https://live.example/pm")
    screenshot(phone, "20-broadcast-compose")
    phone.get_by_role("button", name="पूर्वावलोकन").click()

    expect(phone.locator("#preview-people")).to_have_text(str(len(presidents)))
    expect(phone.locator('[data-channel="sms"]')).to_have_text(str(len(presidents)))
    screenshot(phone, "21-broadcast-preview")
    phone.get_by_role("button", name="भेजें").click()

    # The fan-out is over, but the messages still wait in the outbox: not yet "done".
    expect(phone.locator("#broadcast-status")).to_have_text("भेजा जा रहा है")
    expect(phone.locator('[data-count="queued"]')).to_have_text(str(len(presidents)))
    screenshot(phone, "22-broadcast-queued")
    # The worker's part: drain the outbox through the console provider while the page polls.
    result = outbox_drain(batch_size=2)
    assert result.sent == 2
    expect(phone.locator('[data-count="sent"]')).to_have_text("2", timeout=6000)
    outbox_drain(batch_size=100)
    expect(phone.locator("progress")).to_have_attribute("value", "100", timeout=6000)
    expect(phone.locator('[data-field="percent"]')).to_have_text("100")
    expect(phone.locator('[data-count="queued"]')).to_have_text("0")
    expect(phone.locator("#broadcast-status")).to_have_text("पूर्ण")
    screenshot(phone, "23-broadcast-progress-done")

    phone.get_by_role("link", name="संदेश देखें").click()
    expect(phone.locator("h1")).to_have_text("भेजे गए संदेश")
    rows = phone.locator("#messages ~ ul .row")
    expect(rows).to_have_count(len(presidents))
    for person in presidents:
        expect(phone.locator(".message", has_text=person.name)).to_contain_text(
            f"{person.name} जी, प्रधानमंत्री का संबोधन लाइव: https://live.example/pm")
    expect(rows.first.locator(".pill")).to_have_text(re.compile("भेजा गया"))
    screenshot(phone, "24-sent-messages")
    assert Message.objects.filter(status="sent").count() == len(presidents)
    assert console_errors == []
