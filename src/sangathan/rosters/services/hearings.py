"""A hearing's cases: their tokens, outcomes, directions and the carry-over of cases not heard.

The grievance itself changes only through ``grievances.services``: scheduling (``grievance_schedule_hearing``,
whose message to the complainant carries the token and the time), intake of walk-ins (``grievance_create``),
assignment to the sitting official (``grievance_assign``), resolution (``grievance_resolve``), notes and the
clock running again after directions (``grievance_resume``). This module keeps the session's list, tokens,
reminders, directions and carry-over, in the same transaction as those calls; every function takes the
acting ``scope`` (``Scope.system()`` for the end-of-day carry-over).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, NotFound, PermissionDenied, check_length
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    AssignmentRole,
    EventKind,
    GrievanceChannel,
    GrievanceStatus,
)
from sangathan.grievances.models import Grievance, GrievanceAssignment
from sangathan.grievances.services import (
    grievance_add_note,
    grievance_assign,
    grievance_create,
    grievance_resolve,
    grievance_resume,
    grievance_schedule_hearing,
)
from sangathan.grievances.services.events import event_add
from sangathan.rosters.enums import CaseOutcome, CaseSource, DirectionStatus, HearingStatus, OfficeKind
from sangathan.rosters.models import HearingCase, HearingDirection, HearingSession, Office, RosterDay
from sangathan.rosters.notify import notify_complainant_at, notify_owner
from sangathan.rosters.policies import may_run_hearing
from sangathan.rosters.selectors import direction_owners
from sangathan.rosters.services.sessions import (
    _next_token,
    check_run,
    hearing_label,
    hearing_session_open,
    next_session_for,
    slot_at_for,
)

NOTE_MAX = 2000
DIRECTION_MAX = 1000
# The reminder goes this long before the complainant's slot (never after the session has ended).
REMINDER_BEFORE = timedelta(hours=2)


@dataclass(frozen=True)
class DirectionIn:
    owner: object  # a Person
    text: str
    deadline: date


def _is_assignee(grievance: Grievance, person) -> bool:
    return GrievanceAssignment.objects.filter(grievance=grievance, person=person, role=AssignmentRole.ASSIGNEE,
                                              ended_at__isnull=True).exists()


def _remind(case: HearingCase, *, scope: Scope) -> None:
    session = case.session
    send_at = case.slot_at - REMINDER_BEFORE
    if send_at <= clock.now():
        return  # the token message has just gone: a reminder now would only repeat it
    ends = timezone.make_aware(datetime.combine(session.date, session.ends_at))
    local = timezone.localtime(case.slot_at)
    notify_complainant_at(grievance=case.grievance, template_code="hearing_reminder", key=f"hearing:{case.pk}:reminder",
                          context={"token": case.token, "time": f"{local:%H:%M}", "office": session.office.name,
                                   "date": f"{session.date:%d-%m-%Y}"},
                          send_at=send_at, expires_at=ends, scope=scope)


def _add_case(*, scope: Scope, session: HearingSession, grievance: Grievance, source: str,
              carried_from: HearingCase | None = None) -> HearingCase:
    if HearingCase.objects.filter(session=session, grievance=grievance).exists():
        raise DomainError(_("This grievance is already on this hearing's list."), code="duplicate",
                          field="grievance")
    token = _next_token(session)
    slot_at = slot_at_for(session, token)
    # A minister's hearing stops the grievance's clock (the message to the complainant carries the token);
    # a district office's sitting day is the district cell's routine work and leaves its clock running.
    scheduled = source != CaseSource.WALK_IN and session.office.kind == OfficeKind.STATE
    # The case first: scheduling asks the rosters (``hearing_scheduling``) and finds the grievance listed.
    case = HearingCase.objects.create(session=session, grievance=grievance, token=token, source=source,
                                      slot_at=slot_at, carried_from=carried_from, added_by=scope.actor,
                                      added_at=clock.now())
    if scheduled:
        grievance = grievance_schedule_hearing(scope=scope, grievance=grievance, on=session.date,
                                               label=hearing_label(session, token, slot_at))
    case.session = session
    case.grievance = grievance
    if not scheduled:
        local = timezone.localtime(slot_at)
        notify_complainant_at(grievance=grievance, template_code="hearing_token", key=f"hearing:{case.pk}:token",
                              context={"token": token, "time": f"{local:%H:%M}", "office": session.office.name,
                                       "date": f"{session.date:%d-%m-%Y}"}, scope=scope)
    return case


@transaction.atomic
def hearing_schedule(*, scope: Scope, session: HearingSession, grievance: Grievance) -> HearingCase:
    """Put an open grievance on the session's list with the next token.

    The grievance goes to the sitting official first when they are not its assignee (``grievance_assign``:
    to a minister this is the state cell's decision), then is scheduled (``grievance_schedule_hearing``: the
    clock stops, the complainant is told the date, token and time). A reminder is queued for two hours
    before the slot.
    """
    session = HearingSession.objects.select_for_update().select_related("office", "person").get(pk=session.pk)
    check_run(scope, session)
    if session.status != HearingStatus.OPEN or session.date < clock.today():
        raise DomainError(_("This hearing is over."), code="closed", field="session")
    if grievance.status not in (GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED):
        raise DomainError(_("Only an open grievance can be heard."), code="invalid_status", field="grievance")
    waiting = HearingCase.objects.filter(grievance=grievance, outcome=CaseOutcome.WAITING).exclude(session=session)
    if waiting.exists():
        raise DomainError(_("This grievance is already waiting for another hearing."), code="duplicate",
                          field="grievance")
    if not _is_assignee(grievance, session.person):
        grievance = grievance_assign(scope=scope, grievance=grievance, to_person=session.person, at_hearing=True,
                                     note=_("For the hearing on %(date)s.") % {"date": f"{session.date:%d-%m-%Y}"})
        if grievance.status == GrievanceStatus.PENDING_APPROVAL:
            raise DomainError(_("This is a policy matter: the state convener must approve sending it to the "
                                "minister before it can be heard."), code="pending_approval", field="grievance")
    case = _add_case(scope=scope, session=session, grievance=grievance, source=CaseSource.SCHEDULED)
    _remind(case, scope=scope)
    return case


def hearing_list_on_day(*, scope: Scope, grievance: Grievance, on: date) -> Grievance | None:
    """Put ``grievance`` on the minister's hearing at the state office on ``on`` (``hearing_schedule``: the
    minister of the roster day, the next token, the message and the reminder) when it is scheduled for
    that day from elsewhere (the grievance's page, the API); the scheduled grievance.

    None when it is already on a list of that day (this module is scheduling it) or when no state office
    keeps a roster (nothing to list it on). DomainError (field ``on``) when no minister sits that day.
    """
    if HearingCase.objects.filter(grievance=grievance, session__date=on, outcome=CaseOutcome.WAITING).exists():
        return None
    offices = Office.objects.filter(kind=OfficeKind.STATE, is_active=True)
    if not offices.exists():
        return None
    day = RosterDay.objects.filter(office__in=offices, date=on).select_related("office", "person").first()
    if day is None:
        raise DomainError(_("No minister sits at the state office on this date. Choose a day of the roster."),
                          code="not_sitting", field="on")
    session = hearing_session_open(scope=scope, office=day.office, on=on, person=day.person)
    return hearing_schedule(scope=scope, session=session, grievance=grievance).grievance


@transaction.atomic
def hearing_walk_in(*, scope: Scope, session: HearingSession, unit, kind: str, subject: str, description: str = "",
                    complainant=None, complainant_name: str = "", complainant_mobile: str = "",
                    department=None, attachments=()) -> HearingCase:
    """Take a grievance from someone who came to the hearing (``grievance_create`` with the hearing's
    channel), give it to the sitting official and a token; the complainant gets the token by SMS."""
    session = HearingSession.objects.select_for_update().select_related("office", "person").get(pk=session.pk)
    check_run(scope, session)
    if session.status != HearingStatus.OPEN or session.date != clock.today():
        raise DomainError(_("Walk-ins are taken on the day of the hearing."), code="closed", field="session")
    channel = (GrievanceChannel.STATE_HEARING if session.office.kind == OfficeKind.STATE
               else GrievanceChannel.DISTRICT_OFFICE)
    grievance = grievance_create(scope=scope, unit=unit, channel=channel, kind=kind, subject=subject,
                                 description=description, complainant=complainant,
                                 complainant_name=complainant_name, complainant_mobile=complainant_mobile,
                                 department=department, attachments=attachments)
    if not _is_assignee(grievance, session.person):
        grievance = grievance_assign(scope=scope, grievance=grievance, to_person=session.person, at_hearing=True,
                                     note=_("Taken at the hearing."))
    return _add_case(scope=scope, session=session, grievance=grievance, source=CaseSource.WALK_IN)


def _clean_directions(directions, grievance: Grievance) -> list[DirectionIn]:
    """Each direction checked; its owner must be an office-bearer ``selectors.direction_owners`` offers
    (anyone else is as unknown as a missing person: NotFound)."""
    cleaned = []
    owners = None
    for index, item in enumerate(directions or ()):
        field = f"directions.{index}"
        if item.owner is None:
            raise DomainError(_("Choose who carries out the direction."), code="required", field=f"{field}.owner")
        owners = owners if owners is not None else {pid for pid, _label in direction_owners(grievance)}
        if getattr(item.owner, "pk", item.owner) not in owners:
            raise NotFound(_("No such person."), field=f"{field}.owner")
        text = (item.text or "").strip()
        if not text:
            raise DomainError(_("Write the direction."), code="required", field=f"{field}.text")
        check_length(text, field=f"{field}.text", max_length=DIRECTION_MAX)
        if item.deadline is None or item.deadline < clock.today():
            raise DomainError(_("Give a deadline from today on."), code="invalid", field=f"{field}.deadline")
        cleaned.append(DirectionIn(owner=item.owner, text=text, deadline=item.deadline))
    return cleaned


@transaction.atomic
def hearing_case_record(*, scope: Scope, case: HearingCase, outcome: str, note: str = "",
                        directions=()) -> HearingCase:
    """Record what came of a case at the hearing.

    * ``resolved``: ``grievance_resolve`` with ``note`` (the complainant is asked to confirm);
    * ``directions``: each of ``directions`` (owner, text, deadline) becomes a ``HearingDirection`` task,
      its owner is told, the directions go on the grievance's timeline, and its clock runs again;
    * ``adjourned``: the case moves to the sitting official's next session (another token, another
      reminder), with ``note`` on the timeline.
    """
    case = (HearingCase.objects.select_for_update().select_related("session__office", "session__person", "grievance")
            .get(pk=case.pk))
    session = case.session
    check_run(scope, session)
    if not case.is_waiting:
        raise DomainError(_("An outcome has already been recorded for this case."), code="recorded",
                          field="outcome")
    if session.date > clock.today():
        raise DomainError(_("The hearing has not taken place yet."), code="not_yet", field="outcome")
    if outcome not in (CaseOutcome.RESOLVED, CaseOutcome.DIRECTIONS, CaseOutcome.ADJOURNED):
        raise DomainError(_("Choose what came of the hearing."), code="invalid", field="outcome")
    note = (note or "").strip()
    check_length(note, field="note", max_length=NOTE_MAX)
    cleaned = _clean_directions(directions, case.grievance)
    if outcome == CaseOutcome.DIRECTIONS and not cleaned:
        raise DomainError(_("Give at least one direction."), code="required", field="directions")
    if outcome == CaseOutcome.RESOLVED and not note:
        raise DomainError(_("Write how it was resolved."), code="required", field="note")
    if outcome == CaseOutcome.ADJOURNED and not note:
        raise DomainError(_("Say why the hearing was adjourned."), code="required", field="note")
    grievance = case.grievance

    if outcome == CaseOutcome.RESOLVED:
        grievance_resolve(scope=scope, grievance=grievance, note=note)
    elif outcome == CaseOutcome.DIRECTIONS:
        lines = "\n".join(f"{d.owner.name}: {d.text} ({d.deadline:%d-%m-%Y})" for d in cleaned)
        text = _("Directions at the hearing of %(date)s:") % {"date": f"{session.date:%d-%m-%Y}"}
        grievance_add_note(scope=scope, grievance=grievance, text=f"{text}\n{lines}" + (f"\n{note}" if note else ""))
        if grievance.status == GrievanceStatus.SCHEDULED:
            grievance_resume(scope=scope, grievance=grievance, note=_("Heard; directions given."))
        for item in cleaned:
            direction = HearingDirection.objects.create(
                case=case, grievance=grievance, owner=item.owner, unit_path=grievance.unit_path, text=item.text,
                deadline=item.deadline, given_by=scope.actor)
            notify_owner(direction=direction, scope=scope)
    else:
        grievance_add_note(scope=scope, grievance=grievance,
                           text=_("Hearing adjourned: %(note)s") % {"note": note})
    case.outcome = outcome
    case.note = note
    case.recorded_by = scope.actor
    case.recorded_at = clock.now()
    case.save(update_fields=["outcome", "note", "recorded_by", "recorded_at"])
    if outcome == CaseOutcome.ADJOURNED:
        _carry(case, scope=scope)
    return case


def _carry(case: HearingCase, *, scope: Scope) -> HearingCase | None:
    """Put ``case``'s grievance on the next session (the same official's first, else whoever sits next).

    With no session in sight the grievance goes back to its queue with its clock running."""
    session = case.session
    grievance = Grievance.objects.get(pk=case.grievance_id)
    if grievance.status not in OPEN_STATUSES:
        return None
    target = next_session_for(office=session.office, person=session.person, after=max(session.date, clock.today()))
    if target is None:
        if grievance.status == GrievanceStatus.SCHEDULED:
            grievance_resume(scope=scope, grievance=grievance,
                             note=_("Not heard, and no further hearing is on the roster."))
        return None
    if HearingCase.objects.filter(session=target, grievance=grievance).exists():
        return None
    # The system carrying cases at the end of the day leaves the assignment to the cell.
    if not _is_assignee(grievance, target.person) and not scope.is_system:
        grievance = grievance_assign(scope=scope, grievance=grievance, to_person=target.person, at_hearing=True,
                                     note=_("Carried over to the next hearing."))
    new = _add_case(scope=scope, session=target, grievance=grievance, source=CaseSource.CARRIED, carried_from=case)
    _remind(new, scope=scope)
    return new


@transaction.atomic
def hearings_carry_over(*, scope: Scope, on: date | None = None) -> int:
    """Close the open sessions held on or before ``on`` (today by default) and carry every case still
    waiting to the next session. Run by the periodic task at the end of the day; returns the cases moved.

    The system acts here (``scope`` is ``Scope.system()``): the grievances' scheduling runs without an actor.
    """
    if not (scope.is_system or scope.is_superuser):
        raise PermissionDenied(_("Only the system carries hearings over."))
    on = on or clock.today()
    moved = 0
    sessions = (HearingSession.objects.select_for_update().filter(status=HearingStatus.OPEN, date__lte=on)
                .select_related("office", "person").order_by("date", "id"))
    for session in sessions:
        waiting = list(HearingCase.objects.filter(session=session, outcome=CaseOutcome.WAITING)
                       .select_related("session__office", "session__person").order_by("token"))
        for case in waiting:
            case.outcome = CaseOutcome.CARRIED
            case.recorded_at = clock.now()
            case.save(update_fields=["outcome", "recorded_at"])
            if _carry(case, scope=scope) is not None:
                moved += 1
        session.status = HearingStatus.CLOSED
        session.closed_at = clock.now()
        session.save(update_fields=["status", "closed_at", "updated_at"])
    return moved


@transaction.atomic
def hearing_direction_complete(*, scope: Scope, direction: HearingDirection, note: str = "") -> HearingDirection:
    """The owner (or whoever runs the hearing it came from) marks a direction done, with a note on the
    grievance's timeline."""
    direction = (HearingDirection.objects.select_for_update()
                 .select_related("case__session__office", "case__session__person", "grievance", "owner")
                 .get(pk=direction.pk))
    is_owner = bool(scope.person_id) and scope.person_id == direction.owner_id
    if not is_owner and not may_run_hearing(scope=scope, session=direction.case.session):
        raise PermissionDenied(_("Only the person it was given to marks a direction done."))
    if direction.status != DirectionStatus.OPEN:
        raise DomainError(_("This direction is already done."), code="done", field="status")
    note = (note or "").strip()
    check_length(note, field="note", max_length=NOTE_MAX)
    direction.status = DirectionStatus.DONE
    direction.done_at = clock.now()
    direction.done_by = scope.actor
    direction.done_note = note
    direction.save(update_fields=["status", "done_at", "done_by", "done_note", "updated_at"])
    event_add(scope=scope, grievance=direction.grievance, kind=EventKind.NOTE,
              text=_("Direction done: %(text)s") % {"text": direction.text[:200]} + (f" — {note}" if note else ""),
              data={"direction": direction.pk})
    return direction
