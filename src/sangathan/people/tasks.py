"""Jobs and tasks of the people app; periodic ones are scheduled in ``sangathan.schedule``."""

from huey.contrib.djhuey import db_task

from sangathan.access.scope import Scope
from sangathan.org.models import Unit
from sangathan.people.dedup import duplicates_find
from sangathan.people.imports.jobs import import_run, job_scope
from sangathan.people.models import ImportJob
from sangathan.people.services import headcounts_refresh


def refresh_headcounts():
    headcounts_refresh(scope=Scope.system(channel="task"))


@db_task()
def find_duplicates(unit_id: int) -> int:
    """Find probable duplicates under one unit (``people.dedup.duplicates_find``)."""
    unit = Unit.objects.filter(pk=unit_id).first()
    return duplicates_find(scope=Scope.system(channel="task"), unit=unit) if unit is not None else 0


def find_duplicates_nightly():
    """Every night, the whole registry, one root unit at a time."""
    scope = Scope.system(channel="task")
    for unit in Unit.objects.filter(parent__isnull=True):
        duplicates_find(scope=scope, unit=unit)


@db_task(retries=2, retry_delay=30)
def run_import(job_id: int) -> None:
    # A retry (or a second queueing of the same file) resumes after the job's checkpoint. The job acts for
    # its importer, within their scope as it is now (a post lost since the upload stops the rows there).
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None and job.status != ImportJob.Status.DONE:
        import_run(scope=job_scope(job), job=job)
