"""API of the people import: start one with a file, follow it, fetch its rejected rows.

``POST /people/imports`` (multipart: ``file``, ``on_match``) answers at once with the job; the rows are
applied in the background. The same file from the same user with the same mode is the same job.
"""

from datetime import datetime

from django.http import StreamingHttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from sangathan.core.schemas import Error, ObjectId
from sangathan.people.imports.errors import error_lines
from sangathan.people.imports.uploads import import_get_for_actor, import_progress, import_start
from sangathan.people.models import ImportJob

router = Router(tags=["people imports"])

ON_MATCH_PATTERN = "^(" + "|".join(ImportJob.OnMatch.values) + ")$"


class ImportIn(Schema):
    on_match: str = Field(ImportJob.OnMatch.UPDATE.value, pattern=ON_MATCH_PATTERN,
                          description="When a row's mobile or membership number is registered: update, skip or flag.")


class ImportCounts(Schema):
    created: int
    updated: int
    unchanged: int
    skipped: int
    flagged: int
    rejected: int


class ImportOut(Schema):
    id: int
    status: str = Field(..., description="queued, running, done or failed.")
    file_name: str
    on_match: str
    percent: int
    total: int = Field(..., description="Data rows in the file (known exactly once done).")
    done: int = Field(..., description="Rows applied so far (the checkpoint).")
    counts: ImportCounts
    failure: str = Field(..., description="Why the import failed; empty otherwise.")
    created_at: datetime
    finished_at: datetime | None
    errors_url: str = Field(..., description="The rejected rows as CSV (line, reason, the row's cells).")


def _out(job: ImportJob) -> dict:
    return {**import_progress(job), "created_at": job.created_at, "finished_at": job.finished_at,
            "errors_url": f"/api/v1/people/imports/{job.pk}/errors"}


@router.post("", response={201: ImportOut, 200: ImportOut, 400: Error, 403: Error})
def import_create(request, file: File[UploadedFile], form: Form[ImportIn]):
    """Start importing a CSV or XLSX file of people into the caller's write scope.

    201 with a new job; 200 with the existing job when this file was already sent (resumed if unfinished).
    """
    job, found = import_start(scope=request.scope, upload=file, on_match=form.on_match)
    job.refresh_from_db()
    return Status(200 if found else 201, _out(job))


@router.get("/{job_id}", response={200: ImportOut, 404: Error})
def import_detail(request, job_id: ObjectId):
    """Status and counts of an import (the caller's own; a superuser sees all)."""
    return _out(import_get_for_actor(job_id, request.scope))


@router.get("/{job_id}/errors", response={200: None, 404: Error})
def import_errors(request, job_id: ObjectId):
    """The rejected rows as CSV: line number in the file, every reason, then the row's cells."""
    job = import_get_for_actor(job_id, request.scope)
    response = StreamingHttpResponse(error_lines(job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    return response
