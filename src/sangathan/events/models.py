"""Meetings, series, plans, tours and live addresses (issue 11).

Every row that belongs somewhere in the tree carries its unit's ``unit_path`` (indexed with
``varchar_pattern_ops``), so "under this district" is one range scan. A series' expected occurrences are
``Event`` rows (``series``, ``unit``, ``period``) written ahead, so the "not held" report is one
``GROUP BY`` over them, never a per-unit check. An ``Invitation`` is one person's place at an event: the
outbox message, the RSVP, the tracked opening of the link and the attendance flag, so the live address's
funnel is a ``GROUP BY substr(unit_path…)`` over one table.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangathan.core.models import TimeStampedModel
from sangathan.events.enums import (
    CheckInMethod,
    DispatchPurpose,
    DispatchStatus,
    EventKind,
    EventStatus,
    Rsvp,
    TourKind,
)

PATH_OPS = ["varchar_pattern_ops"]


def new_secret() -> str:
    return secrets.token_hex(16)


class Venue(TimeStampedModel):
    name = models.CharField(max_length=200, verbose_name=_("name"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="venues", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    capacity = models.PositiveIntegerField(default=0, verbose_name=_("capacity"))
    address = models.CharField(max_length=300, blank=True, verbose_name=_("address"))

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["unit_path", "name"]
        indexes = [models.Index(fields=["unit_path"], name="events_venue_path", opclasses=PATH_OPS)]

    def __str__(self):
        return self.name


class Series(TimeStampedModel):
    """"Every month, a tiffin meeting in every mandal of X": one expected occurrence per unit of ``level``
    under ``unit`` per month from ``starts_on`` for ``months`` months."""

    kind = models.CharField(max_length=12, choices=EventKind.choices, default=EventKind.TIFFIN,
                            verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("events", "title"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="event_series", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    level = models.CharField(max_length=40, verbose_name=_("level"))
    starts_on = models.DateField(verbose_name=_("first month"))
    months = models.PositiveSmallIntegerField(default=12, verbose_name=_("months"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("series")
        verbose_name_plural = _("series")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["unit_path"], name="events_series_path", opclasses=PATH_OPS)]

    def __str__(self):
        return self.title


class Tour(TimeStampedModel):
    """A leader's प्रवास: its required parts (kinds of events and how many) are checked against its events."""

    kind = models.CharField(max_length=12, choices=TourKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("events", "title"))
    leader = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="tours",
                               verbose_name=_("visiting leader"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="tours", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    overlay = models.ForeignKey("org.Overlay", null=True, blank=True, on_delete=models.PROTECT, related_name="tours",
                                verbose_name=_("Lok Sabha seat or cluster"))
    starts_on = models.DateField(verbose_name=_("start date"))
    ends_on = models.DateField(verbose_name=_("end date"))
    required_parts = models.JSONField(default=list, blank=True, verbose_name=_("required parts"))
    units_visited = models.ManyToManyField("org.Unit", blank=True, related_name="tour_visits",
                                           verbose_name=_("units visited"))

    class Meta:
        verbose_name = _("tour")
        verbose_name_plural = _("tours")
        ordering = ["-starts_on", "id"]
        indexes = [models.Index(fields=["unit_path"], name="events_tour_path", opclasses=PATH_OPS)]

    def __str__(self):
        return self.title


class Event(TimeStampedModel):
    kind = models.CharField(max_length=12, choices=EventKind.choices, verbose_name=_("kind"))
    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("events", "title"))
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED,
                              verbose_name=_("status"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="events", verbose_name=_("host unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    overlay = models.ForeignKey("org.Overlay", null=True, blank=True, on_delete=models.PROTECT, related_name="events",
                                verbose_name=_("Lok Sabha seat or cluster"))
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.PROTECT, related_name="events",
                              verbose_name=_("venue"))
    starts_at = models.DateTimeField(null=True, blank=True, verbose_name=_("starts at"))
    ends_at = models.DateTimeField(null=True, blank=True, verbose_name=_("ends at"))
    organizer = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="organized_events", verbose_name=_("organizer"))
    invite_rule = models.JSONField(default=dict, blank=True, verbose_name=_("who is invited"))
    series = models.ForeignKey(Series, null=True, blank=True, on_delete=models.CASCADE, related_name="occurrences",
                               verbose_name=_("series"))
    period = models.DateField(null=True, blank=True, verbose_name=_("month"))
    tour = models.ForeignKey(Tour, null=True, blank=True, on_delete=models.SET_NULL, related_name="events",
                             verbose_name=_("tour"))
    link = models.URLField(blank=True, verbose_name=_("link"))
    phone_in = models.CharField(max_length=20, blank=True, verbose_name=_("phone-in number"))
    held_on = models.DateField(null=True, blank=True, verbose_name=_("held on"))
    attendance_count = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("reported attendance"))
    minutes = models.TextField(blank=True, verbose_name=_("minutes"))
    cancel_reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason for cancelling"))
    secret = models.CharField(max_length=32, default=new_secret, editable=False, verbose_name=_("check-in key"))

    class Meta:
        verbose_name = pgettext_lazy("events", "event")
        verbose_name_plural = pgettext_lazy("events", "events")
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "unit", "period"], condition=Q(series__isnull=False),
                                    name="events_one_occurrence"),
        ]
        indexes = [
            models.Index(fields=["unit_path"], name="events_event_path", opclasses=PATH_OPS),
            models.Index(fields=["series", "period", "status", "unit_path"], name="events_series_period"),
            models.Index(fields=["starts_at"], name="events_event_starts"),
        ]

    def __str__(self):
        return self.title

    @property
    def capacity(self) -> int:
        return self.venue.capacity if self.venue_id else 0


