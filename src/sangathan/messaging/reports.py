"""Writes caused by providers' webhooks: delivery reports and inbound replies (STOP and START).

Providers repeat a report until they get a 200, so recording is idempotent: the same (message, status,
time) adds no second ``DeliveryEvent`` and changes nothing.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from sangathan.access.scope import Scope
from sangathan.core.phones import try_normalize_mobile
from sangathan.messaging.models import DeliveryEvent, Message, MessageStatus, OptOutSource
from sangathan.messaging.services import opt_in, opt_out
from sangathan.messaging.signals import inbound_reply, message_delivered
from sangathan.people.models import Person

# Statuses providers report, mapped onto ours; anything else (read, queued at the operator …) is kept as
# an event without changing the message.
REPORTED_STATUS = {
    "delivered": MessageStatus.DELIVERED, "delivrd": MessageStatus.DELIVERED, "read": MessageStatus.DELIVERED,
    "failed": MessageStatus.FAILED, "undeliv": MessageStatus.FAILED, "undelivered": MessageStatus.FAILED,
    "rejected": MessageStatus.FAILED, "rejectd": MessageStatus.FAILED, "expired": MessageStatus.FAILED,
    "sent": MessageStatus.SENT,
}
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "रोकें", "बंद", "रोको"}
# The person's own way back, on the same channel: START reverses their STOP.
START_WORDS = {"start", "unstop", "subscribe", "शुरू", "चालू"}


def _word(text: str) -> str:
    return "".join((text or "").split()).lower()


@transaction.atomic
def delivery_report_record(*, provider: str, provider_message_id: str, status: str, at: datetime | None = None,
                           error: str = "", raw: dict | None = None) -> DeliveryEvent | None:
    """Record a provider's report on one of our messages; None when the id is not ours or it is a repeat.

    Takes no scope: the provider reports on a message the system sent; no actor, nothing to permit (the
    webhook authenticated the provider)."""
    if not provider_message_id:
        return None
    message = (Message.objects.select_for_update()
               .filter(provider=provider, provider_message_id=provider_message_id).first())
    if message is None:
        return None
    status = (status or "").strip().lower()
    at = at or timezone.now()
    try:
        with transaction.atomic():
            event = DeliveryEvent.objects.create(message=message, status=status[:20], at=at, raw=raw or {})
    except IntegrityError:
        return None
    mapped = REPORTED_STATUS.get(status)
    if mapped == MessageStatus.DELIVERED and message.status in (MessageStatus.SENDING, MessageStatus.SENT):
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.DELIVERED, delivered_at=at,
                                                     updated_at=timezone.now())
        message_delivered.send(sender=delivery_report_record, message_id=message.pk,
                               idempotency_key=message.idempotency_key, at=at)
    elif mapped == MessageStatus.FAILED and message.status in (MessageStatus.SENDING, MessageStatus.SENT):
        Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED,
                                                     last_error=(error or f"reported {status}")[:1000],
                                                     updated_at=timezone.now())
    return event


@transaction.atomic
def inbound_reply_record(*, scope: Scope, channel: str, from_address: str, text: str) -> bool:
    """Act on a reply: STOP opts the sender out of ``channel``, START opts them back in. True when it did.

    Any other reply is sent as the ``messaging.signals.inbound_reply`` signal for the apps above. The
    webhook passes ``Scope.system(channel="api")``: the person acts through their provider, not a login.
    """
    word = _word(text)
    mobile = try_normalize_mobile(from_address if from_address.startswith("+") else "+" + from_address.lstrip("0"))
    if mobile is None:
        mobile = try_normalize_mobile(from_address)
    person = Person.objects.filter(mobile=mobile).first() if mobile else None
    if word not in STOP_WORDS and word not in START_WORDS:
        inbound_reply.send(sender=inbound_reply_record, channel=channel, from_address=from_address, body=text or "",
                           person=person)
        return False
    if person is None:
        return False
    if word in START_WORDS:
        return opt_in(scope=scope, person=person, channel=channel)
    opt_out(scope=scope, person=person, channel=channel, source=OptOutSource.STOP_REPLY)
    return True
