import pytest
from django.db import IntegrityError

from sangathan.access.scope import Scope
from sangathan.messaging.models import Channel, Message, MessageKind, MessageStatus, OptOut, OptOutSource
from sangathan.messaging.services import (
    contact_preference_set,
    message_enqueue,
    message_send_templated,
    opt_in,
    opt_out,
    opted_out_person_ids,
    template_create,
)
from sangathan.people.models import Person


@pytest.fixture
def templates(db):
    bulk = template_create(scope=Scope.system(), code="rally", name="Rally", body_hi="{place} में रैली", kind=MessageKind.BULK,
                           channels=[Channel.SMS, Channel.WHATSAPP])
    status = template_create(scope=Scope.system(), code="status", name="Status", body_hi="आपकी समस्या: {status}",
                             channels=[Channel.SMS, Channel.WHATSAPP])
    return bulk, status


def test_opt_out_is_idempotent_and_reversible(tree):
    person = tree.people["d1a1b1p0"]
    first = opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    assert opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.WEB).pk == first.pk
    assert opt_in(scope=Scope.system(), person=person, channel=Channel.SMS) is True
    assert opt_in(scope=Scope.system(), person=person, channel=Channel.SMS) is False
    again = opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.WEB)
    assert again.pk != first.pk and OptOut.objects.filter(person=person).count() == 2


def test_only_one_active_opt_out_per_channel(tree):
    person = tree.people["d1a1b1p0"]
    opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.WEB)
    with pytest.raises(IntegrityError):
        OptOut.objects.create(person=person, channel=Channel.SMS, source=OptOutSource.ADMIN)


def test_opted_out_ids_work_as_a_subquery(tree):
    out = tree.people["d1a1b1p0"]
    opt_out(scope=Scope.system(), person=out, channel=Channel.SMS, source=OptOutSource.WEB)
    opt_out(scope=Scope.system(), person=tree.people["d1a1b1p1"], channel=Channel.WHATSAPP, source=OptOutSource.WEB)
    reachable = Person.objects.exclude(id__in=opted_out_person_ids(Channel.SMS))
    assert out not in reachable and tree.people["d1a1b1p1"] in reachable
    assert reachable.count() == Person.objects.count() - 1


def test_bulk_is_skipped_for_opted_out_people(tree, templates):
    person = tree.people["d1a1b1p0"]
    opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    assert message_send_templated(scope=Scope.system(), person=person, template_code="rally", context={"place": "भोपाल"},
                                  idempotency_key="rally-1") is None
    assert not Message.objects.exists()


def test_transactional_moves_to_another_channel_then_stops(tree, templates):
    person = tree.people["d1a1b1p0"]
    opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    message = message_send_templated(scope=Scope.system(), person=person, template_code="status", context={"status": "हल"},
                                     idempotency_key="status-1")
    assert message.channel == Channel.WHATSAPP
    opt_out(scope=Scope.system(), person=person, channel=Channel.WHATSAPP, source=OptOutSource.WEB)
    assert message_send_templated(scope=Scope.system(), person=person, template_code="status", context={"status": "हल"},
                                  idempotency_key="status-2") is None


def test_email_needs_an_address(tree, templates):
    from sangathan.core.errors import DomainError

    person = tree.people["d1a1b1p0"]
    with pytest.raises(DomainError) as error:
        contact_preference_set(scope=Scope.system(), person=person, channel=Channel.EMAIL)
    assert error.value.field == "email"


def test_opt_out_cancels_waiting_bulk_messages(tree):
    person = tree.people["d1a1b1p0"]
    bulk = message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address=person.mobile, body="रैली", kind=MessageKind.BULK,
                           idempotency_key="b-1", person=person)
    transactional = message_enqueue(scope=Scope.system(), channel=Channel.SMS, to_address=person.mobile, body="स्थिति",
                                    kind=MessageKind.TRANSACTIONAL, idempotency_key="t-1", person=person)
    opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    assert Message.objects.get(pk=bulk.pk).status == MessageStatus.CANCELLED
    assert Message.objects.get(pk=transactional.pk).status == MessageStatus.QUEUED


def test_opt_out_list_is_scoped(tree):
    from sangathan.access.scope import scope_for_user
    from sangathan.messaging.selectors import opt_out_list

    inside, outside = tree.people["d1a1b1p0"], tree.people["d2a1b1p0"]
    for person in (inside, outside):
        opt_out(scope=Scope.system(), person=person, channel=Channel.SMS, source=OptOutSource.WEB)
    opt_in(scope=Scope.system(), person=outside, channel=Channel.SMS)
    district = scope_for_user(tree.users["district_president"])
    assert [o.person for o in opt_out_list(scope=district)] == [inside]
    state = scope_for_user(tree.users["state_president"])
    assert {o.person for o in opt_out_list(scope=state)} == {inside}
    assert {o.person for o in opt_out_list(scope=state, active=False)} == {inside, outside}
