"""Booth contact: programs of daily calls, the calls assigned each day, what each call found, follow-ups."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sangathan.core.models import BilingualNameMixin, TimeStampedModel
from sangathan.messaging.models import Channel
from sangathan.outreach.enums import (
    AssignmentStatus,
    CallKind,
    CallOutcome,
    FollowUpStatus,
    WellBeing,
)

DEFAULT_WORKING_DAYS = [0, 1, 2, 3, 4, 5]


def default_working_days() -> list[int]:
    return list(DEFAULT_WORKING_DAYS)


class ContactProgram(BilingualNameMixin, TimeStampedModel):
    """Who calls whom every working day: callers (holders of given posts at given levels, plus named
    people), targets (holders of ``target_post`` at ``target_level`` units under ``target_root``), how many a
    caller gets a day, and the pairing rule: a caller whose post sits at ``pairing_level`` or below gets
    targets of their own unit at that level (a district in-charge: booths of their district); a caller above
    it gets any target under ``target_root``, or under the region assigned to them. Never their own booth."""

    code = models.SlugField(max_length=40, unique=True, verbose_name=_("code"))
    name_hi = models.CharField(_("name (Hindi)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    target_root = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("targets under"))
    target_path = models.CharField(max_length=64, verbose_name=_("target path"))
    target_level = models.CharField(_("level of the targets' units"), max_length=40, default="booth")
    target_post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("targets' post"))
    pairing_level = models.CharField(_("callers at or below this level call within it"), max_length=40,
                                     default="district", blank=True)
    per_caller_per_day = models.PositiveSmallIntegerField(
        _("calls per caller per day"), default=2, validators=[MinValueValidator(1), MaxValueValidator(50)])
    working_days = models.JSONField(_("working days"), default=default_working_days)
    send_time = models.TimeField(_("list sent at"), default=datetime.time(9, 0))
    reminder_time = models.TimeField(_("reminder at"), default=datetime.time(18, 0))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.SMS)
    seed = models.BigIntegerField(_("random seed"), default=0,
                                  help_text=_("Ties among equally due targets are broken by this seed."))
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("contact program")
        verbose_name_plural = _("contact programs")

    def __str__(self):
        return self.name

    def works_on(self, day: datetime.date) -> bool:
        return day.weekday() in self.working_days


class ProgramCallerPost(models.Model):
    """Holders of ``post`` at units of ``level`` (under the program's root) are callers."""

    program = models.ForeignKey(ContactProgram, on_delete=models.CASCADE, related_name="caller_posts")
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+")
    level = models.CharField(max_length=40)

    class Meta:
        verbose_name = _("caller post")
        verbose_name_plural = _("caller posts")
        ordering = ["program", "level", "post"]
        constraints = [models.UniqueConstraint(fields=["program", "post", "level"],
                                               name="outreach_callerpost_unique")]

    def __str__(self):
        return f"{self.post} @ {self.level}"


class ProgramCaller(models.Model):
    """A named caller of a program, or a region assigned to a caller: with ``region`` set, the person's
    targets come from that subtree instead of the whole program."""

    program = models.ForeignKey(ContactProgram, on_delete=models.CASCADE, related_name="named_callers",
                                verbose_name=_("contact program"))
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("person"))
    region = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))

    class Meta:
        verbose_name = _("named caller")
        verbose_name_plural = _("named callers")
        ordering = ["program", "person"]
        constraints = [models.UniqueConstraint(fields=["program", "person"], name="outreach_caller_unique")]

    def __str__(self):
        return f"{self.person_id} → {self.region_id or '*'}"


class CallerAbsence(models.Model):
    """A caller away (travel, illness): no calls are assigned to them from ``start_on`` to ``end_on``."""

    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="call_absences",
                               verbose_name=_("person"))
    start_on = models.DateField(verbose_name=_("from"))
    end_on = models.DateField(verbose_name=_("until"))
    reason = models.CharField(max_length=200, blank=True, verbose_name=_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))

    class Meta:
        verbose_name = _("caller absence")
        verbose_name_plural = _("caller absences")
        ordering = ["-start_on"]
        indexes = [models.Index(fields=["end_on", "start_on"], name="outreach_absence_dates")]
        constraints = [models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")),
                                              name="outreach_absence_end_after_start")]

    def __str__(self):
        return f"{self.person_id}: {self.start_on}–{self.end_on}"


