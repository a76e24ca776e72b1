"""The Sahyog Cell's records: departments, the office calendar, routing rules, grievances and their timeline.

A grievance carries the path of its unit (``unit_path``) like every hot table, so "everything in this
district" is one index range scan. Its party clock is ``due_at`` (NULL while paused: forwarded to a
department, waiting for the complainant, waiting for an approval, scheduled for a hearing); the
department's clock is ``external_due_at``. Only ``grievances.services`` change a grievance, and each
change writes a ``GrievanceEvent`` in the same transaction.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangathan.core import clock
from sangathan.core.models import BilingualNameMixin, TimeStampedModel
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    ApprovalAction,
    ApprovalStatus,
    AssignmentRole,
    AssignmentStrategy,
    ClosureKind,
    EventKind,
    Feedback,
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
    GrievancePriority,
    GrievanceStatus,
)

TRACKING_CODE_LENGTH = 9  # "SG-" + six characters


class Department(BilingualNameMixin, TimeStampedModel):
    """A government department grievances are forwarded to, with its own time limit and minister."""

    code = models.SlugField(max_length=40, unique=True, verbose_name=_("code"))
    name_hi = models.CharField(max_length=200, verbose_name=_("name in Hindi"))
    name_en = models.CharField(max_length=200, blank=True, verbose_name=_("name in English"))
    # The department's grievance system and its time limit (e.g. CPGRAMS, 21 days; CM Helpline 181).
    external_system = models.CharField(max_length=80, blank=True, verbose_name=_("external system"))
    external_days = models.PositiveSmallIntegerField(default=21, verbose_name=_("days with the department"))
    minister = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="departments", verbose_name=_("minister"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name_en", "code"]

    def __str__(self):
        return self.name


class Holiday(BilingualNameMixin, models.Model):
    """A day the offices are closed; SLA clocks count working days only (``grievances.workdays``)."""

    date = models.DateField(unique=True, verbose_name=_("date"))
    name_hi = models.CharField(max_length=120, verbose_name=_("name in Hindi"))
    name_en = models.CharField(max_length=120, blank=True, verbose_name=_("name in English"))

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date} {self.name}"


class CellSettings(models.Model):
    """The cell's configurable rules; one row (pk=1), changed by the state convener through services."""

    district_days = models.PositiveSmallIntegerField(default=7, help_text=_("Working days at the district cell."),
                                                     verbose_name=_("days at the district cell"))
    state_days = models.PositiveSmallIntegerField(default=15, help_text=_("Working days at the state cell."),
                                                  verbose_name=_("days at the state cell"))
    minister_days = models.PositiveSmallIntegerField(default=15, help_text=_("Working days with a minister."),
                                                     verbose_name=_("days with a minister"))
    reminder_days = models.PositiveSmallIntegerField(default=1, help_text=_("Remind assignees this many "
                                                                            "working days before the due date."),
                                                     verbose_name=_("reminder after days"))
    confirmation_days = models.PositiveSmallIntegerField(default=7, help_text=_(
        "Close a resolved grievance after this many days without the complainant's reply."),
                                                         verbose_name=_("days to confirm"))
    # Monday = 0 … Sunday = 6, comma-separated.
    weekly_off = models.CharField(max_length=20, default="6", verbose_name=_("weekly off"))
    state_assignment = models.CharField(max_length=12, choices=AssignmentStrategy.choices,
                                        default=AssignmentStrategy.LEAST_LOAD,
                                        verbose_name=_("assignment at the state cell"))
    round_robin_cursor = models.PositiveIntegerField(default=0, verbose_name=_("turn-by-turn position"))
    attachment_max_mb = models.PositiveSmallIntegerField(default=5, verbose_name=_("largest attachment (MB)"))

    class Meta:
        verbose_name = _("cell settings")
        verbose_name_plural = _("cell settings")

    def __str__(self):
        return "cell settings"

    @property
    def weekly_off_days(self) -> frozenset[int]:
        return frozenset(int(part) for part in self.weekly_off.split(",") if part.strip().isdigit())

    def days_for(self, level: str) -> int:
        return {GrievanceLevel.DISTRICT: self.district_days, GrievanceLevel.STATE: self.state_days,
                GrievanceLevel.MINISTER: self.minister_days}[level]


