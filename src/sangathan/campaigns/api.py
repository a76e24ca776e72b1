"""API of campaigns (``/api/v1/campaigns``): campaigns and their metrics, targets, progress reports,
roll-ups and verification. Everything is scoped: a campaign or unit the caller cannot see answers 404,
a write outside the caller's write scope 403, bad input 400/422 with the field at fault.
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.campaigns.enums import ReportPeriod, TaskKind, VerificationStatus
from sangathan.campaigns.models import Target
from sangathan.campaigns.selectors import (
    campaign_get_for_actor,
    campaign_home_unit,
    campaign_progress,
    campaign_unit_for_actor,
    campaigns_visible,
    discrepancy_scores,
    report_get_for_actor,
    reports_visible,
    verifications_visible,
)
from sangathan.campaigns.services import (
    MetricSpec,
    campaign_create,
    report_submit,
    target_set,
    verification_sample,
)
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Body, Error, ObjectId, Text
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit
from sangathan.org.schemas import UnitRef
from sangathan.org.selectors import unit_get_for_actor

router = Router(tags=["campaigns"])

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


class VerificationOut(Schema):
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


def _campaign(campaign_id, request):
    scope = scope_for_request(request)
    return scope, campaign_get_for_actor(campaign_id, scope)


def _unit(campaign, unit_id, scope):
    if unit_id is None:
        return campaign_home_unit(campaign, scope)
    try:
        return campaign_unit_for_actor(campaign, unit_id, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None


def _progress_out(progress) -> dict:
    score = progress.score
    return {
        "unit": progress.unit, "reporting_units": progress.reporting_units, "reports": progress.reports,
        "metrics": [{"metric": m.metric.code, "reported": m.reported, "target": m.target, "percent": m.percent}
                    for m in progress.metrics],
        "discrepancy": score.__dict__ if score else None,
    }


@router.get("", response={200: list[CampaignOut]})
@paginate(PagePagination)
def campaign_index(request):
    """Campaigns run inside the caller's scope or above it, newest first."""
    return campaigns_visible(scope_for_request(request)).prefetch_related("metrics")


