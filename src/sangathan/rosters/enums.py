from datetime import time

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OfficeKind(models.TextChoices):
    DISTRICT = "district", _("District office")
    STATE = "state", _("State office")


class Weekday(models.IntegerChoices):
    """Python's ``date.weekday()`` numbering: Monday is 0."""

    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RosterChangeKind(models.TextChoices):
    SITTING_ADDED = "sitting_added", _("Sitting day added")
    SITTING_REMOVED = "sitting_removed", _("Sitting day removed")
    ROTATION_SET = "rotation_set", _("Rotation order set")
    GENERATED = "generated", _("Roster drawn up")
    SWAP = "swap", _("Days swapped")
    ABSENCE = "absence", _("Absence")


# Seed 000: ministers sit at the state office Monday to Friday, 1 to 3 PM, one a day.
MINISTER_DAYS = (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY)
MINISTER_STARTS_AT = time(13, 0)
MINISTER_ENDS_AT = time(15, 0)


class HearingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rosters", "Open")
    CLOSED = "closed", pgettext_lazy("rosters", "Closed")


class CaseSource(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("rosters", "Scheduled")
    WALK_IN = "walk_in", _("Taken at the hearing")
    CARRIED = "carried", _("Carried over")


class CaseOutcome(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    RESOLVED = "resolved", _("Heard: resolved")
    DIRECTIONS = "directions", _("Heard: directions given")
    ADJOURNED = "adjourned", _("Adjourned")
    CARRIED = "carried", _("Not heard: carried over")


class DirectionStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("rosters", "Open")
    DONE = "done", pgettext_lazy("rosters", "Done")


# Minutes a case is expected to take: the slot of token n starts (n-1) slots after the session starts.
SLOT_MINUTES = 10