class RoutingRule(models.Model):
    """Who gets a new grievance: holders of ``post`` (in ``wing``) at the grievance's ``unit_level`` ancestor.

    Rules are data, matched by kind and (optionally) department; ``role`` says whether the holder works on
    it or watches it. A holder named in the grievance is routed around (the same post one level up).
    """

    kind = models.CharField(max_length=20, choices=GrievanceKind.choices, verbose_name=_("grievance kind"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="routing_rules", help_text=_("Empty: every department."),
                                   verbose_name=_("department"))
    unit_level = models.CharField(max_length=40, default="district", verbose_name=_("unit level"))
    post = models.ForeignKey("org.Post", on_delete=models.PROTECT, related_name="+", verbose_name=_("post"))
    wing = models.ForeignKey("org.Wing", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("wing or cell"))
    role = models.CharField(max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.ASSIGNEE,
                            verbose_name=_("role"))
    order = models.PositiveSmallIntegerField(default=10, verbose_name=_("order"))
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["kind", "order", "id"]

    def __str__(self):
        return f"{self.kind} → {self.post.code}@{self.unit_level} ({self.role})"


class Grievance(models.Model):
    tracking_code = models.CharField(max_length=12, unique=True, verbose_name=_("tracking number"))
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="grievances",
                             verbose_name=_("unit"))
    # Copy of unit.path: scoped reads are one index range scan.
    unit_path = models.CharField(max_length=64, verbose_name=_("unit path"))
    # The district the unit lies in: the cell that owns the grievance until it is closed.
    district = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("district"))
    status = models.CharField(max_length=24, choices=GrievanceStatus.choices, default=GrievanceStatus.OPEN,
                              verbose_name=_("status"))
    level = models.CharField(max_length=10, choices=GrievanceLevel.choices, default=GrievanceLevel.DISTRICT,
                             verbose_name=_("level"))
    kind = models.CharField(max_length=20, choices=GrievanceKind.choices, verbose_name=_("kind"))
    channel = models.CharField(max_length=20, choices=GrievanceChannel.choices, verbose_name=_("channel"))
    priority = models.CharField(max_length=10, choices=GrievancePriority.choices, default=GrievancePriority.NORMAL,
                                verbose_name=_("priority"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="grievances", verbose_name=_("department"))
    is_policy_matter = models.BooleanField(default=False, verbose_name=_("policy matter"))
    subject = models.CharField(max_length=200, verbose_name=_("subject"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    complainant = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="grievances", verbose_name=_("complainant"))
    complainant_name = models.CharField(max_length=150, verbose_name=_("complainant's name"))
    complainant_mobile = models.CharField(max_length=16, verbose_name=_("complainant's mobile number"))
    # An office-bearer the complaint names: routed around and never shown the grievance.
    named_person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="grievances_naming",
                                     verbose_name=_("person named in the complaint"))
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("duplicate of"))
    # The party's clock: NULL while paused; ``paused_days`` keeps the working days that were left.
    due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("due by"))
    paused_days = models.PositiveSmallIntegerField(null=True, blank=True,
                                                   verbose_name=_("working days left while paused"))
    reminded_at = models.DateTimeField(null=True, blank=True, verbose_name=_("reminded at"))
    # The department's side (administrative grievances).
    external_office = models.CharField(max_length=200, blank=True, verbose_name=_("office at the department"))
    external_reference = models.CharField(max_length=80, blank=True,
                                          verbose_name=_("department's reference number"))
    forwarded_on = models.DateField(null=True, blank=True, verbose_name=_("forwarded on"))
    external_due_at = models.DateTimeField(null=True, blank=True, verbose_name=_("department's due date"))
    # A minister's hearing (the rosters app keeps the sessions).
    hearing_on = models.DateField(null=True, blank=True, verbose_name=_("hearing date"))
    hearing_label = models.CharField(max_length=200, blank=True, verbose_name=_("hearing"))
    escalation_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("times escalated"))
    reopened_count = models.PositiveSmallIntegerField(default=0, verbose_name=_("times reopened"))
    resolution_note = models.TextField(blank=True, verbose_name=_("resolution note"))
    feedback = models.CharField(max_length=16, choices=Feedback.choices, blank=True, verbose_name=_("feedback"))
    feedback_at = models.DateTimeField(null=True, blank=True, verbose_name=_("feedback at"))
    closure = models.CharField(max_length=12, choices=ClosureKind.choices, blank=True, verbose_name=_("closure"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(default=clock.now, verbose_name=_("created at"))
    escalated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("escalated at"))
    resolved_at = models.DateTimeField(null=True, blank=True, verbose_name=_("resolved at"))
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))
    updated_at = models.DateTimeField(default=clock.now, verbose_name=_("updated at"))

    class Meta:
        verbose_name = _("grievance")
        verbose_name_plural = _("grievances")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit_path", "created_at"], name="grv_path_created",
                         opclasses=["varchar_pattern_ops", ""]),
            # The escalation sweep: running clocks past their due time, oldest first.
            models.Index(fields=["level", "due_at"], name="grv_open_due", condition=Q(status="open")),
            models.Index(fields=["external_due_at"], name="grv_forwarded_due", condition=Q(status="forwarded")),
            models.Index(fields=["complainant_mobile", "status"], name="grv_mobile_status"),
            models.Index(fields=["status", "level"], name="grv_status_level"),
            models.Index(fields=["resolved_at"], name="grv_resolved", condition=Q(status="resolved")),
        ]

    def __str__(self):
        return f"{self.tracking_code} {self.subject}"

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What ``tally`` counted this row as, so a save moves it from there (unknown when a field is deferred).
        fields = instance.__dict__
        if "unit_path" in fields and "status" in fields and "due_at" in fields:
            instance._tally_was = (instance.unit_path, instance.status, instance.due_at)
        return instance

    def refresh_from_db(self, using=None, fields=None, from_queryset=None):
        super().refresh_from_db(using=using, fields=fields, from_queryset=from_queryset)
        was = self.__dict__.pop("_tally_was", None)
        if fields is not None and was is not None:
            # A deferred field loaded, or a few refreshed: the stored row is known for those.
            stored = dict(zip(("unit_path", "status", "due_at"), was, strict=True))
            stored.update({name: getattr(self, name) for name in fields if name in stored})
            self._tally_was = (stored["unit_path"], stored["status"], stored["due_at"])
        # A whole refresh: the stored row may have moved, so the next save reads it first.

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.due_at is not None and self.due_at < clock.now()


