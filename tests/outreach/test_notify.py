import datetime

import pytest

from sangathan.access.scope import Scope
from sangathan.core.clock import now, today
from sangathan.messaging.models import Message, MessageKind
from sangathan.messaging.services import opt_out
from sangathan.org.models import Post
from sangathan.org.services import position_assign
from sangathan.outreach.enums import CallOutcome
from sangathan.outreach.models import AssignmentRun, CallAssignment
from sangathan.outreach.services import assignments_assign, call_log_save
from sangathan.outreach.services.notify import (
    call_lists_send,
    call_reminders_send,
    program_day_start,
    programs_due,
    weekly_summary_send,
)
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_lists_carry_name_booth_mobile_and_last_notes(contact, clock, django_assert_max_num_queries):
    program = contact.program
    assignments_assign(scope=Scope.system(), program=program)
    first = CallAssignment.objects.filter(caller=contact.callers["d1_incharge"]).order_by("rank").first()
    for call in CallAssignment.objects.filter(day=today()):
        call_log_save(scope=Scope.system(), assignment=call, outcome=CallOutcome.REACHED,
                      notes="बेटी की शादी है" if call == first else "")
    again = None
    while again is None:  # the same president comes round again within days
        clock.advance(days=1)
        assignments_assign(scope=Scope.system(), program=program)
        again = CallAssignment.objects.filter(day=today(), target=first.target).first()
    assert call_lists_send(scope=Scope.system(), program=program, day=today()) == 3
    message = Message.objects.get(person=again.caller, idempotency_key__startswith="outreach:list:",
                                  idempotency_key__endswith=today().isoformat())
    assert message.kind == MessageKind.TRANSACTIONAL
    assert again.target.name in message.body and again.target_unit.name in message.body
    assert again.target.mobile[3:8] in message.body.replace(" ", "")
    assert "बेटी की शादी है" in message.body
    assert call_lists_send(scope=Scope.system(), program=program, day=today()) == 3  # the same rows: nothing new
    assert Message.objects.filter(idempotency_key__startswith="outreach:list:").count() == 3
    assert AssignmentRun.objects.get(program=program, day=today()).notified_at is not None


def test_a_chunk_of_lists_takes_the_same_queries_for_one_caller_or_many(contact, clock):
    """The lists are queued in a fixed number of queries per chunk of callers (messaging's bulk enqueue),
    never some per caller: a chunk of three costs what a chunk of one does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sangathan.outreach.services.notify import _send_lists_chunk

    counts = []
    for size in (1, 3):
        assignments_assign(scope=Scope.system(), program=contact.program)
        callers = sorted(set(CallAssignment.objects.filter(day=today()).values_list("caller_id", flat=True)))
        assert len(callers) == 3
        with CaptureQueriesContext(connection) as queries:
            assert _send_lists_chunk(contact.program, today(), callers[:size]) == size
        counts.append(len(queries))
        clock.advance(days=1)
    assert counts[0] == counts[1]


def test_opted_out_caller_still_gets_the_list_on_another_channel(contact):
    opt_out(scope=Scope.system(), person=contact.callers["d1_incharge"], channel="sms", source="web")
    assignments_assign(scope=Scope.system(), program=contact.program)
    call_lists_send(scope=Scope.system(), program=contact.program, day=today())
    assert Message.objects.get(person=contact.callers["d1_incharge"]).channel == "whatsapp"


def test_reminders_only_to_callers_with_calls_left(contact):
    assignments_assign(scope=Scope.system(), program=contact.program)
    for call in CallAssignment.objects.filter(caller=contact.callers["d1_incharge"]):
        call_log_save(scope=Scope.system(), assignment=call, outcome=CallOutcome.REACHED)
    call = CallAssignment.objects.filter(caller=contact.callers["d2_incharge"]).first()
    call_log_save(scope=Scope.system(), assignment=call, outcome=CallOutcome.BUSY)
    assert call_reminders_send(scope=Scope.system(), program=contact.program, day=today()) == 2
    reminders = {m.person_id: m.body for m in Message.objects.filter(idempotency_key__startswith="outreach:reminder")}
    assert set(reminders) == {contact.callers["d2_incharge"].pk, contact.callers["state_secretary"].pk}
    assert " 1 " in reminders[contact.callers["d2_incharge"].pk]
    assert " 2 " in reminders[contact.callers["state_secretary"].pk]
    call_reminders_send(scope=Scope.system(), program=contact.program, day=today())
    assert Message.objects.filter(idempotency_key__startswith="outreach:reminder").count() == 2


def test_weekly_summary_to_the_state_office(contact, tree, clock):
    monday = today()
    for _ in range(3):
        assignments_assign(scope=Scope.system(), program=contact.program)
        call = CallAssignment.objects.filter(day=today(), caller=contact.callers["d1_incharge"]).first()
        call_log_save(scope=Scope.system(), assignment=call, outcome=CallOutcome.REACHED)
        clock.advance(days=1)
    assert weekly_summary_send(scope=Scope.system(), program=contact.program, week_start=monday) == 2  # president, secretary
    body = Message.objects.filter(person=tree.people["state_president"]).get().body
    assert "18 कॉल दी गईं, 3 उसी दिन हुईं, 3 से बात हुई, 15 छूटीं" in body
    assert "जिला 2 (0%)" in body
    assert weekly_summary_send(scope=Scope.system(), program=contact.program, week_start=monday) == 2
    assert Message.objects.filter(idempotency_key__startswith="outreach:weekly").count() == 2


def test_tick_starts_a_program_at_its_send_time_then_reminds(contact, clock):
    day = today()
    clock.set(datetime.datetime.combine(day, datetime.time(8, 59)))
    assert programs_due(now=now()) == []
    clock.set(datetime.datetime.combine(day, datetime.time(9, 0)))
    assert programs_due(now=now()) == [(contact.program.pk, "start", day)]
    from sangathan.outreach.tasks import outreach_tick

    outreach_tick()
    assert CallAssignment.objects.filter(day=day).count() == 6
    assert Message.objects.filter(idempotency_key__startswith="outreach:list:").count() == 3
    assert programs_due(now=now()) == []
    clock.set(datetime.datetime.combine(day, datetime.time(18, 0)))
    assert programs_due(now=now()) == [(contact.program.pk, "remind", day)]
    outreach_tick()
    assert Message.objects.filter(idempotency_key__startswith="outreach:reminder").count() == 3
    assert programs_due(now=now()) == []


def test_day_start_on_monday_sends_last_weeks_summary(contact, clock):
    result = program_day_start(scope=Scope.system(), program=contact.program, day=today())
    assert result == {"assigned": 6, "lists": 3, "summaries": 2}


def test_new_caller_after_the_run_gets_calls_on_a_rerun(contact, tree):
    assignments_assign(scope=Scope.system(), program=contact.program)
    person = PersonFactory(unit=tree["state"])
    position_assign(scope=Scope.system(), person=person, post=Post.objects.get(code="general_secretary"),
                    unit=tree["state"])
    result = assignments_assign(scope=Scope.system(), program=contact.program)
    assert (result.assigned, result.already) == (1, 6)  # only one booth president was left that day
