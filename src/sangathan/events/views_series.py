"""Pages of series: the list, a new series, and the "not held" report by district and month with its chart,
the list of meetings not held under a unit (each a link to record it) and the export."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_log
from sangathan.core.charts import bar_chart
from sangathan.core.errors import DomainError
from sangathan.core.exports import FORMATS, Sheet, export_response
from sangathan.core.forms import add_domain_errors
from sangathan.events import reports, selectors
from sangathan.events.forms import SeriesForm
from sangathan.events.policies import may_organize
from sangathan.events.services import series_create
from sangathan.events.web import http_errors, reader_unit
from sangathan.org.models import Level


@login_required
@http_errors
def series_index(request):
    scope = scope_for_request(request)
    unit = reader_unit(request, scope)
    if unit is None:
        return render(request, "events/no_unit.html")
    form = SeriesForm(request.POST or None, levels=Level.objects.order_by("rank"))
    if request.method == "POST" and form.is_valid():
        try:
            series = series_create(scope=scope, unit=unit, **form.cleaned_data)
        except DomainError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Series saved; its meetings are expected month by month."))
            return redirect("events:series", series.pk)
    return render(request, "events/series_list.html", {
        "unit": unit, "series": selectors.series_list(scope), "form": form,
        "may_organize": may_organize(scope, unit.path)})


def _report(request, series_id: int):
    scope = scope_for_request(request)
    series = selectors.series_get_for_actor(scope, series_id)
    unit = reader_unit(request, scope) if request.GET.get("unit") else None
    if unit is None:
        unit = series.unit if scope.can_read_path(series.unit_path) else reader_unit(request, scope)
    if not unit.path.startswith(series.unit_path) and not series.unit_path.startswith(unit.path):
        raise Http404
    periods, rows = reports.not_held(scope=scope, series=series, unit=unit)
    return scope, series, unit, periods, rows


@login_required
@http_errors
def series_view(request, series_id: int):
    scope, series, unit, periods, rows = _report(request, series_id)
    chart = bar_chart([(row.unit.name if row.unit else row.prefix, row.missing) for row in rows],
                      title=_("Meetings not held"), tone=lambda value, target: "bad" if value else "ok")
    table = [(row, row.cells(periods)) for row in rows]
    pending = reports.not_held_list(scope=scope, series=series, unit=unit, limit=200)
    return render(request, "events/series.html", {
        "series": series, "unit": unit, "periods": periods, "table": table, "chart": chart, "pending": pending,
        "missing": sum(row.missing for row in rows)})


@login_required
@http_errors
def series_export(request, series_id: int, fmt: str):
    if fmt not in FORMATS:
        raise Http404
    scope, series, unit, periods, rows = _report(request, series_id)
    header = [_("Unit")] + [f"{p:%m/%Y}" for p in periods] + [_("Not held")]
    body = ([row.unit.name if row.unit else row.prefix] + [expected - held for expected, held in row.cells(periods)]
            + [row.missing] for row in rows)

    def audit(count: int) -> None:
        audit_log(scope=scope, action=AuditLog.Action.EXPORT, target=series, unit_path=unit.path,
                  detail={"what": "events_not_held", "format": fmt, "unit": unit.code, "rows": count})

    sheet = Sheet(title=_("Meetings not held"), header=header, rows=body)
    return export_response(fmt, [sheet], title=f"{series.title} · {unit.name}", subtitle=_("Meetings not held"),
                           stem=f"not-held-{series.pk}-{unit.code}", on_done=audit)
