"""Broadcasts: audience, scope, dedup, opt-outs, idempotent fan-out, pause and cancel, preview, templates."""

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.messaging.broadcasts.actions import (
    broadcast_cancel,
    broadcast_create,
    broadcast_pause,
    broadcast_resume,
    broadcast_send,
    broadcasts_start_due,
)
from sangathan.messaging.broadcasts.fanout import broadcast_fanout
from sangathan.messaging.broadcasts.policies import may_broadcast
from sangathan.messaging.broadcasts.selectors import broadcast_preview, broadcast_progress
from sangathan.messaging.models import Broadcast, BroadcastStatus, Message, MessageKind, MessageStatus
from sangathan.messaging.outbox import outbox_drain
from sangathan.messaging.services import opt_out, template_create
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.people.models import Person

pytestmark = pytest.mark.django_db

BOOTH_PRESIDENTS = {"posts": ["president"], "levels": ["booth"]}


@pytest.fixture
def template(db):
    return template_create(scope=Scope.system(), code="meeting", name="Meeting", body_hi="{name} जी, बैठक {place} में। {link}",
                           body_en="{name}, meeting at {place}. {link}", channels=["sms", "whatsapp"],
                           kind=MessageKind.BULK)


@pytest.fixture
def booth_presidents(tree):
    """A president at every booth of district 1 (one already exists at d1a1b1)."""
    president = Post.objects.get(code="president")
    people = {"d1a1b1": tree.people["booth_president"]}
    for key in ("d1a1b2", "d1a2b1", "d1a2b2", "d2a1b1"):
        person = tree.people[f"{key}p0"]
        position_assign(scope=Scope.system(), person=person, post=president, unit=tree[key])
        people[key] = person
    return people


def _create(tree, template, who="district_president", unit="d1", **kwargs):
    user = tree.users[who]
    kwargs.setdefault("filters", BOOTH_PRESIDENTS)
    kwargs.setdefault("channels", ["sms"])
    kwargs.setdefault("context", {"place": "भोपाल", "link": "https://live.example/pm"})
    return broadcast_create(scope=scope_for_user(user), unit_id=tree[unit].pk, template=template, **kwargs)


