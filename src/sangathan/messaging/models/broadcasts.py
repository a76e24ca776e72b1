"""Broadcasts: one composed message fanned out to an audience (a unit subtree × filters).

The counts of a broadcast (queued, sent, delivered, failed …) are read from its messages by one grouped
query (``broadcasts.broadcast_counts``). What cannot be read there is kept on the row:
``audience``, the preview taken when sending started (the progress bar's denominator while the fan-out is
still writing rows), which also holds the opted-out people per channel: they get no message row at all.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Broadcast", "BroadcastStatus"]


class BroadcastStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")
    DONE = "done", _("Done")


class Broadcast(models.Model):
    """A message from a state or district office to the people of a subtree who match ``filters``.

    ``filters`` is JSON so that new criteria (tags, verified) need no migration: ``{"posts": [post codes],
    "levels": [unit levels of those posts], "wings": [wing codes], "statuses": [person statuses]}``.
    """

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    sender_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    # Copy of unit.path: the audience's root, and what scoped lists of broadcasts filter on.
    unit_path = models.CharField(max_length=64)
    filters = models.JSONField(default=dict, blank=True)
    template = models.ForeignKey("messaging.Template", on_delete=models.PROTECT, related_name="broadcasts")
    context = models.JSONField(default=dict, blank=True)
    channels = models.JSONField(default=list)
    send_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=BroadcastStatus.choices, default=BroadcastStatus.DRAFT)
    # The fan-out walks people by id: it has written every recipient up to ``cursor`` (of ``cursor_end``),
    # so a pause, a crash or a retry resumes there.
    cursor = models.BigIntegerField(default=0)
    cursor_end = models.BigIntegerField(default=0)
    audience = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path"], name="messaging_bc_path_like", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["status", "send_at"], name="messaging_bc_status_send"),
        ]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self):
        return f"{self.template_id} → {self.unit_path} ({self.status})"
