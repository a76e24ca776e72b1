"""Party offices, who sits there when, the state office's minister roster, and hearing sessions.

A district office's sitting days are a weekly pattern (``SittingDay``); the state office's minister roster is
drawn up day by day (``RosterDay``) from a rotation (``RosterMember``), so swaps and absences change single
days. Every change is a ``RosterChange`` row: who changed what, when and why.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.core.models import TimeStampedModel
from sangathan.rosters.enums import (
    CaseOutcome,
    CaseSource,
    DirectionStatus,
    HearingStatus,
    OfficeKind,
    RosterChangeKind,
    Weekday,
)


class Office(TimeStampedModel):
    """A unit's party office (जिला कार्यालय, प्रदेश कार्यालय), where office-bearers or ministers sit."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="offices")
    # Copy of unit.path: "offices under this division" is one range scan, like every scoped read.
    unit_path = models.CharField(max_length=64)
    kind = models.CharField(max_length=10, choices=OfficeKind.choices, default=OfficeKind.DISTRICT)
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["unit_path", "name"]
        indexes = [
            models.Index(fields=["unit_path"], name="rosters_office_path_like", opclasses=["varchar_pattern_ops"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="rosters_office_unit_name"),
        ]

    def __str__(self):
        return self.name


class SittingDay(TimeStampedModel):
    """An office-bearer sits at the office on this weekday, during these hours, every week."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="sitting_days")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sitting_days")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    # What people should know them as here ("जिला अध्यक्ष"); the current post when left empty.
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("sitting day")
        verbose_name_plural = _("sitting days")
        ordering = ["weekday", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "person", "weekday"], name="rosters_sitting_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="rosters_sitting_hours"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="rosters_sitting_weekday"),
        ]

    def __str__(self):
        return f"{self.person} — {self.get_weekday_display()}"


class RosterMember(models.Model):
    """One minister (or state office-bearer) in the state office's rotation, in ``order``."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="roster_members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("roster member")
        verbose_name_plural = _("roster members")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "person"], name="rosters_member_unique"),
        ]

    def __str__(self):
        return f"{self.order}. {self.person}"


class RosterDay(TimeStampedModel):
    """Who sits at the office on one date. ``scheduled_person`` is the rotation's choice; ``person`` differs
    after a swap or an absence."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="roster_days")
    date = models.DateField()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="roster_days")
    scheduled_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    starts_at = models.TimeField()
    ends_at = models.TimeField()

    class Meta:
        verbose_name = _("roster day")
        verbose_name_plural = _("roster days")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["office", "date"], name="rosters_day_unique"),
        ]
        indexes = [
            models.Index(fields=["person", "date"], name="rosters_day_person_date"),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.person}"


class RosterChange(models.Model):
    """One change to an office's sitting days or roster: who did it, when, why, and what it touched."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=20, choices=RosterChangeKind.choices)
    date = models.DateField(null=True, blank=True)
    other_date = models.DateField(null=True, blank=True)
    from_person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    to_person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("roster change")
        verbose_name_plural = _("roster changes")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["office", "at"], name="rosters_change_office_at")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class HearingSession(TimeStampedModel):
    """One sitting official hearing cases at an office on one date (a minister's roster day at the state
    office, an office-bearer's sitting day at a district office). Cases get tokens in the order they come."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="hearings")
    # Copy of the office's unit path: sessions are scoped like offices.
    unit_path = models.CharField(max_length=64)
    date = models.DateField()
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hearings")
    roster_day = models.ForeignKey(RosterDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    starts_at = models.TimeField()
    ends_at = models.TimeField()
    status = models.CharField(max_length=10, choices=HearingStatus.choices, default=HearingStatus.OPEN)
    last_token = models.PositiveIntegerField(default=0)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hearing session")
        verbose_name_plural = _("hearing sessions")
        ordering = ["date", "starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "date", "person"], name="rosters_hearing_unique"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="rosters_hearing_hours"),
        ]
        indexes = [
            models.Index(fields=["status", "date"], name="rosters_hearing_status_date"),
            models.Index(fields=["person", "date"], name="rosters_hearing_person_date"),
            models.Index(fields=["unit_path", "date"], name="rosters_hearing_path_date",
                         opclasses=["varchar_pattern_ops", ""]),
        ]

    def __str__(self):
        return f"{self.office} {self.date:%Y-%m-%d} {self.person}"


class HearingCase(models.Model):
    """A grievance on a session's list, with its token and what became of it."""

    session = models.ForeignKey(HearingSession, on_delete=models.CASCADE, related_name="cases")
    grievance = models.ForeignKey("grievances.Grievance", on_delete=models.PROTECT, related_name="hearing_cases")
    token = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=CaseSource.choices)
    outcome = models.CharField(max_length=12, choices=CaseOutcome.choices, default=CaseOutcome.WAITING)
    note = models.TextField(blank=True)
    # When the complainant should be there: the session's start plus a few minutes per earlier token.
    slot_at = models.DateTimeField()
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hearing case")
        verbose_name_plural = _("hearing cases")
        ordering = ["session", "token"]
        constraints = [
            models.UniqueConstraint(fields=["session", "token"], name="rosters_case_token"),
            models.UniqueConstraint(fields=["session", "grievance"], name="rosters_case_once"),
        ]
        indexes = [models.Index(fields=["grievance", "outcome"], name="rosters_case_grievance")]

    def __str__(self):
        return f"#{self.token} {self.grievance_id}"

    @property
    def is_waiting(self) -> bool:
        return self.outcome == CaseOutcome.WAITING


class HearingDirection(TimeStampedModel):
    """A direction given at a hearing: a task for ``owner`` to finish by ``deadline``."""

    case = models.ForeignKey(HearingCase, on_delete=models.CASCADE, related_name="directions")
    grievance = models.ForeignKey("grievances.Grievance", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hearing_directions")
    # Copy of the grievance's unit path: scoped lists of directions are one range scan.
    unit_path = models.CharField(max_length=64)
    text = models.TextField()
    deadline = models.DateField()
    status = models.CharField(max_length=10, choices=DirectionStatus.choices, default=DirectionStatus.OPEN)
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    done_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("hearing direction")
        verbose_name_plural = _("hearing directions")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "deadline"], name="rosters_direction_owner"),
            models.Index(fields=["unit_path"], name="rosters_direction_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return f"{self.owner} — {self.deadline:%Y-%m-%d}"

    @property
    def is_overdue(self) -> bool:
        from sangathan.core import clock

        return self.status == DirectionStatus.OPEN and self.deadline < clock.today()