def after_commit(function, **kwargs):
    """Call a service and run what it left for after the commit (the test's transaction never commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return function(**kwargs)


def _send(tree, broadcast, who="district_president"):
    user = tree.users[who]
    return after_commit(broadcast_send, scope=scope_for_user(user), broadcast_id=broadcast.pk)


def test_audience_is_the_subtree_times_the_post_filter(tree, template, booth_presidents):
    broadcast = _send(tree, _create(tree, template))
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    messages = Message.objects.filter(broadcast=broadcast)
    expected = {p.pk for key, p in booth_presidents.items() if key.startswith("d1")}
    assert set(messages.values_list("person_id", flat=True)) == expected
    message = messages.get(person=booth_presidents["d1a1b1"])
    assert message.body == f"{booth_presidents['d1a1b1'].name} जी, बैठक भोपाल में। https://live.example/pm"
    assert message.status == MessageStatus.QUEUED and message.kind == MessageKind.BULK
    assert message.idempotency_key == f"broadcast:{broadcast.pk}:{message.person_id}:sms"
    assert message.unit_path == booth_presidents["d1a1b1"].unit_path
    assert message.to_address == booth_presidents["d1a1b1"].mobile
    log = AuditLog.objects.get(action=AuditLog.Action.BROADCAST_SEND)
    assert log.target_id == broadcast.pk and log.actor == tree.users["district_president"]
    assert log.detail["audience"]["channels"]["sms"]["recipients"] == 4


def test_whole_subtree_without_filters(tree, template):
    broadcast = _send(tree, _create(tree, template, unit="d1a1", filters={}))
    people = {p.pk for key, p in tree.people.items() if key.startswith("d1a1b")} | {
        tree.people["mandal_president"].pk, tree.people["booth_president"].pk}
    assert set(Message.objects.filter(broadcast=broadcast).values_list("person_id", flat=True)) == people


def test_english_speakers_get_the_english_text(tree, template, booth_presidents):
    from sangathan.messaging.models import ContactPreference

    person = booth_presidents["d1a2b1"]
    ContactPreference.objects.create(person=person, language="en")
    broadcast = _send(tree, _create(tree, template))
    message = Message.objects.get(broadcast=broadcast, person=person)
    assert message.language == "en"
    assert message.body == f"{person.name}, meeting at भोपाल. https://live.example/pm"


def test_a_person_with_two_matching_posts_gets_one_message_per_channel(tree, template, booth_presidents):
    person = booth_presidents["d1a1b2"]
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="president"), unit=tree["d1a2b1"])
    broadcast = _send(tree, _create(tree, template, channels=["sms", "whatsapp"]))
    assert Message.objects.filter(broadcast=broadcast, person=person).count() == 2
    assert Message.objects.filter(broadcast=broadcast).count() == 8


def test_scope_district_president_cannot_reach_another_district(tree, template):
    with pytest.raises(NotFound):
        _create(tree, template, unit="d2")


def test_scope_booth_and_mandal_presidents_cannot_broadcast(tree, template):
    for who, unit in (("booth_president", "d1a1b1"), ("mandal_president", "d1a1m")):
        assert not may_broadcast(scope_for_user(tree.users[who]))
        with pytest.raises(PermissionDenied):
            _create(tree, template, who=who, unit=unit)
    assert may_broadcast(scope_for_user(tree.users["district_president"]))
    assert may_broadcast(scope_for_user(tree.users["state_admin"]))


def test_send_needs_the_senders_write_scope(tree, template):
    broadcast = _create(tree, template, who="state_admin", unit="d1")
    with pytest.raises(PermissionDenied):
        _send(tree, broadcast, who="district_president")
    with pytest.raises(NotFound):
        _send(tree, broadcast, who="booth_president")


def test_opted_out_people_are_excluded_and_counted(tree, template, booth_presidents):
    opt_out(scope=Scope.system(), person=booth_presidents["d1a2b2"], channel="sms", source="web")
    draft = _create(tree, template, channels=["sms", "whatsapp"])
    preview = broadcast_preview(draft)
    assert preview["people"] == 4
    assert preview["channels"]["sms"] == {"opted_out": 1, "recipients": 3}
    assert preview["channels"]["whatsapp"] == {"opted_out": 0, "recipients": 4}
    broadcast = _send(tree, draft)
    assert not Message.objects.filter(broadcast=broadcast, person=booth_presidents["d1a2b2"], channel="sms").exists()
    assert Message.objects.filter(broadcast=broadcast, person=booth_presidents["d1a2b2"], channel="whatsapp").exists()
    assert broadcast_progress(Broadcast.objects.get(pk=broadcast.pk))["counts"]["opted_out"] == 1


def test_preview_counts_people_without_a_mobile(tree, template, booth_presidents):
    Person.objects.filter(pk=booth_presidents["d1a2b1"].pk).update(mobile="")
    preview = broadcast_preview(_create(tree, template))
    assert preview == {"people": 4, "no_mobile": 1, "channels": {"sms": {"opted_out": 0, "recipients": 3}}}


def test_fanout_rerun_writes_nothing_twice(tree, template, booth_presidents):
    broadcast = _send(tree, _create(tree, template))
    assert Message.objects.filter(broadcast=broadcast).count() == 4
    # As after a crash: the cursor went back and the task runs again.
    Broadcast.objects.filter(pk=broadcast.pk).update(status=BroadcastStatus.SENDING, cursor=0)
    assert broadcast_fanout(broadcast_id=broadcast.pk, batch_size=1) == 0
    assert Message.objects.filter(broadcast=broadcast).count() == 4
    assert Broadcast.objects.get(pk=broadcast.pk).status == BroadcastStatus.DONE


def test_pause_and_cancel_take_effect_between_batches(tree, template, booth_presidents, monkeypatch):
    from sangathan.messaging.broadcasts import fanout

    draft = _create(tree, template, filters={})
    user = tree.users["district_president"]
    scope = scope_for_user(user)
    batches = []
    real_insert = fanout._insert_batch

    def insert_then_pause(broadcast, channel, lower, upper):
        written = real_insert(broadcast, channel, lower, upper)
        batches.append(written)
        if len(batches) == 1:
            # Another request pauses while the first batch is in flight: the row lock makes it wait, so
            # here the status is changed directly, as it will be seen by the next batch.
            Broadcast.objects.filter(pk=broadcast.pk).update(status=BroadcastStatus.PAUSED)
        return written

    monkeypatch.setattr(fanout, "_insert_batch", insert_then_pause)
    monkeypatch.setattr(fanout, "BATCH_SIZE", 5)
    broadcast = after_commit(broadcast_send, scope=scope, broadcast_id=draft.pk)
    broadcast.refresh_from_db()
    assert len(batches) == 1 and broadcast.status == BroadcastStatus.PAUSED
    first = Message.objects.filter(broadcast=broadcast).count()
    assert 0 < first

    paused = broadcast_pause  # pausing a paused broadcast is refused
    with pytest.raises(DomainError):
        paused(scope=scope, broadcast_id=broadcast.pk)
    monkeypatch.setattr(fanout, "_insert_batch", real_insert)
    after_commit(broadcast_resume, scope=scope, broadcast_id=broadcast.pk)
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE
    total = Message.objects.filter(broadcast=broadcast).count()
    assert total > first
    assert total == Person.objects.filter(unit_path__startswith=tree["d1"].path).count()

    broadcast_pause(scope=scope, broadcast_id=broadcast.pk)
    # Paused: the messages stay queued, and the worker leaves them alone.
    assert set(Message.objects.filter(broadcast=broadcast).values_list("status", flat=True)) == {
        MessageStatus.QUEUED}
    assert outbox_drain(batch_size=500).sent == 0
    broadcast_cancel(scope=scope, broadcast_id=broadcast.pk)
    assert set(Message.objects.filter(broadcast=broadcast).values_list("status", flat=True)) == {
        MessageStatus.CANCELLED}
    progress = broadcast_progress(Broadcast.objects.get(pk=broadcast.pk))
    assert progress["status"] == "cancelled" and progress["percent"] == 100


def test_missing_variable_is_refused_before_anything_is_queued(tree, template, booth_presidents):
    with pytest.raises(DomainError) as error:
        _create(tree, template, context={"place": "भोपाल"})
    assert error.value.field == "context" and "link" in error.value.message
    assert not Broadcast.objects.exists() and not Message.objects.exists()


def test_scheduled_broadcast_starts_when_due(tree, template, booth_presidents):
    from datetime import timedelta

    from django.utils import timezone

    send_at = timezone.now() + timedelta(hours=2)
    broadcast = _send(tree, _create(tree, template, send_at=send_at))
    assert broadcast.status == BroadcastStatus.SCHEDULED
    assert not Message.objects.exists()
    assert broadcasts_start_due(scope=Scope.system()) == []
    assert after_commit(broadcasts_start_due, scope=Scope.system(), now=send_at) == [broadcast.pk]
    assert Message.objects.filter(broadcast=broadcast, send_at=send_at).count() == 4


def test_fanout_is_one_insert_per_batch_and_channel(tree, template, booth_presidents):
    broadcast = _create(tree, template, channels=["sms", "whatsapp"])
    Broadcast.objects.filter(pk=broadcast.pk).update(status=BroadcastStatus.SENDING, cursor_end=10**9)
    with CaptureQueriesContext(connection) as queries:
        broadcast_fanout(broadcast_id=broadcast.pk, batch_size=10**9)
    inserts = [q["sql"] for q in queries.captured_queries if "INSERT" in q["sql"]]
    assert len(inserts) == 2
    assert Message.objects.filter(broadcast=broadcast).count() == 8


@pytest.mark.django_db(transaction=True)
def test_parallel_batches_on_postgresql(is_postgres):
    """Outside a transaction, PostgreSQL writes two batches side by side, each in its own connection."""
    if not is_postgres:
        pytest.skip("batches run side by side on PostgreSQL only")
    from tests.factories import build_tree

    tree = build_tree()
    template = template_create(scope=Scope.system(), code="meeting", name="Meeting", body_hi="{name} जी, बैठक {place} में। {link}",
                               channels=["sms"], kind=MessageKind.BULK)
    broadcast = _create(tree, template, unit="state", who="state_admin", filters={})
    Broadcast.objects.filter(pk=broadcast.pk).update(status=BroadcastStatus.SENDING)
    first = Person.objects.order_by("id").values_list("id", flat=True).first()
    last = Person.objects.order_by("-id").values_list("id", flat=True).first()
    Broadcast.objects.filter(pk=broadcast.pk).update(cursor=first - 1, cursor_end=last)
    written = broadcast_fanout(broadcast_id=broadcast.pk, batch_size=3)
    assert written == Person.objects.count() == Message.objects.filter(broadcast=broadcast).count()
    broadcast.refresh_from_db()
    assert broadcast.status == BroadcastStatus.DONE and broadcast.cursor == last


def test_a_big_cancel_marks_its_messages_in_batches(tree, template, booth_presidents, monkeypatch):
    """The request marks one batch; the task (immediate in tests) the rest; the worker sends none of them."""
    from sangathan.messaging.broadcasts import fanout

    monkeypatch.setattr(fanout, "CANCEL_BATCH", 1)
    broadcast = _send(tree, _create(tree, template))
    assert Message.objects.filter(broadcast=broadcast, status=MessageStatus.QUEUED).count() == 4
    user = tree.users["district_president"]
    after_commit(broadcast_cancel, scope=scope_for_user(user), broadcast_id=broadcast.pk)
    assert set(Message.objects.filter(broadcast=broadcast).values_list("status", flat=True)) == {
        MessageStatus.CANCELLED}
    assert outbox_drain(batch_size=50).sent == 0


def test_the_fan_out_walks_the_ids_of_the_units_people_not_the_whole_table(tree, template):
    """A district's fan-out covers its own people's ids (batches of others' ids would hold no recipient);
    a state-wide one, every id."""
    from sangathan.messaging.broadcasts.selectors import audience_id_range

    district = Person.objects.filter(unit_path__startswith=tree["d1"].path)
    first, last = min(district.values_list("id", flat=True)), max(district.values_list("id", flat=True))
    everyone = list(Person.objects.values_list("id", flat=True))
    assert audience_id_range(tree["d1"].path) == (first - 1, last)
    assert audience_id_range(tree["state"].path) == (min(everyone) - 1, max(everyone))
    assert audience_id_range(tree["d1"].path + "ZZZZ") == (0, 0)  # a unit without people: nothing to walk
    broadcast = _send(tree, _create(tree, template, filters={}))
    broadcast.refresh_from_db()
    assert (broadcast.cursor, broadcast.status) == (last, BroadcastStatus.DONE)
    assert Message.objects.filter(broadcast=broadcast).count() == district.exclude(mobile="").count()
