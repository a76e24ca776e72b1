"""Pages of the people import: upload, progress, summary, error file, templates. Thin: ``people.imports``
does the work, in a background job."""

import io

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from sangathan.core.cells import csv_writer, xlsx_append
from sangathan.core.errors import DomainError, NotFound
from sangathan.people.imports.columns import COLUMNS, template_example, template_header
from sangathan.people.imports.errors import ROWS_SHOWN, error_lines, error_rows
from sangathan.people.imports.uploads import (
    import_get_for_actor,
    import_progress,
    import_start,
    imports_of,
    may_import,
)
from sangathan.people.models import ImportJob


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or Excel (XLSX) file"))
    on_match = forms.ChoiceField(label=_("When the mobile or membership number is already registered"),
                                 choices=ImportJob.OnMatch.choices, initial=ImportJob.OnMatch.UPDATE,
                                 widget=forms.RadioSelect)


def _job_or_404(request, job_id):
    try:
        return import_get_for_actor(job_id, request.scope)
    except NotFound:
        raise Http404 from None


@login_required
def import_page(request):
    """Upload a file; the import runs in the background and this page's job view shows its progress."""
    if not may_import(request.scope):
        raise Forbidden
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job, _found = import_start(scope=request.scope, upload=form.cleaned_data["file"],
                                       on_match=form.cleaned_data["on_match"])
        except DomainError as error:
            form.add_error("file" if error.field in (None, "file") else None, error.message)
        else:
            return redirect("people:import_job", job_id=job.pk)
    return render(request, "people/import.html",
                  {"form": form, "jobs": imports_of(request.scope), "columns": COLUMNS})


@login_required
def import_job(request, job_id: int):
    """Progress, counts and, once rows are rejected, the first of them with their reasons (the whole list is
    the error file)."""
    job = _job_or_404(request, job_id)
    return render(request, "people/import_job.html", {
        "job": job, "progress": import_progress(job), "error_rows": error_rows(job) if job.rejected else [],
        "more_errors": max(0, job.rejected - ROWS_SHOWN)})


@never_cache
@login_required
def import_job_json(request, job_id: int):
    """The live counts the progress page polls."""
    return JsonResponse(import_progress(_job_or_404(request, job_id)))


@login_required
def import_job_errors(request, job_id: int):
    """The rejected rows: line number, reasons, and the row's cells as they were in the file."""
    job = _job_or_404(request, job_id)
    response = StreamingHttpResponse(error_lines(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response


def _template_rows() -> tuple[list[str], list[str]]:
    return template_header(hindi=(get_language() or "hi").startswith("hi")), template_example()


@login_required
def template_csv(request):
    header, example = _template_rows()
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(header)
    writer.writerow(example)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="people-import-template.csv"'
    return response


@login_required
def template_xlsx(request):
    from openpyxl import Workbook  # noqa: PLC0415

    header, example = _template_rows()
    book = Workbook()
    sheet = book.active
    sheet.title = "people"
    xlsx_append(sheet, header)
    xlsx_append(sheet, example)
    for cell in sheet["B"]:
        cell.number_format = "@"  # mobile numbers as text, so Excel keeps a leading 0 or +91
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="people-import-template.xlsx"'
    return response
