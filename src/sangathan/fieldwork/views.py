"""Pages of field data drives: the list (with the vistarak's app for their drives) and the drive dashboard.
Thin: selectors read through the reader's scope."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import formats
from django.utils.translation import gettext as _

from sangathan.access.scope import scope_for_request
from sangathan.core.charts import bar_chart, column_chart
from sangathan.core.errors import NotFound
from sangathan.fieldwork.dashboard import drive_figures
from sangathan.fieldwork.enums import FlagKind
from sangathan.fieldwork.models import Assignment
from sangathan.fieldwork.selectors import drive_get_for_actor, drives_visible
from sangathan.org.selectors import unit_get_for_actor


@login_required
def drive_list(request):
    scope = scope_for_request(request)
    mine = set(Assignment.objects.filter(user_id=scope.user_id).values_list("drive_id", flat=True))
    drives = list(drives_visible(scope).order_by("-starts_on", "id")[:100])
    return render(request, "fieldwork/drive_list.html", {"drives": drives, "mine": mine})


@login_required
def drive_dashboard(request, drive_id: int):
    scope = scope_for_request(request)
    try:
        drive = drive_get_for_actor(drive_id, scope)
        unit = unit_get_for_actor(int(request.GET["unit"]), scope) if request.GET.get("unit", "").isdigit() else None
    except NotFound:
        raise Http404 from None
    figures = drive_figures(scope=scope, drive=drive, unit=unit)
    daily = column_chart([(formats.date_format(d.day, "j M"), d.collected) for d in figures.days],
                         title=_("Workers recorded per day"))
    outcomes = bar_chart([(_("accepted"), figures.total.accepted), (_("merged"), figures.total.merged),
                          (_("needs review"), figures.total.review), (_("rejected"), figures.total.rejected),
                          (_("flagged"), figures.total.flagged)], title=_("What became of the records"))
    flag_labels = dict(FlagKind.choices)
    flags = bar_chart([(flag_labels.get(kind, kind), n) for kind, n in sorted(figures.flags.items())],
                      title=_("Signs of fakes")) if figures.flags else None
    return render(request, "fieldwork/dashboard.html", {
        "drive": drive, "unit": unit, "figures": figures, "daily": daily, "outcomes": outcomes, "flags": flags,
        "may_change": scope.can_write_path(drive.unit_path),  # as DriveUpdate requires
        "may_use_app": Assignment.objects.filter(drive=drive, user_id=scope.user_id).exists()})