@router.post("", response={201: CampaignOut, 400: Error, 403: Error, 404: Error, 409: Error})
def campaign_add(request, payload: CampaignIn):
    """Start a campaign over a unit the caller may write, with its metrics."""
    scope = scope_for_request(request)
    try:
        unit = unit_get_for_actor(payload.unit, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None
    data = payload.dict(exclude={"unit", "metrics"})
    campaign = campaign_create(actor=request.user, scope=scope, unit=unit,
                               metrics=[MetricSpec(**m.dict()) for m in payload.metrics], **data)
    return Status(201, campaign)


@router.get("/{campaign_id}", response={200: CampaignOut, 404: Error})
def campaign_read(request, campaign_id: ObjectId):
    return _campaign(campaign_id, request)[1]


@router.get("/{campaign_id}/targets", response={200: list[TargetOut], 404: Error})
@paginate(PagePagination)
def target_index(request, campaign_id: ObjectId, filters: Query[TargetFilters]):
    """Targets of the reporting units inside the caller's scope (under ``unit``), in tree order."""
    scope, campaign = _campaign(campaign_id, request)
    targets = scope.filter(Target.objects.filter(campaign=campaign), "unit_path")
    if filters.unit is not None:
        targets = targets.filter(subtree_q("unit_path", _unit(campaign, filters.unit, scope).path))
    return targets.select_related("unit", "metric").order_by("unit_path", "metric__rank", "id")


@router.put("/{campaign_id}/targets", response={200: TargetWritten, 400: Error, 403: Error, 404: Error})
def target_put(request, campaign_id: ObjectId, payload: TargetIn):
    """Set a unit's target for a metric: at a reporting unit its own; above, split down to the reporting
    units beneath in proportion to their booths (the parts add up to the whole)."""
    scope, campaign = _campaign(campaign_id, request)
    metric = campaign.metrics.filter(code=payload.metric).first()
    if metric is None:
        raise DomainError(_("No such metric in this campaign."), field="metric")
    unit = _unit(campaign, payload.unit, scope)
    return {"written": target_set(actor=request.user, scope=scope, campaign=campaign, metric=metric, unit=unit,
                                  value=payload.value)}


@router.get("/{campaign_id}/reports", response={200: list[ReportOut], 404: Error})
@paginate(PagePagination)
def report_index(request, campaign_id: ObjectId, filters: Query[ReportFilters]):
    """Reports inside the caller's scope, newest period first."""
    scope, campaign = _campaign(campaign_id, request)
    unit = _unit(campaign, filters.unit, scope) if filters.unit is not None else None
    return reports_visible(scope=scope, campaign=campaign, unit=unit, period_start=filters.period)


@router.post("/{campaign_id}/reports", response={201: ReportDetailOut, 400: Error, 403: Error, 404: Error})
def report_add(request, campaign_id: ObjectId, payload: ReportIn):
    """Submit a reporting unit's figures for the period containing ``day``; submitting the same period
    again corrects it (``revision`` grows, ``revisions`` keeps every submission)."""
    scope, campaign = _campaign(campaign_id, request)
    unit = _unit(campaign, payload.unit, scope)
    report = report_submit(actor=request.user, scope=scope, campaign=campaign, unit=unit, day=payload.day,
                           values=payload.values, note=payload.note)
    return Status(201, report_get_for_actor(report.pk, scope))


@router.get("/{campaign_id}/reports/{report_id}", response={200: ReportDetailOut, 404: Error})
def report_read(request, campaign_id: ObjectId, report_id: ObjectId):
    scope, campaign = _campaign(campaign_id, request)
    report = report_get_for_actor(report_id, scope)
    if report.campaign_id != campaign.pk:
        raise NotFound(_("No such report."))
    return report


@router.get("/{campaign_id}/rollup", response={200: RollupOut, 404: Error})
def rollup(request, campaign_id: ObjectId, filters: Query[RollupFilters]):
    """Target against reported for a unit and each unit below it (one period or the whole campaign)."""
    scope, campaign = _campaign(campaign_id, request)
    unit = _unit(campaign, filters.unit, scope)
    total, rows = campaign_progress(scope=scope, campaign=campaign, unit=unit, period_start=filters.period)
    return {"period": filters.period, "total": _progress_out(total), "children": [_progress_out(r) for r in rows]}


@router.get("/{campaign_id}/verifications", response={200: list[VerificationOut], 404: Error})
@paginate(PagePagination)
def verification_index(request, campaign_id: ObjectId, filters: Query[VerificationFilters]):
    """Sampled reports with what was asked, what was heard and the discrepancy, newest first."""
    scope, campaign = _campaign(campaign_id, request)
    unit = _unit(campaign, filters.unit, scope) if filters.unit is not None else None
    return verifications_visible(scope=scope, campaign=campaign, unit=unit, status=filters.status)


@router.post("/{campaign_id}/verifications/sample",
             response={201: list[VerificationOut], 400: Error, 403: Error, 404: Error})
def verification_draw(request, campaign_id: ObjectId, payload: SampleIn):
    """Draw a sample of reports (weighted toward outliers, reproducible from ``seed``) inside the caller's
    write scope and create a verification call for each."""
    scope, campaign = _campaign(campaign_id, request)
    drawn = verification_sample(actor=request.user, scope=scope, campaign=campaign, n=payload.sample,
                                seed=payload.seed, since=payload.since)
    return Status(201, list(verifications_visible(scope=scope, campaign=campaign)
                            .filter(pk__in=[v.pk for v in drawn])))


@router.get("/{campaign_id}/discrepancies", response={200: list[DiscrepancyOut], 404: Error})
def discrepancies(request, campaign_id: ObjectId, unit: ObjectId | None = None):
    """Each reporting unit's discrepancy score and confidence from its checked reports, worst first."""
    scope, campaign = _campaign(campaign_id, request)
    under = _unit(campaign, unit, scope) if unit is not None else None
    scores = discrepancy_scores(scope=scope, campaign=campaign, unit=under)
    units = {u.path: u for u in Unit.objects.filter(path__in=scores)}
    rows = [{"unit": units[path], **score.__dict__} for path, score in scores.items() if path in units]
    rows.sort(key=lambda row: (-row["score"], row["unit"].path))
    return rows
