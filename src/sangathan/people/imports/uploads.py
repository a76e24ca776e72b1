"""Starting an import from an uploaded file (web page and API) and reading jobs back for their importer."""

import os
import tempfile

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.uploads import check_sheet_upload
from sangathan.people.imports.jobs import import_prepare
from sangathan.people.models import ImportJob

UPLOAD_MAX_BYTES = 200 * 1024 * 1024   # about 2 million rows of CSV


def may_import(scope: Scope) -> bool:
    """Anyone with a write scope somewhere may import people there (rows elsewhere are rejected)."""
    return scope.user_id is not None and bool(scope.write_paths)


def import_start(*, scope: Scope, upload, on_match: str) -> tuple[ImportJob, bool]:
    """Store the upload, find or create its job (the importer: the scope's actor; the channel: the scope's,
    web or api) and queue the work; returns (job, found).

    A job already done for the same file, importer and mode is returned as it is; an unfinished one is
    queued again (it resumes after its checkpoint).
    """
    from sangathan.people.tasks import run_import  # noqa: PLC0415 — tasks import this module's callers

    if not may_import(scope):
        raise PermissionDenied(_("You may not add people anywhere."))
    # What the file is by its first bytes (and a zip's contents), not by its name: a PDF, a Word document
    # or a photo gets a message saying so, before anything is stored.
    checked = check_sheet_upload(upload, max_bytes=UPLOAD_MAX_BYTES, field="file")
    name = os.path.basename(upload.name or "people.csv")
    suffix = f".{checked.kind}"
    handle, path = tempfile.mkstemp(prefix="people-upload-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as out:
            for block in upload.chunks():
                out.write(block)
        with open(path, "rb") as stored:
            job, found = import_prepare(scope=scope, path=path, file_name=name, on_match=on_match,
                                        channel=scope.context.channel, stored_file=stored)
    finally:
        os.unlink(path)
    if not (found and job.status == ImportJob.Status.DONE):
        if not job.file:
            upload.seek(0)
            job.file.save(f"import.{job.file_format}", upload, save=True)
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, failure="")
        job.refresh_from_db()
        transaction.on_commit(lambda: run_import(job.pk))
    return job, found


def import_get_for_actor(job_id: int, scope: Scope) -> ImportJob:
    """A job as its importer (or a superuser) sees it; NotFound for anyone else."""
    job = ImportJob.objects.select_related("importer").filter(pk=job_id).first()
    if job is None or not (scope.is_superuser or (scope.user_id is not None and job.importer_id == scope.user_id)):
        raise NotFound(_("No such import."))
    return job


def imports_of(scope: Scope, *, limit: int = 20):
    jobs = ImportJob.objects.all() if scope.is_superuser else ImportJob.objects.filter(importer_id=scope.user_id)
    return jobs.order_by("-created_at", "-id")[:limit]


def import_progress(job: ImportJob) -> dict:
    """What the progress bar and the API show."""
    return {
        "id": job.pk, "status": job.status, "percent": job.percent, "file_name": job.file_name,
        "on_match": job.on_match, "total": job.total, "done": job.checkpoint,
        "counts": {name: getattr(job, name) for name in (
            "created", "updated", "unchanged", "skipped", "flagged", "rejected")},
        "failure": job.failure,
        "created_at": job.created_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }
