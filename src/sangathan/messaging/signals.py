"""Signals the messaging app sends; apps above it react to them (DESIGN.md: cross-app reactions).

``inbound_reply(sender, channel, from_address, body, person)`` — an SMS or WhatsApp reply that is not a
STOP/START word arrived (``messaging.reports.inbound_reply_record``). ``channel`` is ``"sms"`` or
``"whatsapp"``, ``from_address`` the sender's number as the provider gave it, ``body`` the text, ``person``
the registry's person with that mobile or None. Receivers run inside the webhook's transaction; the
Sahyog Cell records a complainant's "1"/"2" confirmation from it.

``message_delivered(sender, message_id, idempotency_key, at)`` — a provider's receipt marked one of our
messages delivered (``messaging.reports.delivery_report_record``), once per message: ``at`` is the
delivery time the provider gave. Receivers run inside the webhook's transaction and should recognise their
own messages by the idempotency key's prefix before touching the database; the events app keeps the
invitation's "received" from it.
"""

from django.dispatch import Signal

inbound_reply = Signal()
message_delivered = Signal()
