"""Creating and closing campaigns, and setting their targets: actions, each with its audit row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.db.models.functions import Substr
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.campaigns import tally
from sangathan.campaigns.enums import CampaignStatus, ReportPeriod, TaskKind
from sangathan.campaigns.models import MAX_VALUE, Campaign, Metric, Target
from sangathan.campaigns.policies import require_write
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, check_length
from sangathan.core.tree import subtree_q
from sangathan.org.models import Level, Unit

REPORT_LEVELS = ("booth", "shakti_kendra", "mandal", "assembly", "district")
AUDIT_CREATE = "campaigns.create"
AUDIT_CLOSE = "campaigns.close"
AUDIT_TARGET_SET = "campaigns.target_set"


@dataclass(frozen=True)
class MetricSpec:
    code: str
    label_hi: str
    label_en: str = ""
    measure_hi: str = ""
    measure_en: str = ""
    task_kind: str = ""


def _check_metrics(metrics: list[MetricSpec]) -> None:
    if not metrics:
        raise DomainError(_("Give the campaign at least one metric."), field="metrics")
    codes = set()
    for index, metric in enumerate(metrics):
        field = f"metrics.{index}"
        code = metric.code.strip()
        if not code or slugify(code) != code or len(code) > 40:
            raise DomainError(_("A metric's code is lower-case letters, digits, - and _ (at most 40)."),
                              field=f"{field}.code")
        if code in codes:
            raise DomainError(_("Two metrics have the same code."), field=f"{field}.code")
        codes.add(code)
        if not metric.label_hi.strip():
            raise DomainError(_("Give the metric a Hindi label."), field=f"{field}.label_hi")
        check_length(metric.label_hi, field=f"{field}.label_hi", max_length=120)
        check_length(metric.label_en, field=f"{field}.label_en", max_length=120)
        check_length(metric.measure_hi, field=f"{field}.measure_hi", max_length=40)
        check_length(metric.measure_en, field=f"{field}.measure_en", max_length=40)
        if metric.task_kind and metric.task_kind not in TaskKind.values:
            raise DomainError(_("Unknown kind of task."), field=f"{field}.task_kind")


@dataclass(kw_only=True)
class CampaignCreate(Action):
    """A campaign over ``unit``'s subtree with its metrics. Needs write scope over ``unit``."""

    name = AUDIT_CREATE
    unit: Unit
    code: str
    name_hi: str
    name_en: str = ""
    description: str = ""
    report_level: str
    period: str = ReportPeriod.WEEKLY
    start_date: date
    end_date: date
    metrics: list[MetricSpec]

    def check(self) -> None:
        require_write(self.scope, self.unit.path, _("You may not start a campaign here."))
        self.code = code = (self.code or "").strip()
        if not code or slugify(code) != code:
            raise DomainError(_("The code is lower-case letters, digits, - and _."), field="code")
        check_length(code, field="code", max_length=40)
        if not (self.name_hi or "").strip():
            raise DomainError(_("Give the campaign a Hindi name."), field="name_hi")
        check_length(self.name_hi, field="name_hi", max_length=200)
        check_length(self.name_en, field="name_en", max_length=200)
        check_length(self.description, field="description", max_length=5000)
        report_level = self.report_level
        if report_level not in REPORT_LEVELS or not Level.objects.filter(code=report_level).exists():
            raise DomainError(_("Reports come from booths, shakti kendras, mandals, assemblies or districts."),
                              field="report_level")
        if Level.objects.get(code=report_level).rank < Level.objects.get(code=self.unit.level).rank:
            raise DomainError(_("Reporting units must lie at or below the campaign's unit."), field="report_level")
        if self.period not in ReportPeriod.values:
            raise DomainError(_("Unknown reporting period."), field="period")
        if self.end_date < self.start_date:
            raise DomainError(_("The campaign cannot end before it starts."), field="end_date")
        _check_metrics(self.metrics)
        if Campaign.objects.filter(code=code).exists():
            raise DomainError(_("A campaign with this code exists already."), code="duplicate", field="code")

    def perform(self) -> Campaign:
        unit = self.unit
        try:
            with transaction.atomic():
                campaign = Campaign.objects.create(
                    code=self.code, name_hi=self.name_hi.strip(), name_en=self.name_en.strip(),
                    description=self.description.strip(), unit=unit, unit_path=unit.path,
                    report_level=self.report_level, period=self.period, start_date=self.start_date,
                    end_date=self.end_date, created_by=self.actor)
        except IntegrityError:
            raise DomainError(_("A campaign with this code exists already."), code="duplicate",
                              field="code") from None
        Metric.objects.bulk_create([
            Metric(campaign=campaign, code=m.code.strip(), label_hi=m.label_hi.strip(), label_en=m.label_en.strip(),
                   measure_hi=m.measure_hi.strip(), measure_en=m.measure_en.strip(), task_kind=m.task_kind,
                   rank=(index + 1) * 10)
            for index, m in enumerate(self.metrics)
        ])
        return campaign

    def log(self, campaign: Campaign) -> None:
        audit_log(scope=self.scope, action=self.name, target=campaign,
                  detail={"code": campaign.code, "report_level": campaign.report_level,
                          "metrics": [m.code for m in self.metrics]})


