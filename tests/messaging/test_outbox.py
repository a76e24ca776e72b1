import threading
from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.messaging.models import Channel, Message, MessageKind, MessageStatus
from sangathan.messaging.outbox import backoff_seconds, outbox_drain
from sangathan.messaging.services import message_enqueue
from tests.messaging.conftest import Answer

IST = ZoneInfo("Asia/Kolkata")


def enqueue(key: str, *, channel=Channel.SMS, to="+919826012345", kind=MessageKind.TRANSACTIONAL, **extra):
    return message_enqueue(scope=Scope.system(), channel=channel, to_address=to, body=f"नमस्ते {key}", kind=kind, idempotency_key=key,
                           **extra)


def soon(seconds: float = 1) -> datetime:
    return timezone.now() + timedelta(seconds=seconds)


@pytest.mark.django_db
def test_outbox_row_commits_or_rolls_back_with_its_cause():
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue("rolled-back")
        raise RuntimeError("the change that caused the message failed")
    assert not Message.objects.exists()
    assert outbox_drain(now=soon()).claimed == 0
    with transaction.atomic():
        enqueue("committed")
    assert list(Message.objects.values_list("idempotency_key", flat=True)) == ["committed"]


@pytest.mark.django_db
def test_idempotency_key_returns_the_first_row():
    first = enqueue("same")
    second = message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address="9826012345", body="another body", kind="bulk",
                             idempotency_key="same")
    assert first.pk == second.pk and second.body == "नमस्ते same"
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_bad_address_and_empty_body_are_refused():
    from sangathan.core.errors import DomainError

    with pytest.raises(DomainError) as error:
        enqueue("bad", to="12")
    assert error.value.field == "to_address"
    with pytest.raises(DomainError) as error:
        message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address="9826012345", body=" ", kind="bulk", idempotency_key="e")
    assert error.value.field == "body"
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_console_provider_sends_and_logs(settings):
    message = enqueue("console")
    result = outbox_drain(now=soon())
    assert (result.claimed, result.sent) == (1, 1)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 1
    assert message.provider == "console" and message.provider_message_id == f"console-{message.pk}"
    assert "नमस्ते console" in (settings.VAR_DIR / "messages.log").read_text(encoding="utf-8")
    assert outbox_drain(now=soon()).claimed == 0


@pytest.mark.django_db
def test_not_before_send_at():
    enqueue("later", send_at=timezone.now() + timedelta(hours=1))
    assert outbox_drain(now=soon()).claimed == 0
    assert outbox_drain(now=soon(3601)).sent == 1


@pytest.mark.django_db
def test_gateway_5xx_is_retried_with_backoff(sms_gateway):
    sms_gateway.script(Answer(503, {"error": "busy"}), Answer(500, {"error": "oops"}))
    message = enqueue("retry")
    t0 = soon()
    assert outbox_drain(now=t0).retried == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.attempts == 1
    assert message.next_attempt_at == t0 + timedelta(seconds=backoff_seconds(1))
    assert "503" in message.last_error
    assert outbox_drain(now=t0 + timedelta(seconds=backoff_seconds(1) - 1)).claimed == 0

    t1 = t0 + timedelta(seconds=backoff_seconds(1))
    assert outbox_drain(now=t1).retried == 1
    message.refresh_from_db()
    assert message.next_attempt_at == t1 + timedelta(seconds=backoff_seconds(2)) and message.attempts == 2

    assert outbox_drain(now=message.next_attempt_at).sent == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.provider_message_id == "gw-3"
    assert len(sms_gateway.hits) == 3


def test_backoff_doubles_up_to_the_cap(settings):
    settings.SANGATHAN_MESSAGING_BACKOFF_BASE = 30
    settings.SANGATHAN_MESSAGING_BACKOFF_CAP = 600
    assert [backoff_seconds(n) for n in range(1, 8)] == [30, 60, 120, 240, 480, 600, 600]


@pytest.mark.django_db
def test_gateway_timeout_is_retried(sms_gateway):
    sms_gateway.script(Answer(200, {"message_id": "late"}, delay=1.5))
    message = enqueue("slow")
    assert outbox_drain(now=soon()).retried == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED and message.last_error == "timed out"


@pytest.mark.django_db
def test_429_retry_after_is_honoured(sms_gateway):
    sms_gateway.script(Answer(429, {"error": "slow down"}, headers={"Retry-After": "120"}))
    message = enqueue("throttled")
    t0 = soon()
    outbox_drain(now=t0)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.next_attempt_at == t0 + timedelta(seconds=120)


@pytest.mark.django_db
def test_gateway_4xx_fails_with_the_reason_and_is_not_retried(sms_gateway):
    sms_gateway.script(Answer(400, {"error": "DLT template not registered"}))
    message = enqueue("refused")
    result = outbox_drain(now=soon())
    assert result.failed == 1 and result.retried == 0
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "400" in message.last_error and "DLT template not registered" in message.last_error
    assert outbox_drain(now=soon(10_000)).claimed == 0
    assert len(sms_gateway.hits) == 1


@pytest.mark.django_db
def test_max_attempts_then_failed(sms_gateway, settings):
    settings.SANGATHAN_MESSAGING_MAX_ATTEMPTS = 2
    sms_gateway.default = Answer(502, {"error": "bad gateway"})
    message = enqueue("doomed")
    outbox_drain(now=soon())
    outbox_drain(now=soon(10_000))
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED and message.attempts == 2
    assert message.last_error.startswith("gave up after 2 attempts")


