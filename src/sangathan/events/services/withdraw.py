"""Taking back what an event queued: its messages still waiting in the outbox (on cancelling, for the people
a narrower rule no longer names, and the reminders and change notices a new time or place makes stale) and
those people's invitations. Set-based: one UPDATE per table
whatever the number of invitees, so a live address to 100,000 is narrowed or cancelled in one request.

Helpers of ``EventUpdate`` and ``EventCancel`` (``events.services.edit``), which check the actor and write
the history row; they run inside the action's transaction."""

from __future__ import annotations

from datetime import datetime

from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import EndsWith

from sangathan.access.scope import Scope
from sangathan.events.dispatch import SHOWN, WITHDRAWN_MOVED, shown_values
from sangathan.events.invitees import invitee_ids
from sangathan.events.models import Dispatch, Event, Invitation
from sangathan.messaging.models import Message, MessageStatus
from sangathan.messaging.services import messages_rerender, messages_withdraw

# An invitee counts as told once the invitation left the outbox: handed to a provider, sent or delivered.
TOLD = (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED)
WITHDRAWN_CANCELLED = "event cancelled"
WITHDRAWN_UNINVITED = "no longer invited"


def invitation_messages(invitations: QuerySet) -> QuerySet:
    """The outbox rows of ``invitations``, whatever their purpose. Every key ``events.dispatch.message_key``
    writes starts with ``events:`` and ends with ``:<invitation id>`` (ids are unique across events, so a
    key names one invitation); the recipient narrows the search to their own few rows (the person index)."""
    own = (invitations.filter(person_id=OuterRef("person_id"))
           .annotate(tail=Concat(Value(":"), Cast("pk", CharField())))
           .filter(EndsWith(OuterRef("idempotency_key"), F("tail"))))
    return Message.objects.filter(person_id__in=invitations.values("person_id"),
                                  idempotency_key__startswith="events:").filter(Exists(own))


def sends_lock(event: Event) -> None:
    """Wait for a chunk of this event's fan-out under way (each chunk holds its dispatch's row): what it
    queues commits before our UPDATEs read, and the next chunk sees the event as changed."""
    list(Dispatch.objects.select_for_update().filter(event=event).values_list("pk", flat=True))


def event_messages_withdraw(*, scope: Scope, event: Event) -> int:
    """A cancelled event: every message of its invitations still queued (invitations, reminders, change
    notices) is withdrawn. The cancellation notice is queued after this, by its own dispatch."""
    return messages_withdraw(scope=scope, messages=invitation_messages(Invitation.objects.filter(event=event)),
                             reason=WITHDRAWN_CANCELLED)


def invitations_withdraw(*, scope: Scope, event: Event, now: datetime) -> dict:
    """After a change of rule: withdraw the current invitations of the people the rule no longer names
    (whoever the organizer's scope reads or not: a rule narrowed is narrowed for everyone), then their
    messages still queued. Rows, answers and attendance stay. Returns the counts for the history row and
    whether any of them had already been told (then they get a notice)."""
    wanted = invitee_ids(Scope.system(), event)
    withdrawn = (Invitation.objects.current().filter(event=event).exclude(person_id__in=wanted)
                 .update(withdrawn_at=now))
    if not withdrawn:
        return {"withdrawn": 0, "messages": 0, "told": 0}
    batch = Invitation.objects.filter(event=event, withdrawn_at=now)
    messages = messages_withdraw(scope=scope, messages=invitation_messages(batch), reason=WITHDRAWN_UNINVITED)
    told = batch.filter(message__status__in=TOLD).count()
    return {"withdrawn": withdrawn, "messages": messages, "told": told}


def stale_messages_withdraw(*, scope: Scope, event: Event, reminders: bool) -> int:
    """The event moved: its invitations and change notices still waiting tell a time or place no longer
    true, and, when its start or venue changed (``reminders``), so do its reminders still waiting. All are
    withdrawn; the change's dispatch sends the notice to who was told and the invitation, anew, to whom it
    had not left (``events.dispatch._queue``), and the reminders of a start unchanged again, with the new
    place (``events.dispatch._remind_anew``); the reminder job queues the reminders for a new start (their
    keys carry it)."""
    stale = Q(idempotency_key__startswith="events:moved:") | Q(idempotency_key__startswith="events:invite:")
    if reminders:
        stale |= Q(idempotency_key__startswith="events:remind_day:") | Q(idempotency_key__startswith="events:remind_soon:")
    messages = invitation_messages(Invitation.objects.filter(event=event)).filter(stale)
    return messages_withdraw(scope=scope, messages=messages, reason=WITHDRAWN_MOVED)


def shown_messages_refresh(*, scope: Scope, event: Event, fields) -> int:
    """A new title or phone-in number (``fields``, the event's changed fields): its messages still waiting
    in the outbox (invitations, reminders, notices) say the old one, so each is rendered again with the new
    value (``messaging.services.messages_rerender``); those already sent stay as they went."""
    values = shown_values(event)
    context = {SHOWN[name]: values[SHOWN[name]] for name in fields if name in SHOWN}
    if not context:
        return 0
    messages = invitation_messages(Invitation.objects.filter(event=event))
    return messages_rerender(scope=scope, messages=messages, context=context)
