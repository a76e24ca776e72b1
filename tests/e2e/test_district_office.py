"""A district office on a 360 px phone, in Hindi: adds a worker at the counter (and is warned of a
duplicate first), appoints them booth president and creates their login; the new president sets a
password from the SMS code and sees their booth; the office relieves them and the login stops working."""

import re

import pytest
from playwright.sync_api import expect

from sangathan.messaging.models import Message
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "booth-pass-7731"


def spaced(e164: str) -> str:
    return f"{e164[3:8]} {e164[8:]}"


def log_in(page, base: str, mobile: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("मोबाइल नंबर").fill(spaced(mobile))
    page.get_by_label("पासवर्ड").fill(password)
    page.get_by_role("button", name="लॉग इन करें").click()


def test_district_office_counter_appointment_and_login(live_server, e2e_tree, browser, phone, console_errors,
                                                        screenshot):
    tree = e2e_tree
    base = live_server.url
    office = tree.users["district_president"]
    booth = tree["d1a1b2"]
    existing = tree.people["d1a1b2p0"]
    new_mobile = "+919812300077"

    log_in(phone, base, office.mobile, PASSWORD)
    expect(phone.locator("h1")).to_have_text(tree["d1"].name_hi)
    phone.get_by_role("link", name="यहाँ कार्यकर्ता जोड़ें").click()
    expect(phone.locator("h1")).to_have_text("कार्यकर्ता जोड़ें")

    # The counter: the same mobile as a registered worker is shown before anything is saved.
    phone.get_by_label("नाम", exact=True).fill("सुरेश कुमार पटेल")
    phone.get_by_label("पिता या पति का नाम").fill("रमेश पटेल")
    phone.get_by_label("मोबाइल नंबर", exact=True).fill(spaced(existing.mobile))
    phone.get_by_label("इकाई").select_option(str(booth.pk))
    phone.get_by_role("button", name="कार्यकर्ता सहेजें").click()
    expect(phone.get_by_role("heading", name="संभावित दोहराव")).to_be_visible()
    same = phone.get_by_role("link", name=re.compile("यह वही व्यक्ति है"))
    expect(same).to_have_attribute("href", f"/people/{existing.pk}/")
    expect(phone.get_by_text("इस मोबाइल नंबर से एक कार्यकर्ता पहले से दर्ज है।")).to_be_visible()
    screenshot(phone, "office-01-duplicate-warning")

    phone.get_by_label("मोबाइल नंबर", exact=True).fill(spaced(new_mobile))
    phone.get_by_role("button", name="कार्यकर्ता सहेजें").click()
    expect(phone.locator("h1")).to_have_text("सुरेश कुमार पटेल")
    expect(phone.get_by_text("कार्यकर्ता जोड़ दिया गया।")).to_be_visible()
    person_url = phone.url
    screenshot(phone, "office-02-worker-added")

    # Appoint as booth president.
    phone.get_by_role("link", name="पद पर नियुक्त करें").click()
    phone.get_by_label("पद", exact=True).select_option("president")
    phone.get_by_label("इकाई").select_option(str(booth.pk))
    phone.get_by_role("button", name="नियुक्त करें").click()
    expect(phone.get_by_text("नियुक्ति हो गई।")).to_be_visible()
    expect(phone.locator("#posts ~ ul, section[aria-labelledby=posts]").get_by_text(booth.name_hi)).to_be_visible()
    screenshot(phone, "office-03-appointed")

    # Create the login: a set-up code goes to the outbox.
    phone.get_by_role("link", name="लॉगिन", exact=True).click()
    phone.get_by_role("button", name="लॉगिन बनाएं और कोड भेजें").click()
    expect(phone.get_by_text(re.compile("लॉगिन बन गया।"))).to_be_visible()
    screenshot(phone, "office-04-login-created")
    sms = Message.objects.filter(to_address=new_mobile).order_by("-id").first()
    code = re.search(r"\b(\d{6})\b", sms.body).group(1)

    # The new president, on their own phone: from the login page to "forgot password" to a password.
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="en-US")
    president = context.new_page()
    president.goto(f"{base}/accounts/login/")
    president.get_by_role("link", name=re.compile("पासवर्ड भूल गए")).click()
    president.get_by_role("link", name="मेरे पास कोड है").click()
    president.get_by_label("मोबाइल नंबर").fill(spaced(new_mobile))
    president.get_by_label("SMS में आया कोड").fill(code)
    president.get_by_label("नया पासवर्ड", exact=True).fill(NEW_PASSWORD)
    president.get_by_label("नया पासवर्ड दोबारा").fill(NEW_PASSWORD)
    president.get_by_role("button", name="पासवर्ड बनाएं").click()
    expect(president.get_by_text("आपका पासवर्ड बन गया। अब उससे लॉग इन करें।")).to_be_visible()
    screenshot(president, "office-05-password-set")
    log_in(president, base, new_mobile, NEW_PASSWORD)
    expect(president).to_have_url(f"{base}/")
    expect(president.locator("h1")).to_have_text(booth.name_hi)
    screenshot(president, "office-06-president-sees-booth")

    # The office relieves them; their session and their password stop working.
    phone.goto(person_url)
    phone.get_by_role("link", name="पदमुक्त करें").click()
    phone.get_by_label("कारण").fill("कार्यकाल पूरा")
    phone.get_by_role("button", name="पदमुक्त करें").click()
    expect(phone.get_by_text("पदमुक्त कर दिया गया।")).to_be_visible()
    screenshot(phone, "office-07-relieved")

    president.goto(f"{base}/")
    expect(president).to_have_url(re.compile(r"/accounts/login/"))
    log_in(president, base, new_mobile, NEW_PASSWORD)
    expect(president.get_by_role("alert")).to_have_text("मोबाइल नंबर या पासवर्ड गलत है।")
    screenshot(president, "office-08-login-stopped")
    context.close()
    assert console_errors == []
