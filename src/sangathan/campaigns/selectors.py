"""Reads of campaigns. Every function takes the reader's ``Scope``; figures never leave it.

Roll-ups are set-based: reported values and targets carry their reporting unit's path, so the figures of
every child of a unit are one ``GROUP BY substr(unit_path, 1, child length), metric`` over an index
range scan of the unit's subtree — the same pattern as ``people.selectors.people_count_by_prefix``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from sangathan.access.scope import Scope
from sangathan.campaigns import checks
from sangathan.campaigns.enums import CampaignStatus
from sangathan.campaigns.models import (
    BoothTask,
    Campaign,
    Metric,
    Report,
    ReportTally,
    ReportValue,
    Target,
    Verification,
)
from sangathan.campaigns.periods import period_of
from sangathan.campaigns.policies import campaign_paths_for, may_read_campaign
from sangathan.campaigns.tally import REPORTS, TARGETS_DAY, tally_length
from sangathan.core.db_router import reading_from_replica
from sangathan.core.errors import NotFound
from sangathan.core.reference import ReferenceRows
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.org.models import Unit


def campaigns_visible(scope: Scope):
    """Campaigns whose subtree overlaps the reader's scope: run inside it or above it."""
    if scope.is_empty:
        return Campaign.objects.none()
    return Campaign.objects.filter(scope.q("unit_path") | Q(unit_path__in=campaign_paths_for(scope))) \
        .select_related("unit").order_by("-start_date", "id")


