"""On a 360 px phone, in Hindi: the state office builds a two-date workshop plan for real districts of
MP (../shared/data), lets the plan suggest the assignment, sends the invitations and marks attendance on the
phone list; a mandal records its tiffin meeting and the district sees it leave the "not held" list."""

import csv
import datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope, scope_for_user
from sangathan.events.models import Event, Invitation
from sangathan.events.services import series_create
from sangathan.events.services.series import month_start
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from tests.e2e.test_campaign_report import log_in
from tests.factories import PersonFactory, make_unit

pytestmark = pytest.mark.e2e
DATA = Path("/work/shared/data/mp_divisions_districts.csv")


def real_districts(tree, divisions=("Bhopal", "Narmadapuram")):
    rows = [r for r in csv.DictReader(DATA.open(encoding="utf-8")) if r["division_en"] in divisions]
    president = Post.objects.get(code="president")
    made = {}
    for row in rows:
        division = made.get(row["division_en"])
        if division is None:
            division = made[row["division_en"]] = make_unit(tree["state"], "division", f"DIV-{row['division_en'][:6]}",
                                                             row["division_hi"] + " संभाग", row["division_en"])
        district = make_unit(division, "district", f"R-{row['district_en'][:10]}", row["district_hi"],
                             row["district_en"])
        position_assign(scope=Scope.system(), person=PersonFactory(unit=district), post=president, unit=district)
    return rows


def test_workshop_plan_invitations_attendance_and_tiffin(live_server, e2e_tree, phone, console_errors, screenshot):
    tree = e2e_tree
    rows = real_districts(tree)
    log_in(phone, live_server, tree.users["state_president"])
    phone.get_by_role("link", name="बैठकें", exact=True).click()
    expect(phone.locator("h1")).to_have_text(tree["state"].name_hi)
    phone.get_by_role("link", name="कार्यशाला योजनाएँ").click()
    phone.get_by_label("शीर्षक").fill("प्रशिक्षण कार्यशाला")
    phone.get_by_role("button", name="सहेजें").click()
    expect(phone.locator("h1")).to_have_text("प्रशिक्षण कार्यशाला")
    expect(phone.locator("[data-plan-problems]")).to_contain_text(rows[0]["district_hi"])
    for name, capacity in (("पचमढ़ी", "20"), ("भोपाल", "20")):
        phone.locator("form:has(input[value=venue])").get_by_label("स्थान").fill(name)
        phone.locator("form:has(input[value=venue])").get_by_label("क्षमता").fill(capacity)
        phone.locator("form:has(input[value=venue])").get_by_role("button", name="सहेजें").click()
        expect(phone.locator(".flash").first).to_contain_text("स्थान सहेजा")
    first = datetime.date.today() + datetime.timedelta(days=20)
    for offset, venue in ((0, "पचमढ़ी"), (1, "भोपाल")):
        slot = phone.locator("form:has(input[value=slot])")
        slot.get_by_label("तारीख").fill((first + datetime.timedelta(days=offset)).isoformat())
        slot.get_by_label("स्थान").select_option(label=f"{venue} (20)")
        slot.get_by_role("button", name="जोड़ें").click()
        expect(phone.locator(".flash").first).to_contain_text("तिथि और स्थान जोड़े")
    phone.locator("[data-suggest]").click()
    expect(phone.locator("[data-plan-ok]")).to_be_visible()
    screenshot(phone, "events-01-plan")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.locator("[data-send]").click()
    expect(phone.locator(".flash").first).to_contain_text("आमंत्रण भेजे जा रहे हैं")
    invited = Invitation.objects.filter(event__kind="workshop").count()
    assert invited == len(rows) + 3  # each real district's president, and d1's three presidents

    # Attendance on the phone at the first workshop.
    phone.get_by_role("link", name="कार्यशाला खोलें").first.click()
    phone.locator("[data-attendance]").click()
    row = phone.locator("li[data-person]").first
    name = row.get_attribute("data-person")
    row.get_by_role("button", name="उपस्थित").click()
    expect(phone.locator(".flash").first).to_contain_text(f"{name} उपस्थित दर्ज")
    expect(phone.locator("[data-attended]")).to_contain_text("1")
    screenshot(phone, "events-02-attendance")
    assert Invitation.objects.filter(attended=True).count() == 1
    phone.context.clear_cookies()

    # A mandal's tiffin meeting leaves the district's "not held" list.
    series = series_create(scope=scope_for_user(tree.users["state_president"]), kind="tiffin", title="टिफिन बैठक",
                           unit=tree["state"], level="mandal", starts_on=month_start(datetime.date.today()), months=3)
    d1 = tree["d1"]
    log_in(phone, live_server, tree.users["district_president"])
    phone.goto(f"{live_server.url}/events/series/{series.pk}/?unit={d1.pk}")
    expect(phone.locator('[data-not-held] [data-unit="D1A1M"]')).to_have_count(1)
    phone.context.clear_cookies()

    log_in(phone, live_server, tree.users["mandal_president"])
    phone.get_by_role("link", name="बैठकें", exact=True).click()
    phone.get_by_role("link", name="मासिक बैठकें").click()
    phone.get_by_role("link", name="टिफिन बैठक").click()
    phone.locator('[data-not-held] [data-unit="D1A1M"] a').first.click()
    phone.get_by_label("कब हुई").fill(datetime.date.today().isoformat())
    phone.get_by_label("कितने उपस्थित रहे").fill("24")
    phone.locator("[data-held]").click()
    expect(phone.locator(".flash").first).to_contain_text("बैठक हुई, दर्ज किया")
    expect(phone.locator("[data-status]")).to_have_attribute("data-status", "held")
    screenshot(phone, "events-03-tiffin")
    phone.context.clear_cookies()

    log_in(phone, live_server, tree.users["district_president"])
    phone.goto(f"{live_server.url}/events/series/{series.pk}/?unit={d1.pk}")
    expect(phone.locator('[data-not-held] [data-unit="D1A1M"]')).to_have_count(0)
    expect(phone.locator('[data-not-held] [data-unit="D1A2M"]')).to_have_count(1)
    assert Event.objects.get(series=series, unit=tree["d1a1m"], period=month_start(datetime.date.today())).held_on
    assert not console_errors, console_errors
