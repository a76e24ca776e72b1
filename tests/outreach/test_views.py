"""The booth contact pages: today's list, the call form, compliance and booth health, programs."""

import pytest
from django.urls import reverse

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.outreach.enums import AssignmentStatus, CallOutcome
from sangathan.outreach.models import CallAssignment, CallLog, ContactProgram
from sangathan.outreach.services import assignments_assign, call_log_save

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(contact):
    assignments_assign(scope=Scope.system(), program=contact.program)
    return contact


def test_today_lists_the_callers_calls_with_tel_links(client, assigned):
    client.force_login(assigned.users["d1_incharge"])
    response = client.get(reverse("outreach:today"))
    assert response.status_code == 200
    body = response.content.decode()
    for call in CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]):
        assert f'href="tel:{call.target.mobile}"' in body
        assert call.target.name in body and reverse("outreach:log", args=[call.pk]) in body
    assert "आज की कॉल" in body
    assert AuditLog.objects.filter(action=AuditLog.Action.CALL_LIST_VIEW).count() == 1


def test_call_form_logs_and_corrects(client, assigned):
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    client.force_login(assigned.users["d1_incharge"])
    url = reverse("outreach:log", args=[call.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"outcome": "reached", "wellbeing_self": "good", "position_score": "4",
                                 "needs": ["material"], "notes": "सब ठीक"})
    assert response.status_code == 302
    log = CallLog.objects.get(assignment=call)
    assert (log.position_score, log.needs, log.notes) == (4, ["material"], "सब ठीक")
    page = client.get(url).content.decode()
    assert 'value="4" checked' in page or 'value="4"\n' in page or "सब ठीक" in page
    response = client.post(url, {"outcome": "reached", "followup_wanted": "on"})
    assert response.status_code == 200 and "field__error" in response.content.decode()


def test_someone_elses_call_is_not_found(client, assigned):
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    client.force_login(assigned.users["d2_incharge"])
    assert client.get(reverse("outreach:log", args=[call.pk])).status_code == 404
    assert client.post(reverse("outreach:log", args=[call.pk]), {"outcome": "reached"}).status_code == 404
    assert not CallLog.objects.exists()


def test_past_call_cannot_be_logged_from_the_page(client, assigned, clock):
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    clock.advance(days=1)
    client.force_login(assigned.users["d1_incharge"])
    response = client.post(reverse("outreach:log", args=[call.pk]), {"outcome": "reached"})
    assert response.status_code == 200 and not CallLog.objects.exists()
    call.refresh_from_db()
    assert call.status == AssignmentStatus.PENDING


def test_compliance_is_scoped(client, assigned, tree):
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    call_log_save(scope=Scope.system(), assignment=call, outcome=CallOutcome.REACHED, followup_wanted=True,
                  followup_note="बैठक चाहिए")
    client.force_login(assigned.users["d1_incharge"])
    response = client.get(reverse("outreach:compliance"))
    assert response.status_code == 200 and response.context["unit"] == tree["d1"]
    assert "बैठक चाहिए" in response.content.decode()
    assert client.get(reverse("outreach:compliance"), {"unit": tree["d2"].pk}).status_code == 404
    assert client.get(reverse("outreach:compliance"), {"unit": "x"}).status_code == 404
    client.force_login(tree.users["state_admin"])
    response = client.get(reverse("outreach:compliance"), {"unit": tree["state"].pk, "period": "month"})
    assert response.status_code == 200 and response.context["figures"]["assigned"] == 6
    assert tree["d2a2b2"] in response.context["vacant"]
    assert client.get(reverse("outreach:booths"), {"unit": tree["d2"].pk}).status_code == 200
    client.force_login(tree.users["nobody"])  # no unit: a page that says so, not a 404 (issue 16)
    response = client.get(reverse("outreach:compliance"))
    assert response.status_code == 200 and "data-no-unit" in response.content.decode()


def test_programs_are_edited_by_the_state_office_only(client, assigned, tree):
    program = assigned.program
    url = reverse("outreach:program_edit", args=[program.pk])
    client.force_login(tree.users["district_president"])
    assert client.get(url).status_code == 404
    client.force_login(tree.users["state_president"])
    page = client.get(url)
    assert page.status_code == 200
    data = {"code": program.code, "name_hi": "बूथ संवाद", "name_en": "", "target_root": tree["state"].pk,
            "target_post": "president", "caller_rules": ["incharge@district"], "pairing_level": "district",
            "per_caller_per_day": "3", "working_days": ["0", "1", "2"], "send_time": "08:30",
            "reminder_time": "19:00", "channel": "whatsapp", "is_active": "on"}
    assert client.post(url, data).status_code == 302
    program = ContactProgram.objects.get(pk=program.pk)
    assert (program.name_hi, program.per_caller_per_day, program.working_days, program.channel) == (
        "बूथ संवाद", 3, [0, 1, 2], "whatsapp")
    assert list(program.caller_posts.values_list("post__code", "level")) == [("incharge", "district")]
    bad = client.post(url, data | {"reminder_time": "08:00"})
    assert bad.status_code == 200 and "field__error" in bad.content.decode()
    new = client.post(reverse("outreach:program_new"), data | {"code": "second"})
    assert new.status_code == 302 and ContactProgram.objects.filter(code="second").exists()


def test_api_today_log_and_compliance(assigned, tree):
    from tests.api_client import ApiClient

    api = ApiClient.login(assigned.users["d1_incharge"])
    listing = api.get("/outreach/today").json()
    assert listing["count"] == 2 and listing["items"][0]["booth"]["level"] == "booth"
    call_id = listing["items"][0]["id"]
    response = api.client.put(f"/api/v1/outreach/calls/{call_id}/log", {"outcome": "reached", "position_score": 5},
                              content_type="application/json", headers=api._headers())
    assert response.status_code == 200 and response.json()["position_score"] == 5
    bad = api.client.put(f"/api/v1/outreach/calls/{call_id}/log", {"outcome": "maybe"},
                         content_type="application/json", headers=api._headers())
    assert bad.status_code == 400 and "outcome" in bad.json()["errors"]
    assert api.get("/outreach/compliance").json()["called_same_day"] == 1
    assert api.get("/outreach/compliance", {"unit": tree["d2"].pk}).status_code == 404
    assert api.get("/outreach/compliance", {"start": "2030-01-02", "end": "2030-01-01"}).status_code == 400
    other = ApiClient.login(assigned.users["d2_incharge"])
    assert other.client.put(f"/api/v1/outreach/calls/{call_id}/log", {"outcome": "busy"},
                            content_type="application/json", headers=other._headers()).status_code == 404
    feedback = ApiClient.login(tree.users["state_admin"]).get("/outreach/feedback").json()
    assert feedback["reached"] == 1 and feedback["scores"]["5"] == 1
    assert ApiClient.login(tree.users["state_admin"]).get("/outreach/programs").json()["count"] == 1
