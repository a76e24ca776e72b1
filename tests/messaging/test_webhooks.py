import hashlib
import hmac
import json

import pytest
from django.test import Client

from sangathan.access.scope import Scope
from sangathan.messaging.models import Channel, DeliveryEvent, Message, MessageStatus, OptOut
from sangathan.messaging.services import message_enqueue

SMS_URL = "/api/v1/messaging/webhooks/sms/sms_http"
SMS_SECRET = "gw-shared-secret"
APP_SECRET = "app-secret"
WA_URL = "/api/v1/messaging/webhooks/whatsapp"


@pytest.fixture
def secrets(settings):
    settings.SANGATHAN_SMS_WEBHOOK_SECRET = "gw-shared-secret"
    settings.SANGATHAN_WHATSAPP = {"graph_url": "http://127.0.0.1:9", "phone_number_id": "1", "token": "t",
                                   "app_secret": "app-secret", "verify_token": "verify-me", "timeout": 1}


def sent(provider, provider_id, key="m1", channel=Channel.SMS):
    message = message_enqueue(scope=Scope.system(), channel=channel, to_address="+919826012345", body="x", kind="transactional",
                              idempotency_key=key)
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENT, provider=provider,
                                                 provider_message_id=provider_id)
    return message


def post_sms(data, secret=SMS_SECRET):
    return Client().post(SMS_URL, json.dumps(data), content_type="application/json",
                         headers={"X-Webhook-Secret": secret})


def post_whatsapp(data, secret=APP_SECRET):
    body = json.dumps(data).encode()
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return Client().post(WA_URL, body, content_type="application/json", headers={"X-Hub-Signature-256": signature})


@pytest.mark.django_db
def test_sms_delivery_report_is_recorded_once(secrets):
    message = sent("sms_http", "gw-77")
    report = {"message_id": "gw-77", "status": "DELIVRD", "at": 1_790_000_000}
    response = post_sms(report)
    assert response.status_code == 200 and response.json() == {"recorded": 1, "opted_out": 0}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at is not None
    assert post_sms(report).json()["recorded"] == 0  # the gateway's retry adds nothing
    assert DeliveryEvent.objects.filter(message=message).count() == 1


@pytest.mark.django_db
def test_a_delivery_is_signalled_once_to_the_apps_above(secrets):
    from sangathan.messaging.signals import message_delivered

    heard = []

    def listener(sender, **kwargs):
        heard.append(kwargs)

    message_delivered.connect(listener, dispatch_uid="test.listener")
    try:
        message = sent("sms_http", "gw-79", key="test:79")
        for status in ("SENT", "DELIVRD", "DELIVRD", "read"):
            post_sms({"message_id": "gw-79", "status": status, "at": 1_790_000_000})
    finally:
        message_delivered.disconnect(dispatch_uid="test.listener")
    message.refresh_from_db()
    assert [(h["message_id"], h["idempotency_key"], h["at"]) for h in heard] == [
        (message.pk, "test:79", message.delivered_at)]


