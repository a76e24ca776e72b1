"""Levels, clocks and approvals: pauses, sending back, hearings, the state cell's sharing, reminders,
reopening on "not satisfied", closure after silence and forced closure by approval."""

from datetime import date

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.grievances.enums import (
    ApprovalStatus,
    AssignmentRole,
    AssignmentStrategy,
    ClosureKind,
    EventKind,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import ApprovalRequest, GrievanceAssignment
from sangathan.grievances.services import (
    cell_settings_update,
    grievance_assign,
    grievance_confirm,
    grievance_decide_approval,
    grievance_escalate,
    grievance_reminders_send,
    grievance_request_forced_close,
    grievance_resolve,
    grievance_resume,
    grievance_schedule_hearing,
    grievance_send_back,
    grievance_wait_for_complainant,
    grievances_close_silent,
    grievances_escalate_overdue,
)
from sangathan.messaging.models import Message
from tests.grievances.helpers import take


def active_assignees(grievance) -> set[int]:
    return set(GrievanceAssignment.objects.filter(grievance=grievance, ended_at__isnull=True,
                                                  role=AssignmentRole.ASSIGNEE).values_list("person_id", flat=True))


def test_waiting_for_the_complainant_pauses_the_clock(cell, clock):
    grievance = take(cell)  # Monday, due Tuesday next week
    clock.advance(days=1)
    grievance = grievance_wait_for_complainant(scope=scope_for_user(cell["district_convener"]), grievance=grievance,
                                               question="ज़मीन के कागज़ की प्रति लाएँ")
    assert grievance.status == GrievanceStatus.AWAITING_COMPLAINANT and grievance.due_at is None
    assert grievance.paused_days == 6
    clock.advance(days=30)
    assert grievances_escalate_overdue(scope=Scope.system()) == 0
    grievance = grievance_resume(scope=scope_for_user(cell["district_convener"]), grievance=grievance, note="कागज़ मिल गए")
    # Resumed on Thursday 5 March with the six working days that were left.
    assert grievance.status == GrievanceStatus.OPEN and grievance.due_at.date() == date(2026, 3, 12)
    assert Message.objects.filter(template__code="grievance_waiting").count() == 1


def test_manual_escalation_needs_a_reason_and_goes_to_the_state_cell(cell):
    grievance = take(cell)
    with pytest.raises(DomainError) as raised:
        grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=grievance, reason=" ")
    assert raised.value.field == "reason"
    grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=grievance, reason="जिले में हल नहीं")
    assert grievance.level == GrievanceLevel.STATE and grievance.escalation_count == 1
    assert active_assignees(grievance) <= {cell.people["state_member"].pk, cell.people["state_convener"].pk}
    assert len(active_assignees(grievance)) == 1


def test_state_cell_shares_by_least_load_or_in_turn(cell):
    members = {cell.people["state_convener"].pk, cell.people["state_member"].pk}
    firsts = []
    for n in range(4):
        grievance = take(cell, subject=f"समस्या {n}", mobile=f"98260100{n:02d}")
        grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=grievance, reason="कारण")
        firsts.append(next(iter(active_assignees(grievance))))
    assert set(firsts) == members and firsts.count(firsts[0]) == 2  # two each by load
    cell_settings_update(scope=scope_for_user(cell["state_convener"]), state_assignment=AssignmentStrategy.ROUND_ROBIN)
    turns = []
    for n in range(4, 8):
        grievance = take(cell, subject=f"समस्या {n}", mobile=f"98260100{n:02d}")
        grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=grievance, reason="कारण")
        turns.append(next(iter(active_assignees(grievance))))
    assert turns[0] != turns[1] and turns[0] == turns[2] and turns[1] == turns[3]


def test_policy_matter_to_a_minister_waits_for_the_state_convener(cell):
    grievance = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["health"],
                     is_policy_matter=True)
    grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=grievance, reason="नीति का प्रश्न")
    grievance = grievance_assign(scope=scope_for_user(cell["state_member"]), grievance=grievance,
                                 to_person=cell.people["health_minister"], note="नीतिगत विषय")
    assert grievance.status == GrievanceStatus.PENDING_APPROVAL and grievance.level == GrievanceLevel.STATE
    with pytest.raises(PermissionDenied):
        grievance_decide_approval(scope=scope_for_user(cell["state_member"]), grievance=grievance, approve=True)
    grievance = grievance_decide_approval(scope=scope_for_user(cell["state_convener"]), grievance=grievance, approve=True)
    assert grievance.level == GrievanceLevel.MINISTER and grievance.status == GrievanceStatus.OPEN
    assert active_assignees(grievance) == {cell.people["health_minister"].pk}
    assert ApprovalRequest.objects.get(grievance=grievance).status == ApprovalStatus.APPROVED


def test_only_the_state_cell_sends_to_a_minister(cell):
    grievance = take(cell)
    with pytest.raises(PermissionDenied):
        grievance_assign(scope=scope_for_user(cell["district_convener"]), grievance=grievance,
                         to_person=cell.people["revenue_minister"])


