"""A district office on a 360 px phone, in Hindi, starts a field data drive at /fieldwork/drives/new/: a bad
booth-target line comes back with a Hindi error and nothing is saved; fixed, the drive is started; then the
office changes it at /fieldwork/drives/{id}/edit/."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sangathan.core import clock
from sangathan.fieldwork.models import BoothTarget, Drive
from tests.e2e.test_district_office import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def _no_wider_than_the_screen(page) -> None:
    wide = page.evaluate("""[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 360 && !e.closest('.appnav'))
        .map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + e.getBoundingClientRect().right)""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, wide


def test_district_office_starts_and_changes_a_drive(live_server, e2e_tree, phone, console_errors, screenshot):
    tree = e2e_tree
    base = live_server.url
    booth = tree["d1a1b1"]
    today = clock.today()
    log_in(phone, base, tree.users["district_president"].mobile, PASSWORD)
    expect(phone.locator("h1")).to_have_text(tree["d1"].name_hi)

    phone.goto(f"{base}/fieldwork/drives/new/")
    expect(phone.locator("h1")).to_have_text("नया अभियान")
    phone.get_by_label("अभियान का नाम").fill("बूथ विस्तारक योजना")
    phone.get_by_label("अभियान का क्षेत्र").select_option(str(tree["d1"].pk))
    phone.get_by_label("आरंभ तिथि").fill(today.isoformat())
    phone.get_by_label("समाप्ति तिथि").fill((today + timedelta(days=10)).isoformat())
    phone.get_by_label("सहमति का पाठ, जिस पर कार्यकर्ता सहमत होता है").fill("मैं अपनी जानकारी देने को सहमत हूँ।")
    phone.get_by_label("बूथवार लक्ष्य").fill(f"{booth.code}: बहुत")
    phone.locator("form.form--card button[type=submit]").click()

    # The bad line comes back in Hindi, what was typed is kept, and nothing is saved.
    expect(phone.get_by_text("पंक्ति 1: बूथ कोड: संख्या लिखें।")).to_be_visible()
    expect(phone.get_by_label("अभियान का नाम")).to_have_value("बूथ विस्तारक योजना")
    assert not Drive.objects.exists()
    _no_wider_than_the_screen(phone)
    screenshot(phone, "drive-01-form-error")

    phone.get_by_label("बूथवार लक्ष्य").fill(f"{booth.code}: 40")
    phone.locator("form.form--card button[type=submit]").click()
    expect(phone.locator("h1")).to_have_text("बूथ विस्तारक योजना")
    drive = Drive.objects.get()
    assert drive.unit == tree["d1"] and BoothTarget.objects.get(drive=drive, booth=booth).target == 40
    screenshot(phone, "drive-02-started")

    phone.goto(f"{base}/fieldwork/drives/{drive.pk}/edit/")
    expect(phone.get_by_label("अभियान का नाम")).to_have_value("बूथ विस्तारक योजना")
    phone.get_by_label("अभियान का नाम").fill("बूथ विस्तारक योजना २")
    phone.get_by_label("समाप्ति तिथि").fill((today + timedelta(days=12)).isoformat())
    _no_wider_than_the_screen(phone)
    phone.locator("form.form--card button[type=submit]").click()
    expect(phone.locator("h1")).to_have_text("बूथ विस्तारक योजना २")
    drive.refresh_from_db()
    assert drive.name == "बूथ विस्तारक योजना २" and drive.ends_on == today + timedelta(days=12)
    screenshot(phone, "drive-03-changed")
    assert console_errors == []
