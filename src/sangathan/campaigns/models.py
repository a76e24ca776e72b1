"""Campaigns (महाजनसंपर्क अभियान …): metrics, targets, unit progress reports, booth tasks with evidence and
the verification of reported figures by calls to the ground.

Targets and reported values live on the *reporting units* (the campaign's report level: booth, mandal or
district) and carry the unit's path, so every roll-up is one grouped range scan by path prefix. A target
set higher up is split down to the reporting units below it (``services.targets``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sangathan.campaigns.enums import (
    CampaignStatus,
    QuestionKind,
    ReportPeriod,
    TaskKind,
    TaskStatus,
    VerificationStatus,
)
from sangathan.core.models import BilingualNameMixin, TimeStampedModel, in_language

MAX_VALUE = 10_000_000


class Campaign(BilingualNameMixin, TimeStampedModel):
    """A campaign run by ``unit`` over its subtree, reported by its units of level ``report_level``."""

    code = models.SlugField(max_length=40, unique=True)
    name_hi = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)
    description = models.TextField(blank=True)
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="campaigns")
    unit_path = models.CharField(max_length=64)
    report_level = models.CharField(max_length=40)
    period = models.CharField(max_length=12, choices=ReportPeriod.choices, default=ReportPeriod.WEEKLY)
    start_date = models.DateField()
    end_date = models.DateField()
    status = models.CharField(max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.ACTIVE)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["unit_path"], name="campaigns_cmp_path_like",
                                opclasses=["varchar_pattern_ops"])]
        constraints = [models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")),
                                              name="campaigns_campaign_end_after_start")]

    def __str__(self):
        return self.name


class Metric(TimeStampedModel):
    """What a campaign counts (homes contacted, members enrolled, walls written …), with its unit of measure.

    ``task_kind`` ties a metric to the booth tasks that evidence it (walls written ↔ wall-writing tasks).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="metrics")
    code = models.SlugField(max_length=40)
    label_hi = models.CharField(max_length=120)
    label_en = models.CharField(max_length=120, blank=True)
    measure_hi = models.CharField(max_length=40, blank=True, help_text=_("Unit of measure, e.g. घर."))
    measure_en = models.CharField(max_length=40, blank=True)
    rank = models.PositiveSmallIntegerField(default=100)
    task_kind = models.CharField(max_length=20, choices=TaskKind.choices, blank=True)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="campaigns_metric_code_unique")]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return in_language(self.label_hi, self.label_en)

    @property
    def measure(self) -> str:
        return in_language(self.measure_hi, self.measure_en)


class Target(TimeStampedModel):
    """The target of one reporting unit for one metric over the whole campaign.

    ``set_at`` is the unit whose target was split down to this one (the unit itself when set directly).
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    value = models.PositiveIntegerField()
    set_at = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["metric", "unit"], name="campaigns_target_unique")]
        indexes = [models.Index(fields=["campaign", "unit_path"], name="campaigns_target_cmp_path",
                                opclasses=["", "varchar_pattern_ops"])]


class Report(TimeStampedModel):
    """A reporting unit's progress for one period. Corrections replace the values and add a revision."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reports")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    period_start = models.DateField()
    period_end = models.DateField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-period_start", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["campaign", "unit", "period_start"],
                                               name="campaigns_report_unique_period")]
        indexes = [models.Index(fields=["campaign", "unit_path"], name="campaigns_report_cmp_path",
                                opclasses=["", "varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.unit_id} {self.period_start}"


class ReportValue(models.Model):
    """One metric's figure in a report, with the campaign and path copied for set-based roll-ups."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="+")
    unit_path = models.CharField(max_length=64)
    period_start = models.DateField()
    value = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "metric"], name="campaigns_value_unique")]
        indexes = [
            # A roll-up reads (prefix, metric, value) from the index alone.
            models.Index(fields=["campaign", "unit_path", "metric", "value"], name="campaigns_value_rollup",
                         opclasses=["", "varchar_pattern_ops", "", ""]),
        ]

    def __str__(self):
        return f"{self.metric_id}={self.value}"


class ReportTally(models.Model):
    """Reported figures summed per campaign, period and *tally unit* — the ancestor ``TALLY_LEVELS_UP`` levels
    above the reporting unit (the mandal, for booth reports) — plus the number of reports (``metric_id`` 0).
    A state-wide roll-up reads these ~50x fewer rows instead of every booth's figures. Kept current by
    ``ReportSubmit`` (``campaigns.tally``: added deltas, so concurrent reports never lose one) and rebuilt
    in full by ``sangathan campaigns tally-rebuild`` and a nightly job."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    unit_path = models.CharField(max_length=64)
    # A metric's id, or 0 for the number of reports (no foreign key: 0 is not a metric).
    metric_id = models.BigIntegerField()
    total = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "period_start", "unit_path", "metric_id"],
                                               name="campaigns_tally_unique")]
        indexes = [
            # A roll-up reads (prefix, metric, total) from the index alone.
            models.Index(fields=["campaign", "unit_path", "metric_id", "period_start", "total"],
                         name="campaigns_tally_rollup", opclasses=["", "varchar_pattern_ops", "", "", ""]),
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.period_start} {self.unit_path} {self.metric_id}={self.total}"


class ReportRevision(models.Model):
    """Every submission or correction of a report as it was: ``values`` maps metric code → figure."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    values = models.JSONField()
    note = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="campaigns_revision_unique")]

    def __str__(self):
        return f"{self.report_id} #{self.number}"


def evidence_path(task, filename: str) -> str:
    return f"campaigns/evidence/{task.campaign_id}/{task.pk or 'new'}-{filename}"


class BoothTask(TimeStampedModel):
    """A campaign task at a booth (wall writing, a meeting) and, once done, its evidence."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="tasks")
    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=64)
    kind = models.CharField(max_length=20, choices=TaskKind.choices)
    title = models.CharField(max_length=200)
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    photo = models.FileField(upload_to=evidence_path, blank=True, max_length=300)
    attendance_count = models.PositiveIntegerField(null=True, blank=True)
    attendance_names = models.TextField(blank=True)
    attendees = models.ManyToManyField("people.Person", blank=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["campaign", "unit_path"], name="campaigns_task_cmp_path",
                                opclasses=["", "varchar_pattern_ops"])]

    def __str__(self):
        return self.title

    @property
    def has_evidence(self) -> bool:
        return bool(self.photo) or bool(self.attendance_count)


class Verification(TimeStampedModel):
    """A sampled report checked by a call to the unit's president from an official outside the unit.

    ``questions`` is what was asked (Hindi text with its kind and metric); ``heard`` the parsed answers;
    ``discrepancy`` 0 (matches) … 1 (nothing of it happened).
    """

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="verification")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="verifications")
    unit_path = models.CharField(max_length=64)
    status = models.CharField(max_length=12, choices=VerificationStatus.choices, default=VerificationStatus.PENDING)
    seed = models.BigIntegerField()
    weight = models.FloatField()
    signals = models.JSONField(default=list)
    questions = models.JSONField(default=list)
    heard = models.JSONField(default=dict)
    discrepancy = models.FloatField(null=True, blank=True)
    call = models.OneToOneField("outreach.CallAssignment", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="campaign_verification")
    caller = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    target = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    sampled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "unit_path"], name="campaigns_verif_cmp_path",
                                opclasses=["", "varchar_pattern_ops"])]

    def __str__(self):
        return f"{self.report_id} {self.status}"


__all__ = ["Campaign", "Metric", "Target", "Report", "ReportValue", "ReportTally", "ReportRevision", "BoothTask", "Verification",
           "QuestionKind", "MAX_VALUE"]
