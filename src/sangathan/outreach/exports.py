"""Booth contact compliance as Excel or PDF (``core.exports``): the compliance page's figures for a unit and
period — per unit below it, per caller, per day — each a sheet of the workbook and a table of the PDF."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sangathan.core.exports import Sheet
from sangathan.outreach.selectors import ComplianceRow


def _header(first: str) -> list[str]:
    return [first, _("Calls given"), _("Called the same day"), _("Reached"), _("Missed"), _("Still to call"),
            _("Called (per cent)")]


def _line(label: str, row: ComplianceRow) -> list:
    return [label, row.assigned, row.called_same_day, row.reached, row.overdue, row.pending,
            f"{round(100 * row.called_share)}%"]


def compliance_sheets(*, figures: dict, children: list[ComplianceRow], callers: list[ComplianceRow],
                      days: list[ComplianceRow]) -> list[Sheet]:
    total = _("Calls given: %(assigned)s; called the same day: %(called)s (%(share)s%%); reached: %(reached)s; "
              "missed: %(missed)s.") % {"assigned": figures["assigned"], "called": figures["called_same_day"],
                                        "share": round(100 * figures["called_share"]), "reached": figures["reached"],
                                        "missed": figures["overdue"]}
    return [
        Sheet(title=_("By unit"), header=_header(_("Unit")), notes=[total],
              rows=[_line(row.label, row) for row in children]),
        Sheet(title=_("By caller"), header=_header(_("Caller")), rows=[_line(row.label, row) for row in callers]),
        Sheet(title=_("By day"), header=_header(_("Day")), rows=[_line(row.key, row) for row in days]),
    ]
