"""An import from start to finish: the job row, resuming, chunks with checkpoints, progress, audit.

``import_prepare`` finds or creates the ``ImportJob`` of a file (same bytes, importer and mode → the same
job, so running it again resumes it, and a finished one is not applied twice). ``import_run`` reads the
file, skips the rows already applied (the checkpoint) and applies the rest chunk by chunk: each chunk's
rows, its rejected rows, the counters and the new checkpoint are committed in one transaction. A crash
or kill loses at most the chunk in progress, which the next run applies again.
"""

import hashlib
import os
import time
from collections.abc import Callable
from itertools import islice

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope, ScopeRoot, scope_for_user
from sangathan.access.services import audit_log
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.org.enums import Grant
from sangathan.org.models import Unit
from sangathan.people.imports.apply import ChunkApplier
from sangathan.people.imports.checking import checked_chunks, default_workers
from sangathan.people.imports.columns import map_header
from sangathan.people.imports.pipeline import apply_chunks, plans_ahead
from sangathan.people.imports.reader import FileProblem, detect_format, open_sheet
from sangathan.people.imports.rows import RowChecker
from sangathan.people.models import ImportJob, Tag
from sangathan.people.services.headcounts import headcounts_fold

CHUNK_SIZE = 10_000
# Test hook: SIGKILL the process itself while the N+1th chunk of this run is written but not committed.
KILL_ENV = "SANGATHAN_IMPORT_KILL_IN_CHUNK"

Progress = Callable[[ImportJob, float], None]


def file_sha256(path: str) -> tuple[str, int, int]:
    """The file's sha256, size and number of lines (what the progress bar counts to for a CSV)."""
    digest = hashlib.sha256()
    size = lines = 0
    last = b"\n"
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
            size += len(block)
            lines += block.count(b"\n")
            last = block[-1:]
    return digest.hexdigest(), size, lines + (last != b"\n")


def importer_scope(scope: Scope, unit_root: Unit | None) -> Scope:
    """Where an import may write: the acting scope (every unit for the system at the console), limited to
    ``unit_root``'s subtree when given."""
    if unit_root is None:
        return scope
    if not scope.can_write_path(unit_root.path):
        raise PermissionDenied(_("You may not add or change people under this unit."), field="unit_root")
    # Built afresh, not narrowed: a narrowing keeps the system's and a superuser's whole tree.
    return Scope.build([ScopeRoot(unit_root.pk, unit_root.path, Grant.WRITE, "grant", unit_root.level)],
                       scope.user_id, user=scope.actor, context=scope.context)


def job_scope(job: ImportJob) -> Scope:
    """The scope a queued job runs with: its importer's (as when they started it), else the system's; the
    channel it was started from goes into its audit row."""
    if job.importer_id is None:
        return Scope.system(channel=job.channel)
    return scope_for_user(job.importer).with_context(channel=job.channel)


def import_prepare(*, scope: Scope, path: str, file_name: str, on_match: str = ImportJob.OnMatch.UPDATE,
                   channel: str = ImportJob.Channel.CLI, unit_root: Unit | None = None,
                   stored_file=None) -> tuple[ImportJob, bool]:
    """The job for this file (found: resumed or already done; else created) and whether it was found.

    The job's importer is the scope's actor (none for the system). Checks the header now, so a bad file is
    refused before any job is queued.
    """
    importer = scope.actor
    if on_match not in ImportJob.OnMatch.values:
        raise DomainError(_("Choose update, skip or flag."), field="on_match")
    if not importer_scope(scope, unit_root).write_paths and not scope.writes_all:
        raise PermissionDenied(_("You may not add people anywhere."))
    with open(path, "rb") as handle:
        file_format = detect_format(handle.read(4))
    sheet = open_sheet(path)
    try:
        _positions, problem = map_header(sheet.header)
    finally:
        sheet.close()
    if problem:
        raise FileProblem(problem.message(), code="bad_header")
    digest, size, lines = file_sha256(path)
    existing = ImportJob.objects.filter(
        file_hash=digest, importer=importer, on_match=on_match, unit_root=unit_root,
    ).exclude(status=ImportJob.Status.FAILED).order_by("-created_at", "-id").first()
    if existing is not None:
        return existing, True
    job = ImportJob.objects.create(
        file_name=os.path.basename(file_name)[:255], file_hash=digest, file_size=size, file_format=file_format,
        importer=importer, on_match=on_match, channel=channel, unit_root=unit_root,
        total=sheet.total if file_format == "xlsx" else max(0, lines - 1),
        header=[str(cell) for cell in sheet.header],
    )
    if stored_file is not None:
        job.file.save(f"import.{file_format}", stored_file, save=True)
    return job, False


