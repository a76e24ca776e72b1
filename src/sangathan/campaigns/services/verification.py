"""Verification of reported figures: a weighted random sample of reports becomes verification calls to
the reporting unit's president from an official outside the unit; the answers heard are compared with
the report (the arithmetic is in ``campaigns.checks``).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.campaigns import checks
from sangathan.campaigns.enums import QuestionKind, TaskStatus, VerificationStatus
from sangathan.campaigns.models import BoothTask, Campaign, Report, ReportValue, Verification
from sangathan.campaigns.policies import may_read_campaign, require_write
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.tree import ancestor_paths
from sangathan.org.models import Level, Position
from sangathan.people.enums import PersonStatus

SOURCE_PREFIX = "campaigns.report:"
LOOKBACK_DAYS = 28
MAX_SAMPLE = 1000
NUMBER_QUESTIONS = 2
CALLER_POSTS = ("president", "general_secretary", "incharge")
TARGET_POST = "president"
AUDIT_SAMPLE = "campaigns.verification_sample"
AUDIT_RECORD = "campaigns.verification_record"


def report_source(report_id: int) -> str:
    return f"{SOURCE_PREFIX}{report_id}"


def report_id_from_source(source: str) -> int | None:
    if not source or not source.startswith(SOURCE_PREFIX):
        return None
    tail = source[len(SOURCE_PREFIX):]
    return int(tail) if tail.isdigit() else None


# --- Signals of candidate reports ------------------------------------------------------------------------

def candidate_signals(campaign: Campaign, reports: list[Report]) -> dict[int, list[str]]:
    """The outlier signals (``checks.report_signals``) of each report: four queries in all."""
    if not reports:
        return {}
    codes = dict(campaign.metrics.values_list("id", "code"))
    last_period = max(r.period_start for r in reports)
    by_report: dict[int, dict[str, int]] = defaultdict(dict)
    by_unit: dict[str, list[tuple[date, str, int]]] = defaultdict(list)
    by_period: dict[date, list[tuple[int, str, int]]] = defaultdict(list)
    for report_id, path, period, metric_id, value in ReportValue.objects.filter(
            campaign=campaign, period_start__lte=last_period).values_list(
            "report_id", "unit_path", "period_start", "metric_id", "value"):
        code = codes[metric_id]
        by_report[report_id][code] = value
        by_unit[path].append((period, code, value))
        by_period[period].append((report_id, code, value))
    evidenced = _evidenced_tasks(campaign, reports)
    task_metrics = {m.code: m.task_kind for m in campaign.metrics.exclude(task_kind="")}
    signals = {}
    for report in reports:
        values = by_report.get(report.pk, {})
        history: dict[str, list[int]] = defaultdict(list)
        for period, code, value in by_unit[report.unit_path]:
            if period < report.period_start:
                history[code].append(value)
        peers: dict[str, list[int]] = defaultdict(list)
        for report_id, code, value in by_period[report.period_start]:
            if report_id != report.pk:
                peers[code].append(value)
        backed = {code: evidenced.get((report.pk, kind), 0) for code, kind in task_metrics.items()}
        signals[report.pk] = checks.report_signals(values=values, history=history, peers=peers, evidenced=backed)
    return signals


def _evidenced_tasks(campaign: Campaign, reports: list[Report]) -> dict[tuple[int, str], int]:
    """(report id, task kind) → booth tasks done with evidence under the report's unit in its period."""
    if not campaign.metrics.exclude(task_kind="").exists():
        return {}
    first = min(r.period_start for r in reports)
    last = max(r.period_end for r in reports)
    done = list(BoothTask.objects.filter(campaign=campaign, status=TaskStatus.DONE, done_on__gte=first,
                                         done_on__lte=last).filter(~Q(photo="") | Q(attendance_count__gt=0))
                .values_list("unit_path", "kind", "done_on"))
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for report in reports:
        for path, kind, day in done:
            if path.startswith(report.unit_path) and report.period_start <= day <= report.period_end:
                counts[(report.pk, kind)] += 1
    return counts


# --- Who calls whom, and what they ask ------------------------------------------------------------------

def verification_target(unit):
    """The reporting unit's president (the person the report speaks for), or None when the post is vacant."""
    position = (Position.objects.current(clock.today()).filter(unit=unit, post__code=TARGET_POST)
                .select_related("person").order_by("start_date", "id").first())
    return position.person if position else None