class CallAssignment(models.Model):
    """One call a caller must make on ``day``: a program's daily call, or a one-off task (a verification
    or follow-up call, ``program`` empty, idempotent on ``source``). Not callable after its day."""

    # Foreign keys whose lookups the composite indexes below already serve carry no index of their own:
    # every index is paid for on each of a state's daily rows. ``program`` and ``target_unit`` carry no
    # database constraint either: their rows are one program and booths, never deleted by SQL, and Django
    # still enforces PROTECT itself; the constraint's check of each of a day's 20,000 rows at commit was the
    # largest part of the daily assignment (docs/PERFORMANCE.md). Nor do ``caller`` and ``target``: people are
    # never deleted by SQL (a merge moves every reference through Django first, ``people.merge``), and their
    # checks were still a fifth of a day once the others were gone.
    program = models.ForeignKey(ContactProgram, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="assignments", db_index=False, db_constraint=False,
                                verbose_name=_("contact program"))
    kind = models.CharField(max_length=20, choices=CallKind.choices, default=CallKind.DAILY, verbose_name=_("kind"))
    day = models.DateField(verbose_name=_("day"))
    caller = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="call_assignments",
                               db_index=False, db_constraint=False, verbose_name=_("caller"))
    target = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="calls_received",
                               db_constraint=False, verbose_name=_("person to call"))
    # The unit the call is about (the booth) and its path: booth-health and district reads are range scans.
    target_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False,
                                    db_constraint=False, verbose_name=_("unit to call"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    # The unit of the post the caller calls for: "a district's callers" is a range scan on it.
    caller_path = models.CharField(max_length=64, verbose_name=_("caller's unit path"))
    rank = models.PositiveSmallIntegerField(default=1, verbose_name=_("order"))
    questions = models.JSONField(default=list, blank=True, verbose_name=_("questions"))
    source = models.CharField(max_length=120, blank=True, default="", verbose_name=_("source"))
    status = models.CharField(max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.PENDING,
                              verbose_name=_("status"))
    created_at = models.DateTimeField(default=timezone.now, verbose_name=_("created at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", db_index=False, verbose_name=_("created by"))

    class Meta:
        ordering = ["day", "caller", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["program", "day", "target"], condition=Q(program__isnull=False),
                                    name="outreach_assignment_target_once_a_day"),
            models.UniqueConstraint(fields=["source"], condition=~Q(source=""), name="outreach_assignment_source"),
        ]
        indexes = [
            models.Index(fields=["caller", "day"], name="outreach_assignment_caller_day"),
            models.Index(fields=["unit_path", "day"], name="outreach_assignment_path_day",
                         opclasses=["varchar_pattern_ops", ""]),
            models.Index(fields=["caller_path", "day"], name="outreach_assignment_cpath_day",
                         opclasses=["varchar_pattern_ops", ""]),
            # Only calls still to make: expiring yesterday's list reads these, never the whole history.
            models.Index(fields=["day"], condition=Q(status=AssignmentStatus.PENDING),
                         name="outreach_assign_pending_day"),
        ]
        verbose_name = _("call assignment")
        verbose_name_plural = _("call assignments")

    def __str__(self):
        return f"{self.day} {self.caller_id} → {self.target_id}"

    def is_callable(self, today: datetime.date) -> bool:
        return self.day == today and self.status in (AssignmentStatus.PENDING, AssignmentStatus.LOGGED)


class CallLog(models.Model):
    """What one call found. One per assignment; the caller may correct it on the day of the call only."""

    assignment = models.OneToOneField(CallAssignment, on_delete=models.CASCADE, related_name="log",
                                      verbose_name=_("call assignment"))
    # Copies of the assignment's, so compliance and feedback reads need no join.
    day = models.DateField(verbose_name=_("day"))
    caller = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", db_index=False,
                               verbose_name=_("caller"))
    target = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+", db_index=False,
                               verbose_name=_("person to call"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    reached = models.BooleanField(verbose_name=_("reached"))
    outcome = models.CharField(max_length=20, choices=CallOutcome.choices, verbose_name=_("outcome"))
    wellbeing_self = models.CharField(max_length=10, choices=WellBeing.choices, blank=True, default="",
                                      verbose_name=_("own wellbeing"))
    wellbeing_family = models.CharField(max_length=10, choices=WellBeing.choices, blank=True, default="",
                                        verbose_name=_("family's wellbeing"))
    position_score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)],
        verbose_name=_("score for the post"))
    position_note = models.CharField(max_length=500, blank=True, verbose_name=_("note on the post"))
    needs = models.JSONField(default=list, blank=True, verbose_name=_("needs"))  # NeedCategory values
    needs_note = models.CharField(max_length=500, blank=True, verbose_name=_("note on needs"))
    followup_wanted = models.BooleanField(default=False, verbose_name=_("follow-up wanted"))
    followup_note = models.CharField(max_length=500, blank=True, verbose_name=_("follow-up note"))
    answers = models.JSONField(default=list, blank=True,
                               verbose_name=_("answers"))  # aligned with assignment.questions
    notes = models.CharField(max_length=1000, blank=True, verbose_name=_("notes"))
    logged_at = models.DateTimeField(verbose_name=_("logged at"))
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("logged by"))
    updated_at = models.DateTimeField(verbose_name=_("updated at"))

    class Meta:
        ordering = ["-logged_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "day"], name="outreach_calllog_path_day",
                         opclasses=["varchar_pattern_ops", ""]),
            models.Index(fields=["target", "logged_at"], name="outreach_calllog_target"),
            models.Index(fields=["caller", "logged_at"], name="outreach_calllog_caller"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(position_score__isnull=True) | Q(position_score__range=(1, 5)),
                                   name="outreach_calllog_score_range"),
        ]
        verbose_name = _("call log")
        verbose_name_plural = _("call logs")

    def __str__(self):
        return f"{self.day} {self.get_outcome_display()}"


