"""Moving a grievance between people and levels: assign, forward to a department, escalate, send back,
wait for the complainant, schedule a hearing, notes and approvals.

Every function takes the acting user, re-reads the grievance through ``grievance_get_for_actor(…,
for_write=True)`` (404 outside the actor's reach, 403 read-only, row locked), validates, changes it,
writes its timeline events and messages in the same transaction, and returns the fresh grievance.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.grievances.enums import (
    LEVEL_ORDER,
    OPEN_STATUSES,
    ApprovalAction,
    ApprovalStatus,
    AssignmentRole,
    EventKind,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import ApprovalRequest, Department, Grievance, GrievanceAssignment
from sangathan.grievances.policies import grievance_reach
from sangathan.grievances.selectors import grievance_get_for_actor
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import notify_complainant, notify_person
from sangathan.grievances.services.routing import LEVEL_AFTER, LEVEL_BELOW, route_new, state_member_pick
from sangathan.grievances.services.sla import sla_pause, sla_resume, sla_start
from sangathan.grievances.workdays import end_of_day
from sangathan.people.models import Person

TEXT_MAX = 2000


def lock_for_write(grievance: Grievance | int, actor) -> Grievance:
    if actor is None:
        # The system itself (a periodic task of a higher app: the hearings' carry-over), not a reader.
        return Grievance.objects.select_for_update(of=("self",)).get(pk=getattr(grievance, "pk", grievance))
    return grievance_get_for_actor(getattr(grievance, "pk", grievance), actor, for_write=True)


def _require_open(grievance: Grievance, *, allowed=OPEN_STATUSES) -> None:
    if grievance.status not in allowed:
        raise DomainError(_("This grievance is %(status)s: that cannot be done now.")
                          % {"status": grievance.get_status_display()}, code="invalid_status", field="status")


def _require_text(text: str, field: str, message) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(message, code="required", field=field)
    check_length(text, field=field, max_length=TEXT_MAX)
    return text


def _save(grievance: Grievance) -> None:
    grievance.updated_at = clock.now()
    grievance.save()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _end_assignees(grievance: Grievance, *, roles=(AssignmentRole.ASSIGNEE,)) -> None:
    GrievanceAssignment.objects.filter(grievance=grievance, ended_at__isnull=True, role__in=roles).update(
        ended_at=clock.now())


def _add_assignee(grievance: Grievance, person_id: int, *, actor, level: str, note: str = "") -> GrievanceAssignment:
    assignment, _created = GrievanceAssignment.objects.get_or_create(
        grievance=grievance, person_id=person_id, role=AssignmentRole.ASSIGNEE, ended_at=None,
        defaults={"level": level, "assigned_by": _user(actor), "assigned_at": clock.now()})
    event_add(grievance=grievance, kind=EventKind.ASSIGNED, actor=actor, text=note,
              data={"person": person_id, "role": AssignmentRole.ASSIGNEE, "level": level})
    person = Person.objects.get(pk=person_id)
    due = f"{grievance.due_at:%d-%m-%Y}" if grievance.due_at else "-"
    notify_person(grievance=grievance, person=person, template_code="grievance_assigned", context={"due": due},
                  key=f"assigned:{level}:{grievance.escalation_count}:{grievance.reopened_count}", actor=actor)
    return assignment


def is_minister(person: Person) -> bool:
    return Department.objects.filter(minister=person, is_active=True).exists()


def _move_to_state(grievance: Grievance, *, actor) -> int | None:
    """Hand the grievance to the state cell: a fresh state clock and the next cell member."""
    _end_assignees(grievance)
    sla_start(grievance, GrievanceLevel.STATE)
    grievance.status = GrievanceStatus.OPEN
    grievance.escalated_at = clock.now()
    grievance.escalation_count += 1
    _save(grievance)
    member = state_member_pick(exclude_person_id=grievance.named_person_id)
    if member is not None:
        _add_assignee(grievance, member, actor=actor, level=GrievanceLevel.STATE)
    return member


def _move_to_minister(grievance: Grievance, minister: Person, *, actor, note: str = "") -> None:
    _end_assignees(grievance)
    sla_start(grievance, GrievanceLevel.MINISTER)
    grievance.status = GrievanceStatus.OPEN
    grievance.escalated_at = clock.now()
    grievance.escalation_count += 1
    _save(grievance)
    _add_assignee(grievance, minister.pk, actor=actor, level=GrievanceLevel.MINISTER, note=note)


def _request_approval(grievance: Grievance, *, actor, action: str, reason: str, payload: dict) -> ApprovalRequest:
    if grievance.status == GrievanceStatus.PENDING_APPROVAL:
        raise DomainError(_("An approval for this grievance is already pending."), code="duplicate", field="status")
    approval = ApprovalRequest.objects.create(grievance=grievance, action=action, payload=payload, reason=reason,
                                              previous_status=grievance.status, requested_by=_user(actor),
                                              requested_at=clock.now())
    sla_pause(grievance)
    grievance.status = GrievanceStatus.PENDING_APPROVAL
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.APPROVAL_REQUESTED, actor=actor, text=reason,
              data={"approval": approval.pk, "action": action, **payload})
    return approval


@transaction.atomic
def grievance_assign(*, actor, grievance: Grievance, to_person: Person, note: str = "") -> Grievance:
    """Give the grievance to ``to_person``.

    To the minister of a department (``Department.minister``) it moves to the minister level — the state
    cell's decision; a policy matter then waits for the state convener's approval unless the convener
    assigns it. To anyone else it is added at the grievance's current level. The new assignee is told.
    """
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED, GrievanceStatus.FORWARDED))
    if to_person is None:
        raise DomainError(_("Choose whom to assign it to."), code="required", field="to_person")
    if to_person.pk == grievance.named_person_id:
        raise DomainError(_("This grievance names that person; it cannot be assigned to them."),
                          code="recused", field="to_person")
    note = (note or "").strip()
    check_length(note, field="note", max_length=TEXT_MAX)
    reach = grievance_reach(actor)
    if is_minister(to_person):
        if not reach.sees_all:
            raise PermissionDenied(_("Only the state support cell sends a grievance to a minister."))
        if grievance.is_policy_matter and not reach.may_approve:
            _request_approval(grievance, actor=actor, action=ApprovalAction.ASSIGN_MINISTER,
                              reason=note or _("Policy matter for the minister."), payload={"person": to_person.pk})
            return grievance
        _move_to_minister(grievance, to_person, actor=actor, note=note)
        return grievance
    if grievance.level != GrievanceLevel.DISTRICT and not (reach.sees_all or reach.is_superuser):
        raise PermissionDenied(_("Only the state support cell assigns at this level."))
    _add_assignee(grievance, to_person.pk, actor=actor, level=grievance.level, note=note)
    return grievance


@transaction.atomic
def grievance_forward(*, actor, grievance: Grievance, office: str, reference: str,
                      department: Department | None = None, forwarded_on: date | None = None) -> Grievance:
    """Send an administrative grievance to its department: the party's clock pauses while the department's
    own time limit (``Department.external_days``, calendar days from ``forwarded_on``) runs."""
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(GrievanceStatus.OPEN,))
    if grievance.kind != GrievanceKind.ADMINISTRATIVE:
        raise DomainError(_("Only administrative grievances go to a department."), field="kind")
    department = department or grievance.department
    if department is None or not department.is_active:
        raise DomainError(_("Unknown department."), code="unknown_department", field="department")
    office = _require_text(office, "office", _("Enter the office it was sent to."))
    reference = _require_text(reference, "reference", _("Enter the department's reference number."))
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
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.FORWARDED, actor=actor, public=True,
              text=f"{department.name_hi} — {office} ({reference})",
              data={"department": department.pk, "reference": reference, "office": office,
                    "external_due_at": grievance.external_due_at.isoformat()})
    notify_complainant(grievance=grievance, template_code="grievance_forwarded",
                       context={"department": department.name_hi, "reference": reference},
                       key=f"forwarded:{reference}", actor=actor)
    return grievance


@transaction.atomic
def grievance_escalate(*, actor, grievance: Grievance, reason: str) -> Grievance:
    """Move the grievance one level up by hand, with a reason.

    District → the state cell (shared among its members); state → the minister of its department
    (through approval for a policy matter). The minister level is the top.
    """
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.FORWARDED,
                                      GrievanceStatus.AWAITING_COMPLAINANT))
    reason = _require_text(reason, "reason", _("Give the reason for escalating."))
    target = LEVEL_AFTER.get(grievance.level)
    if target is None:
        raise DomainError(_("This grievance is already at the highest level."), code="top_level", field="level")
    if target == GrievanceLevel.MINISTER:
        minister = grievance.department.minister if grievance.department_id else None
        if minister is None:
            raise DomainError(_("No minister is set for this grievance's department."), field="department")
        event_add(grievance=grievance, kind=EventKind.ESCALATED, actor=actor, text=reason,
                  data={"to": target})
        return grievance_assign(actor=actor, grievance=grievance, to_person=minister, note=reason)
    _move_to_state(grievance, actor=actor)
    event_add(grievance=grievance, kind=EventKind.ESCALATED, actor=actor, text=reason, data={"to": target})
    notify_complainant(grievance=grievance, template_code="grievance_escalated",
                       context={"level": str(GrievanceLevel(target).label)},
                       key=f"escalated:{target}:{grievance.escalation_count}", actor=actor)
    return grievance


@transaction.atomic
def grievance_send_back(*, actor, grievance: Grievance, directions: str) -> Grievance:
    """A higher level returns the grievance one level down with directions; the lower level's clock
    starts afresh and its people are assigned again."""
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED))
    directions = _require_text(directions, "directions", _("Write the directions for the lower level."))
    target = LEVEL_BELOW.get(grievance.level)
    if target is None:
        raise DomainError(_("The district is the lowest level."), code="bottom_level", field="level")
    reach = grievance_reach(actor)
    if not reach.sees_all and not GrievanceAssignment.objects.filter(
            grievance=grievance, person_id=reach.person_id or 0, ended_at__isnull=True, role=AssignmentRole.ASSIGNEE,
            level=grievance.level).exists():
        raise PermissionDenied(_("Only the level that holds the grievance sends it back."))
    _end_assignees(grievance)
    sla_start(grievance, target)
    grievance.status = GrievanceStatus.OPEN
    grievance.hearing_on = None
    grievance.hearing_label = ""
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.SENT_BACK, actor=actor, text=directions, data={"to": target})
    if target == GrievanceLevel.DISTRICT:
        route_new(grievance, actor=actor)
    else:
        member = state_member_pick(exclude_person_id=grievance.named_person_id)
        if member is not None:
            _add_assignee(grievance, member, actor=actor, level=target, note=directions)
    return grievance


@transaction.atomic
def grievance_wait_for_complainant(*, actor, grievance: Grievance, question: str) -> Grievance:
    """Ask the complainant for something; the clock stops until ``grievance_resume``."""
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(GrievanceStatus.OPEN,))
    question = _require_text(question, "question", _("Write what the complainant must tell or bring."))
    sla_pause(grievance)
    grievance.status = GrievanceStatus.AWAITING_COMPLAINANT
    _save(grievance)
    event = event_add(grievance=grievance, kind=EventKind.WAITING, actor=actor, public=True, text=question)
    notify_complainant(grievance=grievance, template_code="grievance_waiting", context={"question": question[:120]},
                       key=f"waiting:{event.pk}", actor=actor)
    return grievance


@transaction.atomic
def grievance_resume(*, actor, grievance: Grievance, note: str = "") -> Grievance:
    """The complainant answered, or the department returned the case unsolved: the clock runs again with
    the working days that were left."""
    grievance = lock_for_write(grievance, actor)
    # SCHEDULED: the hearing was held and gave directions, or no further hearing is on the roster.
    _require_open(grievance, allowed=(GrievanceStatus.AWAITING_COMPLAINANT, GrievanceStatus.FORWARDED,
                                      GrievanceStatus.SCHEDULED))
    note = (note or "").strip()
    check_length(note, field="note", max_length=TEXT_MAX)
    grievance.status = GrievanceStatus.OPEN
    sla_resume(grievance)
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.RESUMED, actor=actor, text=note)
    return grievance


@transaction.atomic
def grievance_schedule_hearing(*, actor, grievance: Grievance, on: date, label: str) -> Grievance:
    """Put the grievance on a minister's hearing day (the rosters app's sessions call this). The clock
    stops; the complainant is told the date and place."""
    grievance = lock_for_write(grievance, actor)
    _require_open(grievance, allowed=(GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED))
    reach = grievance_reach(actor)
    if LEVEL_ORDER[grievance.level] < LEVEL_ORDER[GrievanceLevel.STATE] and not reach.sees_all:
        raise PermissionDenied(_("Hearings are scheduled by the state support cell."))
    if on is None or on < clock.today():
        raise DomainError(_("Choose a hearing date from today on."), field="on")
    label = _require_text(label, "label", _("Name the hearing."))
    check_length(label, field="label", max_length=200)
    sla_pause(grievance)
    grievance.status = GrievanceStatus.SCHEDULED
    grievance.hearing_on = on
    grievance.hearing_label = label
    _save(grievance)
    event_add(grievance=grievance, kind=EventKind.SCHEDULED, actor=actor, public=True,
              text=f"{on:%d-%m-%Y} — {label}", data={"on": on.isoformat(), "label": label})
    notify_complainant(grievance=grievance, template_code="grievance_hearing",
                       context={"date": f"{on:%d-%m-%Y}", "label": label}, key=f"hearing:{on.isoformat()}",
                       actor=actor)
    return grievance


@transaction.atomic
def grievance_add_note(*, actor, grievance: Grievance, text: str, public: bool = False):
    """A note on the timeline; a public one is what the complainant sees on the status page."""
    grievance = lock_for_write(grievance, actor)
    text = _require_text(text, "text", _("Write the note."))
    return event_add(grievance=grievance, kind=EventKind.NOTE, actor=actor, text=text, public=public)


@transaction.atomic
def grievance_decide_approval(*, actor, grievance: Grievance, approve: bool, note: str = "") -> Grievance:
    """The state convener approves or refuses the pending step. Approving carries it out; refusing
    returns the grievance to where it was, clock running again."""
    from sangathan.grievances.services.resolution import close_forced

    grievance = lock_for_write(grievance, actor)
    reach = grievance_reach(actor)
    if not reach.may_approve:
        raise PermissionDenied(_("Only the state convener of the Sahyog Cell approves this."))
    approval = ApprovalRequest.objects.select_for_update().filter(grievance=grievance,
                                                                  status=ApprovalStatus.PENDING).first()
    if approval is None:
        raise DomainError(_("Nothing is waiting for approval."), code="invalid_status", field="status")
    if approval.requested_by_id == actor.pk:
        raise PermissionDenied(_("A request cannot be approved by the person who made it."))
    note = (note or "").strip()
    check_length(note, field="note", max_length=TEXT_MAX)
    approval.status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    approval.decided_by = _user(actor)
    approval.decided_at = clock.now()
    approval.decision_note = note
    approval.save()
    event_add(grievance=grievance, kind=EventKind.APPROVED if approve else EventKind.REJECTED, actor=actor,
              text=note, data={"approval": approval.pk, "action": approval.action})
    if not approve:
        grievance.status = approval.previous_status
        if grievance.status == GrievanceStatus.OPEN:
            sla_resume(grievance)
        _save(grievance)
        return grievance
    if approval.action == ApprovalAction.ASSIGN_MINISTER:
        minister = Person.objects.get(pk=approval.payload["person"])
        _move_to_minister(grievance, minister, actor=actor, note=approval.reason)
    else:
        close_forced(grievance, actor=actor, reason=approval.reason)
    return grievance
