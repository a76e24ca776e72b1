"""Booth contact compliance as a file: the compliance page's unit and period, as Excel or PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_log
from sangathan.core.db_router import reading_from_replica
from sangathan.core.exports import FORMATS, export_response
from sangathan.outreach import selectors
from sangathan.outreach.exports import compliance_sheets
from sangathan.outreach.views import _period, _unit_for


@login_required
@reading_from_replica()
def compliance_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    scope = scope_for_request(request)
    unit = _unit_for(request, scope)
    if unit is None:  # a reader whose posts give no unit: the page explains, the file has nothing to hold
        raise Http404
    period, start, end = _period(request)
    span = {"scope": scope, "unit": unit, "start": start, "end": end}
    sheets = compliance_sheets(figures=selectors.booth_contact_compliance(**span),
                               children=selectors.compliance_by_child(**span),
                               callers=selectors.compliance_by_caller(**span),
                               days=selectors.compliance_by_day(**span))

    def audit(count: int) -> None:
        audit_log(scope=scope, action=AuditLog.Action.EXPORT, unit_path=unit.path, detail={
            "what": "call_compliance", "format": fmt, "unit": unit.code, "period": period, "rows": count})

    return export_response(fmt, sheets, title=_("Booth contact: who made their calls") + f" · {unit.name}",
                           subtitle=f"{start:%d.%m.%Y} – {end:%d.%m.%Y}", stem=f"call-compliance-{unit.code}",
                           on_done=audit, landscape=False)
