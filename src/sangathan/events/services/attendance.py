"""RSVP and attendance. Attendance is its own flag on the invitation (an RSVP "coming" is not attendance).

Two ways in, both carrying a nonce made by the phone, so a check-in that a phone sends twice (it was
offline, it retried) is one ``CheckIn`` row and counts once:

* the organizer marks people on the phone list (``AttendanceMark``), also with an attendee's pass code;
* the attendee types or scans the event's code (``CheckInByCode``). The code is an HMAC under the event's own
  key, so the phone list checks it offline; the server checks it again when the check-in arrives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.events.codes import code_matches, event_code, location_code
from sangathan.events.enums import CheckInMethod, EventStatus, Rsvp
from sangathan.events.models import CheckIn, Event, Invitation, ViewingLocation
from sangathan.events.policies import require_host, require_invitee, require_organize
from sangathan.events.services.common import history

NONCE_MAX = 64


def _nonce_clean(nonce: str) -> str:
    nonce = (nonce or "").strip()
    if not nonce or len(nonce) > NONCE_MAX:
        raise DomainError(_("A check-in needs a nonce of at most 64 characters."), field="nonce")
    return nonce


def _record(*, scope, event: Event, invitation: Invitation, nonce: str, method: str, at, location=None) -> bool:
    """Write the check-in; False when this nonce was already recorded (a replay)."""
    try:
        with transaction.atomic():
            CheckIn.objects.create(event=event, invitation=invitation, nonce=nonce, method=method, at=at,
                                   recorded_by=scope.actor, location=location)
    except IntegrityError:
        return False
    if not invitation.attended:
        Invitation.objects.filter(pk=invitation.pk).update(attended=True, attended_at=at, method=method)
        invitation.attended, invitation.attended_at, invitation.method = True, at, method
    return True


def _require_open(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("This event was cancelled."), code="cancelled")


@dataclass(kw_only=True)
class AttendanceMark(Action):
    """The organizer marks ``invitation`` present (from the phone list, maybe offline and sent later)."""

    invitation: Invitation
    nonce: str
    at: datetime | None = None

    name = "event.attendance"

    def check(self) -> None:
        require_organize(self.scope, self.invitation.event.unit_path)
        _require_open(self.invitation.event)
        self.nonce = _nonce_clean(self.nonce)

    def perform(self) -> bool:
        return _record(scope=self.scope, event=self.invitation.event, invitation=self.invitation, nonce=self.nonce,
                       method=CheckInMethod.ORGANIZER, at=self.at or clock.now())

    def log(self, counted: bool) -> None:
        if counted:
            history(scope=self.scope, event=self.invitation.event, action="attendance",
                    person=self.invitation.person_id)


attendance_mark = AttendanceMark.run


@dataclass(kw_only=True)
class CheckInByCode(Action):
    """The invitee checks themself in with the event's code. Returns True when it counted, False for a
    replayed nonce."""

    event: Event
    code: str
    nonce: str
    at: datetime | None = None

    name = "event.check_in"

    def check(self) -> None:
        self.invitation = (Invitation.objects.counted().filter(event=self.event, person_id=self.scope.person_id)
                           .first())
        require_invitee(self.scope, self.invitation)
        _require_open(self.event)
        self.nonce = _nonce_clean(self.nonce)
        # The event's code, or a group viewing location's own: then the check-in counts at that location.
        self.location = None
        if not code_matches(event_code(self.event), self.code):
            self.location = next((loc for loc in self.event.locations.all()
                                  if code_matches(location_code(loc), self.code)), None)
            if self.location is None:
                raise DomainError(_("This code is not right for this event."), code="bad_code", field="code")

    def perform(self) -> bool:
        return _record(scope=self.scope, event=self.event, invitation=self.invitation, nonce=self.nonce,
                       method=CheckInMethod.CODE, at=self.at or clock.now(), location=self.location)

    def log(self, counted: bool) -> None:
        if counted:
            history(scope=self.scope, event=self.event, action="check_in", person=self.invitation.person_id)


check_in_by_code = CheckInByCode.run


@dataclass(kw_only=True)
class LocationAttendanceMark(Action):
    """A group viewing location's host marks an invitee present there (a nonce per tap, as on the phone
    list); the organizer may too."""

    location: ViewingLocation
    invitation: Invitation
    nonce: str
    at: datetime | None = None

    name = "event.location_attendance"

    def check(self) -> None:
        require_host(self.scope, self.location)
        if self.invitation.event_id != self.location.event_id:
            raise DomainError(_("No such invitation."), code="not_found", field="invitation")
        _require_open(self.location.event)
        self.nonce = _nonce_clean(self.nonce)

    def perform(self) -> bool:
        return _record(scope=self.scope, event=self.location.event, invitation=self.invitation, nonce=self.nonce,
                       method=CheckInMethod.HOST, at=self.at or clock.now(), location=self.location)

    def log(self, counted: bool) -> None:
        if counted:
            history(scope=self.scope, event=self.location.event, action="attendance", person=self.invitation.person_id,
                    location=self.location.pk)


location_attendance_mark = LocationAttendanceMark.run


@dataclass(kw_only=True)
class RsvpSet(Action):
    """The invitee answers (or the organizer records the answer given by phone)."""

    invitation: Invitation
    answer: str

    name = "event.rsvp"

    def check(self) -> None:
        if self.scope.person_id != self.invitation.person_id:
            require_organize(self.scope, self.invitation.event.unit_path)
        if self.answer not in Rsvp.values or self.answer == Rsvp.PENDING:
            raise DomainError(_("Choose an answer."), field="answer")

    def perform(self) -> Invitation:
        Invitation.objects.filter(pk=self.invitation.pk).update(rsvp=self.answer)
        self.invitation.rsvp = self.answer
        return self.invitation

    def log(self, invitation: Invitation) -> None:
        history(scope=self.scope, event=invitation.event, action="rsvp", person=invitation.person_id,
                answer=self.answer)


rsvp_set = RsvpSet.run
