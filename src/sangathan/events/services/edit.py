"""Changing and cancelling a planned event. Both need the organizer's rule at the host unit, leave an
``EventHistory`` row with what changed, and tell the invitees through the outbox (a ``Dispatch`` run by
the worker after commit). A held event keeps its time and place as the record; a cancelled one is final.

Cancelling withdraws every message of the event still waiting in the outbox, and the invitees already
told get the cancellation notice. A changed rule withdraws the invitations of the people it no longer
names (and their waiting messages; those already told get a short notice) and invites who is new, a person
named again getting a new round of their invitation (``events.services.withdraw``, ``events.dispatch``). A
new time or place withdraws the reminders and change notices still waiting that tell the old one; the
invitees get the change notice, the reminder job reminds them again for a new start, and a new place alone
sends the reminders it withdrew again, with it. A new title or phone-in number is no move: the messages
still waiting are rendered again with it, and nobody is told of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.events import clashes
from sangathan.events.dispatch import SHOWN
from sangathan.events.enums import DispatchPurpose, DispatchStatus, EventKind, EventStatus
from sangathan.events.invitees import invitee_ids, rule_clean
from sangathan.events.models import Dispatch, Event, Invitation, Venue
from sangathan.events.policies import require_organize
from sangathan.events.services.common import history
from sangathan.events.services.events import check_times
from sangathan.events.services.sending import dispatch_create
from sangathan.events.services.withdraw import (
    event_messages_withdraw,
    invitations_withdraw,
    sends_lock,
    shown_messages_refresh,
    stale_messages_withdraw,
)

UNSET = object()
# What a change tells the invitees about, and what sends new invitations.
MOVING = ("starts_at", "ends_at", "venue")
REMINDERS = (DispatchPurpose.REMIND_DAY, DispatchPurpose.REMIND_SOON)


def _require_planned(event: Event, field: str) -> None:
    if event.status == EventStatus.HELD:
        raise DomainError(_("This event was held: its time and place stay as recorded."), code="held", field=field)
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("This event was cancelled."), code="cancelled", field=field)


def _show(value) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Venue):
        return value.pk
    return value


@dataclass(kw_only=True)
class EventUpdate(Action):
    """Change a planned event: title, time, venue, who is invited, link. A new time or venue is checked for
    clashes and the venue's capacity as on creation (refused unless ``allow_clash``, then kept in
    ``warnings``) and the invitees are told it moved; a wider rule invites who is new. Fields left
    ``UNSET`` stay as they are."""

    event: Event
    title: object = UNSET
    starts_at: object = UNSET
    ends_at: object = UNSET
    venue: object = UNSET
    invite_rule: object = UNSET
    link: object = UNSET
    phone_in: object = UNSET
    allow_clash: bool = False

    name = "event.update"

    def _changes(self) -> dict:
        changes = {}
        for name in ("title", "starts_at", "ends_at", "venue", "invite_rule", "link", "phone_in"):
            value = getattr(self, name)
            if value is not UNSET and value != getattr(self.event, name):
                changes[name] = value
        return changes

    def check(self) -> None:
        event = self.event
        require_organize(self.scope, event.unit_path)
        _require_planned(event, "starts_at")
        errors = FieldErrors()
        if self.title is not UNSET and not (self.title or "").strip():
            errors.add("title", _("This field is required."), code="required")
        if self.title is not UNSET:
            self.title = (self.title or "").strip()
        if self.starts_at is not UNSET and self.ends_at is UNSET and self.starts_at and event.starts_at:
            self.ends_at = self.starts_at + ((event.ends_at or event.starts_at) - event.starts_at)
        starts_at = event.starts_at if self.starts_at is UNSET else self.starts_at
        ends_at = event.ends_at if self.ends_at is UNSET else self.ends_at
        if self.starts_at is not UNSET or self.ends_at is not UNSET:
            check_times(errors, starts_at, ends_at)
        if self.venue not in (UNSET, None) and not self.scope.can_read_path(self.venue.unit_path):
            errors.add("venue", _("Not found."), code="not_found")
        if self.invite_rule is not UNSET:
            with errors.collect("invite_rule"):
                self.invite_rule = rule_clean(self.invite_rule or {})
        errors.raise_if_any()
        self.changes = self._changes()
        self.warnings = []
        if not any(name in self.changes for name in MOVING):
            return
        venue = event.venue if self.venue is UNSET else self.venue
        ends_at = ends_at or starts_at + timedelta(hours=2)
        people = [p for p in (event.organizer_id, event.tour.leader_id if event.tour_id else None) if p]
        if event.kind == EventKind.ONE_TO_ONE:
            people += list(event.invite_rule.get("people", []))
        self.warnings = clashes.event_clashes(starts_at=starts_at, ends_at=ends_at, venue=venue, people=people,
                                              exclude_id=event.pk)
        if self.warnings and not self.allow_clash:
            raise DomainError(clashes.describe(self.warnings[0]), code="clash", field="starts_at")
        self._check_capacity(venue)

    def _check_capacity(self, venue) -> None:
        if venue is None or not venue.capacity or self.allow_clash:
            return
        invited = Invitation.objects.current().filter(event=self.event).count()
        if "invite_rule" in self.changes:
            probe = Event(pk=self.event.pk, unit=self.event.unit, unit_path=self.event.unit_path,
                          invite_rule=self.invite_rule)
            invited = max(invited, invitee_ids(self.scope, probe).count())
        if invited > venue.capacity:
            raise DomainError(_("The venue holds %(capacity)s; %(invited)s are invited.")
                              % {"capacity": venue.capacity, "invited": invited}, code="capacity", field="venue")

    def perform(self) -> Event:
        event = self.event
        self.before = {name: _show(getattr(event, name)) for name in self.changes}
        for name, value in self.changes.items():
            setattr(event, name, value)
        if self.changes:
            event.save(update_fields=[*self.changes, "updated_at"])
        self.dispatches, self.withdrawn, self.stale = [], None, None
        if "invite_rule" in self.changes:
            sends_lock(event)
            self.withdrawn = invitations_withdraw(scope=self.scope, event=event, now=clock.now())
            if self.withdrawn["told"]:
                self.dispatches.append(dispatch_create(scope=self.scope, event=event,
                                                       purpose=DispatchPurpose.UNINVITED))
        invited = Invitation.objects.current().filter(event=event).exists()
        if any(name in self.changes for name in MOVING):
            self.stale = self._stale_withdraw(event)
        self.refreshed = None
        if any(name in self.changes for name in SHOWN):
            # A fan-out chunk under way commits first; its later chunks read the new value.
            sends_lock(event)
            self.refreshed = shown_messages_refresh(scope=self.scope, event=event, fields=self.changes)
        if invited and any(name in self.changes for name in MOVING):
            self.dispatches.append(dispatch_create(scope=self.scope, event=event, purpose=DispatchPurpose.MOVED,
                                                   before=self.before))
        if "invite_rule" in self.changes and (invited or self.withdrawn["withdrawn"]):
            # A second rule of an event already sent invites who is new (a narrowed one: maybe nobody).
            self.dispatches.append(dispatch_create(scope=self.scope, event=event, purpose=DispatchPurpose.INVITE))
        return event

    def _stale_withdraw(self, event: Event) -> int:
        """A new time or place: withdraw the invitations, reminders (on a new start or venue) and change
        notices still waiting, which tell the old one, and end the change notices' fan-outs not finished
        (the new one follows, and sends again with the new place the reminders of an unchanged start it
        withdrew, ``dispatch._remind_anew``); a new start lets the reminder job send the reminders again,
        at the new time (their dispatches go; their keys carry the start)."""
        sends_lock(event)  # a reminder's chunk under way commits before we withdraw what it queued
        # An earlier change notice not yet walked through is superseded by the one this change queues.
        (Dispatch.objects.filter(event=event, purpose=DispatchPurpose.MOVED).exclude(status=DispatchStatus.DONE)
         .update(status=DispatchStatus.DONE, finished_at=clock.now()))
        moved = "starts_at" in self.changes
        if moved:
            Dispatch.objects.filter(event=event, purpose__in=REMINDERS).delete()
        return stale_messages_withdraw(scope=self.scope, event=event, reminders=moved or "venue" in self.changes)

    def log(self, event: Event) -> None:
        extra = {"withdrawn": self.withdrawn} if self.withdrawn else {}
        if self.stale is not None:
            extra["stale_withdrawn"] = self.stale
        if self.refreshed is not None:
            extra["messages_refreshed"] = self.refreshed
        history(scope=self.scope, event=event, action="updated", before=self.before,
                after={name: _show(value) for name, value in self.changes.items()},
                clashes=len(self.warnings), dispatches=[d.pk for d in self.dispatches], **extra)


event_update = EventUpdate.run


@dataclass(kw_only=True)
class EventCancel(Action):
    """Cancel a planned event with a reason: its messages still waiting in the outbox are withdrawn, the
    invitees already told get the notice, it leaves their calendars (iCal marks it CANCELLED), and a series'
    occurrence cancelled counts as not held."""

    event: Event
    reason: str

    name = "event.cancel"

    def check(self) -> None:
        require_organize(self.scope, self.event.unit_path)
        _require_planned(self.event, "reason")
        self.reason = (self.reason or "").strip()
        if not self.reason:
            raise DomainError(_("Give the reason for cancelling."), code="required", field="reason")
        if len(self.reason) > 300:
            raise DomainError(_("At most 300 characters."), code="too_long", field="reason")

    def perform(self) -> Event:
        event = self.event
        event.status, event.cancel_reason = EventStatus.CANCELLED, self.reason
        event.save(update_fields=["status", "cancel_reason", "updated_at"])
        sends_lock(event)
        self.withdrawn = event_messages_withdraw(scope=self.scope, event=event)
        self.dispatch = None
        if Invitation.objects.current().filter(event=event).exists():
            self.dispatch = dispatch_create(scope=self.scope, event=event, purpose=DispatchPurpose.CANCELLED)
        return event

    def log(self, event: Event) -> None:
        history(scope=self.scope, event=event, action="cancelled", reason=self.reason,
                dispatch=self.dispatch.pk if self.dispatch else None, messages_withdrawn=self.withdrawn)


event_cancel = EventCancel.run
