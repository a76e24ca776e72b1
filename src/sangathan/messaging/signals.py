"""Signals the messaging app sends; apps above it react to them (DESIGN.md: cross-app reactions).

``inbound_reply(sender, channel, from_address, body, person)`` — an SMS or WhatsApp reply that is not a
STOP/START word arrived (``messaging.reports.inbound_reply_record``). ``channel`` is ``"sms"`` or
``"whatsapp"``, ``from_address`` the sender's number as the provider gave it, ``body`` the text, ``person``
the registry's person with that mobile or None. Receivers run inside the webhook's transaction; the
Sahyog Cell records a complainant's "1"/"2" confirmation from it.
"""

from django.dispatch import Signal

inbound_reply = Signal()
