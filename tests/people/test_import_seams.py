"""The import as an office worker meets it: linked from the people page, rejected rows listed on the job's
page (column names in the page's language), and a file that is not a sheet refused with a plain message."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sangathan.people.models import ImportJob
from tests.api_client import BASE, ApiClient
from tests.people.import_files import mobile, person_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _client(client, user, language="hi"):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_people_page_links_the_import_for_those_who_may_import(client, tree):
    page = _client(client, tree.users["district_president"]).get(reverse("people:search"))
    assert reverse("people:import").encode() in page.content
    client.logout()
    page = _client(client, tree.users["nobody"]).get(reverse("people:search"))
    assert reverse("people:import").encode() not in page.content


@pytest.mark.parametrize(("name", "content", "words"), [
    ("सूची.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    ("सूची.docx", None, "Word"),
    ("सूची.csv", b"%PDF-1.4 renamed to csv", "PDF"),
    ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "फ़ोटो"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, ".xls"),
])
def test_a_file_that_is_not_a_sheet_gets_a_plain_hindi_message(client, tree, name, content, words):
    content = _docx() if content is None else content
    response = _client(client, tree.users["district_president"]).post(reverse("people:import"), {
        "file": SimpleUploadedFile(name, content), "on_match": "update"})
    assert response.status_code == 200
    message = " ".join(response.context["form"].errors["file"])
    assert words in message and "Excel" in message and "फ़ाइल" in message
    assert not ImportJob.objects.exists()


def test_api_refuses_a_word_file_by_field(tree):
    api = ApiClient.login(tree.users["district_president"])
    response = api.client.post(BASE + "/people/imports",
                               {"file": SimpleUploadedFile("list.csv", _docx()), "on_match": "update"},
                               headers=api._headers())
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "file_type" and "file" in response.json()["errors"]


@pytest.mark.parametrize(("language", "label", "line_word"), [("hi", "मोबाइल", "पंक्ति"), ("en", "Mobile", "Line")])
def test_job_page_lists_rejected_rows_with_labelled_cells(client, tree, tmp_path, django_capture_on_commit_callbacks,
                                                          language, label, line_word):
    rows = [person_row(name="राम", mobile=mobile(1), unit=tree["d1a1b1"].code),
            person_row(name="श्याम", mobile="12", unit=tree["d1a1b1"].code)]
    path = write_csv(tmp_path / "p.csv", rows)
    web = _client(client, tree.users["district_president"], language)
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("people:import"), {
            "file": SimpleUploadedFile("p.csv", path.read_bytes()), "on_match": "update"})
    job = ImportJob.objects.get()
    assert job.rejected == 1
    page = web.get(response["Location"]).content.decode()
    assert f"{line_word} 3" in page and "श्याम" in page
    assert f"<dt>{label}</dt><dd>12</dd>" in page
    assert 'class="list card import-errors"' in page


def test_an_xlsx_with_hindi_headers_still_passes_the_check(client, tree, tmp_path, django_capture_on_commit_callbacks):
    path = write_xlsx(tmp_path / "p.xlsx", [person_row(name="राम", mobile=mobile(1), unit=tree["d1a1b1"].code)])
    web = _client(client, tree.users["district_president"])
    with django_capture_on_commit_callbacks(execute=True):
        response = web.post(reverse("people:import"), {
            "file": SimpleUploadedFile("p.xlsx", path.read_bytes()), "on_match": "update"})
    assert response.status_code == 302 and ImportJob.objects.get().created == 1
