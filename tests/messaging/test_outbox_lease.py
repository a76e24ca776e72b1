"""Leases on claimed outbox rows: held at most a minute, renewed before each send, taken back by the next
drain once expired, and a drain that lost its lease never sends the message; providers get the key."""

from datetime import datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from sangathan.access.scope import Scope
from sangathan.messaging.models import Channel, Message, MessageStatus
from sangathan.messaging.outbox import DrainResult, _claim, lease_seconds, outbox_drain, send_claimed
from sangathan.messaging.providers import ProviderResult
from sangathan.messaging.services import message_enqueue

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def enqueue(key: str, **extra):
    return message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address="+919826012345", body=f"संदेश {key}",
                           kind="transactional", idempotency_key=key, urgent=True,
                           send_at=NOON - timedelta(minutes=1), **extra)


def test_lease_is_at_most_a_minute(settings):
    settings.SANGATHAN_MESSAGING_LEASE_SECONDS = 600
    assert lease_seconds() == 60
    settings.SANGATHAN_MESSAGING_LEASE_SECONDS = 20
    assert lease_seconds() == 20


def test_a_claim_carries_a_lease_renewed_before_the_send(clock):
    clock.set(NOON)
    enqueue("one")
    seen = []

    def send(message):
        row = Message.objects.get(pk=message.pk)
        seen.append((row.status, row.claimed_by, row.leased_until))
        return ProviderResult("p-1")

    with mock.patch("sangathan.messaging.outbox.provider_for") as provider_for:
        provider_for.return_value.name = "console"
        provider_for.return_value.send.side_effect = send
        assert outbox_drain(worker_id="w1").sent == 1
    status, claimed_by, leased_until = seen[0]
    assert status == MessageStatus.SENDING and claimed_by.startswith("w1:")
    assert NOON < leased_until <= NOON + timedelta(seconds=61)
    row = Message.objects.get()
    assert (row.status, row.claimed_by, row.leased_until) == (MessageStatus.SENT, "", None)


def test_a_dead_drains_rows_come_back_when_the_lease_ends(clock):
    clock.set(NOON)
    message = enqueue("stranded")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.SENDING, claimed_by="dead:1",
                                                 leased_until=NOON + timedelta(seconds=60))
    clock.advance(seconds=30)
    assert outbox_drain().claimed == 0                     # still leased: left alone
    clock.advance(seconds=31)
    result = outbox_drain()
    assert (result.claimed, result.sent) == (1, 1)
    assert Message.objects.get().status == MessageStatus.SENT


def test_a_drain_that_lost_its_lease_never_sends(sms_gateway, clock):
    clock.set(NOON)
    enqueue("slow")
    result = DrainResult()
    [claimed] = _claim(batch_size=10, now=NOON, token="a:1", result=result)
    # Drain A stalls past its lease; drain B takes the row back and sends it.
    clock.advance(seconds=61)
    assert outbox_drain(worker_id="b").sent == 1
    # A wakes up and carries on with its batch: the row is no longer its own.
    send_claimed(claimed, token="a:1", now=NOON + timedelta(seconds=61 if claimed.idempotency_key == "slow" else 90), result=result)
    assert (result.sent, result.lost) == (0, 1)
    assert len(sms_gateway.hits) == 1
    assert Message.objects.get().status == MessageStatus.SENT


def test_an_expired_lease_still_ours_is_renewed_and_sent_once(sms_gateway, clock):
    clock.set(NOON)
    enqueue("late")
    result = DrainResult()
    [claimed] = _claim(batch_size=10, now=NOON, token="a:2", result=result)
    clock.advance(seconds=90)                             # expired, but nobody took it back
    send_claimed(claimed, token="a:2", now=NOON + timedelta(seconds=61 if claimed.idempotency_key == "slow" else 90), result=result)
    assert (result.sent, result.lost) == (1, 0)
    assert outbox_drain().claimed == 0 and len(sms_gateway.hits) == 1


def test_providers_get_the_idempotency_key(sms_gateway, settings):
    settings.SANGATHAN_SMS_HTTP = {**settings.SANGATHAN_SMS_HTTP,
                                   "fields": {**settings.SANGATHAN_SMS_HTTP["fields"], "reference": "client_ref"}}
    enqueue("grievance:7:resolved")
    assert outbox_drain().sent == 1
    hit = sms_gateway.hits[0]
    assert hit.headers["Idempotency-Key"] == "grievance:7:resolved"
    assert hit.json()["client_ref"] == "grievance:7:resolved"
