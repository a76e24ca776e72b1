"""Campaign progress as a file: the campaign page's rows (same unit, same period) as Excel or PDF."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_log
from sangathan.campaigns.exports import progress_sheet
from sangathan.campaigns.selectors import campaign_progress
from sangathan.campaigns.views import _campaign_or_404, _period, _unit_or_home
from sangathan.core.db_router import reading_from_replica
from sangathan.core.exports import FORMATS, export_response
from sangathan.org.selectors import level_labels


@login_required
@reading_from_replica()
def campaign_export(request, campaign_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    scope = scope_for_request(request)
    campaign = _campaign_or_404(campaign_id, scope)
    unit = _unit_or_home(request, campaign, scope)
    _periods, period = _period(request, campaign)
    total, rows = campaign_progress(scope=scope, campaign=campaign, unit=unit,
                                    period_start=period.start if period else None)
    when = (_("Period from %(start)s to %(end)s") % {"start": f"{period.start:%d.%m.%Y}", "end": f"{period.end:%d.%m.%Y}"}
            if period else _("The whole campaign"))

    def audit(count: int) -> None:
        audit_log(scope=scope, action=AuditLog.Action.EXPORT, target=campaign, unit_path=unit.path, detail={
            "what": "campaign_progress", "format": fmt, "unit": unit.code,
            "period": period.start.isoformat() if period else "", "rows": count})

    return export_response(fmt, [progress_sheet(total=total, rows=rows, levels=level_labels())],
                           title=f"{campaign.name} · {unit.name}", subtitle=when,
                           stem=f"campaign-{campaign.code}-{unit.code}", on_done=audit)