def verification_caller(unit, *, target, rng: random.Random):
    """An official outside ``unit``: a president, general secretary or in-charge of the nearest ancestor at
    district level or above (a mandal's report is not checked by its own assembly next door) who neither
    lives nor holds a post inside the unit, nor is the one called. Chosen at random among that unit's
    officials, reproducibly from ``rng``; None when there is nobody."""
    ancestors = list(reversed(ancestor_paths(unit.path)))  # nearest first
    ranks = dict(Level.objects.values_list("code", "rank"))
    district_rank = ranks.get("district")
    positions = (Position.objects.current(clock.today())
                 .filter(unit__path__in=ancestors, post__code__in=CALLER_POSTS).select_related("person", "unit"))
    by_path: dict[str, dict[int, object]] = defaultdict(dict)
    for position in positions:
        if district_rank is not None and ranks.get(position.unit.level, 0) > district_rank:
            continue
        person = position.person
        if (person.unit_path.startswith(unit.path) or person.status != PersonStatus.ACTIVE
                or (target is not None and person.pk == target.pk)):
            continue
        by_path[position.unit.path][person.pk] = person
    for path in ancestors:
        people = by_path.get(path)
        if people:
            return people[rng.choice(sorted(people))]
    return None


def _period_text(report: Report) -> str:
    return f"{report.period_start:%d.%m.%Y}–{report.period_end:%d.%m.%Y}"


def verification_questions(report: Report, figures: dict[str, int]) -> list[dict]:
    """What the caller asks, in Hindi (calls are in Hindi), without telling the reported figures:
    did the work happen in that period, and about how much of the largest figures."""
    campaign = report.campaign
    level = Level.objects.filter(code=report.unit.level).first()
    place = level.name_hi if level else report.unit.level
    questions = [{
        "kind": QuestionKind.HAPPENED, "metric": "",
        "text": f"क्या {_period_text(report)} के बीच आपके {place} ({report.unit.name_hi}) में "
                f"{campaign.name_hi} का काम हुआ? (हाँ / नहीं)",
    }]
    metrics = {m.code: m for m in campaign.metrics.all()}
    largest = sorted((code for code, value in figures.items() if value > 0),
                     key=lambda code: (-figures[code], metrics[code].rank))[:NUMBER_QUESTIONS]
    for code in largest:
        metric = metrics[code]
        measure = metric.measure_hi or "संख्या"
        questions.append({"kind": QuestionKind.NUMBER, "metric": code,
                          "text": f"उस अवधि में {metric.label_hi}: लगभग कितने {measure}?"})
    return questions


# --- Sampling --------------------------------------------------------------------------------------------

def sample_candidates(*, campaign: Campaign, scope: Scope, since: date | None = None):
    """Reports not yet sampled, from ``since`` (default four weeks back) on, inside ``scope``'s write scope."""
    since = since or clock.today() - timedelta(days=LOOKBACK_DAYS)
    reports = Report.objects.filter(campaign=campaign, period_start__gte=since, verification__isnull=True)
    reports = scope.filter(reports, "unit_path", for_write=True)
    return reports.select_related("unit", "campaign").order_by("id")


@dataclass(kw_only=True)
class VerificationSample(Action):
    """Draw ``n`` reports (weighted toward outliers, reproducible from ``seed``) and turn each into a
    verification call task (``outreach.services.call_task_create``, kind ``verification``, source
    ``campaigns.report:<id>``, shown in the caller's list for ``call_day``, default today).

    The actor must be able to write the campaign's unit or units inside it (a district samples its own
    reports; the weekly task, the system, all). A report is sampled once; a unit without a president gets
    a ``no_target`` verification and no call. Returns the new verifications in the order drawn; one audit
    row names them.
    """

    name = AUDIT_SAMPLE
    campaign: Campaign
    n: int
    seed: int
    since: date | None = None
    call_day: date | None = None

    def check(self) -> None:
        scope, campaign = self.scope, self.campaign
        if not may_read_campaign(scope, campaign):
            raise NotFound(_("No such campaign."))
        if not (scope.can_write_path(campaign.unit_path)
                or any(p.startswith(campaign.unit_path) for p in scope.write_paths)):
            raise PermissionDenied(_("You may not verify this campaign's reports."))
        n = self.n
        if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= MAX_SAMPLE:
            raise DomainError(_("The sample is 1 to %(max)s reports.") % {"max": MAX_SAMPLE}, field="sample")

    def perform(self) -> list[Verification]:
        campaign, seed = self.campaign, self.seed
        reports = list(sample_candidates(campaign=campaign, scope=self.scope, since=self.since))
        signals = candidate_signals(campaign, reports)
        weights = {report.pk: checks.signal_weight(signals[report.pk]) for report in reports}
        chosen = checks.weighted_sample(weights, self.n, seed)
        by_id = {report.pk: report for report in reports}
        figures = _figures([by_id[i] for i in chosen])
        verifications = []
        for report_id in chosen:
            report = by_id[report_id]
            rng = random.Random(f"{seed}:{report_id}")
            target = verification_target(report.unit)
            caller = verification_caller(report.unit, target=target, rng=rng) if target else None
            verification = Verification.objects.create(
                report=report, campaign=campaign, unit_path=report.unit_path, seed=seed, weight=weights[report_id],
                signals=signals[report_id], questions=verification_questions(report, figures[report_id]),
                caller=caller, target=target, sampled_by=self.actor,
                status=VerificationStatus.PENDING if caller and target else VerificationStatus.NO_TARGET,
            )
            if caller and target:
                _call_create(verification, scope=self.scope, day=self.call_day or clock.today())
            verifications.append(verification)
        return verifications

    def log(self, verifications: list[Verification]) -> None:
        if verifications:
            audit_log(scope=self.scope, action=self.name, target=self.campaign,
                      detail={"seed": self.seed, "n": self.n, "reports": [v.report_id for v in verifications]})