class InvitationQuerySet(models.QuerySet):
    def current(self):
        """Invitations not withdrawn (a narrower rule or the event's cancellation keeps the row, marked)."""
        return self.filter(withdrawn_at__isnull=True)

    def counted(self):
        """Who counts at the event: the invitations still current, and whoever checked in before theirs was
        withdrawn (their attendance stays)."""
        return self.filter(Q(withdrawn_at__isnull=True) | Q(attended=True))


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations", verbose_name=pgettext_lazy("events", "event"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="invitations",
                               verbose_name=_("person"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    message = models.ForeignKey("messaging.Message", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("message"))
    rsvp = models.CharField(max_length=8, choices=Rsvp.choices, default=Rsvp.PENDING, verbose_name=_("answer"))
    opened_at = models.DateTimeField(null=True, blank=True, verbose_name=_("link opened at"))
    attended = models.BooleanField(default=False, verbose_name=_("attended"))
    attended_at = models.DateTimeField(null=True, blank=True, verbose_name=_("attended at"))
    method = models.CharField(max_length=10, choices=CheckInMethod.choices, blank=True, verbose_name=_("checked in by"))
    # Set when a narrower rule no longer names the person: the row stays with its answer and attendance, its
    # messages still waiting in the outbox are withdrawn (``events.services.withdraw``).
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    # Which invitation of the person this is: a withdrawn one named again by a wider rule is a new round,
    # whose messages have keys of their own (``events.dispatch.message_key``), so it is sent again once.
    round = models.PositiveSmallIntegerField(default=1, db_default=1, verbose_name=_("invitation round"))
    # When an invitation of theirs was first delivered (the provider's receipt, through
    # ``messaging.signals.message_delivered``): the funnel's "received" reads it without joining the outbox.
    received_at = models.DateTimeField(null=True, blank=True, verbose_name=_("received at"))

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["event", "unit_path", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "person"], name="events_invitation_once")]
        indexes = [models.Index(fields=["event", "unit_path"], name="events_invitation_path")]

    def __str__(self):
        return f"{self.event_id}:{self.person_id}"


