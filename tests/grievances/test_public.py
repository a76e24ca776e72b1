"""The public status page and its API: tracking code + mobile → status and the latest public note; the
same error for a wrong code or a wrong mobile; rate-limited; confirmation by the complainant."""

import json

from django.test import Client

from sangathan.access.scope import scope_for_user
from sangathan.grievances.enums import GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceEvent
from sangathan.grievances.services import grievance_add_note, grievance_resolve
from tests.grievances.helpers import take

STATUS = "/api/v1/grievances/status"


def post(path, data, ip="10.0.0.1"):
    return Client(REMOTE_ADDR=ip).post(path, json.dumps(data), content_type="application/json")


def test_status_shows_the_latest_public_note_and_nothing_else(cell):
    grievance = take(cell, description="निजी विवरण जो सार्वजनिक नहीं है")
    grievance_add_note(scope=scope_for_user(cell["district_convener"]), grievance=grievance, text="आंतरिक टिप्पणी")
    grievance_add_note(scope=scope_for_user(cell["district_convener"]), grievance=grievance, text="जिला अध्यक्ष से बात हुई है",
                       public=True)
    response = post(STATUS, {"tracking_code": grievance.tracking_code.lower(), "mobile": "98260 12345"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"tracking_code", "status", "status_label", "latest_note", "updated_at",
                         "awaiting_confirmation"}
    assert body["latest_note"] == "जिला अध्यक्ष से बात हुई है" and body["status"] == "open"
    assert "निजी" not in response.content.decode() and "आंतरिक" not in response.content.decode()


def test_wrong_code_and_wrong_mobile_are_the_same_error(cell):
    grievance = take(cell)
    wrong_code = post(STATUS, {"tracking_code": "SG-ZZZZZZ", "mobile": "9826012345"})
    wrong_mobile = post(STATUS, {"tracking_code": grievance.tracking_code, "mobile": "9826000000"})
    assert wrong_code.status_code == wrong_mobile.status_code == 400
    assert wrong_code.json() == wrong_mobile.json()
    assert "tracking_code" in wrong_code.json()["errors"]


def test_lookups_are_rate_limited_per_address(cell):
    for _ in range(10):
        assert post(STATUS, {"tracking_code": "SG-ZZZZZZ", "mobile": "9826012345"}).status_code == 400
    refused = post(STATUS, {"tracking_code": "SG-ZZZZZZ", "mobile": "9826012345"})
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited" and refused["Retry-After"]
    assert post(STATUS, {"tracking_code": "SG-ZZZZZZ", "mobile": "9826012345"}, ip="10.0.0.2").status_code == 400


def test_the_complainant_confirms_on_the_public_api(cell):
    grievance = grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=take(cell), note="हल हो गया")
    assert post(STATUS, {"tracking_code": grievance.tracking_code, "mobile": "9826012345"}).json()[
        "awaiting_confirmation"] is True
    response = post(STATUS + "/confirm", {"tracking_code": grievance.tracking_code, "mobile": "9826012345",
                                          "satisfied": True})
    assert response.status_code == 200 and response.json()["status"] == GrievanceStatus.CLOSED
    again = post(STATUS + "/confirm", {"tracking_code": grievance.tracking_code, "mobile": "9826012345",
                                       "satisfied": False})
    assert again.status_code == 400


def test_the_status_page_in_hindi(cell):
    grievance = grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=take(cell), note="कार्ड बन गया")
    client = Client(REMOTE_ADDR="10.0.0.9")
    page = client.get("/status/")
    assert page.status_code == 200 and 'lang="hi"' in page.content.decode()
    wrong = client.post("/status/", {"tracking_code": grievance.tracking_code, "mobile": "9999999999"})
    assert wrong.status_code == 400 and "कार्ड बन गया" not in wrong.content.decode()
    shown = client.post("/status/", {"tracking_code": grievance.tracking_code, "mobile": "9826012345"})
    assert shown.status_code == 200 and "कार्ड बन गया" in shown.content.decode()
    events_before = GrievanceEvent.objects.count()
    confirmed = client.post("/status/confirm/", {"tracking_code": grievance.tracking_code, "mobile": "9826012345",
                                                 "satisfied": "0"})
    assert confirmed.status_code == 200
    grievance = Grievance.objects.get(pk=grievance.pk)
    assert grievance.status == GrievanceStatus.OPEN and grievance.feedback == "not_satisfied"
    assert GrievanceEvent.objects.count() > events_before


def test_sms_replies_confirm_or_reopen(cell, settings):
    settings.SANGATHAN_SMS_WEBHOOK_SECRET = "s"
    first = grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=take(cell, subject="पहली"), note="हल")
    second = grievance_resolve(scope=scope_for_user(cell["district_convener"]),
                               grievance=take(cell, subject="दूसरी अलग समस्या"), note="हल")

    def reply(text):
        return Client().post("/api/v1/messaging/webhooks/sms/sms_http", json.dumps({"from": "919826012345",
                             "text": text}), content_type="application/json", headers={"X-Webhook-Secret": "s"})

    assert reply("नमस्ते").status_code == 200  # neither yes nor no: nothing changes
    assert Grievance.objects.filter(status=GrievanceStatus.RESOLVED).count() == 2
    reply(f"नहीं {first.tracking_code}")
    first.refresh_from_db()
    assert first.status == GrievanceStatus.OPEN and first.feedback == "not_satisfied"
    reply("हाँ")  # the latest resolved one awaiting confirmation
    second.refresh_from_db()
    assert second.status == GrievanceStatus.CLOSED
    assert reply("STOP").json()["opted_out"] in (0, 1)


def test_status_with_devanagari_digits_in_code_and_mobile(cell):
    from sangathan.core.digits import DEVANAGARI_DIGITS

    grievance = take(cell)
    code = grievance.tracking_code.translate(str.maketrans("0123456789", DEVANAGARI_DIGITS))
    response = post(STATUS, {"tracking_code": code.removeprefix("SG-").lower(), "mobile": "९८२६० १२३४५"})
    assert response.status_code == 200, response.content
    page = Client(REMOTE_ADDR="10.0.0.9").post("/status/", {"tracking_code": code, "mobile": "९८२६०१२३४५"})
    assert page.status_code == 200 and f'<span class="code">{grievance.tracking_code}</span>' in page.content.decode()