class GrievanceAssignment(models.Model):
    """Who works on (or watches) a grievance at a level; ending it keeps the row as history."""

    # No database constraint on ``grievance`` (nor on the timeline's): grievances are never deleted by SQL and
    # Django cascades itself, while the escalation sweep writes these rows by the hundred thousand and the
    # constraint's check of each at commit was a sixth of the sweep (docs/PERFORMANCE.md).
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="assignments",
                                  db_constraint=False)
    # Served by ``grv_assignment_person`` (person, ended_at), of which it is the prefix: no index of its own.
    # No database constraint either: people are never deleted by SQL (a merge moves every reference through
    # Django, which keeps PROTECT), and the check of each of the sweep's rows at commit cost it time.
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="grievance_assignments",
                               db_index=False, db_constraint=False)
    role = models.CharField(max_length=10, choices=AssignmentRole.choices, default=AssignmentRole.ASSIGNEE)
    level = models.CharField(max_length=10, choices=GrievanceLevel.choices)
    # Only the rows someone assigned by hand are indexed (``grv_assignment_by``); the sweep's have none.
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    assigned_at = models.DateTimeField(default=clock.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The grievance's status and due time, copied onto its active rows, and whether the grievance names this
    # person (recusal): the reader's own counts on the home read one range of ``grv_assignment_person``,
    # never the grievances. Kept by ``grievances.tally`` (every save) and the sweep; ``tally_refresh``
    # recopies them after bulk writes.
    grievance_status = models.CharField(max_length=24, blank=True, default="", db_default="")
    grievance_due_at = models.DateTimeField(null=True, blank=True)
    names_person = models.BooleanField(default=False, db_default=False)

    class Meta:
        verbose_name = _("grievance assignment")
        verbose_name_plural = _("grievance assignments")
        ordering = ["assigned_at", "id"]
        indexes = [
            models.Index(fields=["person", "ended_at"], name="grv_assignment_person",
                         include=["grievance", "grievance_status", "grievance_due_at", "names_person"]),
            # A deleted user's rows (SET NULL); the sweep writes hundreds of thousands without an assigner.
            models.Index(fields=["assigned_by"], name="grv_assignment_by", condition=Q(assigned_by__isnull=False)),
            # The few grievances a person watches: the home counts them beside the holder tally (assignees).
            models.Index(fields=["person"], name="grv_assignment_watching",
                         include=["grievance", "grievance_status", "grievance_due_at", "names_person"],
                         condition=Q(ended_at__isnull=True, role="watcher")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["grievance", "person", "role"], condition=Q(ended_at__isnull=True),
                                    name="grv_assignment_one_active"),
        ]

    def __str__(self):
        return f"{self.grievance_id} → {self.person_id} ({self.role})"

    def copy_from(self, grievance: "Grievance") -> "GrievanceAssignment":
        """Take the grievance's status and due time, and whether it names this row's person."""
        self.grievance_status, self.grievance_due_at = grievance.status, grievance.due_at
        self.names_person = bool(grievance.named_person_id) and grievance.named_person_id == self.person_id
        return self


def attachment_path(instance, filename: str) -> str:
    stamp = clock.now()
    return f"grievances/{stamp:%Y/%m}/{instance.grievance_id}-{filename}"


class GrievanceAttachment(models.Model):
    """A document or photo brought with a grievance, or the evidence of its resolution."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    original_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    is_evidence = models.BooleanField(default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=clock.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name or self.file.name


class GrievanceEvent(models.Model):
    """One line of a grievance's timeline: a change of status or level, an assignment, a note, a message.

    ``public`` events are what the complainant may read on the status page (the latest one is shown).
    """

    # Served by ``grv_event_grievance_at`` (no index of its own); no database constraint, as on assignments.
    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="events", db_index=False,
                                  db_constraint=False, verbose_name=_("grievance"))
    kind = models.CharField(max_length=20, choices=EventKind.choices, verbose_name=_("event"))
    at = models.DateTimeField(default=clock.now, verbose_name=_("time"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False, verbose_name=_("done by"))
    public = models.BooleanField(default=False, verbose_name=_("shown to the complainant"))
    text = models.TextField(blank=True, verbose_name=_("text"))
    status = models.CharField(max_length=24, blank=True,
                              verbose_name=_("status after"))  # the status after the event
    level = models.CharField(max_length=10, blank=True, verbose_name=_("level after"))   # the level after the event
    data = models.JSONField(default=dict, blank=True, verbose_name=_("data"))

    class Meta:
        verbose_name = _("grievance history entry")
        verbose_name_plural = _("grievance history")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["grievance", "at"], name="grv_event_grievance_at"),
            # Only events with an actor: the sweeps write theirs by the hundred thousand without one.
            models.Index(fields=["actor"], name="grv_event_actor", condition=Q(actor__isnull=False)),
        ]

    def __str__(self):
        return f"{self.grievance_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class ApprovalRequest(models.Model):
    """A step that needs a higher level's yes: a policy matter sent to a minister, a forced closure."""

    grievance = models.ForeignKey(Grievance, on_delete=models.CASCADE, related_name="approvals")
    action = models.CharField(max_length=20, choices=ApprovalAction.choices)
    payload = models.JSONField(default=dict, blank=True)
    reason = models.TextField()
    # The status to return to when the request is refused.
    previous_status = models.CharField(max_length=24, choices=GrievanceStatus.choices)
    status = models.CharField(max_length=10, choices=ApprovalStatus.choices, default=ApprovalStatus.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    requested_at = models.DateTimeField(default=clock.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        verbose_name = _("approval request")
        verbose_name_plural = _("approval requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["grievance"], condition=Q(status="pending"),
                                    name="grv_approval_one_pending"),
        ]

    def __str__(self):
        return f"{self.grievance_id} {self.action} ({self.status})"


class GrievanceTally(models.Model):
    """Open grievances per unit subtree and quarter hour of their due time, kept by ``grievances.tally``
    (a derived table: no history). The homes' "open" and "overdue in your area" read a few of these rows
    instead of counting the cell's grievances on every visit."""

    # A unit's path, down to ``tally.DEPTH`` (the state, division and district of the cell's reach).
    path = models.CharField(max_length=16)
    # Quarter hours since 1970 of the party clock's due time; ``tally.NO_CLOCK`` when it is not running.
    slot = models.IntegerField()
    open_count = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["path", "slot"], name="grv_tally_path_slot")]

    def __str__(self):
        return f"{self.path} {self.slot}: {self.open_count}"


class GrievanceHolderTally(models.Model):
    """Open grievances each person holds as assignee, per quarter hour of their due time: the home's "assigned
    to you" for someone who holds tens of thousands reads a few rows, not all of them. PostgreSQL only: kept by
    triggers on the assignments whoever writes them (``grievances/migrations/0008``; ``grievances.tally``)."""

    person_id = models.BigIntegerField()
    slot = models.IntegerField()  # as ``GrievanceTally.slot``
    open_count = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person_id", "slot"], name="grv_holder_tally_person_slot")]

    def __str__(self):
        return f"{self.person_id} {self.slot}: {self.open_count}"
