"""The office's committee tools on the web: page counts from a file, verification calls to a sample."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from sangathan.committees.models import Page, PageCheck
from tests.committees.test_verification import pages  # noqa: F401 — the fixture
from tests.committees.test_web_api import login

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_district_office_adds_pages_from_csv_and_xlsx(ctree):
    client = login(ctree.users["district_president"])
    url = f"/committees/units/{ctree['d1'].pk}/pages/"
    csv = SimpleUploadedFile("pages.csv", "बूथ,पन्ने,मतदाता\nD1A1B1,3,30;29;31\n".encode(), "text/csv")
    response = client.post(url, {"file": csv}, follow=True)
    assert "1 बूथ पढ़े गए, 3 पन्ने जोड़े गए" in response.content.decode()
    assert Page.objects.get(booth=ctree["d1a1b1"], number=2).voters == 29
    xlsx = SimpleUploadedFile("pages.xlsx", _xlsx([["booth", "pages"], ["D1A1B2", 4], ["D1A1B1", 5]]))
    client.post(url, {"file": xlsx})
    assert Page.objects.filter(booth=ctree["d1a1b2"]).count() == 4
    assert Page.objects.filter(booth=ctree["d1a1b1"]).count() == 5  # 3 kept, 2 added
    page = client.get(f"/committees/units/{ctree['d1'].pk}/").content.decode()
    assert 'id="pages-upload"' in page and 'id="verify-sample"' in page


def test_a_bad_file_writes_nothing_and_says_why(ctree):
    client = login(ctree.users["district_president"])
    url = f"/committees/units/{ctree['d1'].pk}/pages/"
    bad = SimpleUploadedFile("pages.csv", b"booth,pages\nD1A1B1,3\nNOPE,2\nD1A1B2,x\n", "text/csv")
    text = client.post(url, {"file": bad}, follow=True).content.decode()
    assert "फ़ाइल में गलतियाँ हैं" in text and "NOPE" in text and "पंक्ति 3" in text
    assert not Page.objects.exists()
    binary = SimpleUploadedFile("photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "text/csv")
    text = client.post(url, {"file": binary}, follow=True).content.decode()
    assert "CSV या Excel" in text and not Page.objects.exists()
    outside = SimpleUploadedFile("pages.csv", b"booth,pages\nD2A2B1,3\n", "text/csv")
    text = client.post(url, {"file": outside}, follow=True).content.decode()
    assert "D2A2B1" in text and not Page.objects.exists()


def test_pages_upload_needs_write_scope(ctree):
    booth_president = login(ctree.users["booth_president"])
    csv = SimpleUploadedFile("pages.csv", b"booth,pages\nD1A1B1,3\n", "text/csv")
    assert booth_president.post(f"/committees/units/{ctree['d2'].pk}/pages/", {"file": csv}).status_code == 404
    assert not Page.objects.exists()


def test_verification_sample_from_the_unit_page(pages):  # noqa: F811
    client = login(pages.users["district_president"])
    url = f"/committees/units/{pages['d1'].pk}/verify/"
    text = client.post(url, {"n": "2"}, follow=True).content.decode()
    assert PageCheck.objects.count() == 2 and "2 सत्यापन कॉल" in text
    client.post(url, {"n": "5"})
    assert PageCheck.objects.count() == 3  # each page committee is drawn once
    text = client.post(url, {"n": "5"}, follow=True).content.decode()
    assert PageCheck.objects.count() == 3 and "कोई पन्ना प्रमुख" in text
    text = client.post(url, {"n": "abc"}, follow=True).content.decode()
    assert "1-500" in text
