"""Template pages for the state office: create and change through the actions (every fault at once, in
Hindi; an audit row per write), the preview with sample values, the test to one's own mobile, and who may
see (404 otherwise) or change (403 otherwise) templates."""

import pytest
from django.test import Client
from django.utils import translation

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.messaging.models import Message, MessageKind, Template
from sangathan.messaging.services import template_create, template_test_send, template_update

pytestmark = pytest.mark.django_db

GOOD = {"code": "pm-live", "name": "प्रधानमंत्री का संबोधन", "body_hi": "{name} जी, संबोधन लाइव: {link}",
        "body_en": "{name}, the address is live: {link}", "subject_hi": "", "subject_en": "",
        "channels": ["sms", "whatsapp"], "dlt_template_id": "1107000000000099", "kind": "bulk", "is_active": "on"}


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def live(db):
    return template_create(scope=Scope.system(), code="live", name="Live", body_hi="{name} जी, {link} पर देखें",
                           channels=["sms"], kind=MessageKind.BULK)


def test_the_state_office_creates_a_template_with_checkboxes(tree):
    client = web(tree.users["state_president"])
    page = client.get("/messaging/templates/new/").content.decode()
    assert 'type="checkbox" name="channels" value="sms"' in page and "js/template-variables.js" in page
    response = client.post("/messaging/templates/new/", GOOD)
    template = Template.objects.get(code="pm-live")
    assert response.status_code == 302 and response["Location"] == f"/messaging/templates/{template.pk}/"
    assert template.channels == ["sms", "whatsapp"] and template.variables == ["name", "link"]
    assert template.kind == "bulk" and template.dlt_template_id == "1107000000000099" and template.is_active
    row = AuditLog.objects.get(action="template.create", target_id=template.pk)
    assert row.actor == tree.users["state_president"] and row.channel == "web"
    page = client.get(response["Location"]).content.decode()
    assert "{name}" in page and "{link}" in page  # the variables the body uses
    listing = client.get("/messaging/templates/").content.decode()
    assert "प्रधानमंत्री का संबोधन" in listing and "{name} {link}" in listing


def test_every_fault_is_shown_at_once_in_hindi_and_nothing_is_written(tree, live):
    client = web(tree.users["state_president"])
    bad = {**GOOD, "code": "live", "name": "", "body_hi": "", "body_en": "{name} {other}", "channels": [],
           "dlt_template_id": "9" * 41}
    response = client.post("/messaging/templates/new/", bad)
    page = response.content.decode()
    assert response.status_code == 200
    for message in ("इस कोड का टेम्पलेट पहले से मौजूद है।", "नाम दर्ज करें।", "हिंदी पाठ लिखें।", "कम से कम एक माध्यम चुनें।",
                    "हिंदी और अंग्रेज़ी पाठ में एक जैसे चर होने चाहिए।", "यह बहुत लंबा है (अधिकतम 40 अक्षर)।"):
        assert message in page, message
    assert Template.objects.count() == 1 and AuditLog.objects.filter(action="template.create").count() == 1


def test_the_service_reports_every_fault_with_the_first_as_its_field(db, live):
    with pytest.raises(DomainError) as error:
        template_create(scope=Scope.system(), code="bad code!", name="", body_hi="{a}", body_en="{b}",
                        channels=["pigeon"])
    assert error.value.field == "code"
    assert set(error.value.errors) == {"code", "name", "channels", "body_en"}


def test_changing_a_template_keeps_its_code_and_leaves_history(tree, live):
    client = web(tree.users["state_president"])
    data = {**GOOD, "code": "hijacked", "name": "Live address", "body_hi": "{name} जी, अब {link} पर देखें",
            "body_en": "", "channels": ["sms"]}
    response = client.post(f"/messaging/templates/{live.pk}/", data)
    assert response.status_code == 302
    live.refresh_from_db()
    assert live.code == "live" and live.name == "Live address" and live.body_hi == "{name} जी, अब {link} पर देखें"
    row = AuditLog.objects.get(action="template.update", target_id=live.pk)
    assert row.detail["changed"]["body_hi"] == ["{name} जी, {link} पर देखें", "{name} जी, अब {link} पर देखें"]
    assert "code" not in row.detail["changed"]
    with translation.override("hi"):
        page = client.get(f"/messaging/templates/{live.pk}/").content.decode()
    assert "संदेश का नमूना बदला" in page  # the history on the page
    # A refused change writes nothing.
    response = client.post(f"/messaging/templates/{live.pk}/", {**data, "body_hi": ""})
    assert response.status_code == 200 and "हिंदी पाठ लिखें।" in response.content.decode()
    live.refresh_from_db()
    assert live.body_hi and AuditLog.objects.filter(action="template.update").count() == 1


