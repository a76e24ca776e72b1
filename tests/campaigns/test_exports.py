"""Campaign progress as Excel and PDF: the page's rows (unit, period), scoped and audited."""

import io

from openpyxl import load_workbook

from sangathan.access.models import AuditLog
from sangathan.campaigns.services import report_submit
from tests.campaigns.conftest import START, scope_of
from tests.campaigns.test_views import login


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_progress_as_excel_and_pdf(tree, campaign):
    state = scope_of(tree, "state_president")
    for key, homes in (("d1a1m", 140), ("d1a2m", 90), ("d2a1m", 60)):
        report_submit(scope=state, campaign=campaign, unit=tree[key], day=START, values={"homes": homes})
    client = login(tree.users["district_president"])
    url = f"/campaigns/{campaign.pk}/export.xlsx"
    response = client.get(url, {"unit": tree["d1"].pk, "period": str(START)})
    assert response.status_code == 200
    rows = [tuple(c.value for c in row) for row in load_workbook(io.BytesIO(_body(response))).worksheets[0].iter_rows()]
    assert rows[0][:3] == ("इकाई कोड", "इकाई", "स्तर") and "घर-घर संपर्क: लक्ष्य" in rows[0]
    reported = rows[0].index("घर-घर संपर्क: रिपोर्ट किया गया")
    by_unit = {row[1]: row[reported] for row in rows[1:]}
    assert by_unit[tree["d1a1"].name_hi] == 140 and by_unit[tree["d1a2"].name_hi] == 90
    assert rows[-1][reported] == 230 and tree["d1"].name_hi in rows[-1][1]
    assert tree["d2a1"].name_hi not in str(rows)
    audit = AuditLog.objects.filter(action=AuditLog.Action.EXPORT).latest("id")
    assert audit.detail["what"] == "campaign_progress" and audit.detail["rows"] == 3
    pdf = client.get(f"/campaigns/{campaign.pk}/export.pdf", {"unit": tree["d1"].pk})
    assert pdf.status_code == 200 and _body(pdf).startswith(b"%PDF") and b"NotoSansDevanagari" in _body(pdf)
    assert client.get(url, {"unit": tree["d2"].pk}).status_code == 404
    assert client.get(f"/campaigns/{campaign.pk}/export.doc").status_code == 404
    assert login(tree.users["nobody"]).get(url).status_code == 404