@dataclass(kw_only=True)
class CampaignClose(Action):
    """No more reports are taken; figures and verifications stay. Needs write scope over its unit."""

    name = AUDIT_CLOSE
    campaign: Campaign

    def check(self) -> None:
        require_write(self.scope, self.campaign.unit_path, _("You may not close this campaign."))
        if self.campaign.status == CampaignStatus.CLOSED:
            raise DomainError(_("This campaign is closed already."), code="closed")

    def perform(self) -> Campaign:
        campaign = Campaign.objects.select_for_update().get(pk=self.campaign.pk)
        if campaign.status == CampaignStatus.CLOSED:  # closed meanwhile
            raise DomainError(_("This campaign is closed already."), code="closed")
        campaign.status = CampaignStatus.CLOSED
        campaign.save(update_fields=["status", "updated_at"])
        return campaign

    def log(self, campaign: Campaign) -> None:
        audit_log(scope=self.scope, action=self.name, target=campaign)


campaign_create = CampaignCreate.run
campaign_close = CampaignClose.run


def reporting_units(campaign: Campaign, under: Unit | None = None):
    """The campaign's reporting units, under ``under`` (default: the whole campaign), in tree order."""
    root = under.path if under is not None else campaign.unit_path
    if not root.startswith(campaign.unit_path) and not campaign.unit_path.startswith(root):
        return Unit.objects.none()
    root = max(root, campaign.unit_path, key=len)
    return Unit.objects.filter(subtree_q("path", root), level=campaign.report_level, is_active=True).order_by("path")


def split_largest_remainder(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` into whole numbers that add up to ``total`` exactly."""
    weight_sum = sum(weights)
    if not weights:
        return []
    if weight_sum <= 0:
        weights = [1] * len(weights)
        weight_sum = len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:total - sum(shares)]:
        shares[i] += 1
    return shares


@dataclass(kw_only=True)
class TargetSet(Action):
    """Set ``unit``'s target for ``metric``; returns how many reporting units' targets were written.

    At a reporting unit the target is its own. Above, it is split down to the reporting units beneath in
    proportion to their booths (evenly when they are booths), by largest remainder so the parts add up to
    the whole; each part records ``set_at=unit`` and ``set_by``. A later target set lower down replaces the
    part there, so the higher total becomes the sum of the parts (roll-ups always add up the reporting
    units). Needs write scope over ``unit``; an audit row keeps the value set and the one it replaced.
    """

    name = AUDIT_TARGET_SET
    campaign: Campaign
    metric: Metric
    unit: Unit
    value: int

    def check(self) -> None:
        campaign, unit, value = self.campaign, self.unit, self.value
        if self.metric.campaign_id != campaign.pk:
            raise DomainError(_("This metric belongs to another campaign."), field="metric")
        require_write(self.scope, unit.path, _("You may not set targets here."))
        if not unit.path.startswith(campaign.unit_path):
            raise DomainError(_("This unit is outside the campaign."), field="unit")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_VALUE:
            raise DomainError(_("A target is a whole number from 0 to %(max)s.") % {"max": f"{MAX_VALUE:,}"},
                              field="value")
        self.units = list(reporting_units(campaign, unit))
        if not self.units:
            raise DomainError(_("There is no reporting unit under this unit."), field="unit")

    def perform(self) -> int:
        campaign, metric, unit, units = self.campaign, self.metric, self.unit, self.units
        if campaign.report_level == "booth":
            weights = [1] * len(units)
        else:
            prefix_len = len(units[0].path)
            booths = dict(Unit.objects.filter(subtree_q("path", unit.path), level="booth")
                          .annotate(prefix=Substr("path", 1, prefix_len)).values("prefix")
                          .annotate(n=Count("*")).values_list("prefix", "n"))
            weights = [booths.get(u.path, 0) for u in units]
        shares = split_largest_remainder(self.value, weights)
        user = self.actor
        existing = {t.unit_id: t for t in Target.objects.select_for_update().filter(
            metric=metric, unit__in=[u.pk for u in units])}
        self.before = sum(t.value for t in existing.values())
        new, changed = [], []
        self._old_values: list[int] = []
        now = clock.now()
        for reporting_unit, share in zip(units, shares, strict=True):
            target = existing.get(reporting_unit.pk)
            if target is None:
                new.append(Target(campaign=campaign, metric=metric, unit=reporting_unit,
                                  unit_path=reporting_unit.path, value=share, set_at=unit, set_by=user))
            else:
                self._old_values.append(target.value)
                target.value, target.set_at, target.set_by, target.updated_at = share, unit, user, now
                changed.append(target)
        changes = [(t.unit_path, t.value) for t in new]
        changes += [(t.unit_path, t.value - old) for t, old in zip(changed, self._old_values, strict=True)]
        Target.objects.bulk_create(new, batch_size=2000)
        Target.objects.bulk_update(changed, ["value", "set_at", "set_by", "updated_at"], batch_size=2000)
        # The roll-ups' tally by mandal: added changes (the targets' rows are locked above).
        tally.targets_add(campaign_id=campaign.pk, metric_id=metric.pk, changes=changes)
        return len(units)

    def log(self, written: int) -> None:
        audit_log(scope=self.scope, action=self.name, target=self.campaign, unit_path=self.unit.path,
                  detail={"metric": self.metric.code, "unit": self.unit.pk, "value": self.value,
                          "before": self.before, "units": written})


target_set = TargetSet.run