class ContactState(models.Model):
    """Per program and target: when they were last given to a caller, called and reached. One compact row
    per target is what the daily assignment reads (never the whole history of assignments)."""

    # No foreign key here carries a database constraint (Django still cascades and nulls them itself; none of
    # their rows is deleted by SQL, a person merge moves references through Django first): the day's upsert
    # writes ~20,000 rows, and the constraints' checks of them at commit were a sixth of the daily assignment
    # (docs/PERFORMANCE.md).
    program = models.ForeignKey(ContactProgram, on_delete=models.CASCADE, related_name="+", db_index=False,
                                db_constraint=False)
    target = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+", db_constraint=False)
    last_assigned_on = models.DateField(null=True, blank=True)
    last_called_on = models.DateField(null=True, blank=True)
    last_reached_on = models.DateField(null=True, blank=True)
    assigned_count = models.PositiveIntegerField(default=0)
    called_count = models.PositiveIntegerField(default=0)
    last_log = models.ForeignKey(CallLog, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 db_index=False, db_constraint=False)
    # The target's booth when last assigned: booth health is read per subtree.
    target_unit = models.ForeignKey("org.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False, db_constraint=False)
    unit_path = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("contact state")
        verbose_name_plural = _("contact states")
        constraints = [models.UniqueConstraint(fields=["program", "target"], name="outreach_state_unique")]
        indexes = [models.Index(fields=["program", "unit_path"], name="outreach_state_program_path",
                                opclasses=["", "varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.program_id}/{self.target_id}"


class AssignmentRun(models.Model):
    """One program's assignment for one day: what it found and did (re-runs add to the same row)."""

    program = models.ForeignKey(ContactProgram, on_delete=models.CASCADE, related_name="runs")
    day = models.DateField()
    seed = models.BigIntegerField()
    callers = models.PositiveIntegerField(default=0)
    absent_callers = models.PositiveIntegerField(default=0)
    targets = models.PositiveIntegerField(default=0)
    vacant_units = models.PositiveIntegerField(default=0)
    assigned = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(default=0)
    notified_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("assignment run")
        verbose_name_plural = _("assignment runs")
        ordering = ["-day", "program"]
        constraints = [models.UniqueConstraint(fields=["program", "day"], name="outreach_run_unique")]

    def __str__(self):
        return f"{self.program_id} {self.day}"


class FollowUp(TimeStampedModel):
    """Something a booth president asked for in a call, for the district to act on."""

    call_log = models.OneToOneField(CallLog, on_delete=models.CASCADE, related_name="followup",
                                    verbose_name=_("call log"))
    district = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    note = models.CharField(max_length=500, verbose_name=_("note"))
    status = models.CharField(max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN,
                              verbose_name=_("status"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("closed by"))
    resolution = models.CharField(max_length=500, blank=True, verbose_name=_("resolution"))

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["unit_path"], condition=Q(status=FollowUpStatus.OPEN),
                                name="outreach_followup_open_path", opclasses=["varchar_pattern_ops"])]

    def __str__(self):
        return self.note[:60]
