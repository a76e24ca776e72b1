"""The register pages of the Sahyog Cell: the filtered, sortable register with its Excel and PDF files, and
the walk-in's printable receipt. Thin: ``grievances.register`` reads through the actor's reach."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from sangathan.access.scope import scope_for_request
from sangathan.core import clock
from sangathan.core.db_router import reading_from_replica
from sangathan.core.exports import FORMATS, export_response
from sangathan.core.pagination import TwoStepPaginator
from sangathan.core.public import public_url
from sangathan.grievances.exports import register_sheet
from sangathan.grievances.register import (
    RegisterForm,
    grievance_register,
    register_audit,
    with_assignees,
)
from sangathan.grievances.selectors import may_see_any
from sangathan.grievances.views import _grievance_or_404

PER_PAGE = 50
COLUMNS = (
    ("code", gettext_lazy("Tracking code")),
    ("created", gettext_lazy("Taken on")),
    ("subject", gettext_lazy("Subject")),
    ("unit", gettext_lazy("Unit")),
    ("kind", gettext_lazy("Category")),
    ("level", pgettext_lazy("grievances", "Level")),
    ("status", gettext_lazy("Status")),
    ("due", gettext_lazy("Due by")),
)


def _form(request):
    scope = scope_for_request(request)
    if not may_see_any(scope):
        raise Forbidden
    form = RegisterForm(request.GET or None, scope=scope)
    if form.is_bound:
        form.is_valid()
    return scope, form


def _columns(sort: str) -> list[dict]:
    """Each sortable column with the sort a tap on it asks for and its current direction."""
    current, descending = sort.lstrip("-"), sort.startswith("-")
    columns = []
    for key, label in COLUMNS:
        on = key == current
        columns.append({"key": key, "label": label, "next": f"-{key}" if on and not descending else key,
                        "aria": ("descending" if descending else "ascending") if on else ""})
    return columns


@login_required
@reading_from_replica()
def register(request):
    """Every grievance the reader may see, filtered and sorted; a table on a desk, cards on a phone."""
    scope, form = _form(request)
    filters, sort = form.filters(), form.sort_key()
    grievances = with_assignees(grievance_register(scope=scope, sort=sort, **filters))
    page = TwoStepPaginator(grievances, PER_PAGE).get_page(request.GET.get("page"))
    register_audit(scope=scope, filters=filters, sort=sort, count=page.paginator.count)
    return render(request, "grievances/register.html", {
        "form": form, "page": page, "columns": _columns(sort), "sort": sort, "now": clock.now(),
        "filtered": bool(filters),
    }, status=400 if form.errors else 200)


@login_required
@reading_from_replica()
def register_export(request, fmt: str):
    """The register with the page's filters and order, as an Excel workbook (every row, streamed) or a PDF."""
    if fmt not in FORMATS:
        raise Http404
    scope, form = _form(request)
    if form.errors:
        return register(request)  # the page with the filters' errors (400), not a file of other rows
    filters, sort = form.filters(), form.sort_key()
    grievances = grievance_register(scope=scope, sort=sort, **filters)

    def audit(count: int) -> None:
        register_audit(scope=scope, filters=filters, sort=sort, count=count, fmt=fmt)

    return export_response(fmt, [register_sheet(grievances, fmt=fmt)], title=_("Grievance register"),
                           subtitle=_("Sahyog Cell"), stem="grievance-register", on_done=audit)


@login_required
def receipt(request, grievance_id: int):
    """The walk-in's slip: tracking code, date, subject and where to check the status. Audited as a read."""
    grievance = _grievance_or_404(grievance_id, scope_for_request(request))
    return render(request, "grievances/receipt.html", {
        "grievance": grievance, "status_url": public_url("/status/", request), "printed_at": clock.now(),
    })
