"""The import from the web page (background job, progress JSON, error file, templates) and the API."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from sangathan.people.models import ImportJob, Person
from tests.api_client import BASE, ApiClient
from tests.people.import_files import mobile, person_row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def csv_bytes(tmp_path, rows) -> bytes:
    return write_csv(tmp_path / "p.csv", rows).read_bytes()


@pytest.fixture
def district_client(client, tree):
    client.force_login(tree.users["district_president"])
    return client


def test_upload_runs_in_the_background_and_reports(district_client, tree, tmp_path,
                                                   django_capture_on_commit_callbacks):
    data = csv_bytes(tmp_path, [person_row(name="राम", mobile=mobile(1), unit=tree["d1a1b1"].code),
                                person_row(name="श्याम", mobile="12", unit=tree["d1a1b1"].code),
                                person_row(name="मोहन", mobile=mobile(3), unit=tree["d2a1b1"].code)])
    with django_capture_on_commit_callbacks(execute=True):
        response = district_client.post(reverse("people:import"), {
            "file": SimpleUploadedFile("जिला.csv", data, content_type="text/csv"), "on_match": "update"})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("people:import_job", args=[job.pk])
    assert (job.status, job.channel, job.importer) == ("done", "web", tree.users["district_president"])
    assert (job.created, job.rejected) == (1, 2)
    page = district_client.get(response["Location"])
    assert b"import-progress.js" in page.content and reverse("people:import_errors", args=[job.pk]).encode() in \
        page.content
    progress = district_client.get(reverse("people:import_progress", args=[job.pk])).json()
    assert progress["status"] == "done" and progress["percent"] == 100 and progress["counts"]["rejected"] == 2
    errors = b"".join(district_client.get(reverse("people:import_errors", args=[job.pk])).streaming_content)
    lines = list(csv.reader(io.StringIO(errors.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == ["3", "4"]
    assert lines[2][1].startswith("unit code:")


def test_upload_refuses_a_bad_header_on_the_form(district_client, tmp_path):
    response = district_client.post(reverse("people:import"), {
        "file": SimpleUploadedFile("x.csv", "naam,phone\nराम,9826012345\n".encode()), "on_match": "update"})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_people_without_a_write_scope_cannot_import(client, tree):
    observer = tree.users["nobody"]
    client.force_login(observer)
    assert client.get(reverse("people:import")).status_code == 403


def test_someone_elses_job_is_not_found(client, tree, district_client, tmp_path, django_capture_on_commit_callbacks):
    data = csv_bytes(tmp_path, [person_row(name="राम", mobile=mobile(1), unit=tree["d1a1b1"].code)])
    with django_capture_on_commit_callbacks(execute=True):
        district_client.post(reverse("people:import"), {"file": SimpleUploadedFile("p.csv", data),
                                                        "on_match": "update"})
    job = ImportJob.objects.get()
    client.force_login(tree.users["mandal_president"])
    assert client.get(reverse("people:import_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("people:import_errors", args=[job.pk])).status_code == 404


@pytest.mark.parametrize("language, first", [("hi", "नाम"), ("en", "name")])
def test_templates(district_client, language, first):
    district_client.cookies["sangathan_language"] = language
    response = district_client.get(reverse("people:import_template_csv"))
    header = next(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert header[0] == first and len(header) == 19
    response = district_client.get(reverse("people:import_template_xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == first and sheet["B2"].value == "98260 12345"


def test_api_import_create_status_errors(tree, tmp_path, django_capture_on_commit_callbacks):
    api = ApiClient.login(tree.users["district_president"])
    data = csv_bytes(tmp_path, [person_row(name="राम", mobile=mobile(1), unit=tree["d1a1b1"].code),
                                person_row(name="", mobile=mobile(2), unit=tree["d1a1b1"].code)])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.client.post(BASE + "/people/imports", {"file": SimpleUploadedFile("p.csv", data),
                                                              "on_match": "skip"}, headers=api._headers())
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) >= {"id", "status", "total", "done", "counts", "errors_url"}
    assert body["on_match"] == "skip"
    status = api.get(f"/people/imports/{body['id']}").json()
    assert status["status"] == "done" and status["counts"] == {
        "created": 1, "updated": 0, "unchanged": 0, "skipped": 0, "flagged": 0, "rejected": 1}
    errors = b"".join(api.client.get(BASE + f"/people/imports/{body['id']}/errors",
                                     headers=api._headers()).streaming_content).decode("utf-8-sig")
    assert errors.splitlines()[1].startswith("3,name:")
    again = api.client.post(BASE + "/people/imports", {"file": SimpleUploadedFile("p.csv", data),
                                                       "on_match": "skip"}, headers=api._headers())
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Person.objects.filter(mobile="+919700000001").count() == 1


def test_api_errors_have_the_usual_shape(tree):
    api = ApiClient.login(tree.users["district_president"])
    response = api.client.post(BASE + "/people/imports", {"file": SimpleUploadedFile("p.csv", b"a,b\n1,2\n")},
                               headers=api._headers())
    assert response.status_code == 400
    assert response.json()["code"] == "bad_header" and "file" in response.json()["errors"]
    response = api.client.post(BASE + "/people/imports", {"file": SimpleUploadedFile("p.csv", b"name\n"),
                                                          "on_match": "merge"}, headers=api._headers())
    assert response.status_code == 422 and "on_match" in str(response.json()["errors"])
    assert api.get("/people/imports/999999").status_code == 404
    nobody = ApiClient.login(tree.users["nobody"])
    response = nobody.client.post(BASE + "/people/imports", {"file": SimpleUploadedFile("p.csv", b"name\n")},
                                  headers=nobody._headers())
    assert response.status_code == 403


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_upload(tmp_path, tree, name="जिला.xlsx") -> SimpleUploadedFile:
    rows = [person_row(name="राम", mobile=mobile(11), unit=tree["d1a1b1"].code),
            person_row(name="श्याम", mobile="12", unit=tree["d1a1b1"].code)]
    return SimpleUploadedFile(name, write_xlsx(tmp_path / "upload.xlsx", rows).read_bytes(), content_type=XLSX_TYPE)


def test_an_xlsx_uploaded_on_the_web_page_is_imported(district_client, tree, tmp_path,
                                                      django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = district_client.post(reverse("people:import"), {"file": xlsx_upload(tmp_path, tree),
                                                                   "on_match": "update"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    job = ImportJob.objects.get()
    assert (job.status, job.file_format, job.failure) == ("done", "xlsx", "")
    assert (job.created, job.rejected) == (1, 1)
    assert Person.objects.filter(mobile="+919700000011", name="राम").exists()


@pytest.mark.parametrize("name", ["people.xlsx", "export"])
def test_an_xlsx_uploaded_through_the_api_is_imported(tree, tmp_path, django_capture_on_commit_callbacks, name):
    api = ApiClient.login(tree.users["district_president"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.client.post(BASE + "/people/imports", {"file": xlsx_upload(tmp_path, tree, name),
                                                              "on_match": "skip"}, headers=api._headers())
    assert response.status_code == 201, response.content
    status = api.get(f"/people/imports/{response.json()['id']}").json()
    assert (status["status"], status["failure"]) == ("done", "")
    assert (status["counts"]["created"], status["counts"]["rejected"]) == (1, 1)


def test_the_error_file_neutralizes_formulas(district_client, tree, tmp_path, django_capture_on_commit_callbacks):
    data = csv_bytes(tmp_path, [person_row(name="=cmd|' /C calc'!A0", mobile="12", unit="@evil")])
    with django_capture_on_commit_callbacks(execute=True):
        district_client.post(reverse("people:import"), {"file": SimpleUploadedFile("p.csv", data),
                                                        "on_match": "update"})
    job = ImportJob.objects.get()
    errors = b"".join(district_client.get(reverse("people:import_errors", args=[job.pk])).streaming_content)
    line = list(csv.reader(io.StringIO(errors.decode("utf-8-sig"))))[1]
    assert line[2] == "'=cmd|' /C calc'!A0" and line[4] == "'@evil"
