"""Booth contact compliance as Excel and PDF: per unit, caller and day, for the page's unit and period."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.outreach.enums import CallOutcome
from sangathan.outreach.models import CallAssignment
from sangathan.outreach.services import assignments_assign, call_log_save

pytestmark = pytest.mark.django_db


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_compliance_as_excel_and_pdf(client, contact, tree):
    assignments_assign(scope=Scope.system(), program=contact.program)
    call = CallAssignment.objects.filter(caller=contact.callers["d1_incharge"]).first()
    call_log_save(scope=Scope.system(), assignment=call, outcome=CallOutcome.REACHED)
    client.force_login(tree.users["state_admin"])
    response = client.get(reverse("outreach:compliance_export", args=["xlsx"]),
                          {"unit": tree["state"].pk, "period": "month"})
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(_body(response)))
    assert workbook.sheetnames == ["इकाई अनुसार", "कॉल करने वाले अनुसार", "दिन अनुसार"]
    by_unit = [tuple(c.value for c in row) for row in workbook.worksheets[0].iter_rows()]
    assert "6" in by_unit[0][0]  # the total line: six calls given
    assert by_unit[1][:2] == ("इकाई", "दी गई कॉल")
    assert sum(row[1] for row in by_unit[2:]) == 6
    callers = [row[0].value for row in workbook.worksheets[1].iter_rows(min_row=2)]
    assert contact.callers["d1_incharge"].name in callers
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.detail["what"] == "call_compliance" and audit.detail["period"] == "month"
    pdf = client.get(reverse("outreach:compliance_export", args=["pdf"]), {"unit": tree["state"].pk})
    assert pdf.status_code == 200 and _body(pdf).startswith(b"%PDF")
    client.force_login(contact.users["d1_incharge"])
    assert client.get(reverse("outreach:compliance_export", args=["xlsx"]),
                      {"unit": tree["d2"].pk}).status_code == 404
    rows = load_workbook(io.BytesIO(_body(client.get(reverse("outreach:compliance_export", args=["xlsx"]))))).worksheets[1]
    assert contact.callers["d2_incharge"].name not in str([c.value for row in rows.iter_rows() for c in row])
