from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    REVIEW = "review", _("Review meeting")
    TIFFIN = "tiffin", _("Tiffin meeting")
    WORKSHOP = "workshop", _("Workshop / training")
    CONFERENCE = "conference", _("Conference (सम्मेलन)")
    RALLY = "rally", _("Rally (सभा)")
    ONE_TO_ONE = "one_to_one", _("One-to-one")
    LIVE = "live", _("Live address")
    VIEWING = "viewing", _("Group viewing")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Rsvp(models.TextChoices):
    PENDING = "pending", _("No answer yet")
    YES = "yes", _("Coming")
    NO = "no", _("Not coming")
    MAYBE = "maybe", _("Maybe")


class CheckInMethod(models.TextChoices):
    ORGANIZER = "organizer", _("Marked by the organizer")
    CODE = "code", _("Own check-in with the event's code")
    HOST = "host", _("Marked by the host of a viewing location")


class DispatchPurpose(models.TextChoices):
    INVITE = "invite", _("Invitations")
    REMIND_DAY = "remind_day", _("Reminder the day before")
    REMIND_SOON = "remind_soon", _("Reminder two hours before")
    MOVED = "moved", _("Notice of a change")
    CANCELLED = "cancelled", _("Notice of cancellation")
    UNINVITED = "uninvited", _("Notice of no longer being invited")


class DispatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Sending")
    DONE = "done", _("Done")


class TourKind(models.TextChoices):
    CLUSTER = "cluster", _("Cluster tour")
    LOK_SABHA = "lok_sabha", _("Lok Sabha tour")
    ASSEMBLY = "assembly", _("Assembly tour")


class PartState(models.TextChoices):
    MISSING = "missing", _("Missing")
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")


# A big leader's tour: two big meetings and one rally or workers' conference (seed 004). Installations change
# it with SANGATHAN_TOUR_PARTS (per tour kind, or "default").
DEFAULT_TOUR_PARTS = [
    {"code": "big_meeting", "kinds": ["meeting", "review"], "count": 2},
    {"code": "rally_or_conference", "kinds": ["rally", "conference"], "count": 1},
]

PART_LABELS = {
    "big_meeting": _("Big meeting"),
    "rally_or_conference": _("Rally or workers' conference"),
}
