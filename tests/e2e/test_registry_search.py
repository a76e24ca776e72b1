"""The registry's search on a 360 px phone: a district president finds a Devanagari name by typing it in
Latin letters, opens the record and downloads the list; a booth president cannot find another booth's
people."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from sangathan.access.scope import Scope
from sangathan.people.services import person_create
from tests.factories import PASSWORD

pytestmark = pytest.mark.e2e


def log_in(phone, live_server, user) -> None:
    phone.goto(f"{live_server.url}/accounts/login/")
    phone.get_by_label("मोबाइल नंबर").fill(f"{user.mobile[3:8]} {user.mobile[8:]}")
    phone.get_by_label("पासवर्ड").fill(PASSWORD)
    phone.get_by_role("button", name="लॉग इन करें").click()
    expect(phone).to_have_url(f"{live_server.url}/")


def test_district_president_searches_in_latin_opens_and_exports(live_server, e2e_tree, phone, console_errors,
                                                               screenshot):
    tree = e2e_tree
    target = person_create(scope=Scope.system(), name="रामेश्वर खंडेलवाल", mobile="9826012345", unit=tree["d1a2b1"],
                           relative_name="श्यामलाल खंडेलवाल")
    log_in(phone, live_server, tree.users["district_president"])

    phone.locator(f'a[href^="/people/?unit={tree["d1"].pk}"]').click()
    expect(phone).to_have_url(re.compile(r"/people/\?unit="))
    phone.get_by_role("searchbox").fill("rameshwar khandelwal")
    phone.get_by_role("searchbox").press("Enter")
    result = phone.get_by_role("link", name=re.compile("रामेश्वर खंडेलवाल"))
    expect(result).to_have_count(1)
    expect(result).to_contain_text("98260 12345")  # the district president may call: the number in full
    screenshot(phone, "registry-01-search-latin")

    with phone.expect_download() as download_info:
        phone.locator('a[href^="/people/export.csv"]').click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read())))
    assert [row[1] for row in rows[1:]] == ["रामेश्वर खंडेलवाल"] and rows[1][7] == "98260 12345"

    result.click()
    expect(phone.locator("h1")).to_have_text("रामेश्वर खंडेलवाल")
    expect(phone).to_have_url(f"{live_server.url}/people/{target.pk}/")
    screenshot(phone, "registry-02-record")
    assert console_errors == []


def test_booth_president_cannot_find_another_booths_people(live_server, e2e_tree, phone, screenshot):
    tree = e2e_tree
    person_create(scope=Scope.system(), name="गुप्तेश्वर खंडेलवाल", mobile="9826012346", unit=tree["d1a1b2"])
    own = person_create(scope=Scope.system(), name="सुरेश खंडेलवाल", mobile="9826012347", unit=tree["d1a1b1"])
    log_in(phone, live_server, tree.users["booth_president"])

    phone.goto(f"{live_server.url}/people/")
    phone.get_by_role("searchbox").fill("khandelwal")
    phone.get_by_role("searchbox").press("Enter")
    expect(phone.get_by_role("link", name=re.compile(own.name))).to_be_visible()
    expect(phone.get_by_text("गुप्तेश्वर")).to_have_count(0)
    phone.get_by_role("searchbox").fill("98260 12346")
    phone.get_by_role("searchbox").press("Enter")
    expect(phone.locator(".empty")).to_be_visible()
    expect(phone.get_by_text("गुप्तेश्वर")).to_have_count(0)
    screenshot(phone, "registry-03-booth-no-leak")
