"""The fan-out of an event's messages, walked by ``tasks.dispatch_run_task`` in chunks of invitees.

A ``Dispatch`` is created by an action (invitations sent, the event moved or cancelled) or by the reminder
job; this engine does the work a request must not do for a live address to a million workers. Each chunk
(``CHUNK`` invitees, keyset on id) runs in its own transaction: it writes the invitations (for invitations)
and queues one message each through ``messaging.messages_send_templated_bulk``, then moves the dispatch's
cursor. A crash loses at most the chunk in flight, which rolls back whole; a re-run or a retry resumes after
the cursor, and a chunk done twice writes nothing twice (one idempotency key per purpose and invitation).
The action that created the dispatch checked the actor and wrote the history row.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core import clock
from sangathan.events.enums import DispatchPurpose, DispatchStatus, EventKind, EventStatus, Rsvp
from sangathan.events.invitees import invitee_ids
from sangathan.events.models import Dispatch, Event, Invitation
from sangathan.events.texts import TEMPLATES, tracked_link, when_text, where_text
from sangathan.messaging.models import Message, MessageStatus
from sangathan.messaging.services import BulkItem, messages_send_templated_bulk, template_active

CHUNK = 5000

TEMPLATE_OF = {
    DispatchPurpose.REMIND_DAY: "events_reminder",
    DispatchPurpose.REMIND_SOON: "events_reminder",
    DispatchPurpose.MOVED: "events_moved",
    DispatchPurpose.CANCELLED: "events_cancelled",
    DispatchPurpose.UNINVITED: "events_uninvited",
}
REMINDERS = (DispatchPurpose.REMIND_DAY, DispatchPurpose.REMIND_SOON)
# Notices that reach only the invitees already told: who never heard of the event needs no word of its end.
TOLD = (MessageStatus.SENDING, MessageStatus.SENT, MessageStatus.DELIVERED)
# The reason a change of time or place gives the messages it withdraws (``services.withdraw``).
WITHDRAWN_MOVED = "event changed"


def _scope(dispatch: Dispatch) -> Scope:
    """Invitations reach only whom the organizer who sent them reads; jobs act as the system."""
    if dispatch.created_by_id is None:
        return Scope.system(channel="task")
    return scope_for_user(dispatch.created_by)


def message_key(dispatch: Dispatch, invitation: Invitation, change: int | None = None) -> str:
    """One message per invitation and purpose; a reminder once per start time (a moved event is reminded
    again) and once more per change of place that withdrew it waiting (``change``: that change's dispatch,
    ``_remind_anew``), a change notice once per change. An invitation and its "no longer invited" notice once per
    round: a person withdrawn and named again is invited again, and told again if withdrawn again (the
    first round keeps the keys it always had), and so its reminders (the first round's were withdrawn with
    it). Every key ends with ``:<invitation id>``
    (``events.services.withdraw.invitation_messages``)."""
    purpose, pk = dispatch.purpose, invitation.pk
    round_ = f"{invitation.round}:" if invitation.round > 1 else ""
    if purpose == DispatchPurpose.INVITE:
        return f"events:invite:{round_}{pk}"
    if purpose in REMINDERS:
        stamp = int(dispatch.event.starts_at.timestamp()) if dispatch.event.starts_at else 0
        anew = f"moved{change}:" if change else ""
        return f"events:{purpose}:{stamp}:{anew}{round_}{pk}"
    if purpose == DispatchPurpose.MOVED:
        return f"events:moved:{dispatch.pk}:{pk}"
    if purpose == DispatchPurpose.UNINVITED:
        return f"events:uninvited:{round_}{pk}"
    return f"events:cancelled:{pk}"


# The event's fields its messages show as they are (``_context``): a change of one of them renders the
# messages still waiting again (``services.withdraw.shown_messages_refresh``); a new time or place is a move.
SHOWN = {"title": "title", "phone_in": "phone"}


def shown_values(event: Event) -> dict:
    return {"title": event.title, "phone": event.phone_in or "—"}


def _context(dispatch: Dispatch, invitation_id: int) -> dict:
    event = dispatch.event
    context = {**shown_values(event), "when": when_text(event), "where": where_text(event),
               "link": tracked_link(invitation_id)}
    if dispatch.purpose == DispatchPurpose.CANCELLED:
        context["reason"] = event.cancel_reason or "—"
    return context


def invitation_template(event: Event) -> str:
    return "events_live" if event.kind == EventKind.LIVE else "events_invitation"


def template_code(dispatch: Dispatch) -> str:
    if dispatch.purpose == DispatchPurpose.INVITE:
        return invitation_template(dispatch.event)
    return TEMPLATE_OF[dispatch.purpose]


def _invite_chunk(dispatch: Dispatch, size: int) -> tuple[list[Invitation], int]:
    """Invite the next ``size`` people of the rule (keyset on the person's id); returns their invitations
    still without a message and the cursor after them."""
    event = dispatch.event
    ids = list(invitee_ids(_scope(dispatch), event).filter(pk__gt=dispatch.cursor).order_by("pk")
               .values_list("pk", flat=True)[:size])
    if not ids:
        return [], dispatch.cursor
    from sangathan.people.models import Person

    paths = dict(Person.objects.filter(pk__in=ids).values_list("pk", "unit_path"))
    Invitation.objects.bulk_create([Invitation(event=event, person_id=pk, unit_path=paths[pk]) for pk in ids],
                                   ignore_conflicts=True, batch_size=2000)
    # Named again by a widened rule: a new round of their invitation, sent again under keys of its own
    # (whether the first was withdrawn unsent or told and followed by "no longer invited").
    Invitation.objects.filter(event=event, person_id__in=ids, withdrawn_at__isnull=False).update(
        withdrawn_at=None, round=F("round") + 1, message=None)
    fresh = list(Invitation.objects.filter(event=event, person_id__in=ids, message__isnull=True)
                 .select_related("person"))
    dispatch.done += len(ids)
    return fresh, ids[-1]


def _recipients(dispatch: Dispatch):
    """The invitations a notice or reminder goes to: the current ones; a cancellation only to those already
    told; "no longer invited" only to the withdrawn ones already told."""
    invitations = Invitation.objects.filter(event=dispatch.event)
    if dispatch.purpose == DispatchPurpose.UNINVITED:
        return invitations.filter(withdrawn_at__isnull=False, message__status__in=TOLD)
    invitations = invitations.current()
    if dispatch.purpose == DispatchPurpose.CANCELLED:
        return invitations.filter(message__status__in=TOLD)
    return invitations


def _invitation_chunk(dispatch: Dispatch, size: int) -> tuple[list[Invitation], int]:
    invitations = _recipients(dispatch).filter(pk__gt=dispatch.cursor).select_related("person").order_by("pk")
    if dispatch.purpose == DispatchPurpose.MOVED:
        invitations = invitations.select_related("message")  # whether their invitation left (``_queue``)
    invitations = list(invitations[:size])
    if not invitations:
        return [], dispatch.cursor
    dispatch.done += len(invitations)
    cursor = invitations[-1].pk
    if dispatch.purpose in REMINDERS:
        invitations = [i for i in invitations if i.rsvp != Rsvp.NO]
    return invitations, cursor


def _waiting(invitation: Invitation) -> bool:
    """Their invitation never left: none queued yet, or the one queued was withdrawn by a move."""
    return invitation.message_id is None or invitation.message.status == MessageStatus.CANCELLED


def _queue(dispatch: Dispatch, invitations: list[Invitation], code: str | None = None,
           change: int | None = None) -> int:
    """Queue ``code`` (the dispatch's template by default) to ``invitations`` (``change``: see
    ``message_key``). A change notice goes to who was told; whose invitation had not left (withdrawn by the
    move, ``withdraw.stale_messages_withdraw``) gets the invitation itself instead, with the new time and
    place, under the change's key; whose reminder the change withdrew gets it again (``_remind_anew``)."""
    if not invitations:
        return 0
    if dispatch.purpose == DispatchPurpose.MOVED and code is None:
        waiting = [i for i in invitations if _waiting(i)]
        told = [i for i in invitations if not _waiting(i)]
        return _queue(dispatch, told, TEMPLATE_OF[DispatchPurpose.MOVED]) + _queue(
            dispatch, waiting, invitation_template(dispatch.event)) + _remind_anew(dispatch, invitations)
    code = code or template_code(dispatch)
    template_active(code, TEMPLATES)
    keys = {message_key(dispatch, i, change): i for i in invitations}
    items = [BulkItem(person=i.person, context=_context(dispatch, i.pk), idempotency_key=key)
             for key, i in keys.items()]
    expires = dispatch.event.starts_at if dispatch.purpose != DispatchPurpose.CANCELLED else None
    result = messages_send_templated_bulk(scope=_scope(dispatch), template_code=code, items=items,
                                          expires_at=expires)
    if code == invitation_template(dispatch.event):
        # The invitation points at its message: the funnel's "received" is that message's delivery.
        linked = []
        for key, message_id in Message.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", "pk"):
            invitation = keys[key]
            invitation.message_id = message_id
            linked.append(invitation)
        Invitation.objects.bulk_update(linked, ["message"], batch_size=2000)
    return result.queued


def _remind_again(dispatch: Dispatch, invitations: list[Invitation]) -> int:
    """People named again after a withdrawal (a new round; the withdrawal took back their reminders still
    waiting): once the reminders of the event's start have begun, they get the latest one, as everyone else
    did, under their round's key (a reminder's run still under way that reaches them writes nothing twice)."""
    again = [i for i in invitations if i.round > 1 and i.rsvp != Rsvp.NO]
    event = dispatch.event
    if not again or event.starts_at is None or event.starts_at <= clock.now():
        return 0
    purposes = set(Dispatch.objects.filter(event=event, purpose__in=REMINDERS).values_list("purpose", flat=True))
    latest = next((p for p in reversed(REMINDERS) if p in purposes), None)
    if latest is None:
        return 0
    return _queue(Dispatch(event=event, purpose=latest), again)


def _remind_anew(dispatch: Dispatch, invitations: list[Invitation]) -> int:
    """A change that left the start as it was (a new place; or a start moved back) withdrew the reminders of
    that start still waiting (``withdraw.stale_messages_withdraw``): each such reminder goes again, with the
    new place, under the change's key, unless the invitee has one of that kind waiting or gone already
    (sent again by the reminder job or an earlier change). Whose reminder had left gets the change notice
    only; a change of start leaves nothing to send again here (the reminder job reminds for the new start)."""
    event = dispatch.event
    wanted = {i.pk: i for i in invitations if i.rsvp != Rsvp.NO}
    if not wanted or event.starts_at is None or event.starts_at <= clock.now():
        return 0
    stamp = int(event.starts_at.timestamp())
    prefixes = Q()
    for purpose in REMINDERS:
        prefixes |= Q(idempotency_key__startswith=f"events:{purpose}:{stamp}:")
    withdrawn, kept = set(), set()
    rows = (Message.objects.filter(prefixes, person_id__in={i.person_id for i in wanted.values()})
            .values_list("idempotency_key", "status", "last_error"))
    for key, status, reason in rows:
        pk = int(key.rsplit(":", 1)[1])
        if pk not in wanted:
            continue  # the same person's reminder of another event at the same time
        if status != MessageStatus.CANCELLED:
            kept.add((key.split(":")[1], pk))
        elif reason == WITHDRAWN_MOVED:
            withdrawn.add((key.split(":")[1], pk))
    queued = 0
    for purpose in REMINDERS:
        again = [wanted[pk] for kind, pk in sorted(withdrawn - kept) if kind == purpose]
        queued += _queue(Dispatch(event=event, purpose=purpose), again, change=dispatch.pk)
    return queued


def _total(dispatch: Dispatch) -> int:
    if dispatch.purpose == DispatchPurpose.INVITE:
        return invitee_ids(_scope(dispatch), dispatch.event).count()
    return _recipients(dispatch).count()


def dispatch_step(*, dispatch_id: int, size: int = CHUNK) -> bool:
    """Do one chunk in one transaction; False when the dispatch is finished (or was already)."""
    with transaction.atomic():
        dispatch = (Dispatch.objects.select_for_update(of=("self",)).select_related("event", "event__venue", "event__unit",
                                                                         "created_by")
                    .filter(pk=dispatch_id).first())
        if dispatch is None or dispatch.status == DispatchStatus.DONE:
            return False
        event = dispatch.event
        stale = event.status != EventStatus.PLANNED and dispatch.purpose != DispatchPurpose.CANCELLED
        if dispatch.total is None:
            dispatch.total = 0 if stale else _total(dispatch)
        chunk = _invite_chunk if dispatch.purpose == DispatchPurpose.INVITE else _invitation_chunk
        invitations, cursor = ([], dispatch.cursor) if stale else chunk(dispatch, size)
        if cursor == dispatch.cursor:
            dispatch.status, dispatch.finished_at = DispatchStatus.DONE, timezone.now()
            dispatch.save(update_fields=["status", "finished_at", "total", "done"])
            return False
        dispatch.queued += _queue(dispatch, invitations)
        if dispatch.purpose == DispatchPurpose.INVITE:
            _remind_again(dispatch, invitations)
        dispatch.cursor, dispatch.status = cursor, DispatchStatus.RUNNING
        dispatch.save(update_fields=["cursor", "status", "total", "done", "queued"])
        return True


def dispatch_run(*, dispatch_id: int, size: int = CHUNK) -> int:
    """Walk the dispatch to its end from its cursor; returns the number of chunks done by this run."""
    steps = 0
    while dispatch_step(dispatch_id=dispatch_id, size=size):
        steps += 1
    return steps


# The reminders: the day before (sent between 24 and 2 hours ahead) and two hours before.
REMINDER_WINDOWS = (
    (DispatchPurpose.REMIND_DAY, timedelta(hours=2), timedelta(hours=24)),
    (DispatchPurpose.REMIND_SOON, timedelta(0), timedelta(hours=2)),
)


def reminders_due(*, now=None) -> list[int]:
    """Create the reminder dispatches that are due (once per event and kind: the unique key refuses a
    second); returns their ids for the caller to run."""
    now = now or clock.now()
    created = []
    for purpose, after, before in REMINDER_WINDOWS:
        events = (Event.objects.filter(status=EventStatus.PLANNED, starts_at__gt=now + after,
                                       starts_at__lte=now + before, invitations__isnull=False,
                                       invitations__withdrawn_at__isnull=True)
                  .exclude(dispatches__purpose=purpose).distinct().values_list("pk", flat=True))
        for event_id in events:
            dispatch, made = Dispatch.objects.get_or_create(event_id=event_id, purpose=purpose)
            if made:
                created.append(dispatch.pk)
    return created
