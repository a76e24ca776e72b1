"""Campaign progress as Excel or PDF (``core.exports``): the rows of the campaign page — target against
reported per metric for the chosen unit and each unit below it, one period or the whole campaign."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sangathan.campaigns.selectors import UnitProgress
from sangathan.core.exports import Sheet


def _share(value: float | None) -> str:
    return f"{value:.0%}" if value is not None else ""


def progress_sheet(*, total: UnitProgress, rows: list[UnitProgress], levels: dict) -> Sheet:
    """One row per unit (the chosen unit's total last), per metric: target, reported and per cent."""
    metrics = [m.metric for m in total.metrics]
    header = [_("Unit code"), _("Unit"), _("Level"), _("Reporting units"), _("Reports")]
    for metric in metrics:
        header += [_("%(metric)s: target") % {"metric": metric.label},
                   _("%(metric)s: reported") % {"metric": metric.label}, _("%(metric)s: per cent") % {"metric": metric.label}]
    header += [_("Checked reports"), _("Discrepancy")]

    def line(progress: UnitProgress, *, is_total: bool = False) -> list:
        unit = progress.unit
        level = levels.get(unit.level)
        name = _("Total: %(unit)s") % {"unit": unit.name} if is_total else unit.name
        cells = [unit.code, name, str(level.label) if level else unit.level, progress.reporting_units,
                 progress.reports]
        for figures in progress.metrics:
            cells += [figures.target, figures.reported, f"{figures.percent}%" if figures.percent is not None else ""]
        score = progress.score
        cells += [score.checked if score else 0, _share(score.score) if score else ""]
        return cells

    body = [line(row) for row in rows] + [line(total, is_total=True)]
    return Sheet(title=_("Progress"), header=header, rows=body)
