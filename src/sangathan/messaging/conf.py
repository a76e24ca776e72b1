"""Messaging settings, each overridable in Django settings and defaulting from the environment.

The embedded default sends nothing out: SMS, WhatsApp and email go to the console provider, which appends
to ``var/messages.log`` (the outbox row is the sent-message record). Production sets, for example::

    SANGATHAN_SMS_PROVIDER=http  SANGATHAN_SMS_HTTP_URL=https://gateway.example/api/send
    SANGATHAN_SMS_HTTP_API_KEY=…  SANGATHAN_SMS_SENDER_ID=SNGTHN  SANGATHAN_SMS_DLT_ENTITY_ID=…
    SANGATHAN_WHATSAPP_PROVIDER=cloud  SANGATHAN_WHATSAPP_PHONE_NUMBER_ID=…  SANGATHAN_WHATSAPP_TOKEN=…
    SANGATHAN_WHATSAPP_APP_SECRET=…  SANGATHAN_WHATSAPP_VERIFY_TOKEN=…
    SANGATHAN_EMAIL_PROVIDER=smtp  (then Django's EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER … apply)

Quiet hours and the election silence window are Python values, so they live in settings, not the
environment: ``SANGATHAN_ELECTION_SILENCE = [("2026-11-05T18:00+05:30", "2026-11-07T18:00+05:30", "0001")]``.
"""

import os

from django.conf import settings


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


DEFAULTS = {
    "SANGATHAN_SMS_PROVIDER": os.environ.get("SANGATHAN_SMS_PROVIDER", "console"),
    "SANGATHAN_WHATSAPP_PROVIDER": os.environ.get("SANGATHAN_WHATSAPP_PROVIDER", "console"),
    "SANGATHAN_EMAIL_PROVIDER": os.environ.get("SANGATHAN_EMAIL_PROVIDER", "console"),
    # An Indian SMS aggregator's HTTP API: every field name is configurable because each names them its own way.
    "SANGATHAN_SMS_HTTP": {
        "url": os.environ.get("SANGATHAN_SMS_HTTP_URL", ""),
        "api_key": os.environ.get("SANGATHAN_SMS_HTTP_API_KEY", ""),
        "auth_header": os.environ.get("SANGATHAN_SMS_HTTP_AUTH_HEADER", "Authorization"),
        "auth_prefix": os.environ.get("SANGATHAN_SMS_HTTP_AUTH_PREFIX", "Bearer "),
        "encoding": os.environ.get("SANGATHAN_SMS_HTTP_ENCODING", "json"),  # json | form
        "sender_id": os.environ.get("SANGATHAN_SMS_SENDER_ID", ""),
        "dlt_entity_id": os.environ.get("SANGATHAN_SMS_DLT_ENTITY_ID", ""),
        "fields": {"to": "to", "text": "message", "sender": "sender", "entity_id": "entity_id",
                   "template_id": "template_id", "unicode": "unicode",
                   # The gateway's client reference (dedup) field for the idempotency key; "" sends none.
                   "reference": os.environ.get("SANGATHAN_SMS_HTTP_REFERENCE_FIELD", "")},
        # Dotted path of the message id in the JSON answer (``data.0.id`` walks into lists).
        "message_id_path": os.environ.get("SANGATHAN_SMS_HTTP_MESSAGE_ID_PATH", "message_id"),
        "timeout": _env_float("SANGATHAN_SMS_HTTP_TIMEOUT", 10),
    },
    "SANGATHAN_SMS_WEBHOOK_SECRET": os.environ.get("SANGATHAN_SMS_WEBHOOK_SECRET", ""),
    "SANGATHAN_WHATSAPP": {
        "graph_url": os.environ.get("SANGATHAN_WHATSAPP_GRAPH_URL", "https://graph.facebook.com/v21.0"),
        "phone_number_id": os.environ.get("SANGATHAN_WHATSAPP_PHONE_NUMBER_ID", ""),
        "token": os.environ.get("SANGATHAN_WHATSAPP_TOKEN", ""),
        "app_secret": os.environ.get("SANGATHAN_WHATSAPP_APP_SECRET", ""),
        "verify_token": os.environ.get("SANGATHAN_WHATSAPP_VERIFY_TOKEN", ""),
        "timeout": _env_float("SANGATHAN_WHATSAPP_TIMEOUT", 10),
    },
    # Messages per second per provider; WhatsApp Cloud allows 80/s per number by default.
    "SANGATHAN_MESSAGING_RATE_LIMITS": {"console": 1000.0, "in_app": 10000.0, "sms_http": 100.0,
                                        "whatsapp_cloud": 80.0, "smtp": 20.0},
    # (start, end) local times during which non-urgent SMS and WhatsApp wait; None disables.
    "SANGATHAN_MESSAGING_QUIET_HOURS": ("21:00", "08:00"),
    # [(start, end, unit path prefix or "" for the whole installation)]: bulk messages wait until the end.
    "SANGATHAN_ELECTION_SILENCE": [],
    "SANGATHAN_MESSAGING_MAX_ATTEMPTS": int(os.environ.get("SANGATHAN_MESSAGING_MAX_ATTEMPTS", "6")),
    "SANGATHAN_MESSAGING_BACKOFF_BASE": 30.0,  # seconds before the first retry, doubled each time
    "SANGATHAN_MESSAGING_BACKOFF_CAP": 3600.0,
    # A message left "sending" this long belongs to a worker that died: it is queued again.
    "SANGATHAN_MESSAGING_STALE_SENDING": 600.0,
    # How long a claimed message stays with its drain without renewal (capped at 60 s, see messaging.outbox).
    "SANGATHAN_MESSAGING_LEASE_SECONDS": _env_float("SANGATHAN_MESSAGING_LEASE_SECONDS", 60),
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])
