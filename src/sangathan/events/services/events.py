"""Writing events: create, invite (through the outbox), record that it was held, minutes, decisions, photos.
Every action needs the organizer's rule (``policies.require_organize``) at the host unit and leaves an
``EventHistory`` row in its transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.events import clashes
from sangathan.events.enums import DispatchPurpose, EventKind, EventStatus
from sangathan.events.invitees import rule_clean
from sangathan.events.models import Decision, Dispatch, Event, EventPhoto, Invitation, Tour, Venue
from sangathan.events.policies import require_organize
from sangathan.events.services.common import TEMPLATES, history
from sangathan.events.services.sending import dispatch_create
from sangathan.messaging.services import message_send_templated, template_active
from sangathan.org.models import Overlay, Unit
from sangathan.people.models import Person


def check_times(errors: FieldErrors, starts_at, ends_at) -> None:
    if starts_at is None:
        errors.add("starts_at", _("This field is required."), code="required")
    elif ends_at is not None and ends_at <= starts_at:
        errors.add("ends_at", _("The end must be after the start."), code="order")


@dataclass(kw_only=True)
class EventCreate(Action):
    """A one-off event at ``unit``. A clash (the organizer, the tour's leader or the venue busy at the same
    time) is refused unless ``allow_clash``; then it is kept in ``warnings``."""

    kind: str
    title: str
    unit: Unit
    starts_at: datetime | None
    ends_at: datetime | None = None
    venue: Venue | None = None
    overlay: Overlay | None = None
    organizer: Person | None = None
    invite_rule: dict = field(default_factory=dict)
    link: str = ""
    phone_in: str = ""
    tour: Tour | None = None
    allow_clash: bool = False

    name = "event.create"

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        errors = FieldErrors()
        if self.kind not in EventKind.values:
            errors.add("kind", _("Unknown kind of event."))
        if not self.title.strip():
            errors.add("title", _("This field is required."), code="required")
        check_times(errors, self.starts_at, self.ends_at)
        if self.venue is not None and not self.scope.can_read_path(self.venue.unit_path):
            errors.add("venue", _("Not found."), code="not_found")
        if self.tour is not None and not self.scope.can_read_path(self.tour.unit_path):
            errors.add("tour", _("Not found."), code="not_found")
        with errors.collect("invite_rule"):
            self.invite_rule = rule_clean(self.invite_rule)
        errors.raise_if_any()
        if self.organizer is None and self.scope.person_id:
            self.organizer = Person.objects.filter(pk=self.scope.person_id).first()
        self.warnings = clashes.event_clashes(
            starts_at=self.starts_at, ends_at=self.ends_at or self.starts_at + timedelta(hours=2),
            venue=self.venue, people=self._people())
        if self.warnings and not self.allow_clash:
            raise DomainError(clashes.describe(self.warnings[0]), code="clash", field="starts_at")

    def _people(self) -> list[int]:
        """Who must be there: the organizer, the touring leader, and a one-to-one's invitee."""
        people = [p.pk for p in (self.organizer, self.tour.leader if self.tour else None) if p]
        if self.kind == EventKind.ONE_TO_ONE:
            people += list(self.invite_rule.get("people", []))
        return people

    def perform(self) -> Event:
        event = Event.objects.create(
            kind=self.kind, title=self.title.strip(), unit=self.unit, unit_path=self.unit.path, overlay=self.overlay,
            venue=self.venue, starts_at=self.starts_at, ends_at=self.ends_at or self.starts_at + timedelta(hours=2),
            organizer=self.organizer, invite_rule=self.invite_rule, link=self.link, phone_in=self.phone_in,
            tour=self.tour)
        if self.kind == EventKind.ONE_TO_ONE:
            # Its participant is busy from now on, not once the worker has sent the invitation: clashes read it.
            people = self.scope.filter(Person.objects.filter(pk__in=self.invite_rule.get("people", [])), "unit_path")
            Invitation.objects.bulk_create([Invitation(event=event, person_id=pk, unit_path=path)
                                            for pk, path in people.values_list("pk", "unit_path")])
        return event

    def log(self, event: Event) -> None:
        history(scope=self.scope, event=event, action="created", clashes=len(self.warnings))


event_create = EventCreate.run


