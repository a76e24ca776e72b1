"""Hearing sessions: the list and its tokens, reminders, outcomes, directions, walk-ins and carry-over."""

from datetime import time, timedelta

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind, GrievanceLevel, GrievanceStatus
from sangathan.messaging.models import Message
from sangathan.rosters.enums import CaseOutcome, CaseSource, DirectionStatus, HearingStatus
from sangathan.rosters.models import HearingCase, HearingDirection, HearingSession
from sangathan.rosters.services import (
    DirectionIn,
    hearing_case_record,
    hearing_direction_complete,
    hearing_schedule,
    hearing_session_open,
    hearing_walk_in,
    hearings_carry_over,
    office_create,
    sitting_day_add,
)
from tests.grievances.cell import MONDAY as CELL_MONDAY
from tests.rosters.helpers import at, state_grievance

pytestmark = pytest.mark.django_db

MON = CELL_MONDAY.date()


def test_session_of_the_day_is_the_roster_minister(cell, state_office):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    assert (session.person, session.starts_at, session.ends_at) == (cell.people["revenue_minister"], time(13), time(15))
    assert hearing_session_open(scope=scope_for_user(cell["revenue_minister"]), office=state_office, on=MON) == session
    with pytest.raises(DomainError) as caught:
        hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON,
                             person=cell.people["health_minister"])
    assert caught.value.code == "not_sitting"
    with pytest.raises(PermissionDenied):
        hearing_session_open(scope=scope_for_user(cell["district_president"]), office=state_office, on=MON + timedelta(days=2))


def test_scheduling_gives_tokens_slots_and_a_reminder(cell, state_office):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    first, second = state_grievance(cell), state_grievance(cell, subject="सदस्यता का विवाद", mobile="9826022222")
    one = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=first)
    two = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=second)
    assert (one.token, two.token) == (1, 2)
    assert (one.slot_at, two.slot_at) == (at(MON, 13), at(MON, 13, 10))
    first.refresh_from_db()
    # The state cell's scheduling first gave it to the minister of the day, then stopped its clock.
    assert (first.status, first.level, first.hearing_on, first.due_at) == (
        GrievanceStatus.SCHEDULED, GrievanceLevel.MINISTER, MON, None)
    assert "टोकन 1" in first.hearing_label and "13:00" in first.hearing_label
    told = Message.objects.get(idempotency_key=f"grievance:{first.pk}:hearing:{MON.isoformat()}")
    assert "टोकन 1" in told.body and first.tracking_code in told.body
    reminder = Message.objects.get(idempotency_key=f"hearing:{one.pk}:reminder")
    assert (reminder.send_at, reminder.expires_at) == (at(MON, 11), at(MON, 15))
    assert "टोकन 1" in reminder.body and "13:00" in reminder.body and reminder.to_address == "+919826011111"
    with pytest.raises(DomainError) as caught:
        hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=first)
    assert caught.value.code == "duplicate"


def test_no_reminder_when_the_slot_is_too_close(cell, state_office, clock):
    clock.set(at(MON, 12, 30))
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    case = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    assert not Message.objects.filter(idempotency_key=f"hearing:{case.pk}:reminder").exists()


def test_minister_records_a_resolution_on_the_phone(cell, state_office, clock):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    case = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    clock.set(at(MON, 13, 5))
    with pytest.raises(PermissionDenied):
        hearing_case_record(scope=scope_for_user(cell["health_minister"]), case=case, outcome=CaseOutcome.RESOLVED, note="x")
    with pytest.raises(DomainError) as caught:
        hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=case, outcome=CaseOutcome.RESOLVED, note=" ")
    assert caught.value.field == "note"
    hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=case, outcome=CaseOutcome.RESOLVED,
                        note="तहसीलदार को पेंशन स्वीकृत करने के निर्देश, आदेश जारी")
    case.refresh_from_db()
    assert (case.outcome, case.recorded_by) == (CaseOutcome.RESOLVED, cell["revenue_minister"])
    assert case.grievance.status == GrievanceStatus.RESOLVED
    assert Message.objects.filter(idempotency_key__startswith=f"grievance:{case.grievance_id}:resolved").exists()
    with pytest.raises(DomainError) as caught:
        hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=case, outcome=CaseOutcome.ADJOURNED, note="x")
    assert caught.value.code == "recorded"


def test_directions_become_tasks_for_their_owners(cell, state_office, clock):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    case = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    clock.set(at(MON, 13, 15))
    owner = cell.people["district_president"]
    with pytest.raises(DomainError) as caught:
        hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=case, outcome=CaseOutcome.DIRECTIONS,
                            directions=[DirectionIn(owner=owner, text="मंडल बैठक बुलाएं", deadline=MON - timedelta(1))])
    assert caught.value.field == "directions.0.deadline"
    assert not HearingDirection.objects.exists()
    hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=case, outcome=CaseOutcome.DIRECTIONS, note="",
                        directions=[DirectionIn(owner=owner, text="मंडल बैठक बुलाकर विवाद सुलझाएं",
                                                deadline=MON + timedelta(days=7))])
    direction = HearingDirection.objects.get()
    assert (direction.owner, direction.status, direction.unit_path) == (owner, DirectionStatus.OPEN,
                                                                        case.grievance.unit_path)
    told = Message.objects.get(idempotency_key=f"hearing-direction:{direction.pk}")
    assert told.person == owner and "09-02-2026" in told.body
    grievance = case.grievance
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.OPEN and grievance.due_at is not None   # the clock runs again
    assert grievance.events.filter(kind="note", text__contains="मंडल बैठक बुलाकर").exists()
    with pytest.raises(PermissionDenied):
        hearing_direction_complete(scope=scope_for_user(cell["health_minister"]), direction=direction)
    hearing_direction_complete(scope=scope_for_user(cell["district_president"]), direction=direction, note="बैठक 5 तारीख को हुई")
    direction.refresh_from_db()
    assert (direction.status, direction.done_by) == (DirectionStatus.DONE, cell["district_president"])


