"""``messages_send_templated_bulk`` writes what ``message_send_templated`` would, person by person (language,
channel, opt-outs, idempotency), in a number of queries that does not grow with the list."""

import pytest

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError
from sangathan.messaging.models import Channel, Message, MessageKind, OptOutSource
from sangathan.messaging.services import (
    BulkItem,
    contact_preference_set,
    message_send_templated,
    messages_send_templated_bulk,
    opt_out,
    template_create,
)

pytestmark = pytest.mark.django_db
FIELDS = ("channel", "kind", "person_id", "to_address", "template_id", "language", "subject", "body", "urgent",
          "unit_path", "context", "status", "expires_at")


@pytest.fixture
def template(db):
    return template_create(scope=Scope.system(), code="list", name="List", body_hi="{name} जी, आज की सूची: {calls}",
                           body_en="{name}, today's list: {calls}", channels=[Channel.SMS, Channel.WHATSAPP])


def _people(tree, count):
    return [person for key, person in sorted(tree.people.items()) if person.mobile][:count]


def _items(people, prefix):
    return [BulkItem(person=p, context={"name": p.name, "calls": f"1. बूथ {p.pk}"}, idempotency_key=f"{prefix}:{p.pk}")
            for p in people]


def _rows(prefix):
    return {m.idempotency_key.split(":")[1]: tuple(getattr(m, f) for f in FIELDS)
            for m in Message.objects.filter(idempotency_key__startswith=prefix + ":")}


def test_bulk_writes_the_rows_one_by_one_would(tree, template):
    people = _people(tree, 6)
    contact_preference_set(scope=Scope.system(), person=people[0], language="en")
    contact_preference_set(scope=Scope.system(), person=people[1], channel=Channel.WHATSAPP)
    opt_out(scope=Scope.system(), person=people[2], channel=Channel.SMS, source=OptOutSource.WEB)
    opt_out(scope=Scope.system(), person=people[3], channel=Channel.SMS, source=OptOutSource.WEB)
    opt_out(scope=Scope.system(), person=people[3], channel=Channel.WHATSAPP, source=OptOutSource.WEB)
    for item in _items(people, "one"):
        message_send_templated(scope=Scope.system(), person=item.person, template_code="list", context=item.context,
                               idempotency_key=item.idempotency_key, kind=MessageKind.TRANSACTIONAL)
    result = messages_send_templated_bulk(scope=Scope.system(), template_code="list", items=_items(people, "bulk"),
                                          kind=MessageKind.TRANSACTIONAL)
    assert (result.queued, result.existing, result.skipped) == (5, 0, [people[3].pk])
    assert _rows("bulk") == _rows("one") and len(_rows("one")) == 5
    assert _rows("bulk")[str(people[2].pk)][0] == Channel.WHATSAPP      # moved off the opted-out channel
    assert "today's list" in _rows("bulk")[str(people[0].pk)][7]


def test_bulk_messages_never_move_off_an_opted_out_channel(tree, template):
    people = _people(tree, 2)
    opt_out(scope=Scope.system(), person=people[0], channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    result = messages_send_templated_bulk(scope=Scope.system(), template_code="list", items=_items(people, "b"),
                                          kind=MessageKind.BULK)
    assert result.skipped == [people[0].pk] and result.queued == 1


def test_a_repeat_writes_nothing_and_counts_the_earlier_rows(tree, template):
    people = _people(tree, 4)
    messages_send_templated_bulk(scope=Scope.system(), template_code="list", items=_items(people[:2], "k"))
    result = messages_send_templated_bulk(scope=Scope.system(), template_code="list", items=_items(people, "k"))
    assert (result.queued, result.existing, result.messages) == (2, 2, 4)
    assert Message.objects.filter(idempotency_key__startswith="k:").count() == 4


def test_a_missing_variable_refuses_the_whole_list(tree, template):
    items = _items(_people(tree, 3), "m")
    items[1] = BulkItem(person=items[1].person, context={"name": "x"}, idempotency_key=items[1].idempotency_key)
    with pytest.raises(DomainError) as error:
        messages_send_templated_bulk(scope=Scope.system(), template_code="list", items=items)
    assert error.value.field == "context" and not Message.objects.exists()


@pytest.mark.parametrize("count", [3, 12])
def test_queries_do_not_grow_with_the_list(tree, template, count, django_assert_max_num_queries):
    items = _items(_people(tree, count), f"q{count}")
    assert len(items) == count
    # template, existing keys, preferences, opt-outs, the INSERT, the count (+ savepoint statements)
    with django_assert_max_num_queries(9):
        result = messages_send_templated_bulk(scope=Scope.system(), template_code="list", items=items)
    assert result.queued == count