def test_a_higher_level_sends_back_with_directions(cell):
    grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=take(cell), reason="कारण")
    with pytest.raises(PermissionDenied):
        grievance_send_back(scope=scope_for_user(cell["district_convener"]), grievance=grievance, directions="x")
    grievance = grievance_send_back(scope=scope_for_user(cell["state_convener"]), grievance=grievance,
                                    directions="जिला अध्यक्ष मंडल अध्यक्ष से बात करें")
    assert grievance.level == GrievanceLevel.DISTRICT
    assert active_assignees(grievance) == {cell.people["district_president"].pk, cell.people["district_incharge"].pk}
    assert grievance.events.filter(kind=EventKind.SENT_BACK, text__contains="मंडल अध्यक्ष").exists()


def test_hearing_is_scheduled_by_the_state_cell(cell, clock):
    grievance = grievance_escalate(scope=scope_for_user(cell["district_convener"]), grievance=take(cell), reason="कारण")
    with pytest.raises(DomainError):
        grievance_schedule_hearing(scope=scope_for_user(cell["state_convener"]), grievance=grievance, on=date(2026, 1, 1),
                                   label="पुरानी तारीख")
    grievance = grievance_schedule_hearing(scope=scope_for_user(cell["state_convener"]), grievance=grievance, on=date(2026, 2, 6),
                                           label="प्रदेश कार्यालय, मंत्री सुनवाई 13:00")
    assert grievance.status == GrievanceStatus.SCHEDULED and grievance.due_at is None
    assert Message.objects.filter(template__code="grievance_hearing", idempotency_key__endswith="2026-02-06").exists()


def test_reminders_go_once_before_the_due_date(cell, clock):
    grievance = take(cell)
    assert grievance_reminders_send(scope=Scope.system()) == 0
    clock.advance(days=7)  # Monday 9 Feb; due Tuesday 10 Feb
    assert grievance_reminders_send(scope=Scope.system()) == 2  # the president and the in-charge
    assert grievance_reminders_send(scope=Scope.system()) == 0
    assert grievance.events.filter(kind=EventKind.REMINDER).count() == 1


def test_not_satisfied_reopens_one_level_up_and_satisfied_closes(cell):
    grievance = grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=take(cell), note="बात हो गई")
    with pytest.raises(DomainError):
        grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=grievance, note="फिर से")
    grievance = grievance_confirm(scope=Scope.system(), grievance=grievance, satisfied=False, channel="web")
    assert grievance.status == GrievanceStatus.OPEN and grievance.level == GrievanceLevel.STATE
    assert grievance.reopened_count == 1 and grievance.events.filter(kind=EventKind.REOPENED).exists()
    grievance = grievance_resolve(scope=scope_for_user(cell["state_convener"]), grievance=grievance, note="अब हल हो गया")
    grievance = grievance_confirm(scope=Scope.system(), grievance=grievance, satisfied=True, channel="web")
    assert grievance.status == GrievanceStatus.CLOSED and grievance.closure == ClosureKind.CONFIRMED
    with pytest.raises(DomainError):
        grievance_confirm(scope=Scope.system(), grievance=grievance, satisfied=True, channel="web")


def test_silence_closes_after_the_configured_days(cell, clock):
    grievance = grievance_resolve(scope=scope_for_user(cell["district_convener"]), grievance=take(cell), note="हल")
    clock.advance(days=6)
    assert grievances_close_silent(scope=Scope.system()) == 0
    clock.advance(days=2)
    assert grievances_close_silent(scope=Scope.system()) == 1
    grievance.refresh_from_db()
    assert grievance.status == GrievanceStatus.CLOSED and grievance.closure == ClosureKind.SILENCE


def test_forced_closure_needs_another_persons_approval_and_is_reported_as_forced(cell):
    grievance = take(cell)
    with pytest.raises(DomainError):
        grievance_request_forced_close(scope=scope_for_user(cell["district_convener"]), grievance=grievance, reason="")
    grievance = grievance_request_forced_close(scope=scope_for_user(cell["district_convener"]), grievance=grievance,
                                               reason="शिकायतकर्ता से संपर्क नहीं हो पा रहा")
    assert grievance.status == GrievanceStatus.PENDING_APPROVAL
    refused = grievance_decide_approval(scope=scope_for_user(cell["state_convener"]), grievance=grievance, approve=False,
                                        note="एक बार और प्रयास करें")
    assert refused.status == GrievanceStatus.OPEN and refused.due_at is not None
    grievance = grievance_request_forced_close(scope=scope_for_user(cell["state_convener"]), grievance=refused, reason="दोबारा")
    with pytest.raises(PermissionDenied):
        grievance_decide_approval(scope=scope_for_user(cell["state_convener"]), grievance=grievance, approve=True)
    grievance = grievance_decide_approval(scope=scope_for_user(cell["state_admin"]), grievance=grievance, approve=True)
    assert grievance.status == GrievanceStatus.CLOSED and grievance.closure == ClosureKind.FORCED
    assert not active_assignees(grievance)
