"""The outbox: templates, one message row per recipient and channel, delivery reports, opt-outs.

A ``Message`` row is written in the same transaction as the change that causes it and drained by the
worker (``messaging.outbox``); the row itself is the record of what was sent, to whom, and how it went.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.core.models import TimeStampedModel

__all__ = [
    "Channel",
    "ContactPreference",
    "DeliveryEvent",
    "Language",
    "Message",
    "MessageKind",
    "MessageStatus",
    "OptOut",
    "OptOutSource",
    "ProviderBucket",
    "Template",
]


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    IN_APP = "in_app", _("In the app")


class MessageStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


class MessageKind(models.TextChoices):
    # Transactional: one person, caused by something they did or asked for (a grievance status, a call list).
    TRANSACTIONAL = "transactional", _("Transactional")
    # Bulk: the same political message to many (a broadcast); subject to opt-outs and the election silence.
    BULK = "bulk", _("Bulk")


class Language(models.TextChoices):
    HINDI = "hi", _("Hindi")
    ENGLISH = "en", _("English")


class OptOutSource(models.TextChoices):
    STOP_REPLY = "stop_reply", _("STOP reply")
    WEB = "web", _("Web")
    ADMIN = "admin", _("Admin")


class Template(TimeStampedModel):
    """A named message with Hindi and English bodies; ``{name}`` marks a variable."""

    code = models.SlugField(max_length=60, unique=True, verbose_name=_("code"))
    name = models.CharField(_("name"), max_length=120)
    body_hi = models.TextField(_("Hindi text"))
    body_en = models.TextField(_("English text"), blank=True)
    subject_hi = models.CharField(_("Hindi email subject"), max_length=200, blank=True)
    subject_en = models.CharField(_("English email subject"), max_length=200, blank=True)
    channels = models.JSONField(default=list, blank=True, help_text=_("Channels this template may go out on."),
                                verbose_name=_("channels"))
    # The DLT registry's id of this text: Indian SMS gateways refuse bulk SMS without it.
    dlt_template_id = models.CharField(_("DLT template id"), max_length=40, blank=True)
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.TRANSACTIONAL,
                            verbose_name=_("kind"))
    # Derived from the bodies and subjects by the service on every save.
    variables = models.JSONField(default=list, blank=True, verbose_name=_("variables"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("message template")
        verbose_name_plural = _("message templates")

    def __str__(self):
        return self.code


class Message(models.Model):
    """One message to one address on one channel: the outbox row and the sent-message record."""

    channel = models.CharField(max_length=10, choices=Channel.choices, verbose_name=_("channel"))
    kind = models.CharField(max_length=16, choices=MessageKind.choices, default=MessageKind.TRANSACTIONAL,
                            verbose_name=_("kind"))
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="messages", verbose_name=_("person"))
    to_address = models.CharField(max_length=254, help_text=_("E.164 mobile or email address."),
                                  verbose_name=_("to address"))
    # No index: no query reads messages by template, and templates are never deleted (deactivated instead).
    template = models.ForeignKey(Template, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages",
                                 db_index=False, verbose_name=_("message template"))
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI,
                                verbose_name=_("language"))
    subject = models.CharField(max_length=200, blank=True, verbose_name=_("subject"))
    body = models.TextField(verbose_name=_("text"))
    # The variables the body was rendered from: WhatsApp template messages send these, not the text.
    context = models.JSONField(default=dict, blank=True, verbose_name=_("context"))
    status = models.CharField(max_length=10, choices=MessageStatus.choices, default=MessageStatus.QUEUED,
                              verbose_name=_("status"))
    # Unique by a constraint in Meta rather than ``unique=True``, which adds a second, pattern-ops index on
    # PostgreSQL for LIKE searches that no query makes.
    idempotency_key = models.CharField(max_length=200, verbose_name=_("idempotency key"))
    urgent = models.BooleanField(default=False, verbose_name=_("urgent"))
    send_at = models.DateTimeField(default=timezone.now, verbose_name=_("send at"))
    expires_at = models.DateTimeField(null=True, blank=True, verbose_name=_("expires at"))
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("attempts"))
    next_attempt_at = models.DateTimeField(null=True, blank=True, verbose_name=_("next attempt at"))
    last_error = models.TextField(blank=True, verbose_name=_("last error"))
    provider = models.CharField(max_length=40, blank=True, verbose_name=_("provider"))
    provider_message_id = models.CharField(max_length=120, blank=True, verbose_name=_("provider's message ID"))
    # The drain that holds a "sending" row, and until when: renewed before each send; past it, the next
    # drain queues the row again (see messaging.outbox).
    claimed_by = models.CharField(max_length=64, blank=True, default="", db_default="",
                                  verbose_name=_("claimed by"))
    leased_until = models.DateTimeField(null=True, blank=True, verbose_name=_("leased until"))
    # Copy of the recipient's unit path: scoped lists and the election silence window filter on it.
    unit_path = models.CharField(max_length=64, blank=True, verbose_name=_("unit path"))
    # Served by ``messaging_msg_broadcast`` (broadcast, status): no index of its own.
    broadcast = models.ForeignKey("messaging.Broadcast", null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="messages", db_index=False, verbose_name=_("broadcast"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    sent_at = models.DateTimeField(null=True, blank=True, verbose_name=_("sent at"))
    delivered_at = models.DateTimeField(null=True, blank=True, verbose_name=_("delivered at"))
    updated_at = models.DateTimeField(auto_now=True, verbose_name=_("updated at"))

    class Meta:
        ordering = ["-id"]
        # Every index costs each of the millions of inserts (call lists, escalations, broadcasts); which query
        # needs which is guarded by tests/messaging/test_outbox_indexes.py. A transactional message written
        # queued touches six: the key, the unique key, the person, the claim, the path, status and send time.
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="messaging_message_idempotency_key_key"),
        ]
        indexes = [
            models.Index(fields=["status", "send_at"], name="messaging_msg_status_send"),
            # The worker's claim order, over queued rows only: the next batch without sorting the backlog.
            models.Index(fields=["-urgent", "send_at", "id"], name="messaging_msg_claim",
                         condition=models.Q(status="queued")),
            # A broadcast's messages and counts; transactional messages (no broadcast) are left out.
            models.Index(fields=["broadcast", "status"], name="messaging_msg_broadcast",
                         condition=models.Q(broadcast__isnull=False)),
            # Expired leases, over the few rows being sent.
            models.Index(fields=["leased_until"], name="messaging_msg_lease", condition=models.Q(status="sending")),
            # Delivery reports find their message; a row gets its provider's id only once sent.
            models.Index(fields=["provider_message_id"], name="messaging_msg_provider_id",
                         condition=~models.Q(provider_message_id="")),
            models.Index(fields=["unit_path"], name="messaging_msg_path_like", opclasses=["varchar_pattern_ops"]),
        ]
        verbose_name = _("message")
        verbose_name_plural = _("messages")

    def __str__(self):
        return f"{self.channel} → {self.to_address} ({self.status})"


class DeliveryEvent(models.Model):
    """A provider's report about a message (delivered, failed, read …), kept as received."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="events", verbose_name=_("message"))
    status = models.CharField(max_length=20, verbose_name=_("status"))
    at = models.DateTimeField(verbose_name=_("time"))
    raw = models.JSONField(default=dict, blank=True, verbose_name=_("raw data"))

    class Meta:
        verbose_name = _("delivery report")
        verbose_name_plural = _("delivery reports")
        ordering = ["at", "id"]
        constraints = [
            # A provider that repeats a report (they retry until answered 200) adds nothing the second time.
            models.UniqueConstraint(fields=["message", "status", "at"], name="messaging_event_unique"),
        ]

    def __str__(self):
        return f"{self.message_id} {self.status} {self.at:%Y-%m-%d %H:%M:%S}"


