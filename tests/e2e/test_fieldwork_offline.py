"""A vistarak on a 360 px phone over a slow connection: loads the app, loses the network, records three
workers ("3 waiting"), a new app version installs while they wait, the network returns and they sync; the
same batch sent again creates nobody twice; a record with a bad mobile stays on the phone with its error."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import scope_for_user
from sangathan.core import clock
from sangathan.fieldwork.services import booth_target_set, drive_create, vistarak_assign
from sangathan.people.models import Person
from tests.factories import PASSWORD, PersonFactory

pytestmark = pytest.mark.e2e

SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 500 * 1024 / 8,
           "uploadThroughput": 500 * 1024 / 8}
NAMES = ["रामप्रसाद मीणा", "सुशीला बाई", "हरिओम शर्मा"]
MOBILES = ["9826070001", "9826070002", "9826070003"]


def _setup(tree):
    office = scope_for_user(tree.users["district_president"])
    today = clock.today()
    drive = drive_create(scope=office, unit=tree["d1"], title="बूथ विस्तारक योजना", starts_on=today - timedelta(days=1),
                         ends_on=today + timedelta(days=9), consent_text="मैं अपनी जानकारी देता/देती हूँ।")
    booth_target_set(scope=office, drive=drive, booth=tree["d1a1b1"], target=25)
    person = PersonFactory(unit=tree["d1a1m"], name="विस्तारक दो")
    user = vistarak_assign(scope=office, drive=drive, vistarak=person, unit=tree["d1a1b1"]).user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return drive, user


def _log_in(page, live_server, user):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("मोबाइल नंबर").fill(user.mobile[3:])
    page.get_by_label("पासवर्ड").fill(PASSWORD)
    page.get_by_role("button", name="लॉग इन करें").click()
    expect(page.locator(".greeting__hello")).to_be_visible()


def _add(page, name, mobile):
    page.locator("#fw-add").click()
    page.locator("#fw-f-name").fill(name)
    page.locator("#fw-f-mobile").fill(mobile)
    page.locator("#fw-form input[name=consent]").check()
    page.locator("#fw-form button[type=submit]").click()
    expect(page.locator("#fw-form")).to_be_hidden()


RESEND = """async (driveId) => {
  const db = new Dexie("sangathan-fieldwork");
  db.version(1).stores({records: "client_uuid, drive, state", start: "drive", photos: "client_uuid"});
  const records = (await db.records.toArray()).filter((r) => r.answer && r.answer.status === "accepted");
  const token = document.cookie.match(/csrftoken=([^;]+)/)[1];
  const response = await fetch(`/api/v1/fieldwork/drives/${driveId}/sync`, {method: "POST", credentials: "same-origin",
    headers: {"Content-Type": "application/json", "X-CSRFToken": token}, body: JSON.stringify({records: records.map((r) => r.payload)})});
  return {sent: records.length, answers: (await response.json()).answers.map((a) => a.status)};
}"""


def test_offline_capture_sync_update_and_resend(live_server, e2e_tree, phone, console_errors, screenshot, settings):
    drive, user = _setup(e2e_tree)
    page = phone
    _log_in(page, live_server, user)

    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_3G)
    page.goto(f"{live_server.url}/fieldwork/app/?drive={drive.pk}")
    expect(page.locator("#fw-drive")).to_have_text("बूथ विस्तारक योजना")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    weight = page.evaluate("performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
                           ".reduce((sum, e) => sum + (e.transferSize || 0), 0)")
    assert weight < 200 * 1024, weight  # docs/PERFORMANCE.md states the budget
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    cdp.send("Network.emulateNetworkConditions", {**SLOW_3G, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    screenshot(page, "fieldwork-01-loaded")

    page.context.set_offline(True)
    for name, mobile in zip(NAMES, MOBILES, strict=True):
        _add(page, name, mobile)
    expect(page.locator("#fw-waiting")).to_have_attribute("data-count", "3")
    expect(page.locator("#fw-waiting")).to_contain_text("3")
    screenshot(page, "fieldwork-02-three-waiting")

    # A new app version arrives while the three are queued (sending held back until it has installed).
    page.route("**/api/v1/fieldwork/drives/*/sync", lambda route: route.abort())
    page.context.set_offline(False)
    settings.FIELDWORK_APP_VERSION = "2"
    page.reload()
    page.wait_for_function("caches.keys().then(keys => keys.includes('fieldwork-shell-v2') && !keys.includes('fieldwork-shell-v1'))")
    expect(page.locator("#fw-waiting")).to_have_attribute("data-count", "3")
    page.unroute("**/api/v1/fieldwork/drives/*/sync")

    page.locator("#fw-sync").click()
    expect(page.locator("#fw-waiting")).to_have_attribute("data-count", "0")
    expect(page.locator(".fw-record--accepted")).to_have_count(3)
    assert Person.objects.filter(mobile__in=["+91" + m for m in MOBILES]).count() == 3
    screenshot(page, "fieldwork-03-synced")

    again = page.evaluate(RESEND, drive.pk)
    assert again == {"sent": 3, "answers": ["accepted"] * 3}
    assert Person.objects.filter(mobile__in=["+91" + m for m in MOBILES]).count() == 3

    _add(page, "गलत नंबर वाला", "12345")
    bad = page.locator(".fw-record--rejected")
    expect(bad).to_have_count(1)
    expect(bad.locator(".fw-record__errors")).to_be_visible()
    page.reload()
    expect(page.locator(".fw-record--rejected .fw-record__errors")).to_be_visible()  # still on the phone
    screenshot(page, "fieldwork-04-bad-mobile-kept")
    assert not [e for e in console_errors if "Content Security Policy" in e]