def _tag_lookup() -> tuple[dict[str, int], dict[int, str]]:
    lookup, codes = {}, {}
    for tag in Tag.objects.all():
        codes[tag.pk] = tag.code
        for name in (tag.code, tag.name_en, tag.name_hi):
            if name:
                lookup[name.strip().lower()] = tag.pk
    return lookup, codes


def import_run(*, scope: Scope, job: ImportJob, path: str | None = None, progress: Progress | None = None,
               chunk_size: int = CHUNK_SIZE, workers: int | None = None) -> ImportJob:
    """Apply the rows of ``job``'s file after its checkpoint as ``scope`` (the job's importer, or the system
    for a job without one: see ``job_scope``); returns the job, done (or failed). Every row writes its history
    row; the finished job an ``import`` audit row. ``workers``: processes checking rows (``checking``;
    default by the file's size)."""
    job.refresh_from_db()
    if scope.user_id != job.importer_id:
        raise PermissionDenied(_("Only the importer may run this import."))
    if job.status == ImportJob.Status.DONE:
        return job
    path = path or job.file.path
    write_scope = importer_scope(scope, job.unit_root)
    sheet = open_sheet(path)
    positions, problem = map_header(sheet.header)
    if problem:
        sheet.close()
        return _fail(job, problem.message())
    now = timezone.now()
    tags, tag_codes = _tag_lookup()
    checker = RowChecker(positions=positions, header=sheet.header, tags=tags, now=now, tag_codes=tag_codes)
    applier = ChunkApplier(scope=write_scope, job=job, checker=checker, now=now)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.RUNNING, started_at=job.started_at or now,
        total=max(job.total, sheet.total))
    job.refresh_from_db()
    kill_in = int(os.environ.get(KILL_ENV, "0") or 0)
    rows = sheet.rows
    started = time.perf_counter()
    seconds_before = job.seconds
    rows_left = job.total - job.checkpoint
    if workers is None:
        workers = default_workers(rows_left)
    checked = None
    try:
        skipped = sum(1 for _ in islice(rows, job.checkpoint))
        if skipped < job.checkpoint:
            return _fail(job, _("The file has fewer rows than were already imported: is it the same file?"))
        # Rows are checked ahead (in worker processes for a big file) while the database takes this chunk,
        # and on PostgreSQL the next chunk is matched while this one is written (``pipeline``).
        checked = checked_chunks(rows, checker, chunk_size=chunk_size, workers=workers)
        job = apply_chunks(job, applier, checked, ahead=plans_ahead(rows_left, chunk_size),
                           clock=lambda: seconds_before + time.perf_counter() - started, kill_in=kill_in,
                           progress=(lambda job: progress(job, time.perf_counter() - started)) if progress else
                           (lambda job: None))
    except FileProblem as error:
        return _fail(job, str(error))
    finally:
        if checked is not None:
            checked.close()  # stops the workers now, not when the generator is collected
        sheet.close()
    return _finish(scope, job, seconds=seconds_before + time.perf_counter() - started, unit_ids=applier.unit_ids)


@transaction.atomic
def _fail(job: ImportJob, message: str) -> ImportJob:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, failure=str(message)[:500],
                                               finished_at=timezone.now())
    headcounts_fold(job.pk)  # the chunks committed before the failure stay, and count
    job.refresh_from_db()
    return job


@transaction.atomic
def _finish(scope: Scope, job: ImportJob, *, seconds: float, unit_ids: dict[str, int] | None = None) -> ImportJob:
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status == ImportJob.Status.DONE:
        return job
    headcounts_fold(job.pk, unit_ids=unit_ids)
    job.status = ImportJob.Status.DONE
    job.total = job.checkpoint
    job.finished_at = timezone.now()
    job.seconds = seconds
    job.save(update_fields=["status", "total", "finished_at", "seconds"])
    audit_log(scope=scope, action=AuditLog.Action.IMPORT, target=job,
              unit_path=job.unit_root.path if job.unit_root_id else "",
              detail={"file": job.file_name, "sha256": job.file_hash, "on_match": job.on_match,
                      **{name: getattr(job, name) for name in (
                          "total", "created", "updated", "unchanged", "skipped", "flagged", "rejected")}})
    return job