def campaign_get_for_actor(campaign_id, scope: Scope) -> Campaign:
    try:
        campaign = Campaign.objects.select_related("unit").get(pk=int(campaign_id))
    except (Campaign.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such campaign.") from None
    if not may_read_campaign(scope, campaign):
        raise NotFound("No such campaign.")
    return campaign


def campaign_home_unit(campaign: Campaign, scope: Scope) -> Unit:
    """Where the reader's view of a campaign starts: the campaign's unit if they can read it, else their
    first scope root inside the campaign."""
    if scope.can_read_path(campaign.unit_path):
        return campaign.unit
    inside = sorted(path for path in scope.read_paths if path.startswith(campaign.unit_path))
    if not inside:
        raise NotFound("No such campaign.")
    return Unit.objects.get(path=inside[0])


def campaign_unit_for_actor(campaign: Campaign, unit_id, scope: Scope) -> Unit:
    """A unit of the campaign's subtree the reader may read, else NotFound."""
    try:
        unit = Unit.objects.get(pk=int(unit_id))
    except (Unit.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such unit.") from None
    if not scope.can_read_path(unit.path) or not unit.path.startswith(campaign.unit_path):
        raise NotFound("No such unit.")
    return unit


# --- Progress --------------------------------------------------------------------------------------------

@dataclass
class MetricProgress:
    metric: Metric
    reported: int
    target: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.reported / self.target) if self.target else None


@dataclass
class UnitProgress:
    unit: Unit
    metrics: list[MetricProgress]
    reporting_units: int = 0
    reports: int = 0
    score: checks.UnitScore | None = None

    @property
    def main(self) -> MetricProgress | None:
        return self.metrics[0] if self.metrics else None


def _grouped(queryset, prefix_len: int, value: str) -> dict[tuple[str, int], int]:
    return {(prefix, metric_id): total for prefix, metric_id, total in
            queryset.annotate(prefix=Substr("unit_path", 1, prefix_len)).values("prefix", "metric_id")
            .annotate(total=Sum(value)).values_list("prefix", "metric_id", "total")}


def _counts(queryset, path_field: str, prefix_len: int) -> dict[str, int]:
    return dict(queryset.annotate(prefix=Substr(path_field, 1, prefix_len)).values("prefix")
                .annotate(n=Count("*")).values_list("prefix", "n"))


@reading_from_replica()
def campaign_progress(*, scope: Scope, campaign: Campaign, unit: Unit, period_start: date | None = None
                      ) -> tuple[UnitProgress, list[UnitProgress]]:
    """``unit``'s totals and each child's, target vs reported per metric (one period or all).

    Six grouped queries whatever the size of the subtree (seven with the tally's path length; reported
    figures and report counts come from ``ReportTally`` in one query when the children are mandals or above). Children outside the reader's scope are left
    out; so is anything below the reporting level.
    """
    if not scope.can_read_path(unit.path) or not unit.path.startswith(campaign.unit_path):
        raise NotFound("No such unit.")
    metrics = list(campaign.metrics.all())
    at_report_level = unit.level == campaign.report_level
    children = [] if at_report_level else [
        child for child in unit.children.filter(is_active=True).order_by("path") if scope.can_read_path(child.path)]
    prefix_len = len(unit.path) + (0 if at_report_level else SEGMENT)
    under = subtree_q("unit_path", unit.path)
    values = ReportValue.objects.filter(under, campaign=campaign)
    reports = Report.objects.filter(under, campaign=campaign)
    if period_start is not None:
        values = values.filter(period_start=period_start)
        reports = reports.filter(period_start=period_start)
    tally_len = None if at_report_level else tally_length(campaign)
    if tally_len is not None and prefix_len <= tally_len:
        # Children at or above the tally unit (the mandal): its per-period sums, ~50x fewer rows than the
        # booths' figures, answer the same question (campaigns.tally; tested equal to a full recount).
        tallies = ReportTally.objects.filter(under, campaign=campaign)
        if period_start is not None:
            tallies = tallies.filter(period_start=period_start)
        reported = _grouped(tallies.filter(metric_id__gte=0), prefix_len, "total")
        report_counts = {prefix: total for (prefix, metric_id), total in reported.items() if metric_id == REPORTS}
        reported = {key: total for key, total in reported.items() if key[1] != REPORTS}
        targets = {(prefix, -metric_id): total for (prefix, metric_id), total in _grouped(
            ReportTally.objects.filter(under, campaign=campaign, period_start=TARGETS_DAY, metric_id__lt=0),
            prefix_len, "total").items()}
    else:
        reported = _grouped(values, prefix_len, "value")
        report_counts = _counts(reports, "unit_path", prefix_len)
        targets = _grouped(Target.objects.filter(under, campaign=campaign), prefix_len, "value")
    unit_counts = _counts(Unit.objects.filter(subtree_q("path", unit.path), level=campaign.report_level,
                                              is_active=True), "path", prefix_len)
    scores = _scores(Verification.objects.filter(under, campaign=campaign), prefix_len)

    def progress(row_unit: Unit, paths: list[str]) -> UnitProgress:
        return UnitProgress(
            unit=row_unit,
            metrics=[MetricProgress(m, sum(reported.get((p, m.pk), 0) for p in paths),
                                    sum(targets.get((p, m.pk), 0) for p in paths)) for m in metrics],
            reporting_units=sum(unit_counts.get(p, 0) for p in paths),
            reports=sum(report_counts.get(p, 0) for p in paths),
            score=_merge_scores([scores[p] for p in paths if p in scores]),
        )

    rows = [progress(child, [child.path]) for child in children]
    everything = [unit.path] if at_report_level else sorted(
        _all_prefixes(reported, targets, report_counts, unit_counts, scores))
    return progress(unit, everything), rows


def _all_prefixes(*groups) -> set[str]:
    prefixes = set()
    for group in groups:
        for key in group:
            prefixes.add(key[0] if isinstance(key, tuple) else key)
    return prefixes


def _scores(verifications, prefix_len: int) -> dict[str, tuple[int, float]]:
    """(checked reports, mean discrepancy) per path prefix."""
    return {prefix: (n, mean) for prefix, n, mean in
            verifications.filter(discrepancy__isnull=False).annotate(prefix=Substr("unit_path", 1, prefix_len))
            .values("prefix").annotate(n=Count("*"), mean=Avg("discrepancy")).values_list("prefix", "n", "mean")}


def _merge_scores(parts: list[tuple[int, float]]) -> checks.UnitScore | None:
    checked = sum(n for n, _ in parts)
    if not checked:
        return None
    mean = sum(n * m for n, m in parts) / checked
    sure = checks.confidence(checked)
    return checks.UnitScore(checked=checked, score=round(mean, 4), confidence=sure,
                            flagged=mean >= checks.FLAG_SCORE and sure >= checks.FLAG_CONFIDENCE)


def campaign_series(*, scope: Scope, campaign: Campaign, unit: Unit, metric: Metric) -> list[tuple[date, int]]:
    """Reported ``metric`` per period under ``unit``, oldest first (one grouped query)."""
    if not scope.can_read_path(unit.path):
        raise NotFound("No such unit.")
    return list(ReportValue.objects.filter(subtree_q("unit_path", unit.path), campaign=campaign, metric=metric)
                .values("period_start").annotate(total=Sum("value")).order_by("period_start")
                .values_list("period_start", "total"))


# --- Reports, tasks, verification ------------------------------------------------------------------------

def reports_visible(*, scope: Scope, campaign: Campaign, unit: Unit | None = None, period_start: date | None = None):
    reports = scope.filter(Report.objects.filter(campaign=campaign), "unit_path")
    if unit is not None:
        reports = reports.filter(subtree_q("unit_path", unit.path))
    if period_start is not None:
        reports = reports.filter(period_start=period_start)
    return reports.select_related("unit", "submitted_by").prefetch_related("values__metric") \
        .order_by("-period_start", "unit_path", "id")


def report_get_for_actor(report_id, scope: Scope) -> Report:
    try:
        report = Report.objects.select_related("campaign", "unit", "submitted_by").get(pk=int(report_id))
    except (Report.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such report.") from None
    if not scope.can_read_path(report.unit_path):
        raise NotFound("No such report.")
    return report


def report_figures(report: Report) -> dict[str, int]:
    """metric code → figure of the report as it stands."""
    return {value.metric.code: value.value for value in report.values.select_related("metric")}


def tasks_visible(*, scope: Scope, campaign: Campaign, unit: Unit | None = None, status: str = ""):
    tasks = scope.filter(BoothTask.objects.filter(campaign=campaign), "unit_path")
    if unit is not None:
        tasks = tasks.filter(subtree_q("unit_path", unit.path))
    if status:
        tasks = tasks.filter(status=status)
    return tasks.select_related("unit", "done_by").order_by("status", "due_date", "unit_path", "id")


def task_get_for_actor(task_id, scope: Scope) -> BoothTask:
    try:
        task = BoothTask.objects.select_related("campaign", "unit").get(pk=int(task_id))
    except (BoothTask.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such task.") from None
    if not scope.can_read_path(task.unit_path):
        raise NotFound("No such task.")
    return task


def verifications_visible(*, scope: Scope, campaign: Campaign, unit: Unit | None = None, status: str = ""):
    rows = scope.filter(Verification.objects.filter(campaign=campaign), "unit_path")
    if unit is not None:
        rows = rows.filter(subtree_q("unit_path", unit.path))
    if status:
        rows = rows.filter(status=status)
    return (rows.select_related("report__unit", "caller", "target", "call__log")
            .prefetch_related("report__values__metric").order_by("-created_at", "-id"))


@dataclass(frozen=True)
class Comparison:
    question: str
    reported: str
    heard: str
    matches: bool | None


def verification_comparison(verification: Verification) -> list[Comparison]:
    """Question by question: what the report says and what the president said on the call."""
    reported = {value.metric.code: value.value for value in verification.report.values.all()}
    heard = verification.heard or {}
    figures = heard.get("figures", {})
    rows = []
    for question in verification.questions:
        if question["kind"] == "happened":
            claims = any(v > 0 for v in reported.values())
            said = heard.get("happened")
            rows.append(Comparison(question["text"], "✓" if claims else "✗",
                                   "" if said is None else ("✓" if said else "✗"),
                                   None if said is None else said == claims))
        else:
            value = reported.get(question["metric"], 0)
            said = figures.get(question["metric"])
            rows.append(Comparison(question["text"], f"{value:,}", "" if said is None else f"{said:,}",
                                   None if said is None else checks.shortfall(value, said) == 0))
    return rows


@dataclass
class FlaggedUnit:
    unit: Unit
    score: checks.UnitScore
    verifications: list[Verification] = field(default_factory=list)
    tasks: list[BoothTask] = field(default_factory=list)


def discrepancy_scores(*, scope: Scope, campaign: Campaign, unit: Unit | None = None) -> dict[str, checks.UnitScore]:
    """Each reporting unit's score (by path) from its checked reports inside the reader's scope."""
    rows = scope.filter(Verification.objects.filter(campaign=campaign, discrepancy__isnull=False), "unit_path")
    if unit is not None:
        rows = rows.filter(subtree_q("unit_path", unit.path))
    return {path: _merge_scores([(n, mean)]) for path, n, mean in
            rows.values("unit_path").annotate(n=Count("*"), mean=Avg("discrepancy"))
            .values_list("unit_path", "n", "mean")}


def flagged_units(*, scope: Scope, campaign: Campaign, unit: Unit | None = None) -> list[FlaggedUnit]:
    """Reporting units whose checked reports do not match what their president said, worst first, with
    the evidence: each verification (reported vs heard, who called when) and the booth tasks' photos."""
    scores = {path: score for path, score in discrepancy_scores(scope=scope, campaign=campaign, unit=unit).items()
              if score.flagged}
    if not scores:
        return []
    units = {u.path: u for u in Unit.objects.filter(path__in=scores)}
    flagged = [FlaggedUnit(units[path], score) for path, score in scores.items() if path in units]
    flagged.sort(key=lambda f: (-f.score.score, f.unit.path))
    by_path = {f.unit.path: f for f in flagged}
    verifications = (Verification.objects.filter(campaign=campaign, unit_path__in=by_path)
                     .select_related("report", "caller", "target", "call__log")
                     .prefetch_related("report__values__metric").order_by("report__period_start"))
    for verification in verifications:
        by_path[verification.unit_path].verifications.append(verification)
    for path, item in by_path.items():
        item.tasks = list(BoothTask.objects.filter(subtree_q("unit_path", path), campaign=campaign)
                          .exclude(photo="").select_related("unit").order_by("-done_on")[:6])
    return flagged


# --- The home's "today" ----------------------------------------------------------------------------------

@dataclass
class ReportsDue:
    campaign: Campaign
    period_start: date
    period_end: date
    units: int  # reporting units the reader may report for
    missing: int  # of which no report for the current period yet


def _active_campaigns() -> tuple[Campaign, ...]:
    return tuple(Campaign.objects.filter(status=CampaignStatus.ACTIVE).order_by("-start_date", "id"))


# The active campaigns, kept per process while the reference token holds (``core.reference``; ``Campaign``
# is tracked: a campaign created, closed or edited changes the token). A state runs a handful at a time.
ACTIVE_CAMPAIGNS = ReferenceRows(_active_campaigns)


def reports_due(*, scope: Scope, day: date, limit: int = 3, token: int | None = None) -> list[ReportsDue]:
    """Active campaigns of ``day`` the reader may read and whose reporting units they may write, with how
    many of those units have not reported the current period: one query per campaign (at most ``limit``);
    the campaigns themselves from the process's copy when the caller read the current reference ``token``
    (the home reads it with its counts), else one query more."""
    if scope.is_empty or not (scope.writes_all or scope.write_paths):
        return []
    due = []
    running = [c for c in ACTIVE_CAMPAIGNS.get(token)
               if c.start_date <= day <= c.end_date and may_read_campaign(scope, c)]
    for campaign in running[:limit]:
        period = period_of(campaign, day)
        reported = Report.objects.filter(campaign=campaign, unit=OuterRef("pk"), period_start=period.start)
        counts = (Unit.objects.filter(subtree_q("path", campaign.unit_path), level=campaign.report_level,
                                      is_active=True)
                  .filter(scope.q("path", for_write=True)).annotate(reported=Exists(reported))
                  .aggregate(units=Count("pk"), done=Count("pk", filter=Q(reported=True))))
        if counts["units"]:
            due.append(ReportsDue(campaign, period.start, period.end, counts["units"],
                                  counts["units"] - counts["done"]))
    return due