class ViewingLocation(models.Model):
    """One place of a group viewing (or a live address watched together): its host marks attendance there
    and shows its own code, signed with the location's key (``codes.location_code``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="locations",
                              verbose_name=pgettext_lazy("events", "event"))
    name = models.CharField(max_length=200, verbose_name=_("place"))
    host = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hosted_viewings",
                             verbose_name=_("host"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    secret = models.CharField(max_length=32, default=new_secret, editable=False, verbose_name=_("check-in key"))

    class Meta:
        verbose_name = _("viewing location")
        verbose_name_plural = _("viewing locations")
        ordering = ["event", "name", "id"]

    def __str__(self):
        return self.name


class CheckIn(models.Model):
    """One check-in as it arrived, with the nonce the phone made: a replay of the same nonce is refused by
    the unique key, so it counts once."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="checkins", verbose_name=pgettext_lazy("events", "event"))
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="checkins",
                                   verbose_name=_("invitation"))
    nonce = models.CharField(max_length=64, verbose_name=_("nonce"))
    method = models.CharField(max_length=10, choices=CheckInMethod.choices, verbose_name=_("checked in by"))
    at = models.DateTimeField(verbose_name=_("time"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    location = models.ForeignKey(ViewingLocation, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="checkins", verbose_name=_("place"))

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.UniqueConstraint(fields=["event", "nonce"], name="events_checkin_nonce_once")]

    def __str__(self):
        return f"{self.event_id}:{self.nonce}"


class Dispatch(models.Model):
    """One fan-out of messages to an event's invitees (invitations, a reminder, a change or a cancellation),
    walked by a task in chunks of invitees: ``cursor`` is the last id done (a person's for invitations, an
    invitation's otherwise), written in the chunk's own transaction, so a resumed run starts after it and
    the messages' idempotency keys make a repeated chunk write nothing twice. One reminder of each kind and
    one cancellation per event (``events_dispatch_once``)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="dispatches",
                              verbose_name=pgettext_lazy("events", "event"))
    purpose = models.CharField(max_length=12, choices=DispatchPurpose.choices, verbose_name=_("purpose"))
    status = models.CharField(max_length=8, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED,
                              verbose_name=_("status"))
    cursor = models.BigIntegerField(default=0, verbose_name=_("last id done"))
    total = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("to go through"))
    done = models.PositiveIntegerField(default=0, verbose_name=_("gone through"))
    queued = models.PositiveIntegerField(default=0, verbose_name=_("messages queued"))
    context = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("done by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))
    finished_at = models.DateTimeField(null=True, blank=True, verbose_name=_("finished at"))

    class Meta:
        verbose_name = _("message send")
        verbose_name_plural = _("message sends")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(
            fields=["event", "purpose"], name="events_dispatch_once",
            condition=Q(purpose__in=["remind_day", "remind_soon", "cancelled"]))]

    def __str__(self):
        return f"{self.event_id}:{self.purpose}"

    @property
    def percent(self) -> int:
        if self.status == DispatchStatus.DONE:
            return 100
        return min(99, self.done * 100 // self.total) if self.total else 0


class Decision(TimeStampedModel):
    """A decision of a meeting: a task with an owner and a deadline."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="decisions", verbose_name=pgettext_lazy("events", "event"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    text = models.CharField(max_length=500, verbose_name=_("decision"))
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="event_decisions",
                              verbose_name=_("owner"))
    deadline = models.DateField(verbose_name=_("deadline"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("done at"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["deadline", "id"]


def photo_upload_to(instance, filename: str) -> str:
    return f"events/{instance.event_id}/{secrets.token_hex(8)}.jpg"


class EventPhoto(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos", verbose_name=pgettext_lazy("events", "event"))
    photo = models.FileField(upload_to=photo_upload_to, max_length=200, verbose_name=_("photo"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))

    class Meta:
        verbose_name = _("event photo")
        verbose_name_plural = _("event photos")

    def __str__(self):
        return self.photo.name


class EventHistory(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="history", verbose_name=pgettext_lazy("events", "event"))
    action = models.CharField(max_length=30, verbose_name=_("action"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("done by"))
    channel = models.CharField(max_length=10, blank=True, verbose_name=_("channel"))
    at = models.DateTimeField(auto_now_add=True, verbose_name=_("time"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("detail"))

    class Meta:
        verbose_name = _("event history")
        verbose_name_plural = _("event history")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.event_id}:{self.action}"


class WorkshopPlan(TimeStampedModel):
    """Training workshops on given dates at given venues, each district of ``unit`` at exactly one."""

    title = models.CharField(max_length=200, verbose_name=pgettext_lazy("events", "title"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="workshop_plans",
                             verbose_name=_("unit"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    posts = models.JSONField(default=list, blank=True, verbose_name=_("posts invited"))
    per_district = models.PositiveIntegerField(default=0, verbose_name=_("expected per district"))

    class Meta:
        verbose_name = _("workshop plan")
        verbose_name_plural = _("workshop plans")
        ordering = ["-created_at"]

    def __str__(self):
        return self.title


class PlanSlot(models.Model):
    plan = models.ForeignKey(WorkshopPlan, on_delete=models.CASCADE, related_name="slots", verbose_name=_("plan"))
    date = models.DateField(verbose_name=_("date"))
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="+", verbose_name=_("venue"))
    event = models.OneToOneField(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="plan_slot",
                                 verbose_name=pgettext_lazy("events", "event"))

    class Meta:
        verbose_name = _("plan slot")
        verbose_name_plural = _("plan slots")
        ordering = ["date", "venue__name", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "date", "venue"], name="events_slot_once")]

    def __str__(self):
        return f"{self.date} {self.venue_id}"


class PlanAssignment(models.Model):
    plan = models.ForeignKey(WorkshopPlan, on_delete=models.CASCADE, related_name="assignments",
                             verbose_name=_("plan"))
    slot = models.ForeignKey(PlanSlot, on_delete=models.CASCADE, related_name="assignments", verbose_name=pgettext_lazy("events", "slot"))
    district = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))

    class Meta:
        verbose_name = _("district assignment")
        verbose_name_plural = _("district assignments")
        constraints = [models.UniqueConstraint(fields=["plan", "district"], name="events_district_once")]

    def __str__(self):
        return f"{self.district_id}→{self.slot_id}"
