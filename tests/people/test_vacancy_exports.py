"""Vacancies under a unit as Excel and PDF beside the CSV (which stays as it was, now formula-safe)."""

import io

from django.test import Client
from openpyxl import load_workbook

from sangathan.access.models import AuditLog


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_vacancies_as_excel_pdf_and_csv(tree):
    client = Client()
    client.force_login(tree.users["district_president"])
    district = tree["d1"]
    csv_rows = _body(client.get(f"/people/units/{district.pk}/vacancies.csv")).decode("utf-8-sig").splitlines()
    response = client.get(f"/people/units/{district.pk}/vacancies.xlsx")
    assert response.status_code == 200
    rows = [tuple(c.value for c in row) for row in load_workbook(io.BytesIO(_body(response))).worksheets[0].iter_rows()]
    assert rows[0] == ("इकाई कोड", "इकाई", "स्तर", "पद")
    assert len(rows) == len(csv_rows) > 1
    assert {row[0] for row in rows[1:]} <= {u.code for u in tree.units.values() if u.path.startswith(district.path)}
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.detail == {"what": "vacancies", "format": "xlsx", "unit": district.code, "rows": len(rows) - 1}
    pdf = client.get(f"/people/units/{district.pk}/vacancies.pdf")
    assert pdf.status_code == 200 and _body(pdf).startswith(b"%PDF")
    assert client.get(f"/people/units/{tree['d2'].pk}/vacancies.xlsx").status_code == 404
    assert client.get(f"/people/units/{district.pk}/vacancies.docx").status_code == 404