verification_sample = VerificationSample.run


def _figures(reports: list[Report]) -> dict[int, dict[str, int]]:
    figures: dict[int, dict[str, int]] = defaultdict(dict)
    for report_id, code, value in ReportValue.objects.filter(report__in=reports).values_list(
            "report_id", "metric__code", "value"):
        figures[report_id][code] = value
    return figures


def _call_create(verification: Verification, *, scope: Scope, day: date) -> None:
    from sangathan.outreach.enums import CallKind
    from sangathan.outreach.services import call_task_create

    call = call_task_create(scope=scope, caller=verification.caller, target=verification.target,
                            kind=CallKind.VERIFICATION, day=day,
                            questions=[q["text"] for q in verification.questions],
                            source=report_source(verification.report_id))
    verification.call = call
    verification.save(update_fields=["call", "updated_at"])


# --- Recording what was heard ------------------------------------------------------------------------------

@transaction.atomic
def verification_record(*, scope: Scope, verification: Verification, reached: bool, answers: list,
                        at=None) -> Verification:
    """Compare what the president said (``answers``, aligned with the questions) with the report.

    Not reached: ``unreached`` (no score). Reached: the parsed answers go to ``heard`` and the report's
    discrepancy (``checks.report_discrepancy``) decides ``matched`` / ``mismatched``; answers that say
    nothing usable leave it pending. Recording again (an edited call log) recomputes. Needs write scope
    over the report's unit (the system, reacting to the logged call); writes an audit row.
    """
    verification = Verification.objects.select_for_update().get(pk=verification.pk)
    require_write(scope, verification.unit_path, _("You may not record this verification."))
    verification.checked_at = at or clock.now()
    if not reached:
        verification.status, verification.discrepancy, verification.heard = VerificationStatus.UNREACHED, None, {}
        verification.save(update_fields=["status", "discrepancy", "heard", "checked_at", "updated_at"])
        _record_log(scope, verification)
        return verification
    answers = list(answers or [])
    happened, heard = None, {}
    for index, question in enumerate(verification.questions):
        answer = answers[index] if index < len(answers) else None
        if question["kind"] == QuestionKind.HAPPENED:
            happened = checks.parse_yes_no(answer)
        else:
            number = checks.parse_number(answer)
            if number is not None:
                heard[question["metric"]] = number
    reported = _figures([verification.report])[verification.report_id]
    discrepancy = checks.report_discrepancy(happened=happened, reported=reported, heard=heard)
    verification.heard = {"happened": happened, "figures": heard}
    verification.discrepancy = discrepancy
    if discrepancy is None:
        verification.status = VerificationStatus.PENDING
    else:
        verification.status = (VerificationStatus.MATCHED if discrepancy < checks.MATCH_BELOW
                                else VerificationStatus.MISMATCHED)
    verification.save(update_fields=["status", "discrepancy", "heard", "checked_at", "updated_at"])
    _record_log(scope, verification)
    return verification


def _record_log(scope: Scope, verification: Verification) -> None:
    audit_log(scope=scope, action=AUDIT_RECORD, target=verification,
              detail={"status": verification.status, "discrepancy": verification.discrepancy})