def test_preview_with_sample_values(tree, live):
    client = web(tree.users["state_president"])
    page = client.get(f"/messaging/templates/{live.pk}/", {"sample_name": "रमेश", "sample_link": "https://x.in/a"})
    assert "रमेश जी, https://x.in/a पर देखें" in page.content.decode()
    blank = client.get(f"/messaging/templates/{live.pk}/").content.decode()
    assert "[name] जी, [link] पर देखें" in blank


def test_send_a_test_to_my_own_mobile(tree, live):
    user = tree.users["state_president"]
    client = web(user)
    nonce = "a" * 32
    data = {"nonce": nonce, "sample_name": "रमेश", "sample_link": "https://x.in/a"}
    response = client.post(f"/messaging/templates/{live.pk}/test/", data)
    assert response.status_code == 302 and "sample_name=" in response["Location"]
    message = Message.objects.get()
    assert message.to_address == tree.people["state_president"].mobile and message.channel == "sms"
    assert message.body == "रमेश जी, https://x.in/a पर देखें" and message.urgent and message.status == "queued"
    assert message.kind == "transactional" and message.template == live
    client.post(f"/messaging/templates/{live.pk}/test/", data)  # the same form twice: one message
    assert Message.objects.count() == 1
    assert AuditLog.objects.filter(action="template.test", target_id=live.pk).count() == 1


def test_a_test_without_a_registered_mobile_is_a_clear_error(tree, live):
    admin = tree.users["state_admin"]
    type(admin).objects.filter(pk=admin.pk).update(mobile="")
    admin.refresh_from_db()
    response = web(admin).post(f"/messaging/templates/{live.pk}/test/", {"nonce": "b" * 32})
    assert response.status_code == 200
    assert "आपके खाते में कोई पंजीकृत मोबाइल नंबर नहीं है" in response.content.decode()
    assert not Message.objects.exists() and not AuditLog.objects.filter(action="template.test").exists()


def test_who_sees_and_who_changes_templates(tree, live):
    # A district office broadcasts, so it sees the templates, but changing them is the state's: 403.
    district = web(tree.users["district_president"])
    listing = district.get("/messaging/templates/")
    assert listing.status_code == 200 and "Live" in listing.content.decode()
    assert f"/messaging/templates/{live.pk}/" not in listing.content.decode()
    assert district.get("/messaging/templates/new/").status_code == 403
    assert district.post("/messaging/templates/new/", GOOD).status_code == 403
    assert district.get(f"/messaging/templates/{live.pk}/").status_code == 403
    assert district.post(f"/messaging/templates/{live.pk}/", GOOD).status_code == 403
    assert district.post(f"/messaging/templates/{live.pk}/test/", {"nonce": "c" * 32}).status_code == 403
    # Below the offices that broadcast, the pages do not exist: 404.
    for key in ("booth_president", "mandal_president", "nobody"):
        client = web(tree.users[key])
        for url in ("/messaging/templates/", "/messaging/templates/new/", f"/messaging/templates/{live.pk}/"):
            assert client.get(url).status_code == 404, (key, url)
        assert client.post(f"/messaging/templates/{live.pk}/test/", {"nonce": "d" * 32}).status_code == 404
    # The state office: a template that does not exist is 404 too.
    assert web(tree.users["state_president"]).get("/messaging/templates/987654321/").status_code == 404
    assert Template.objects.count() == 1 and not Message.objects.exists()
    live.refresh_from_db()
    assert live.name == "Live"


def test_the_service_refuses_a_district_office(tree, live):
    scope = scope_for_user(tree.users["district_president"])
    with pytest.raises(PermissionDenied):
        template_update(scope=scope, template=live, name="x")
    with pytest.raises(PermissionDenied):
        template_test_send(scope=scope, template=live, context={"name": "x", "link": "y"}, nonce="e" * 32)
