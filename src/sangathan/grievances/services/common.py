"""Steps every Sahyog Cell write shares: the locked, permission-checked fetch, status and text checks, the
assignee changes, the move to the state cell or a minister, the approval request and the forced closure.

Private to ``grievances.services``; ``workflow`` and ``resolution`` both build on it (neither imports the
other).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, check_length
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    AssignmentRole,
    ClosureKind,
    EventKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import ApprovalRequest, Department, Grievance, GrievanceAssignment
from sangathan.grievances.selectors import grievance_get_for_actor
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import notify_complainant, notify_person
from sangathan.grievances.services.routing import _state_member_pick
from sangathan.grievances.services.sla import sla_pause, sla_start
from sangathan.people.models import Person

TEXT_MAX = 2000


def lock_for_write(grievance: Grievance | int, scope: Scope) -> Grievance:
    """The grievance re-read and locked for a write: 404 outside the scope, 403 read-only. The system (a
    job, the hearings' carry-over, a complainant's verified answer) takes it without a reach check."""
    pk = getattr(grievance, "pk", grievance)
    if scope.is_system:
        return Grievance.objects.select_for_update(of=("self",)).get(pk=pk)
    return grievance_get_for_actor(pk, scope, for_write=True)


def require_open(grievance: Grievance, *, allowed=OPEN_STATUSES) -> None:
    if grievance.status not in allowed:
        raise DomainError(_("This grievance is %(status)s: that cannot be done now.")
                          % {"status": grievance.get_status_display()}, code="invalid_status", field="status")


def require_text(text: str, field: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    check_length(text, field=field, max_length=TEXT_MAX)
    return text


def _save_grievance(grievance: Grievance) -> None:
    grievance.updated_at = clock.now()
    grievance.save()


def _end_assignees(grievance: Grievance, *, roles=(AssignmentRole.ASSIGNEE,)) -> None:
    GrievanceAssignment.objects.filter(grievance=grievance, ended_at__isnull=True, role__in=roles).update(
        ended_at=clock.now())


def add_assignee(grievance: Grievance, person_id: int, *, scope: Scope, level: str, note: str = "") -> GrievanceAssignment:
    assignment, _created = GrievanceAssignment.objects.get_or_create(
        grievance=grievance, person_id=person_id, role=AssignmentRole.ASSIGNEE, ended_at=None,
        defaults={"level": level, "assigned_by": scope.actor, "assigned_at": clock.now()})
    event_add(scope=scope, grievance=grievance, kind=EventKind.ASSIGNED, text=note,
              data={"person": person_id, "role": AssignmentRole.ASSIGNEE, "level": level})
    person = Person.objects.get(pk=person_id)
    due = f"{grievance.due_at:%d-%m-%Y}" if grievance.due_at else "-"
    notify_person(grievance=grievance, person=person, template_code="grievance_assigned", context={"due": due},
                  key=f"assigned:{level}:{grievance.escalation_count}:{grievance.reopened_count}", scope=scope)
    return assignment


def is_minister(person: Person | int) -> bool:
    return Department.objects.filter(minister_id=getattr(person, "pk", person), is_active=True).exists()


def move_to_state(grievance: Grievance, *, scope: Scope) -> int | None:
    """Hand the grievance to the state cell: a fresh state clock and the next cell member."""
    _end_assignees(grievance)
    sla_start(grievance, GrievanceLevel.STATE)
    grievance.status = GrievanceStatus.OPEN
    grievance.escalated_at = clock.now()
    grievance.escalation_count += 1
    _save_grievance(grievance)
    member = _state_member_pick(exclude_person_id=grievance.named_person_id)
    if member is not None:
        add_assignee(grievance, member, scope=scope, level=GrievanceLevel.STATE)
    return member


def move_to_minister(grievance: Grievance, minister: Person, *, scope: Scope, note: str = "") -> None:
    _end_assignees(grievance)
    sla_start(grievance, GrievanceLevel.MINISTER)
    grievance.status = GrievanceStatus.OPEN
    grievance.escalated_at = clock.now()
    grievance.escalation_count += 1
    _save_grievance(grievance)
    add_assignee(grievance, minister.pk, scope=scope, level=GrievanceLevel.MINISTER, note=note)


def request_approval(grievance: Grievance, *, scope: Scope, action: str, reason: str, payload: dict) -> ApprovalRequest:
    if grievance.status == GrievanceStatus.PENDING_APPROVAL:
        raise DomainError(_("An approval for this grievance is already pending."), code="duplicate", field="status")
    approval = ApprovalRequest.objects.create(grievance=grievance, action=action, payload=payload, reason=reason,
                                              previous_status=grievance.status, requested_by=scope.actor,
                                              requested_at=clock.now())
    sla_pause(grievance)
    grievance.status = GrievanceStatus.PENDING_APPROVAL
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.APPROVAL_REQUESTED, text=reason,
              data={"approval": approval.pk, "action": action, **payload})
    return approval


def close_forced(grievance: Grievance, *, scope: Scope, reason: str) -> None:
    """Carry out an approved forced closure (called by ``grievance_decide_approval``)."""
    now = clock.now()
    _end_assignees(grievance)
    grievance.status = GrievanceStatus.CLOSED
    grievance.closure = ClosureKind.FORCED
    grievance.closed_at = now
    grievance.due_at = None
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.CLOSED, public=True,
              data={"closure": ClosureKind.FORCED, "reason": reason})
    notify_complainant(grievance=grievance, template_code="grievance_closed", context={},
                       key=f"closed:{grievance.reopened_count}", scope=scope)
