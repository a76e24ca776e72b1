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

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="offices", verbose_name=_("unit"))
    # Copy of unit.path: "offices under this division" is one range scan, like every scoped read.
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    kind = models.CharField(max_length=10, choices=OfficeKind.choices, default=OfficeKind.DISTRICT,
                            verbose_name=_("kind"))
    name = models.CharField(_("name"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

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

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="sitting_days",
                               verbose_name=_("office"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="sitting_days",
                               verbose_name=_("person"))
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, verbose_name=_("weekday"))
    starts_at = models.TimeField(verbose_name=_("starts at"))
    ends_at = models.TimeField(verbose_name=_("ends at"))
    # What people should know them as here ("जिला अध्यक्ष"); the current post when left empty.
    note = models.CharField(max_length=200, blank=True, verbose_name=_("note"))

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

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="roster_members",
                               verbose_name=_("office"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("person"))
    order = models.PositiveSmallIntegerField(verbose_name=_("order"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

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

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="roster_days",
                               verbose_name=_("office"))
    date = models.DateField(verbose_name=_("date"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="roster_days",
                               verbose_name=_("person"))
    scheduled_person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+",
                                         verbose_name=_("scheduled person"))
    starts_at = models.TimeField(verbose_name=_("starts at"))
    ends_at = models.TimeField(verbose_name=_("ends at"))

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

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="changes", verbose_name=_("office"))
    kind = models.CharField(max_length=20, choices=RosterChangeKind.choices, verbose_name=_("kind"))
    date = models.DateField(null=True, blank=True, verbose_name=_("date"))
    other_date = models.DateField(null=True, blank=True, verbose_name=_("other date"))
    from_person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("from person"))
    to_person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("to person"))
    reason = models.CharField(max_length=300, blank=True, verbose_name=_("reason"))
    detail = models.JSONField(default=dict, blank=True, verbose_name=_("details"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("done by"))
    at = models.DateTimeField(default=timezone.now, verbose_name=_("time"))

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

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("office"))
    # Copy of the office's unit path: sessions are scoped like offices.
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    date = models.DateField(verbose_name=_("date"))
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hearings",
                               verbose_name=_("person"))
    roster_day = models.ForeignKey(RosterDay, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("roster day"))
    starts_at = models.TimeField(verbose_name=_("starts at"))
    ends_at = models.TimeField(verbose_name=_("ends at"))
    status = models.CharField(max_length=10, choices=HearingStatus.choices, default=HearingStatus.OPEN,
                              verbose_name=_("status"))
    last_token = models.PositiveIntegerField(default=0, verbose_name=_("last token"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

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

    session = models.ForeignKey(HearingSession, on_delete=models.CASCADE, related_name="cases",
                                verbose_name=_("hearing session"))
    grievance = models.ForeignKey("grievances.Grievance", on_delete=models.PROTECT, related_name="hearing_cases",
                                  verbose_name=_("grievance"))
    token = models.PositiveIntegerField(verbose_name=_("token"))
    source = models.CharField(max_length=10, choices=CaseSource.choices, verbose_name=_("source"))
    outcome = models.CharField(max_length=12, choices=CaseOutcome.choices, default=CaseOutcome.WAITING,
                               verbose_name=_("outcome"))
    note = models.TextField(blank=True, verbose_name=_("note"))
    # When the complainant should be there: the session's start plus a few minutes per earlier token.
    slot_at = models.DateTimeField(verbose_name=_("slot"))
    carried_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("carried over from"))
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("added by"))
    added_at = models.DateTimeField(default=timezone.now, verbose_name=_("added at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("recorded at"))

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

    case = models.ForeignKey(HearingCase, on_delete=models.CASCADE, related_name="directions",
                             verbose_name=_("hearing case"))
    grievance = models.ForeignKey("grievances.Grievance", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("grievance"))
    owner = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="hearing_directions",
                              verbose_name=_("responsible person"))
    # Copy of the grievance's unit path: scoped lists of directions are one range scan.
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    text = models.TextField(verbose_name=_("direction"))
    deadline = models.DateField(verbose_name=_("deadline"))
    status = models.CharField(max_length=10, choices=DirectionStatus.choices, default=DirectionStatus.OPEN,
                              verbose_name=_("status"))
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name=_("given by"))
    done_at = models.DateTimeField(null=True, blank=True, verbose_name=_("completed at"))
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("completed by"))
    done_note = models.TextField(blank=True, verbose_name=_("note on completion"))

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
