"""Hearing sessions: the cases on a sitting official's list, their tokens, outcomes, directions and the
carry-over of cases not heard.

The grievance itself changes only through ``grievances.services``: scheduling (``grievance_schedule_hearing``,
whose message to the complainant carries the token and the time), intake of walk-ins (``grievance_create``),
assignment to the sitting official (``grievance_assign``), resolution (``grievance_resolve``), notes and the
clock running again after directions (``grievance_resume``). This module keeps the session's list, tokens,
reminders, directions and carry-over, in the same transaction as those calls.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    AssignmentRole,
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
from sangathan.rosters.enums import (
    SLOT_MINUTES,
    CaseOutcome,
    CaseSource,
    DirectionStatus,
    HearingStatus,
    OfficeKind,
)
from sangathan.rosters.models import (
    HearingCase,
    HearingDirection,
    HearingSession,
    Office,
    RosterDay,
    SittingDay,
)
from sangathan.rosters.notify import notify_complainant_at, notify_owner
from sangathan.rosters.policies import may_run_hearing
from sangathan.rosters.services.common import actor_user

NOTE_MAX = 2000
DIRECTION_MAX = 1000
# The reminder goes this long before the complainant's slot (never after the session has ended).
REMINDER_BEFORE = timedelta(hours=2)
# A district office-bearer's next sitting is at most a week away.
SEARCH_DAYS = 7


@dataclass(frozen=True)
class DirectionIn:
    owner: object  # a Person
    text: str
    deadline: date


def _check_run(actor, session: HearingSession) -> None:
    if not may_run_hearing(actor=actor, session=session):
        raise PermissionDenied(_("Only the sitting official, the office's managers and the state support cell "
                                 "run this hearing."))


def _hours_for(office: Office, on: date, person) -> tuple | None:
    """(starts_at, ends_at, roster day) when ``person`` sits at ``office`` on ``on``, else None."""
    day = RosterDay.objects.filter(office=office, date=on, person=person).first()
    if day is not None:
        return day.starts_at, day.ends_at, day
    sitting = SittingDay.objects.filter(office=office, person=person, weekday=on.weekday()).first()
    if sitting is not None:
        return sitting.starts_at, sitting.ends_at, None
    return None


def _session_get_or_create(office: Office, on: date, person, hours: tuple) -> HearingSession:
    starts_at, ends_at, roster_day = hours
    session, _created = HearingSession.objects.get_or_create(
        office=office, date=on, person=person,
        defaults={"unit_path": office.unit_path, "starts_at": starts_at, "ends_at": ends_at,
                  "roster_day": roster_day})
    return session


@transaction.atomic
def hearing_session_open(*, actor, office: Office, on: date, person=None) -> HearingSession:
    """The session of ``person`` at ``office`` on ``on`` (created the first time), at the hours of their
    roster day or sitting day. ``person`` defaults to the roster's minister of the day at the state office,
    to the first office-bearer sitting that day at a district office."""
    if on is None:
        raise DomainError(_("Give the date."), code="required", field="on")
    if person is None and office.kind == OfficeKind.STATE:
        day = RosterDay.objects.filter(office=office, date=on).select_related("person").first()
        person = day.person if day else None
    elif person is None:
        sitting = (SittingDay.objects.filter(office=office, weekday=on.weekday()).select_related("person")
                   .order_by("starts_at", "id").first())
        person = sitting.person if sitting else None
    if person is None:
        raise DomainError(_("Choose who sits at the hearing."), code="required", field="person")
    hours = _hours_for(office, on, person)
    if hours is None:
        raise DomainError(_("This person does not sit at this office on that day."), code="not_sitting",
                          field="person")
    existing = HearingSession.objects.filter(office=office, date=on, person=person).first()
    probe = existing or HearingSession(office=office, unit_path=office.unit_path, date=on, person=person)
    _check_run(actor, probe)
    if existing is not None:
        return existing
    if on < clock.today():
        raise DomainError(_("A hearing cannot be opened for a past day."), code="past", field="on")
    return _session_get_or_create(office, on, person, hours)


def next_session_for(*, office: Office, person, after: date, any_person: bool = True) -> HearingSession | None:
    """The next session at ``office`` after ``after``: ``person``'s next roster or sitting day, else (when
    ``any_person``) whoever sits there next. Created when missing; None when nobody sits in sight."""
    if office.kind == OfficeKind.STATE:
        days = RosterDay.objects.filter(office=office, date__gt=after).order_by("date")
        day = days.filter(person=person).first() or (days.first() if any_person else None)
        if day is None:
            return None
        return _session_get_or_create(office, day.date, day.person, (day.starts_at, day.ends_at, day))
    sittings = list(SittingDay.objects.filter(office=office).select_related("person"))
    for offset in range(1, SEARCH_DAYS + 1):
        on = after + timedelta(days=offset)
        mine = [s for s in sittings if s.weekday == on.weekday() and s.person_id == person.pk]
        if mine:
            return _session_get_or_create(office, on, person, (mine[0].starts_at, mine[0].ends_at, None))
    if any_person:
        for offset in range(1, SEARCH_DAYS + 1):
            on = after + timedelta(days=offset)
            theirs = sorted((s for s in sittings if s.weekday == on.weekday()), key=lambda s: s.starts_at)
            if theirs:
                first = theirs[0]
                return _session_get_or_create(office, on, first.person, (first.starts_at, first.ends_at, None))
    return None


def _slot_at(session: HearingSession, token: int) -> datetime:
    start = timezone.make_aware(datetime.combine(session.date, session.starts_at))
    return start + timedelta(minutes=SLOT_MINUTES * (token - 1))


def _next_token(session: HearingSession) -> int:
    HearingSession.objects.filter(pk=session.pk).update(last_token=F("last_token") + 1)
    return HearingSession.objects.values_list("last_token", flat=True).get(pk=session.pk)


def _label(session: HearingSession, token: int, slot_at: datetime) -> str:
    # Data in the complainant's SMS (Hindi, like the message it goes into), not an interface string.
    local = timezone.localtime(slot_at)
    return (f"{session.office.name}, {session.person.name} — टोकन {token}, लगभग {local:%H:%M} बजे")[:200]


def _is_assignee(grievance: Grievance, person) -> bool:
    return GrievanceAssignment.objects.filter(grievance=grievance, person=person, role=AssignmentRole.ASSIGNEE,
                                              ended_at__isnull=True).exists()


def _remind(case: HearingCase, *, actor) -> None:
    session = case.session
    send_at = case.slot_at - REMINDER_BEFORE
    if send_at <= clock.now():
        return  # the token message has just gone: a reminder now would only repeat it
    ends = timezone.make_aware(datetime.combine(session.date, session.ends_at))
    local = timezone.localtime(case.slot_at)
    notify_complainant_at(grievance=case.grievance, template_code="hearing_reminder", key=f"hearing:{case.pk}:reminder",
                          context={"token": case.token, "time": f"{local:%H:%M}", "office": session.office.name,
                                   "date": f"{session.date:%d-%m-%Y}"},
                          send_at=send_at, expires_at=ends, actor=actor)


def _add_case(*, actor, session: HearingSession, grievance: Grievance, source: str,
              carried_from: HearingCase | None = None) -> HearingCase:
    if HearingCase.objects.filter(session=session, grievance=grievance).exists():
        raise DomainError(_("This grievance is already on this hearing's list."), code="duplicate",
                          field="grievance")
    token = _next_token(session)
    slot_at = _slot_at(session, token)
    # A minister's hearing stops the grievance's clock (the message to the complainant carries the token);
    # a district office's sitting day is the district cell's routine work and leaves its clock running.
    scheduled = source != CaseSource.WALK_IN and session.office.kind == OfficeKind.STATE
    if scheduled:
        grievance = grievance_schedule_hearing(actor=actor, grievance=grievance, on=session.date,
                                               label=_label(session, token, slot_at))
    case = HearingCase.objects.create(session=session, grievance=grievance, token=token, source=source,
                                      slot_at=slot_at, carried_from=carried_from, added_by=actor_user(actor),
                                      added_at=clock.now())
    case.session = session
    case.grievance = grievance
    if not scheduled:
        local = timezone.localtime(slot_at)
        notify_complainant_at(grievance=grievance, template_code="hearing_token", key=f"hearing:{case.pk}:token",
                              context={"token": token, "time": f"{local:%H:%M}", "office": session.office.name,
                                       "date": f"{session.date:%d-%m-%Y}"}, actor=actor)
    return case


@transaction.atomic
def hearing_schedule(*, actor, session: HearingSession, grievance: Grievance) -> HearingCase:
    """Put an open grievance on the session's list with the next token.

    The grievance goes to the sitting official first when they are not its assignee (``grievance_assign``:
    to a minister this is the state cell's decision), then is scheduled (``grievance_schedule_hearing``: the
    clock stops, the complainant is told the date, token and time). A reminder is queued for two hours
    before the slot.
    """
    session = HearingSession.objects.select_for_update().select_related("office", "person").get(pk=session.pk)
    _check_run(actor, session)
    if session.status != HearingStatus.OPEN or session.date < clock.today():
        raise DomainError(_("This hearing is over."), code="closed", field="session")
    if grievance.status not in (GrievanceStatus.OPEN, GrievanceStatus.SCHEDULED):
        raise DomainError(_("Only an open grievance can be heard."), code="invalid_status", field="grievance")
    waiting = HearingCase.objects.filter(grievance=grievance, outcome=CaseOutcome.WAITING).exclude(session=session)
    if waiting.exists():
        raise DomainError(_("This grievance is already waiting for another hearing."), code="duplicate",
                          field="grievance")
    if not _is_assignee(grievance, session.person):
        grievance = grievance_assign(actor=actor, grievance=grievance, to_person=session.person,
                                     note=_("For the hearing on %(date)s.") % {"date": f"{session.date:%d-%m-%Y}"})
        if grievance.status == GrievanceStatus.PENDING_APPROVAL:
            raise DomainError(_("This is a policy matter: the state convener must approve sending it to the "
                                "minister before it can be heard."), code="pending_approval", field="grievance")
    case = _add_case(actor=actor, session=session, grievance=grievance, source=CaseSource.SCHEDULED)
    _remind(case, actor=actor)
    return case


@transaction.atomic
def hearing_walk_in(*, actor, session: HearingSession, unit, kind: str, subject: str, description: str = "",
                    complainant=None, complainant_name: str = "", complainant_mobile: str = "",
                    department=None, attachments=()) -> HearingCase:
    """Take a grievance from someone who came to the hearing (``grievance_create`` with the hearing's
    channel), give it to the sitting official and a token; the complainant gets the token by SMS."""
    session = HearingSession.objects.select_for_update().select_related("office", "person").get(pk=session.pk)
    _check_run(actor, session)
    if session.status != HearingStatus.OPEN or session.date != clock.today():
        raise DomainError(_("Walk-ins are taken on the day of the hearing."), code="closed", field="session")
    channel = (GrievanceChannel.STATE_HEARING if session.office.kind == OfficeKind.STATE
               else GrievanceChannel.DISTRICT_OFFICE)
    grievance = grievance_create(actor=actor, unit=unit, channel=channel, kind=kind, subject=subject,
                                 description=description, complainant=complainant,
                                 complainant_name=complainant_name, complainant_mobile=complainant_mobile,
                                 department=department, attachments=attachments)
    if not _is_assignee(grievance, session.person):
        grievance = grievance_assign(actor=actor, grievance=grievance, to_person=session.person,
                                     note=_("Taken at the hearing."))
    return _add_case(actor=actor, session=session, grievance=grievance, source=CaseSource.WALK_IN)


def _clean_directions(directions) -> list[DirectionIn]:
    cleaned = []
    for index, item in enumerate(directions or ()):
        field = f"directions.{index}"
        if item.owner is None:
            raise DomainError(_("Choose who carries out the direction."), code="required", field=f"{field}.owner")
        text = (item.text or "").strip()
        if not text:
            raise DomainError(_("Write the direction."), code="required", field=f"{field}.text")
        check_length(text, field=f"{field}.text", max_length=DIRECTION_MAX)
        if item.deadline is None or item.deadline < clock.today():
            raise DomainError(_("Give a deadline from today on."), code="invalid", field=f"{field}.deadline")
        cleaned.append(DirectionIn(owner=item.owner, text=text, deadline=item.deadline))
    return cleaned


@transaction.atomic
def hearing_case_record(*, actor, case: HearingCase, outcome: str, note: str = "",
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
    _check_run(actor, session)
    if not case.is_waiting:
        raise DomainError(_("An outcome has already been recorded for this case."), code="recorded",
                          field="outcome")
    if session.date > clock.today():
        raise DomainError(_("The hearing has not taken place yet."), code="not_yet", field="outcome")
    if outcome not in (CaseOutcome.RESOLVED, CaseOutcome.DIRECTIONS, CaseOutcome.ADJOURNED):
        raise DomainError(_("Choose what came of the hearing."), code="invalid", field="outcome")
    note = (note or "").strip()
    check_length(note, field="note", max_length=NOTE_MAX)
    cleaned = _clean_directions(directions)
    if outcome == CaseOutcome.DIRECTIONS and not cleaned:
        raise DomainError(_("Give at least one direction."), code="required", field="directions")
    if outcome == CaseOutcome.RESOLVED and not note:
        raise DomainError(_("Write how it was resolved."), code="required", field="note")
    if outcome == CaseOutcome.ADJOURNED and not note:
        raise DomainError(_("Say why the hearing was adjourned."), code="required", field="note")
    grievance = case.grievance

    if outcome == CaseOutcome.RESOLVED:
        grievance_resolve(actor=actor, grievance=grievance, note=note)
    elif outcome == CaseOutcome.DIRECTIONS:
        lines = "\n".join(f"{d.owner.name}: {d.text} ({d.deadline:%d-%m-%Y})" for d in cleaned)
        text = _("Directions at the hearing of %(date)s:") % {"date": f"{session.date:%d-%m-%Y}"}
        grievance_add_note(actor=actor, grievance=grievance, text=f"{text}\n{lines}" + (f"\n{note}" if note else ""))
        if grievance.status == GrievanceStatus.SCHEDULED:
            grievance_resume(actor=actor, grievance=grievance, note=_("Heard; directions given."))
        for item in cleaned:
            direction = HearingDirection.objects.create(
                case=case, grievance=grievance, owner=item.owner, unit_path=grievance.unit_path, text=item.text,
                deadline=item.deadline, given_by=actor_user(actor))
            notify_owner(direction=direction, actor=actor)
    else:
        grievance_add_note(actor=actor, grievance=grievance,
                           text=_("Hearing adjourned: %(note)s") % {"note": note})
    case.outcome = outcome
    case.note = note
    case.recorded_by = actor_user(actor)
    case.recorded_at = clock.now()
    case.save(update_fields=["outcome", "note", "recorded_by", "recorded_at"])
    if outcome == CaseOutcome.ADJOURNED:
        _carry(case, actor=actor)
    return case


def _carry(case: HearingCase, *, actor) -> HearingCase | None:
    """Put ``case``'s grievance on the next session (the same official's first, else whoever sits next).

    With no session in sight the grievance goes back to its queue with its clock running."""
    session = case.session
    grievance = Grievance.objects.get(pk=case.grievance_id)
    if grievance.status not in OPEN_STATUSES:
        return None
    target = next_session_for(office=session.office, person=session.person, after=max(session.date, clock.today()))
    if target is None:
        if grievance.status == GrievanceStatus.SCHEDULED:
            grievance_resume(actor=actor, grievance=grievance,
                             note=_("Not heard, and no further hearing is on the roster."))
        return None
    if HearingCase.objects.filter(session=target, grievance=grievance).exists():
        return None
    if not _is_assignee(grievance, target.person) and actor is not None:
        grievance = grievance_assign(actor=actor, grievance=grievance, to_person=target.person,
                                     note=_("Carried over to the next hearing."))
    new = _add_case(actor=actor, session=target, grievance=grievance, source=CaseSource.CARRIED, carried_from=case)
    _remind(new, actor=actor)
    return new


@transaction.atomic
def hearings_carry_over(*, on: date | None = None) -> int:
    """Close the open sessions held on or before ``on`` (today by default) and carry every case still
    waiting to the next session. Run by the periodic task at the end of the day; returns the cases moved.

    The system acts here (no user): the grievances' scheduling runs without an actor.
    """
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
            if _carry(case, actor=None) is not None:
                moved += 1
        session.status = HearingStatus.CLOSED
        session.closed_at = clock.now()
        session.save(update_fields=["status", "closed_at", "updated_at"])
    return moved


@transaction.atomic
def hearing_direction_complete(*, actor, direction: HearingDirection, note: str = "") -> HearingDirection:
    """The owner (or whoever runs the hearing it came from) marks a direction done, with a note on the
    grievance's timeline."""
    direction = (HearingDirection.objects.select_for_update()
                 .select_related("case__session__office", "case__session__person", "grievance", "owner")
                 .get(pk=direction.pk))
    is_owner = getattr(actor, "person_id", None) == direction.owner_id
    if not is_owner and not may_run_hearing(actor=actor, session=direction.case.session):
        raise PermissionDenied(_("Only the person it was given to marks a direction done."))
    if direction.status != DirectionStatus.OPEN:
        raise DomainError(_("This direction is already done."), code="done", field="status")
    note = (note or "").strip()
    check_length(note, field="note", max_length=NOTE_MAX)
    direction.status = DirectionStatus.DONE
    direction.done_at = clock.now()
    direction.done_by = actor_user(actor)
    direction.done_note = note
    direction.save(update_fields=["status", "done_at", "done_by", "done_note", "updated_at"])
    from sangathan.grievances.enums import EventKind
    from sangathan.grievances.services.events import event_add

    event_add(grievance=direction.grievance, kind=EventKind.NOTE, actor=actor,
              text=_("Direction done: %(text)s") % {"text": direction.text[:200]} + (f" — {note}" if note else ""),
              data={"direction": direction.pk})
    return direction
