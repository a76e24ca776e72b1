"""A live address to a scope: per-worker funnel received → opened → joined, rolled up the tree."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.events.codes import event_code
from sangathan.events.models import Invitation
from sangathan.events.reports import funnel
from sangathan.events.services import check_in_by_code, event_create, invitation_open
from sangathan.messaging.models import Message
from sangathan.messaging.reports import delivery_report_record
from sangathan.people.models import Person
from tests.events.conftest import scope_of
from tests.factories.events import at

pytestmark = pytest.mark.django_db


def test_funnel_counts_rolled_up(etree, invite):
    scope = scope_of(etree, "state_president")
    event = event_create(scope=scope, kind="live", title="प्रधानमंत्री का संबोधन", unit=etree["state"],
                         starts_at=at(1, 19), link="https://example.org/live", phone_in="1800-000",
                         invite_rule={"everyone": True})
    invited = invite(scope, event)
    assert invited == Person.objects.filter(status="active").count()
    d1_people = Invitation.objects.filter(event=event, unit_path__startswith=etree["d1"].path)
    first, second = d1_people.order_by("pk")[:2]
    for invitation in (first, second):  # the drain sent them; the provider's receipts arrive (one twice)
        Message.objects.filter(pk=invitation.message_id).update(status="sent", provider="console",
                                                                provider_message_id=f"p-{invitation.pk}")
    for n, invitation in enumerate((first, second, first)):
        delivery_report_record(provider="console", provider_message_id=f"p-{invitation.pk}", status="delivered",
                               at=timezone.now() + timezone.timedelta(minutes=n))
    first.refresh_from_db()
    assert first.received_at == Message.objects.get(pk=first.message_id).delivered_at  # the first receipt
    invitation_open(scope=Scope.system(channel="web"), invitation=first)
    invitation_open(scope=Scope.system(channel="web"), invitation=first)  # a second opening changes nothing
    check_in_by_code(scope=Scope.build([], person_id=first.person_id), event=event, code=event_code(event),
                     nonce="live-1")
    with CaptureQueriesContext(connection) as queries:
        total, rows = funnel(scope=scope, event=event, unit=etree["state"])
    assert sum(q["sql"].startswith("SELECT") for q in queries) <= 2
    assert (total.invited, total.received, total.opened, total.joined) == (invited, 2, 1, 1)
    div = next(r for r in rows if r.unit == etree["div"])
    assert (div.received, div.opened, div.joined) == (2, 1, 1)
    assert sum(r.invited for r in rows) == invited - Invitation.objects.filter(
        event=event, unit_path=etree["state"].path).count()
    # The district president sees only their district's part.
    total, _rows = funnel(scope=scope_of(etree, "district_president"), event=event, unit=etree["d1"])
    assert total.invited == d1_people.count()


def test_funnel_reads_the_invitations_alone(etree, invite):
    """"Received" is kept on the invitation, so the funnel's one query never joins the outbox (a million
    invitations × a million messages was its cost: docs/PERFORMANCE.md)."""
    from sangathan.events.policies import events_scope
    from sangathan.events.reports import funnel_rows

    scope = scope_of(etree, "state_president")
    event = event_create(scope=scope, kind="live", title="संबोधन", unit=etree["state"], starts_at=at(1, 19),
                         link="https://example.org/live", invite_rule={"everyone": True})
    invite(scope, event)
    rows = funnel_rows(events_scope(scope), event=event, unit=etree["state"], length=8)
    if connection.vendor == "postgresql":
        from tests.plans import relation_names

        assert relation_names(rows) == {"events_invitation"}
    else:
        plan = rows.explain()
        assert "events_invitation" in plan and "messaging_message" not in plan
    assert "messaging_message" not in str(rows.query)


def test_the_migration_backfills_received_from_the_outbox(etree, invite):
    """Invitations delivered before ``received_at`` existed get it from their message (migration 0004)."""
    import importlib

    backfill = importlib.import_module("sangathan.events.migrations.0004_invitation_round_received").BACKFILL
    scope = scope_of(etree, "state_president")
    event = event_create(scope=scope, kind="live", title="संबोधन", unit=etree["state"], starts_at=at(1, 19),
                         link="https://example.org/live", invite_rule={"everyone": True})
    invite(scope, event)
    delivered, other = Invitation.objects.filter(event=event).order_by("pk")[:2]
    when = timezone.now()
    Message.objects.filter(pk=delivered.message_id).update(status="delivered", delivered_at=when)
    with connection.cursor() as cursor:
        cursor.execute(backfill)
    assert Invitation.objects.get(pk=delivered.pk).received_at == when
    assert Invitation.objects.filter(event=event, received_at__isnull=False).count() == 1
