"""The API: intake, actions, attachments and their errors."""

from sangathan.grievances.enums import GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance
from sangathan.messaging.models import Message
from tests.api_client import ApiClient, declared_statuses
from tests.grievances.helpers import PDF


def intake_body(cell, **changes):
    body = {"unit": cell.tree["d1a1b1"].pk, "kind": "administrative", "subject": "राशन नहीं मिल रहा",
            "complainant_name": "सीता बाई", "complainant_mobile": "9826012399", "department": "revenue"}
    return body | changes


def test_intake_and_the_administrative_path_over_the_api(cell):
    api = ApiClient.login(cell["district_convener"])
    response = api.post("/grievances", intake_body(cell))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["tracking_code"].startswith("SG-") and created["channel"] == "api"
    assert created["department"] == "revenue" and created["level"] == GrievanceLevel.DISTRICT
    path = f"/grievances/{created['id']}"
    forwarded = api.post(path + "/forward", {"office": "तहसील", "reference": "CMH-1"})
    assert forwarded.status_code == 200 and forwarded.json()["status"] == GrievanceStatus.FORWARDED
    assert api.post(path + "/resume", {"note": "विभाग ने लौटाया"}).json()["status"] == GrievanceStatus.OPEN
    escalated = api.post(path + "/escalate", {"reason": "तहसील स्तर पर हल नहीं"})
    assert escalated.json()["level"] == GrievanceLevel.STATE
    state = ApiClient.login(cell["state_convener"])
    assigned = state.post(path + "/assign", {"person": cell.people["revenue_minister"].pk, "note": "देखें"})
    assert assigned.status_code == 200 and assigned.json()["level"] == GrievanceLevel.MINISTER
    minister = ApiClient.login(cell["revenue_minister"])
    assert minister.get("/grievances", {"mine": True}).json()["count"] == 1
    resolved = minister.post(path + "/resolve", {"note": "आदेश जारी"})
    assert resolved.json()["status"] == GrievanceStatus.RESOLVED
    confirmed = api.post(path + "/confirm", {"satisfied": True})
    assert confirmed.json()["status"] == GrievanceStatus.CLOSED and confirmed.json()["closure"] == "confirmed"
    kinds = [event["kind"] for event in confirmed.json()["events"]]
    assert kinds[0] == "created" and kinds[-1] == "message"


def test_bad_intake_answers_field_errors_and_writes_nothing(cell):
    api = ApiClient.login(cell["district_convener"])
    before = (Grievance.objects.count(), Message.objects.count())
    unknown = api.post("/grievances", intake_body(cell, department="no-such"))
    assert unknown.status_code == 400 and "department" in unknown.json()["errors"]
    outside = api.post("/grievances", intake_body(cell, unit=cell.tree["d2a1b1"].pk))
    assert outside.status_code == 404 and "unit" in outside.json()["errors"]
    extra = api.post("/grievances", intake_body(cell, surprise=1))
    assert extra.status_code == 422
    assert (Grievance.objects.count(), Message.objects.count()) == before


def test_attachments_over_the_api(cell):
    api = ApiClient.login(cell["district_convener"])
    created = api.post("/grievances", intake_body(cell)).json()
    url = f"/api/v1/grievances/{created['id']}/attachments"
    headers = {"Authorization": f"Bearer {api.token}"}
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = api.client.post(url, {"file": SimpleUploadedFile("a.pdf", PDF)}, headers=headers)
    assert ok.status_code == 201
    bad = api.client.post(url, {"file": SimpleUploadedFile("a.pdf", b"not a pdf at all")}, headers=headers)
    assert bad.status_code == 400 and bad.json()["errors"]["file"]
    assert Grievance.objects.get(pk=created["id"]).attachments.count() == 1


def test_departments_are_listed(cell):
    codes = [d["code"] for d in ApiClient.login(cell["district_convener"]).get("/grievances/departments").json()]
    assert codes == ["health", "revenue"]


def test_an_unknown_department_filter_is_a_declared_400(cell):
    # Found by the fuzzing (tests/fuzz): the list answered 400 for it without declaring 400.
    response = ApiClient.login(cell.tree.users["state_admin"]).get("/grievances", {"department": "nope"})
    assert response.status_code == 400 and set(response.json()["errors"]) == {"department"}
    assert 400 in declared_statuses("get", "/grievances")
