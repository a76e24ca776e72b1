"""API of campaigns (``/api/v1/campaigns``): campaigns and their metrics, targets, progress reports,
roll-ups and verification. Everything is scoped: a campaign or unit the caller cannot see answers 404,
a write outside the caller's write scope 403, bad input 400/422 with the field at fault. Bodies are in
``schemas``; every write runs the same action as the web pages.
"""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.campaigns.api.schemas import (
    CampaignIn,
    CampaignOut,
    DiscrepancyOut,
    ReportDetailOut,
    ReportFilters,
    ReportIn,
    ReportOut,
    ReportVerificationOut,
    RollupFilters,
    RollupOut,
    SampleIn,
    TargetFilters,
    TargetIn,
    TargetOut,
    TargetWritten,
    VerificationFilters,
)
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
from sangathan.core.schemas import Error, ObjectId
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit
from sangathan.org.selectors import unit_get_for_actor

router = Router(tags=["campaigns"])


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
    campaign = campaign_create(scope=scope, unit=unit,
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
    return {"written": target_set(scope=scope, campaign=campaign, metric=metric, unit=unit,
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
    report = report_submit(scope=scope, campaign=campaign, unit=unit, day=payload.day,
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


@router.get("/{campaign_id}/verifications", response={200: list[ReportVerificationOut], 404: Error})
@paginate(PagePagination)
def verification_index(request, campaign_id: ObjectId, filters: Query[VerificationFilters]):
    """Sampled reports with what was asked, what was heard and the discrepancy, newest first."""
    scope, campaign = _campaign(campaign_id, request)
    unit = _unit(campaign, filters.unit, scope) if filters.unit is not None else None
    return verifications_visible(scope=scope, campaign=campaign, unit=unit, status=filters.status)


@router.post("/{campaign_id}/verifications/sample",
             response={201: list[ReportVerificationOut], 400: Error, 403: Error, 404: Error})
def verification_draw(request, campaign_id: ObjectId, payload: SampleIn):
    """Draw a sample of reports (weighted toward outliers, reproducible from ``seed``) inside the caller's
    write scope and create a verification call for each."""
    scope, campaign = _campaign(campaign_id, request)
    drawn = verification_sample(scope=scope, campaign=campaign, n=payload.sample,
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