@dataclass(kw_only=True)
class InvitationsSend(Action):
    """Invite the people the event's rule names (inside the organizer's scope), one message each through
    the outbox. The request writes only the ``Dispatch``; the worker walks the invitees in chunks after
    commit (``events.dispatch``), so a live address to a million workers is no slower to start than a
    meeting of ten. A second send invites only who is new. Reminders come from the reminder job."""

    event: Event

    name = "event.invite"

    def check(self) -> None:
        require_organize(self.scope, self.event.unit_path)
        if self.event.status != EventStatus.PLANNED:
            raise DomainError(_("This event is over."), code="closed")

    def perform(self) -> Dispatch:
        return dispatch_create(scope=self.scope, event=self.event, purpose=DispatchPurpose.INVITE)

    def log(self, dispatch: Dispatch) -> None:
        history(scope=self.scope, event=self.event, action="invited", dispatch=dispatch.pk)


invitations_send = InvitationsSend.run


@dataclass(kw_only=True)
class EventRecordHeld(Action):
    """The event took place: date, attendance, minutes and an optional photo as evidence (a mandal's tiffin
    meeting leaves the "not held" list this way)."""

    event: Event
    held_on: date
    attendance_count: int | None = None
    minutes: str = ""
    photo: object = None

    name = "event.held"

    def check(self) -> None:
        require_organize(self.scope, self.event.unit_path)
        errors = FieldErrors()
        if self.held_on is None:
            errors.add("held_on", _("This field is required."), code="required")
        elif self.held_on > clock.today():
            errors.add("held_on", _("This date is in the future."), code="future")
        if self.attendance_count is not None and self.attendance_count < 0:
            errors.add("attendance_count", _("Enter a whole number of 0 or more."))
        if self.event.status == EventStatus.CANCELLED:
            errors.add("held_on", _("This event was cancelled."), code="cancelled")
        errors.raise_if_any()

    def perform(self) -> Event:
        event = self.event
        event.status, event.held_on = EventStatus.HELD, self.held_on
        if self.attendance_count is not None:
            event.attendance_count = self.attendance_count
        if self.minutes.strip():
            event.minutes = self.minutes.strip()
        event.save(update_fields=["status", "held_on", "attendance_count", "minutes", "updated_at"])
        if self.photo:
            EventPhoto.objects.create(event=event, photo=self.photo, uploaded_by=self.scope.actor)
        return event

    def log(self, event: Event) -> None:
        history(scope=self.scope, event=event, action="held", held_on=self.held_on.isoformat(),
                attendance=self.attendance_count, photo=bool(self.photo))


event_record_held = EventRecordHeld.run


@dataclass(kw_only=True)
class DecisionAdd(Action):
    """A decision of the meeting, given to an owner with a deadline; the owner is told through the outbox."""

    event: Event
    text: str
    owner: Person
    deadline: date

    name = "event.decision"

    def check(self) -> None:
        require_organize(self.scope, self.event.unit_path)
        errors = FieldErrors()
        if not self.text.strip():
            errors.add("text", _("This field is required."), code="required")
        if not self.scope.can_read_path(self.owner.unit_path):
            errors.add("owner", _("Not found."), code="not_found")
        if self.deadline is None or self.deadline < clock.today():
            errors.add("deadline", _("The deadline cannot be in the past."), code="past")
        errors.raise_if_any()

    def perform(self) -> Decision:
        decision = Decision.objects.create(event=self.event, unit_path=self.event.unit_path, text=self.text.strip(),
                                           owner=self.owner, deadline=self.deadline)
        template_active("events_decision", TEMPLATES)
        message_send_templated(scope=self.scope, person=self.owner, template_code="events_decision",
                               context={"title": self.event.title, "text": decision.text[:200],
                                        "deadline": self.deadline.strftime("%d-%m-%Y")},
                               idempotency_key=f"events:decision:{decision.pk}")
        return decision

    def log(self, decision: Decision) -> None:
        history(scope=self.scope, event=self.event, action="decision", decision=decision.pk,
                owner=self.owner.pk, deadline=self.deadline.isoformat())


decision_add = DecisionAdd.run


@dataclass(kw_only=True)
class DecisionDone(Action):
    decision: Decision

    name = "event.decision_done"

    def check(self) -> None:
        if self.scope.person_id != self.decision.owner_id:
            require_organize(self.scope, self.decision.unit_path)

    def perform(self) -> Decision:
        self.decision.done_at = clock.now()
        self.decision.save(update_fields=["done_at", "updated_at"])
        return self.decision

    def log(self, decision: Decision) -> None:
        history(scope=self.scope, event=decision.event, action="decision_done", decision=decision.pk)


decision_done = DecisionDone.run