@pytest.mark.django_db
def test_sms_failure_report_and_form_encoding(secrets):
    message = sent("sms_http", "gw-78")
    response = Client().post(SMS_URL + "?secret=gw-shared-secret", "message_id=gw-78&status=UNDELIV&error=DND",
                             content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.last_error == "DND"


@pytest.mark.django_db
def test_sms_webhook_with_a_bad_secret_writes_nothing(secrets, tree):
    message = sent("sms_http", "gw-79")
    person = tree.people["d1a1b1p0"]
    response = post_sms([{"message_id": "gw-79", "status": "delivered"}, {"from": person.mobile, "text": "STOP"}],
                        secret="guess")
    assert response.status_code == 401 and response.json()["detail"]
    assert not DeliveryEvent.objects.exists() and not OptOut.objects.exists()
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert Client().post(SMS_URL, "{}", content_type="application/json").status_code == 401


@pytest.mark.django_db
def test_sms_webhook_refuses_everything_when_not_configured(settings):
    settings.SANGATHAN_SMS_WEBHOOK_SECRET = ""
    assert post_sms({"message_id": "x", "status": "delivered"}, secret="").status_code == 403


@pytest.mark.django_db
def test_sms_stop_reply_opts_out(secrets, tree):
    person = tree.people["d1a1b1p0"]
    response = post_sms({"from": person.mobile.removeprefix("+"), "text": " stop "})
    assert response.json()["opted_out"] == 1
    assert OptOut.objects.get(person=person).channel == Channel.SMS
    assert post_sms({"from": person.mobile, "text": "धन्यवाद"}).json()["opted_out"] == 0


@pytest.mark.django_db
def test_start_reply_reverses_the_persons_own_stop(secrets, tree):
    person = tree.people["d1a1b1p0"]
    post_sms({"from": person.mobile, "text": "STOP"})
    assert OptOut.objects.filter(person=person, revoked_at__isnull=True).exists()
    post_sms({"from": person.mobile, "text": "शुरू"})
    assert not OptOut.objects.filter(person=person, revoked_at__isnull=True).exists()
    assert OptOut.objects.filter(person=person).count() == 1  # the reversed row stays as history


@pytest.mark.django_db
def test_opt_out_export_is_scoped_and_audited(secrets, tree):
    from sangathan.access.models import AuditLog
    from tests.api_client import ApiClient

    inside, outside = tree.people["d1a1b1p0"], tree.people["d1a2b1p0"]
    for person in (inside, outside):
        post_sms({"from": person.mobile, "text": "STOP"})
    api = ApiClient.login(tree.users["mandal_president"])
    listed = api.get("/messaging/opt-outs").json()
    assert [row["person_id"] for row in listed["items"]] == [inside.pk]
    assert AuditLog.objects.filter(action=AuditLog.Action.EXPORT, actor=tree.users["mandal_president"]).count() == 1
    post_sms({"from": inside.mobile, "text": "start"})
    assert api.get("/messaging/opt-outs").json()["count"] == 0
    assert api.get("/messaging/opt-outs", {"include_reversed": "true"}).json()["count"] == 1


@pytest.mark.django_db
def test_sms_webhook_bad_body(secrets):
    response = Client().post(SMS_URL, "[1, 2", content_type="application/json",
                             headers={"X-Webhook-Secret": "gw-shared-secret"})
    assert response.status_code == 400


def whatsapp_notification(*, statuses=(), messages=()):
    return {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": [
        {"field": "messages", "value": {"messaging_product": "whatsapp", "statuses": list(statuses),
                                        "messages": list(messages)}}]}]}


@pytest.mark.django_db
def test_whatsapp_statuses_and_stop(secrets, tree):
    message = sent("whatsapp_cloud", "wamid.ABC", channel=Channel.WHATSAPP)
    person = tree.people["d1a1b1p1"]
    data = whatsapp_notification(
        statuses=[{"id": "wamid.ABC", "status": "delivered", "timestamp": "1790000000", "recipient_id": "91"},
                  {"id": "wamid.ABC", "status": "read", "timestamp": "1790000100", "recipient_id": "91"}],
        messages=[{"from": person.mobile.removeprefix("+"), "id": "wamid.IN", "timestamp": "1790000200",
                   "type": "text", "text": {"body": "STOP"}}],
    )
    response = post_whatsapp(data)
    assert response.status_code == 200 and response.json() == {"recorded": 2, "opted_out": 1}
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert OptOut.objects.get(person=person).channel == Channel.WHATSAPP
    assert post_whatsapp(data).json()["recorded"] == 0
    assert DeliveryEvent.objects.count() == 2


@pytest.mark.django_db
def test_whatsapp_bad_signature_is_rejected_and_writes_nothing(secrets, tree):
    message = sent("whatsapp_cloud", "wamid.XYZ", channel=Channel.WHATSAPP)
    data = whatsapp_notification(statuses=[{"id": "wamid.XYZ", "status": "failed", "timestamp": "1790000000"}])
    assert post_whatsapp(data, secret="not-the-secret").status_code == 401
    unsigned = Client().post(WA_URL, json.dumps(data), content_type="application/json")
    assert unsigned.status_code == 401
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert not DeliveryEvent.objects.exists()


@pytest.mark.django_db
def test_whatsapp_failed_status_keeps_the_reason(secrets):
    message = sent("whatsapp_cloud", "wamid.F", channel=Channel.WHATSAPP)
    post_whatsapp(whatsapp_notification(statuses=[{"id": "wamid.F", "status": "failed", "timestamp": "1790000000",
                                                   "errors": [{"code": 131047, "title": "Re-engagement message"}]}]))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.last_error == "Re-engagement message"


@pytest.mark.django_db
def test_whatsapp_subscription_verification(secrets):
    client = Client()
    ok = client.get(WA_URL, {"hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"})
    assert ok.status_code == 200 and ok.content == b"1158201444"
    bad = client.get(WA_URL, {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1"})
    assert bad.status_code == 403
