"""The state office on a phone writes a message template in the app (no admin, no JSON), previews it, sends
itself a test, then broadcasts it to one booth chosen by its code: the confirmation shows how many people
and the text they will read, and after sending the messages are in the outbox."""

import pytest
from playwright.sync_api import expect

from sangathan.messaging.models import Message, Template
from sangathan.messaging.outbox import outbox_drain
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

BOOTH = "d1a1b2"


def test_state_office_creates_a_template_and_broadcasts_to_a_booth(live_server, e2e_tree, phone, console_errors,
                                                                    screenshot, settings):
    settings.SANGATHAN_MESSAGING_QUIET_HOURS = None  # the test may run at night
    tree = e2e_tree
    user = tree.users["state_president"]
    members = [tree.people[f"{BOOTH}p0"], tree.people[f"{BOOTH}p1"]]

    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()

    phone.get_by_role("link", name="प्रसारण").click()
    phone.get_by_role("link", name="संदेश टेम्पलेट").click()
    expect(phone.locator("h1")).to_have_text("संदेश टेम्पलेट")
    phone.get_by_role("link", name="नया टेम्पलेट").click()
    expect(phone.locator("h1")).to_have_text("नया टेम्पलेट")
    phone.get_by_role("button", name="सहेजें").click()  # empty: every fault at once, in Hindi
    expect(phone.locator(".field__error")).to_have_count(4)
    expect(phone.locator(".field--error", has_text="हिंदी पाठ")).to_contain_text("हिंदी पाठ लिखें।")

    phone.get_by_label("कोड", exact=False).fill("booth-meeting")
    phone.get_by_label("नाम", exact=True).fill("बूथ बैठक की सूचना")
    phone.get_by_label("हिंदी पाठ", exact=True).fill("{name} जी, आज शाम बूथ बैठक है: {place}")
    expect(phone.locator("#template-variables")).to_contain_text("{name}")
    expect(phone.locator("#template-variables")).to_contain_text("{place}")
    phone.get_by_label("DLT टेम्पलेट आईडी").fill("1107000000000123")
    phone.locator("fieldset", has_text="किन माध्यमों से").get_by_label("SMS").check()
    phone.locator("fieldset", has_text="संदेश का प्रकार").get_by_label("सामूहिक").check()
    screenshot(phone, "30-template-new")
    phone.get_by_role("button", name="सहेजें").click()

    expect(phone.locator(".flash")).to_contain_text("टेम्पलेट सहेजा गया।")
    template = Template.objects.get(code="booth-meeting")
    assert template.channels == ["sms"] and template.variables == ["name", "place"]
    phone.get_by_label("{place} का मान").fill("पंचायत भवन")
    phone.get_by_role("button", name="पूर्वावलोकन दिखाएँ").click()
    expect(phone.locator('[data-preview="1"]')).to_have_text("[name] जी, आज शाम बूथ बैठक है: पंचायत भवन")
    phone.get_by_role("button", name="मुझे परीक्षण संदेश भेजें").click()
    expect(phone.locator(".flash")).to_contain_text("परीक्षण संदेश आउटबॉक्स में है")
    test_message = Message.objects.get(template=template)
    assert test_message.to_address == tree.people["state_president"].mobile
    screenshot(phone, "31-template-preview")

    phone.get_by_role("link", name="प्रसारण").first.click()
    phone.get_by_role("link", name="नया प्रसारण").click()
    phone.get_by_label("बूथ बैठक की सूचना").check()
    phone.get_by_role("button", name="अगला").click()
    phone.get_by_label("या किसी बूथ या शक्ति केंद्र का कोड").fill(tree[BOOTH].code)
    phone.get_by_label("{place} का मान").fill("पंचायत भवन")
    phone.get_by_role("button", name="पूर्वावलोकन").click()

    expect(phone.locator("#preview")).to_have_text("भेजने से पहले पुष्टि करें")
    expect(phone.locator("#confirm-count")).to_have_text(f"इस प्रसारण के दायरे में {len(members)} लोग हैं।")
    expect(phone.locator('[data-channel="sms"]')).to_have_text(str(len(members)))
    expect(phone.locator('[data-text="1"]')).to_have_text("[कार्यकर्ता का नाम] जी, आज शाम बूथ बैठक है: पंचायत भवन")
    screenshot(phone, "32-broadcast-confirm")
    phone.get_by_role("button", name="भेजें").click()

    expect(phone.locator("#broadcast-status")).to_have_text("भेजा जा रहा है")  # fanned out, not yet sent
    expect(phone.locator('[data-count="queued"]')).to_have_text(str(len(members)))
    outbox_drain(batch_size=100)
    expect(phone.locator("#broadcast-status")).to_have_text("पूर्ण", timeout=6000)
    screenshot(phone, "33-broadcast-done")

    phone.get_by_role("link", name="संदेश देखें").click()
    rows = phone.locator("#messages ~ ul .row")
    expect(rows).to_have_count(len(members))
    for person in members:
        expect(phone.locator(".message", has_text=person.name)).to_contain_text(
            f"{person.name} जी, आज शाम बूथ बैठक है: पंचायत भवन")
    screenshot(phone, "34-broadcast-messages")
    assert Message.objects.filter(broadcast__isnull=False, status="sent").count() == len(members)
    assert console_errors == []
