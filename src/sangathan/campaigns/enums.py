from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", pgettext_lazy("campaigns", "Closed")


class ReportPeriod(models.TextChoices):
    """How often a reporting unit reports; a period starts on the campaign's start date."""

    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Fortnightly")
    DAILY = "daily", _("Daily")


PERIOD_DAYS = {ReportPeriod.DAILY: 1, ReportPeriod.WEEKLY: 7, ReportPeriod.FORTNIGHTLY: 14}


class TaskKind(models.TextChoices):
    WALL_WRITING = "wall_writing", _("Wall writing")
    MEETING = "meeting", _("Meeting")
    OTHER = "other", _("Other task")


class TaskStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("campaigns", "Open")
    DONE = "done", pgettext_lazy("campaigns", "Done")


class VerificationStatus(models.TextChoices):
    PENDING = "pending", _("Call pending")
    MATCHED = "matched", _("Matches the report")
    MISMATCHED = "mismatched", _("Does not match the report")
    UNREACHED = "unreached", _("Not reached")
    NO_TARGET = "no_target", _("Nobody to call")


class QuestionKind(models.TextChoices):
    HAPPENED = "happened", _("Did it happen (yes/no)")
    NUMBER = "number", _("About how many")
