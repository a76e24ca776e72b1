import pytest

from sangathan.access.scope import Scope
from sangathan.messaging.models import Channel, Message, MessageStatus
from sangathan.messaging.outbox import outbox_drain
from sangathan.messaging.providers import PermanentError, TransientError, provider_for
from sangathan.messaging.services import message_enqueue, template_create
from tests.messaging.conftest import Answer
from tests.messaging.test_outbox import soon


def sms(key="k", body="नमस्ते", **extra):
    return message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address="+919826012345", body=body, kind="transactional",
                           idempotency_key=key, **extra)


@pytest.mark.django_db
def test_http_sms_gateway_gets_dlt_fields_and_its_id_is_kept(sms_gateway):
    template = template_create(scope=Scope.system(), code="call-list", name="Call list", body_hi="आज कॉल करें: {names}",
                               dlt_template_id="1107000000000099")
    message = sms(template=template)
    outbox_drain(now=soon())
    hit = sms_gateway.hits[0]
    assert hit.path == "/api/send"
    assert hit.headers["Authorization"] == "Bearer k-123"
    assert hit.json() == {"to": "919826012345", "message": "नमस्ते", "sender": "SNGTHN",
                          "entity_id": "1101000000000001", "template_id": "1107000000000099", "unicode": 1}
    message.refresh_from_db()
    assert (message.status, message.provider, message.provider_message_id) == ("sent", "sms_http", "gw-1")


@pytest.mark.django_db
def test_http_sms_gateway_form_encoding_and_nested_id(sms_gateway, settings):
    settings.SANGATHAN_SMS_HTTP = {**settings.SANGATHAN_SMS_HTTP, "encoding": "form", "message_id_path": "data.0.id"}
    sms_gateway.script(Answer(200, {"data": [{"id": "abc-1"}]}))
    message = sms(body="hello")
    outbox_drain(now=soon())
    assert sms_gateway.hits[0].headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert b"message=hello" in sms_gateway.hits[0].body and b"unicode=0" in sms_gateway.hits[0].body
    message.refresh_from_db()
    assert message.provider_message_id == "abc-1"


@pytest.mark.django_db
def test_unreachable_gateway_is_transient(settings, sms_gateway):
    settings.SANGATHAN_SMS_HTTP = {**settings.SANGATHAN_SMS_HTTP, "url": "http://127.0.0.1:9/nothing"}
    with pytest.raises(TransientError):
        provider_for(Channel.SMS).send(sms())


@pytest.mark.django_db
def test_whatsapp_cloud_template_message(whatsapp_api):
    template = template_create(scope=Scope.system(), code="booth_call", name="Booth call", body_hi="{leader} जी, आज {booth} के अध्यक्ष को कॉल करें",
                               body_en="{leader}, call the president of {booth} today", channels=[Channel.WHATSAPP])
    message = message_enqueue(scope=Scope.system(), channel=Channel.WHATSAPP, to_address="+919826012345", body="…", kind="transactional",
                              idempotency_key="wa-1", template=template, language="en",
                              context={"leader": "Ramesh", "booth": "Booth 12"})
    outbox_drain(now=soon())
    hit = whatsapp_api.hits[0]
    assert hit.path == "/v21.0/1055/messages"
    assert hit.headers["Authorization"] == "Bearer wa-token"
    assert hit.json() == {
        "messaging_product": "whatsapp", "recipient_type": "individual", "to": "919826012345", "type": "template",
        "biz_opaque_callback_data": "wa-1",
        "template": {"name": "booth_call", "language": {"code": "en"}, "components": [
            {"type": "body", "parameters": [{"type": "text", "text": "Ramesh"}, {"type": "text", "text": "Booth 12"}]},
        ]},
    }
    message.refresh_from_db()
    assert (message.status, message.provider, message.provider_message_id) == ("sent", "whatsapp_cloud", "wamid.1")


@pytest.mark.django_db
def test_whatsapp_cloud_text_message_and_errors(whatsapp_api):
    whatsapp_api.script(Answer(400, {"error": {"message": "(#131026) Message undeliverable"}}))
    message = message_enqueue(scope=Scope.system(), channel=Channel.WHATSAPP, to_address="+919826012345", body="सीधा संदेश",
                              kind="transactional", idempotency_key="wa-2")
    outbox_drain(now=soon())
    assert whatsapp_api.hits[0].json()["text"] == {"preview_url": True, "body": "सीधा संदेश"}
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "131026" in message.last_error


@pytest.mark.django_db
def test_email_over_real_smtp(smtp_server):
    message = message_enqueue(scope=Scope.system(), channel=Channel.EMAIL, to_address="Karyakarta@Example.org", body="बैठक कल 11 बजे",
                              subject="बैठक", kind="transactional", idempotency_key="mail-1")
    assert outbox_drain(now=soon()).sent == 1
    envelope = smtp_server.envelopes[0]
    assert envelope.rcpt_tos == ["karyakarta@example.org"]
    content = envelope.content.decode()
    assert "Subject: =?utf-8?" in content
    message.refresh_from_db()
    assert message.status == "sent" and message.provider == "smtp" and message.provider_message_id in content


@pytest.mark.django_db
def test_email_refused_recipient_is_permanent(smtp_server):
    smtp_server.refuse.add("gone@example.org")
    message = message_enqueue(scope=Scope.system(), channel=Channel.EMAIL, to_address="gone@example.org", body="x", kind="transactional",
                              idempotency_key="mail-2")
    assert outbox_drain(now=soon()).failed == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and "550" in message.last_error


@pytest.mark.django_db
def test_email_server_down_is_transient(settings):
    settings.SANGATHAN_EMAIL_PROVIDER = "smtp"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    message = message_enqueue(scope=Scope.system(), channel=Channel.EMAIL, to_address="a@example.org", body="x", kind="transactional",
                              idempotency_key="mail-3")
    with pytest.raises(TransientError):
        provider_for(Channel.EMAIL).send(message)


@pytest.mark.django_db
def test_in_app_messages_are_marked_sent():
    message = message_enqueue(scope=Scope.system(), channel=Channel.IN_APP, to_address="9826012345", body="x", kind="transactional",
                              idempotency_key="app-1")
    outbox_drain(now=soon())
    assert Message.objects.get(pk=message.pk).status == "sent"


def test_unknown_provider_choice_is_an_error(settings):
    settings.SANGATHAN_SMS_PROVIDER = "carrier-pigeon"
    with pytest.raises(ValueError, match="console, http"):
        provider_for(Channel.SMS)


def test_permanent_error_is_not_transient():
    assert not issubclass(PermanentError, TransientError)
