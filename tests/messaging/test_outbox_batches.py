"""The drain records a run of sends together: its queries do not grow with the batch, and a row taken back
by another drain in the middle of a run is still skipped, the others of the run sent."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangathan.access.scope import Scope
from sangathan.messaging.models import Channel, Message, MessageStatus
from sangathan.messaging.outbox import RECORD_BATCH, DrainResult, _claim, outbox_drain, send_claimed_many
from sangathan.messaging.services import message_enqueue

pytestmark = pytest.mark.django_db
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Asia/Kolkata"))


def enqueue(count: int, prefix: str) -> None:
    for n in range(count):
        message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address=f"+9198260{n:05d}", body=f"संदेश {n}",
                        kind="transactional", idempotency_key=f"{prefix}:{n}", urgent=True,
                        send_at=NOON - timedelta(minutes=1))


def _drain_queries(count: int, prefix: str, clock) -> int:
    enqueue(count, prefix)
    with CaptureQueriesContext(connection) as queries:
        result = outbox_drain(batch_size=count)
    assert result.sent == count
    return len(queries)


def test_queries_do_not_grow_with_the_batch(clock, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    clock.set(NOON)
    few = _drain_queries(3, "few", clock)
    many = _drain_queries(RECORD_BATCH, "many", clock)
    assert few == many
    assert Message.objects.filter(status=MessageStatus.SENT, provider_message_id__startswith="console-").count() \
        == 3 + RECORD_BATCH
    two_runs = _drain_queries(RECORD_BATCH + 1, "runs", clock)
    assert two_runs == many + 1          # one more record, not one per message (the claim's lease is fresh)


def test_a_row_taken_back_mid_run_is_skipped_the_rest_sent(clock, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    clock.set(NOON)
    enqueue(3, "mid")
    result = DrainResult()
    claimed = _claim(batch_size=10, now=NOON, token="a:1", result=result)
    # We stalled past our lease; another drain took the second row back meanwhile and sent it.
    Message.objects.filter(pk=claimed[1].pk).update(status=MessageStatus.SENT, claimed_by="")
    send_claimed_many(claimed, token="a:1", now=NOON + timedelta(seconds=61), result=result)
    assert (result.sent, result.lost) == (2, 1)
    assert set(Message.objects.values_list("status", flat=True)) == {MessageStatus.SENT}


def test_a_fresh_claim_is_not_renewed_a_late_one_is(clock, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    clock.set(NOON)
    enqueue(2, "fresh")
    result = DrainResult()
    claimed = _claim(batch_size=10, now=NOON, token="a:2", result=result)
    with CaptureQueriesContext(connection) as fresh:
        send_claimed_many(claimed[:1], token="a:2", now=NOON + timedelta(seconds=29), result=result)
    assert not any("leased_until" in q["sql"] and "SET" in q["sql"] and "sent" not in q["sql"] for q in fresh)
    with CaptureQueriesContext(connection) as late:
        send_claimed_many(claimed[1:], token="a:2", now=NOON + timedelta(seconds=31), result=result)
    assert len(late) == len(fresh) + 1   # the renewal: less than half the lease was left
    assert (result.sent, result.lost) == (2, 0)
