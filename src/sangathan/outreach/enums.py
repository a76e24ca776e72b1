from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CallKind(models.TextChoices):
    DAILY = "daily", _("Daily booth contact")
    VERIFICATION = "verification", _("Verification call")
    FOLLOWUP = "followup", _("Follow-up call")


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", _("To call")
    LOGGED = "logged", _("Called")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    BUSY = "busy", _("Busy")
    NO_ANSWER = "no_answer", _("No answer")
    SWITCHED_OFF = "switched_off", _("Switched off")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class WellBeing(models.TextChoices):
    GOOD = "good", _("All well")
    UNWELL = "unwell", _("Unwell")
    TROUBLE = "trouble", _("In trouble")
    NOT_ASKED = "", _("Not asked")


class NeedCategory(models.TextChoices):
    MATERIAL = "material", _("Campaign material")
    WORKERS = "workers", _("More workers")
    VOTER_LIST = "voter_list", _("Voter list work")
    TRAINING = "training", _("Training")
    ADMINISTRATION = "administration", _("Administrative problem")
    LEADERSHIP = "leadership", _("A visit by leaders")
    DISPUTE = "dispute", _("Local dispute")
    OTHER = "other", _("Other")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("outreach", "Open")
    DONE = "done", pgettext_lazy("outreach", "Done")


WEEKDAYS = [
    (0, _("Monday")), (1, _("Tuesday")), (2, _("Wednesday")), (3, _("Thursday")), (4, _("Friday")),
    (5, _("Saturday")), (6, _("Sunday")),
]
