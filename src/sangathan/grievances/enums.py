"""The vocabulary of the Sahyog Cell (सहयोग सेल): statuses, levels, kinds, channels and timeline kinds."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class GrievanceStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("grievances", "Open")
    # With a government department: the party's clock waits while the department's clock runs.
    FORWARDED = "forwarded", _("Forwarded to the department")
    AWAITING_COMPLAINANT = "awaiting_complainant", _("Waiting for the complainant")
    PENDING_APPROVAL = "pending_approval", _("Waiting for approval")
    SCHEDULED = "scheduled", _("Scheduled for a hearing")
    RESOLVED = "resolved", _("Resolved, awaiting confirmation")
    CLOSED = "closed", pgettext_lazy("grievances", "Closed")


# Statuses in which a grievance is still someone's work.
OPEN_STATUSES = (
    GrievanceStatus.OPEN,
    GrievanceStatus.FORWARDED,
    GrievanceStatus.AWAITING_COMPLAINANT,
    GrievanceStatus.PENDING_APPROVAL,
    GrievanceStatus.SCHEDULED,
)


class GrievanceLevel(models.TextChoices):
    DISTRICT = "district", _("District cell")
    STATE = "state", _("State support cell")
    MINISTER = "minister", _("Minister")


LEVEL_ORDER = {GrievanceLevel.DISTRICT: 1, GrievanceLevel.STATE: 2, GrievanceLevel.MINISTER: 3}


class GrievanceKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative (government department)")
    ORGANIZATIONAL = "organizational", _("Organizational (party)")


class GrievanceChannel(models.TextChoices):
    DISTRICT_OFFICE = "district_office", _("District office sitting")
    STATE_HEARING = "state_hearing", _("State office hearing")
    PHONE = "phone", _("Phone")
    WEB = "web", _("Web")
    API = "api", _("API")


class GrievancePriority(models.TextChoices):
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Feedback(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


class ClosureKind(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed by the complainant")
    SILENCE = "silence", _("No reply from the complainant")
    FORCED = "forced", _("Closed without confirmation (approved)")


class AssignmentRole(models.TextChoices):
    ASSIGNEE = "assignee", pgettext_lazy("grievances", "Assigned")
    WATCHER = "watcher", _("Watching")


class AssignmentStrategy(models.TextChoices):
    ROUND_ROBIN = "round_robin", _("In turn (round robin)")
    LEAST_LOAD = "least_load", _("Fewest open cases")


class ApprovalAction(models.TextChoices):
    ASSIGN_MINISTER = "assign_minister", _("Send to a minister")
    FORCE_CLOSE = "force_close", _("Close without confirmation")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class EventKind(models.TextChoices):
    CREATED = "created", pgettext_lazy("grievances", "Taken")
    DUPLICATE = "duplicate", _("Possible duplicate")
    ASSIGNED = "assigned", pgettext_lazy("grievances", "Assigned")
    RECUSED = "recused", _("Routed around a named office-bearer")
    FORWARDED = "forwarded", _("Forwarded to the department")
    EXTERNAL_OVERDUE = "external_overdue", _("Department's time limit passed")
    ESCALATED = "escalated", _("Escalated")
    SENT_BACK = "sent_back", _("Sent back with directions")
    WAITING = "waiting", _("Waiting for the complainant")
    RESUMED = "resumed", _("Resumed")
    SCHEDULED = "scheduled", _("Scheduled for a hearing")
    NOTE = "note", _("Note")
    APPROVAL_REQUESTED = "approval_requested", _("Approval requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Approval refused")
    RESOLVED = "resolved", pgettext_lazy("grievances", "Resolved")
    FEEDBACK = "feedback", _("Complainant's feedback")
    REOPENED = "reopened", _("Reopened")
    CLOSED = "closed", pgettext_lazy("grievances", "Closed")
    MESSAGE = "message", _("Message sent")
    REMINDER = "reminder", _("Reminder sent")
    ATTACHMENT = "attachment", _("File attached")
