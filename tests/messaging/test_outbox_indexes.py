"""The outbox keeps only the indexes its queries use (migration messaging.0007), and each query still finds
its index on PostgreSQL (sequential scans off, as in tests/outreach/test_indexes.py). Every index costs
each of the millions of inserts, so a new one should come with the query here that needs it."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Q

from sangathan.access.scope import Scope
from sangathan.core.clock import now
from sangathan.core.tree import subtree_q
from sangathan.messaging.broadcasts.selectors import messages_visible
from sangathan.messaging.models import Message, MessageStatus
from sangathan.messaging.outbox import _due
from tests.plans import index_names

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

KEPT = {
    "messaging_message_pkey",
    "messaging_message_idempotency_key_key",
    "messaging_message_person_id",          # + Django's hash
    "messaging_msg_status_send",
    "messaging_msg_claim",
    "messaging_msg_broadcast",
    "messaging_msg_lease",
    "messaging_msg_provider_id",
    "messaging_msg_path_like",
}


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL plans")


def _short(name: str) -> str:
    return "messaging_message_person_id" if name.startswith("messaging_message_person_id_") else name


def test_the_outbox_has_exactly_the_indexes_its_queries_use():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'messaging_message'")
        rows = dict(cursor.fetchall())
    assert {_short(name) for name in rows} == KEPT
    # Gone: broadcast_id's and template_id's own indexes, the pattern-ops copy of the key.
    assert not any("varchar_pattern_ops" in d and "idempotency_key" in d for d in rows.values())
    # Rows without a broadcast (transactional) or not yet sent (no provider id) are left out of these two.
    assert "WHERE (broadcast_id IS NOT NULL)" in rows["messaging_msg_broadcast"]
    assert "provider_message_id" in rows["messaging_msg_provider_id"].split("WHERE")[1]


def test_each_query_of_the_outbox_uses_its_index():
    at = now()
    assert "messaging_msg_claim" in index_names(_due(at).order_by("-urgent", "send_at", "id")[:200])
    stale = Q(leased_until__lt=at) | Q(leased_until__isnull=True, updated_at__lt=at - timedelta(minutes=10))
    assert index_names(Message.objects.filter(stale, status=MessageStatus.SENDING)) == {"messaging_msg_lease"}
    assert "messaging_message_idempotency_key_key" in index_names(
        Message.objects.filter(idempotency_key__in=["a:1", "a:2"]))
    # A person's messages (their erasure and export, Django's SET_NULL when a record goes).
    assert {_short(n) for n in index_names(Message.objects.filter(person_id=1))} == {"messaging_message_person_id"}
    counts = Message.objects.filter(broadcast_id__in=[1, 2]).order_by().values_list("broadcast_id", "status") \
        .annotate(n=Count("*"))
    assert "messaging_msg_broadcast" in index_names(counts)
    # A broadcast's messages (its page, the cascade when one is deleted).
    assert "messaging_msg_broadcast" in index_names(Message.objects.filter(broadcast_id=1))
    assert "messaging_msg_provider_id" in index_names(
        Message.objects.filter(provider="sms_http", provider_message_id="abc-123"))
    assert "messaging_msg_path_like" in index_names(Message.objects.filter(subtree_q("unit_path", "0001")))
    assert "messaging_msg_status_send" in index_names(messages_visible(Scope.system(),
                                                                       status=MessageStatus.FAILED)[:50])
