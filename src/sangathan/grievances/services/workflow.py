"""Moving a grievance between people and levels: assign, forward to a department, escalate, send back,
wait for the complainant, schedule a hearing, notes and approvals.

Every function takes the acting ``scope`` (required; ``Scope.system()`` when a job acts), re-reads the
grievance through ``lock_for_write`` (404 outside the scope's reach, 403 read-only, row locked), checks,
changes it, writes its timeline events and messages in the same transaction, and returns the fresh
grievance.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.grievances.enums import (
    LEVEL_ORDER,
    ApprovalAction,
    ApprovalStatus,
    AssignmentRole,
    EventKind,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import ApprovalRequest, Department, Grievance, GrievanceAssignment
from sangathan.grievances.policies import is_state_cell, may_approve
from sangathan.grievances.selectors import assign_candidates
from sangathan.grievances.services.common import (
    TEXT_MAX,
    _end_assignees,
    _save_grievance,
    add_assignee,
    close_forced,
    is_minister,
    lock_for_write,
    move_to_minister,
    move_to_state,
    request_approval,
    require_open,
    require_text,
)
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import notify_complainant
from sangathan.grievances.services.routing import LEVEL_AFTER, LEVEL_BELOW, _state_member_pick, route_new
from sangathan.grievances.services.sla import sla_pause, sla_resume, sla_start
from sangathan.grievances.signals import hearing_scheduling
from sangathan.grievances.workdays import end_of_day
from sangathan.people.models import Person

__all__ = ["TEXT_MAX", "is_minister", "lock_for_write"]


@transaction.atomic
def grievance_assign(*, scope: Scope, grievance: Grievance, to_person: Person | int | None, note: str = "",
                     at_hearing: bool = False) -> Grievance:
    """Give the grievance to ``to_person`` (a person or an id).

    Only someone ``selectors.assign_candidates`` offers may be chosen (the district's office-bearers; for
    the state cell also the state's and the ministers) — the same rule on the web, the API and the admin.
    ``at_hearing``: the sitting official of a hearing the actor runs (``rosters`` checks the sitting), who
    need not be on that list. To the minister of a department (``Department.minister``) it moves to the
    minister level — the state cell's decision; a policy matter then waits for the state convener's
    approval unless the convener assigns it. To anyone else it is added at the grievance's current level.
    The new assignee is told.
    """
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED, GrievanceStatus.FORWARDED))
    person_id = getattr(to_person, "pk", to_person)
    if not person_id:
        raise DomainError(_("Choose whom to assign it to."), code="required", field="to_person")
    if person_id == grievance.named_person_id:
        raise DomainError(_("This grievance names that person; it cannot be assigned to them."),
                          code="recused", field="to_person")
    note = (note or "").strip()
    check_length(note, field="note", max_length=TEXT_MAX)
    state_cell = is_state_cell(scope)
    minister = is_minister(person_id)
    if minister and not state_cell:
        raise PermissionDenied(_("Only the state support cell sends a grievance to a minister."))
    if not at_hearing and person_id not in dict(assign_candidates(grievance, scope)):
        raise PermissionDenied(_("This person cannot be chosen here."))
    to_person = to_person if isinstance(to_person, Person) else Person.objects.get(pk=person_id)
    if minister:
        if grievance.is_policy_matter and not may_approve(scope):
            request_approval(grievance, scope=scope, action=ApprovalAction.ASSIGN_MINISTER,
                             reason=note or _("Policy matter for the minister."), payload={"person": to_person.pk})
            return grievance
        move_to_minister(grievance, to_person, scope=scope, note=note)
        return grievance
    if grievance.level != GrievanceLevel.DISTRICT and not state_cell:
        raise PermissionDenied(_("Only the state support cell assigns at this level."))
    add_assignee(grievance, to_person.pk, scope=scope, level=grievance.level, note=note)
    return grievance


@transaction.atomic
def grievance_forward(*, scope: Scope, grievance: Grievance, office: str, reference: str,
                      department: Department | None = None, forwarded_on: date | None = None) -> Grievance:
    """Send an administrative grievance to its department: the party's clock pauses while the department's
    own time limit (``Department.external_days``, calendar days from ``forwarded_on``) runs."""
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(GrievanceStatus.OPEN,))
    if grievance.kind != GrievanceKind.ADMINISTRATIVE:
        raise DomainError(_("Only administrative grievances go to a department."), field="kind")
    department = department or grievance.department
    if department is None or not department.is_active:
        raise DomainError(_("Unknown department."), code="unknown_department", field="department")
    office = require_text(office, "office", _("Enter the office it was sent to."))
    reference = require_text(reference, "reference", _("Enter the department's reference number."))
    check_length(office, field="office", max_length=200)
    check_length(reference, field="reference", max_length=80)
    on = forwarded_on or clock.today()
    if on > clock.today():
        raise DomainError(_("The date cannot be in the future."), field="forwarded_on")
    sla_pause(grievance)
    grievance.status = GrievanceStatus.FORWARDED
    grievance.department = department
    grievance.external_office = office
    grievance.external_reference = reference
    grievance.forwarded_on = on
    grievance.external_due_at = end_of_day(on + timedelta(days=department.external_days))
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.FORWARDED, public=True,
              text=f"{department.name_hi} — {office} ({reference})",
              data={"department": department.pk, "reference": reference, "office": office,
                    "external_due_at": grievance.external_due_at.isoformat()})
    notify_complainant(grievance=grievance, template_code="grievance_forwarded",
                       context={"department": department.name_hi, "reference": reference},
                       key=f"forwarded:{reference}", scope=scope)
    return grievance


@transaction.atomic
def grievance_escalate(*, scope: Scope, grievance: Grievance, reason: str) -> Grievance:
    """Move the grievance one level up by hand, with a reason.

    District → the state cell (shared among its members); state → the minister of its department
    (through approval for a policy matter). The minister level is the top.
    """
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.FORWARDED,
                                      GrievanceStatus.AWAITING_COMPLAINANT))
    reason = require_text(reason, "reason", _("Give the reason for escalating."))
    target = LEVEL_AFTER.get(grievance.level)
    if target is None:
        raise DomainError(_("This grievance is already at the highest level."), code="top_level", field="level")
    if target == GrievanceLevel.MINISTER:
        minister = grievance.department.minister if grievance.department_id else None
        if minister is None:
            raise DomainError(_("No minister is set for this grievance's department."), field="department")
        event_add(scope=scope, grievance=grievance, kind=EventKind.ESCALATED, text=reason,
                  data={"to": target})
        return grievance_assign(scope=scope, grievance=grievance, to_person=minister, note=reason)
    move_to_state(grievance, scope=scope)
    event_add(scope=scope, grievance=grievance, kind=EventKind.ESCALATED, text=reason, data={"to": target})
    notify_complainant(grievance=grievance, template_code="grievance_escalated",
                       context={"level": str(GrievanceLevel(target).label)},
                       key=f"escalated:{target}:{grievance.escalation_count}", scope=scope)
    return grievance


@transaction.atomic
def grievance_send_back(*, scope: Scope, grievance: Grievance, directions: str) -> Grievance:
    """A higher level returns the grievance one level down with directions; the lower level's clock
    starts afresh and its people are assigned again."""
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED))
    directions = require_text(directions, "directions", _("Write the directions for the lower level."))
    target = LEVEL_BELOW.get(grievance.level)
    if target is None:
        raise DomainError(_("The district is the lowest level."), code="bottom_level", field="level")
    if not is_state_cell(scope) and not GrievanceAssignment.objects.filter(
            grievance=grievance, person_id=scope.person_id or 0, ended_at__isnull=True, role=AssignmentRole.ASSIGNEE,
            level=grievance.level).exists():
        raise PermissionDenied(_("Only the level that holds the grievance sends it back."))
    _end_assignees(grievance)
    sla_start(grievance, target)
    grievance.status = GrievanceStatus.OPEN
    grievance.hearing_on = None
    grievance.hearing_label = ""
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.SENT_BACK, text=directions, data={"to": target})
    if target == GrievanceLevel.DISTRICT:
        route_new(grievance, scope=scope)
    else:
        member = _state_member_pick(exclude_person_id=grievance.named_person_id)
        if member is not None:
            add_assignee(grievance, member, scope=scope, level=target, note=directions)
    return grievance


@transaction.atomic
def grievance_wait_for_complainant(*, scope: Scope, grievance: Grievance, question: str) -> Grievance:
    """Ask the complainant for something; the clock stops until ``grievance_resume``."""
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(GrievanceStatus.OPEN,))
    question = require_text(question, "question", _("Write what the complainant must tell or bring."))
    sla_pause(grievance)
    grievance.status = GrievanceStatus.AWAITING_COMPLAINANT
    _save_grievance(grievance)
    event = event_add(scope=scope, grievance=grievance, kind=EventKind.WAITING, public=True, text=question)
    notify_complainant(grievance=grievance, template_code="grievance_waiting", context={"question": question[:120]},
                       key=f"waiting:{event.pk}", scope=scope)
    return grievance


@transaction.atomic
def grievance_resume(*, scope: Scope, grievance: Grievance, note: str = "") -> Grievance:
    """The complainant answered, or the department returned the case unsolved: the clock runs again with
    the working days that were left."""
    grievance = lock_for_write(grievance, scope)
    # SCHEDULED: the hearing was held and gave directions, or no further hearing is on the roster.
    require_open(grievance, allowed=(GrievanceStatus.AWAITING_COMPLAINANT, GrievanceStatus.FORWARDED,
                                      GrievanceStatus.SCHEDULED))
    note = (note or "").strip()
    check_length(note, field="note", max_length=TEXT_MAX)
    grievance.status = GrievanceStatus.OPEN
    sla_resume(grievance)
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.RESUMED, text=note)
    return grievance


@transaction.atomic
def grievance_schedule_hearing(*, scope: Scope, grievance: Grievance, on: date, label: str) -> Grievance:
    """Put the grievance on a minister's hearing day. The clock stops; the complainant is told the date
    and place. Sends ``hearing_scheduling`` first: where the rosters app keeps the minister's roster, the
    grievance goes on that day's hearing list with a token (an error when no minister sits that day)."""
    grievance = lock_for_write(grievance, scope)
    require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED))
    if LEVEL_ORDER[grievance.level] < LEVEL_ORDER[GrievanceLevel.STATE] and not is_state_cell(scope):
        raise PermissionDenied(_("Hearings are scheduled by the state support cell."))
    if on is None or on < clock.today():
        raise DomainError(_("Choose a hearing date from today on."), field="on")
    # The rosters app puts the grievance on that day's minister's hearing list (token, slot, message) and
    # schedules it through this action again; then it is done.
    for _receiver, scheduled in hearing_scheduling.send(sender=Grievance, scope=scope, grievance=grievance, on=on):
        if scheduled is not None:
            return scheduled
    label = require_text(label, "label", _("Name the hearing."))
    check_length(label, field="label", max_length=200)
    sla_pause(grievance)
    grievance.status = GrievanceStatus.SCHEDULED
    grievance.hearing_on = on
    grievance.hearing_label = label
    _save_grievance(grievance)
    event_add(scope=scope, grievance=grievance, kind=EventKind.SCHEDULED, public=True,
              text=f"{on:%d-%m-%Y} — {label}", data={"on": on.isoformat(), "label": label})
    notify_complainant(grievance=grievance, template_code="grievance_hearing",
                       context={"date": f"{on:%d-%m-%Y}", "label": label}, key=f"hearing:{on.isoformat()}",
                       scope=scope)
    return grievance


