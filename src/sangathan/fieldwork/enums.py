"""Choices of the fieldwork app: what became of a synced record, and the signs of a fake."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DriveStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CLOSED = "closed", _("closed")


class Outcome(models.TextChoices):
    """The per-record answer the phone shows (and keeps the record for correction when rejected/conflict)."""

    ACCEPTED = "accepted", _("accepted")
    MERGED = "merged", _("merged into an existing person")
    REVIEW = "review", _("needs review by the district")
    REJECTED = "rejected", _("rejected")
    CONFLICT = "conflict", _("conflict: changed meanwhile on the server")


class FlagKind(models.TextChoices):
    FAR = "far_from_booth", _("far from the booth")
    BURST = "burst", _("too fast to be real")
    MOBILE_REUSED = "mobile_reused", _("one mobile on many records")
    EPIC_USED = "epic_used", _("voter ID already used")
    MOCK_LOCATION = "mock_location", _("mock location")
    SHARED_DEVICE = "shared_device", _("one device for many vistaraks")


class ReviewDecision(models.TextChoices):
    CREATE = "create", _("register as a new person")
    MERGE = "merge", _("merge into the existing person")
    REJECT = "reject", _("reject")