def test_adjourned_case_goes_to_the_ministers_next_day(cell, state_office, clock):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    case = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    clock.set(at(MON, 14))
    hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=case, outcome=CaseOutcome.ADJOURNED,
                        note="पटवारी की रिपोर्ट चाहिए")
    carried = HearingCase.objects.get(carried_from=case)
    assert (carried.session.date, carried.session.person, carried.token, carried.source) == (
        MON + timedelta(days=2), cell.people["revenue_minister"], 1, CaseSource.CARRIED)
    carried.grievance.refresh_from_db()
    assert carried.grievance.hearing_on == MON + timedelta(days=2)


def test_cases_not_heard_are_carried_over_at_the_end_of_the_day(cell, state_office, clock):
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    heard = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session, grievance=state_grievance(cell))
    missed = hearing_schedule(scope=scope_for_user(cell["state_member"]), session=session,
                              grievance=state_grievance(cell, subject="टिकट वितरण पर आपत्ति", mobile="9826033333"))
    clock.set(at(MON, 13, 20))
    hearing_case_record(scope=scope_for_user(cell["revenue_minister"]), case=heard, outcome=CaseOutcome.RESOLVED, note="समाधान")
    clock.set(at(MON, 19))
    assert hearings_carry_over(scope=Scope.system()) == 1
    session.refresh_from_db()
    missed.refresh_from_db()
    assert (session.status, missed.outcome) == (HearingStatus.CLOSED, CaseOutcome.CARRIED)
    carried = HearingCase.objects.get(carried_from=missed)
    assert (carried.session.date, carried.token) == (MON + timedelta(days=2), 1)
    assert Message.objects.filter(idempotency_key=f"hearing:{carried.pk}:reminder").exists()
    assert hearings_carry_over(scope=Scope.system()) == 0                       # idempotent: the session is closed
    assert HearingCase.objects.filter(grievance=missed.grievance).count() == 2


def test_walk_in_at_the_state_office_hearing(cell, state_office, clock):
    clock.set(at(MON, 13, 30))
    session = hearing_session_open(scope=scope_for_user(cell["state_member"]), office=state_office, on=MON)
    case = hearing_walk_in(scope=scope_for_user(cell["state_member"]), session=session, unit=cell.tree["d2"],
                           kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["revenue"],
                           subject="नामांतरण नहीं हुआ", complainant_name="सीता बाई", complainant_mobile="9826044444")
    grievance = case.grievance
    assert (case.source, case.token, grievance.channel) == (CaseSource.WALK_IN, 1, GrievanceChannel.STATE_HEARING)
    assert grievance.level == GrievanceLevel.MINISTER               # with the minister who heard it
    token = Message.objects.get(idempotency_key=f"hearing:{case.pk}:token")
    assert "टोकन नंबर 1" in token.body and token.to_address == "+919826044444"
    with pytest.raises(DomainError):                                  # walk-ins only on the day
        hearing_walk_in(scope=scope_for_user(cell["state_member"]), session=hearing_session_open(
            scope=scope_for_user(cell["state_member"]), office=state_office, on=MON + timedelta(days=1)), unit=cell.tree["d2"],
            kind=GrievanceKind.ORGANIZATIONAL, subject="x", complainant_name="y", complainant_mobile="9826055555")


def test_district_office_sitting_takes_walk_ins_and_keeps_the_clock(cell, clock):
    office = office_create(scope=Scope.system(), unit=cell.tree["d1"], name="जिला कार्यालय")
    sitting_day_add(scope=Scope.system(), office=office, person=cell.people["district_president"], weekday=0, starts_at=time(11),
                    ends_at=time(14))
    session = hearing_session_open(scope=scope_for_user(cell["district_convener"]), office=office, on=MON)
    case = hearing_walk_in(scope=scope_for_user(cell["district_convener"]), session=session, unit=cell.tree["d1a1b1"],
                           kind=GrievanceKind.ORGANIZATIONAL, subject="बूथ समिति में नाम नहीं",
                           complainant_name="मोहन", complainant_mobile="9826066666")
    grievance = case.grievance
    assert (grievance.channel, grievance.status, grievance.level) == (
        GrievanceChannel.DISTRICT_OFFICE, GrievanceStatus.OPEN, GrievanceLevel.DISTRICT)
    assert grievance.due_at is not None
    assert case.slot_at == at(MON, 11)
    clock.set(at(MON, 18))
    assert hearings_carry_over(scope=Scope.system()) == 1                       # to the district president's next Monday
    carried = HearingCase.objects.get(carried_from=case)
    assert carried.session.date == MON + timedelta(days=7)
    assert HearingSession.objects.get(pk=session.pk).status == HearingStatus.CLOSED