@transaction.atomic
def grievance_add_note(*, scope: Scope, grievance: Grievance, text: str, public: bool = False):
    """A note on the timeline; a public one is what the complainant sees on the status page."""
    grievance = lock_for_write(grievance, scope)
    text = require_text(text, "text", _("Write the note."))
    return event_add(scope=scope, grievance=grievance, kind=EventKind.NOTE, text=text, public=public)


@transaction.atomic
def grievance_decide_approval(*, scope: Scope, grievance: Grievance, approve: bool, note: str = "") -> Grievance:
    """The state convener approves or refuses the pending step. Approving carries it out; refusing
    returns the grievance to where it was, clock running again."""
    actor = scope.actor
    grievance = lock_for_write(grievance, scope)
    if not may_approve(scope):
        raise PermissionDenied(_("Only the state convener of the Sahyog Cell approves this."))
    approval = ApprovalRequest.objects.select_for_update().filter(grievance=grievance,
                                                                  status=ApprovalStatus.PENDING).first()
    if approval is None:
        raise DomainError(_("Nothing is waiting for approval."), code="invalid_status", field="status")
    if approval.requested_by_id == scope.user_id:
        raise PermissionDenied(_("A request cannot be approved by the person who made it."))
    note = (note or "").strip()
    check_length(note, field="note", max_length=TEXT_MAX)
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = actor
    approval.decided_at = clock.now()
    approval.decision_note = note
    approval.save()
    event_add(scope=scope, grievance=grievance, kind=EventKind.APPROVED if approve else EventKind.REJECTED,
              text=note, data={"approval": approval.pk, "action": approval.action})
    if not approve:
        grievance.status = approval.previous_status
        if grievance.status == GrievanceStatus.OPEN:
            sla_resume(grievance)
        _save_grievance(grievance)
        return grievance
    if approval.action == ApprovalAction.ASSIGN_MINISTER:
        minister = Person.objects.get(pk=approval.payload["person"])
        move_to_minister(grievance, minister, scope=scope, note=approval.reason)
    else:
        close_forced(grievance, scope=scope, reason=approval.reason)
    return grievance
