"""Request and response bodies of the campaigns API."""

from datetime import date, datetime

from ninja import Field, Schema

from sangathan.campaigns.enums import ReportPeriod, TaskKind, VerificationStatus
from sangathan.core.schemas import Body, ObjectId, Text
from sangathan.org.schemas import UnitRef

PERIOD_PATTERN = "^(" + "|".join(ReportPeriod.values) + ")$"
TASK_KIND_PATTERN = "^(" + "|".join(TaskKind.values) + ")?$"
STATUS_PATTERN = "^(" + "|".join(VerificationStatus.values) + ")?$"


class MetricIn(Body):
    code: Text = Field(..., max_length=40, description="Lower-case letters, digits, - and _.")
    label_hi: Text = Field(..., max_length=120)
    label_en: Text = Field("", max_length=120)
    measure_hi: Text = Field("", max_length=40, description="Unit of measure, e.g. घर.")
    measure_en: Text = Field("", max_length=40)
    task_kind: Text = Field("", pattern=TASK_KIND_PATTERN, description="Booth tasks that evidence this metric.")


class MetricOut(Schema):
    code: str
    label_hi: str
    label_en: str
    measure_hi: str
    measure_en: str
    task_kind: str


class CampaignIn(Body):
    unit: ObjectId = Field(..., description="The campaign runs over this unit's subtree.")
    code: Text = Field(..., max_length=40)
    name_hi: Text = Field(..., max_length=200)
    name_en: Text = Field("", max_length=200)
    description: Text = Field("", max_length=5000)
    report_level: Text = Field(..., max_length=40, description="booth, shakti_kendra, mandal, assembly or district.")
    period: Text = Field(ReportPeriod.WEEKLY, pattern=PERIOD_PATTERN)
    start_date: date
    end_date: date
    metrics: list[MetricIn] = Field(..., min_length=1, max_length=20)


class CampaignOut(Schema):
    id: int
    code: str
    name_hi: str
    name_en: str
    description: str
    unit: UnitRef
    report_level: str
    period: str
    start_date: date
    end_date: date
    status: str
    metrics: list[MetricOut]

    @staticmethod
    def resolve_metrics(campaign) -> list:
        return list(campaign.metrics.all())


class TargetIn(Body):
    unit: ObjectId = Field(..., description="A reporting unit, or a unit above them whose target is split down.")
    metric: Text = Field(..., max_length=40)
    value: int = Field(..., ge=0)


class TargetOut(Schema):
    unit: UnitRef
    metric: str
    value: int
    set_at: int = Field(..., description="Id of the unit whose target was split down to this one.")

    @staticmethod
    def resolve_metric(target) -> str:
        return target.metric.code

    @staticmethod
    def resolve_set_at(target) -> int:
        return target.set_at_id


class TargetWritten(Schema):
    written: int = Field(..., description="Reporting units whose target was written.")


class TargetFilters(Schema):
    unit: ObjectId | None = None


class ReportIn(Body):
    unit: ObjectId = Field(..., description="The reporting unit.")
    day: date | None = Field(None, description="Any day of the period reported (default: today).")
    values: dict[str, int] = Field(..., description="Metric code → figure; a metric left out counts 0.")
    note: Text = Field("", max_length=500)


class RevisionOut(Schema):
    number: int
    values: dict[str, int]
    note: str
    at: datetime
    actor: str | None

    @staticmethod
    def resolve_actor(revision) -> str | None:
        return str(revision.actor) if revision.actor_id else None


class ReportOut(Schema):
    id: int
    unit: UnitRef
    period_start: date
    period_end: date
    values: dict[str, int]
    revision: int
    note: str
    submitted_at: datetime
    submitted_by: str | None

    @staticmethod
    def resolve_values(report) -> dict:
        return {value.metric.code: value.value for value in report.values.all()}

    @staticmethod
    def resolve_submitted_by(report) -> str | None:
        return str(report.submitted_by) if report.submitted_by_id else None


class ReportDetailOut(ReportOut):
    revisions: list[RevisionOut]

    @staticmethod
    def resolve_revisions(report) -> list:
        return list(report.revisions.select_related("actor"))


class ReportFilters(Schema):
    unit: ObjectId | None = None
    period: date | None = Field(None, description="Start date of one period.")


class ScoreOut(Schema):
    checked: int = Field(..., description="Reports checked by a call that got a usable answer.")
    score: float = Field(..., description="Mean discrepancy, 0 (matches) … 1 (nothing happened).")
    confidence: float = Field(..., description="checked / (checked + 2).")
    flagged: bool


class MetricProgressOut(Schema):
    metric: str
    reported: int
    target: int
    percent: int | None


class UnitProgressOut(Schema):
    unit: UnitRef
    reporting_units: int
    reports: int
    metrics: list[MetricProgressOut]
    discrepancy: ScoreOut | None


class RollupOut(Schema):
    period: date | None
    total: UnitProgressOut
    children: list[UnitProgressOut]


class RollupFilters(Schema):
    unit: ObjectId | None = Field(None, description="Default: the caller's top unit in the campaign.")
    period: date | None = Field(None, description="Start date of one period; default the whole campaign.")


class PersonRef(Schema):
    id: int
    name: str


class QuestionOut(Schema):
    kind: str
    metric: str
    text: str


class ReportVerificationOut(Schema):
    id: int
    report: int
    unit: UnitRef
    period_start: date
    status: str
    signals: list[str]
    weight: float
    seed: int
    questions: list[QuestionOut]
    heard: dict
    discrepancy: float | None
    caller: PersonRef | None
    target: PersonRef | None
    call: int | None
    checked_at: datetime | None

    @staticmethod
    def resolve_report(verification) -> int:
        return verification.report_id

    @staticmethod
    def resolve_unit(verification):
        return verification.report.unit

    @staticmethod
    def resolve_period_start(verification) -> date:
        return verification.report.period_start

    @staticmethod
    def resolve_call(verification) -> int | None:
        return verification.call_id


class VerificationFilters(Schema):
    unit: ObjectId | None = None
    status: str = Field("", pattern=STATUS_PATTERN)


class SampleIn(Body):
    sample: int = Field(..., ge=1, le=1000, description="How many reports to draw.")
    seed: int = Field(..., ge=0, le=2**62, description="The same seed draws the same reports.")
    since: date | None = Field(None, description="Only reports of periods starting on or after (default 4 weeks).")


class DiscrepancyOut(ScoreOut):
    unit: UnitRef