@pytest.mark.django_db
def test_expired_messages_are_never_sent(settings):
    message = enqueue("today's call list", expires_at=timezone.now() + timedelta(minutes=1))
    result = outbox_drain(now=soon(120))
    assert (result.expired, result.sent) == (1, 0)
    message.refresh_from_db()
    assert message.status == MessageStatus.EXPIRED
    assert not (settings.VAR_DIR / "messages.log").exists()


@pytest.mark.django_db
def test_rate_limit_is_honoured(settings):
    settings.SANGATHAN_MESSAGING_RATE_LIMITS = {"console": 5}
    for i in range(12):
        enqueue(f"r{i}", to=f"+9198260000{i:02d}")
    t0 = soon()
    first = outbox_drain(now=t0, batch_size=50)
    assert (first.sent, first.rate_limited) == (5, 7)
    assert outbox_drain(now=t0, batch_size=50).sent == 0  # the bucket is empty until time passes
    assert outbox_drain(now=t0 + timedelta(seconds=1), batch_size=50).sent == 5
    assert outbox_drain(now=t0 + timedelta(seconds=2), batch_size=50).sent == 2
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 12


@pytest.mark.django_db
def test_quiet_hours_hold_non_urgent_sms_and_whatsapp(settings):
    settings.SANGATHAN_MESSAGING_QUIET_HOURS = ("21:00", "08:00")
    tomorrow = timezone.localtime(timezone.now(), IST).date() + timedelta(days=1)
    night = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 22, 30, tzinfo=IST)
    morning = datetime.combine(tomorrow + timedelta(days=1), datetime.min.time().replace(hour=8), tzinfo=IST)
    sms = enqueue("night-sms")
    whatsapp = enqueue("night-wa", channel=Channel.WHATSAPP)
    urgent = enqueue("urgent", urgent=True)
    email = enqueue("mail", channel=Channel.EMAIL, to="a@example.org")

    result = outbox_drain(now=night)
    assert (result.held, result.sent) == (2, 2)
    for message in (sms, whatsapp):
        message.refresh_from_db()
        assert message.status == MessageStatus.QUEUED and message.next_attempt_at == morning
    assert outbox_drain(now=morning - timedelta(minutes=1)).claimed == 0
    assert outbox_drain(now=morning).sent == 2
    assert {urgent.pk, email.pk} < set(Message.objects.filter(status="sent").values_list("pk", flat=True))


@pytest.mark.django_db
def test_election_silence_holds_bulk_in_its_area_only(settings, tree):
    start, end = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=47)
    settings.SANGATHAN_ELECTION_SILENCE = [(start.isoformat(), end.isoformat(), tree["d1"].path)]
    in_d1 = enqueue("bulk-d1", kind=MessageKind.BULK, unit_path=tree["d1a1b1"].path)
    in_d2 = enqueue("bulk-d2", kind=MessageKind.BULK, unit_path=tree["d2a1b1"].path, to="+919826012346")
    transactional = enqueue("status-d1", unit_path=tree["d1a1b1"].path, to="+919826012347")

    result = outbox_drain(now=soon())
    assert (result.held, result.sent) == (1, 2)
    in_d1.refresh_from_db()
    assert in_d1.status == MessageStatus.QUEUED and in_d1.next_attempt_at == end
    assert Message.objects.get(pk=in_d2.pk).status == Message.objects.get(pk=transactional.pk).status == "sent"
    assert outbox_drain(now=end).sent == 1


@pytest.mark.django_db
def test_whole_state_silence(settings):
    start, end = timezone.now() - timedelta(hours=1), timezone.now() + timedelta(hours=1)
    settings.SANGATHAN_ELECTION_SILENCE = [(start, end, "")]
    enqueue("bulk", kind=MessageKind.BULK, unit_path="0001")
    assert outbox_drain(now=soon()).held == 1


@pytest.mark.django_db
def test_a_dead_workers_messages_are_sent_again():
    message = enqueue("stranded")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING,
                                                 updated_at=timezone.now() - timedelta(hours=1))
    assert outbox_drain(now=soon()).sent == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_in_parallel_never_double_send(sms_gateway):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED needs PostgreSQL; SQLite claims are serialized by BEGIN IMMEDIATE")
    for i in range(200):
        enqueue(f"p{i}", to=f"+91982600{i:04d}")
    errors = []

    def worker(name):
        try:
            while outbox_drain(batch_size=15, worker_id=name).claimed:
                pass
        except Exception as error:  # noqa: BLE001 — reported to the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(f"w{n}",)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    sent_to = Counter(hit.json()["to"] for hit in sms_gateway.hits)
    assert len(sent_to) == 200 and set(sent_to.values()) == {1}
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 200


@pytest.mark.django_db
def test_drain_command_and_loop():
    from io import StringIO

    from django.core.management import call_command

    from sangathan.messaging.outbox import outbox_drain_for

    enqueue("cli")
    out = StringIO()
    call_command("outbox", "drain", stdout=out)
    assert out.getvalue().startswith("claimed 1, sent 1")
    enqueue("loop")
    assert outbox_drain_for(seconds=0.3, idle_sleep=0.05).sent == 1