class OptOut(models.Model):
    """A person's refusal of one channel; revoking keeps the row as history."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="opt_outs",
                               verbose_name=_("person"))
    channel = models.CharField(max_length=10, choices=Channel.choices, verbose_name=_("channel"))
    source = models.CharField(max_length=12, choices=OptOutSource.choices, verbose_name=_("source"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    revoked_at = models.DateTimeField(null=True, blank=True, verbose_name=_("revoked at"))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "channel"], condition=Q(revoked_at__isnull=True),
                                    name="messaging_optout_active_unique"),
        ]
        verbose_name = _("opt-out")
        verbose_name_plural = _("opt-outs")

    def __str__(self):
        return f"{self.person_id} {self.channel}"


class ContactPreference(models.Model):
    """How a person wants to be reached; people without a row get Hindi by SMS."""

    person = models.OneToOneField("people.Person", on_delete=models.CASCADE, related_name="contact_preference")
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.HINDI)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.SMS)
    # The registry holds mobiles only; an email address is optional and kept here.
    email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.person_id} {self.language} {self.channel}"


class ProviderBucket(models.Model):
    """A provider's token bucket, shared by every worker (see ``messaging.ratelimit``)."""

    provider = models.CharField(max_length=40, unique=True)
    tokens = models.FloatField()
    updated_at = models.DateTimeField()

    def __str__(self):
        return f"{self.provider} {self.tokens:.1f}"
