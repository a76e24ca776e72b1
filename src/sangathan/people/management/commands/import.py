"""``sangathan import people FILE``: bring a CSV or XLSX sheet of workers into the registry."""

import sys

from django.core.management.base import BaseCommand, CommandError

from sangathan.access.models import User
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.errors import DomainError
from sangathan.core.phones import try_normalize_mobile
from sangathan.org.models import Unit
from sangathan.people.imports.errors import write_error_file
from sangathan.people.imports.jobs import CHUNK_SIZE, import_prepare, import_run
from sangathan.people.models import ImportJob


class Command(BaseCommand):
    help = ("Import people from a CSV or XLSX file (Hindi or English column names, see README.md). "
            "Running the same file again resumes an interrupted import and never adds anyone twice.")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["people"], help="What to import (people).")
        parser.add_argument("file", help="A .csv (UTF-8) or .xlsx file.")
        parser.add_argument("--on-match", choices=ImportJob.OnMatch.values, default=ImportJob.OnMatch.UPDATE,
                            help="When a row's mobile or membership number is already registered: update the "
                                 "record (default), skip the row, or flag the record as a possible duplicate.")
        parser.add_argument("--as", dest="as_mobile", metavar="MOBILE",
                            help="Import as this user: only units inside their write scope are accepted and the "
                                 "history names them. Without it: the state office operator at the console, "
                                 "every unit, audited with channel cli.")
        parser.add_argument("--unit-root", metavar="CODE",
                            help="Accept only rows for units under this unit (e.g. one district's code).")
        parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE,
                            help="Rows applied and committed together (default %(default)s).")

    def handle(self, *args, what, file, on_match, as_mobile, unit_root, chunk_size, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        # Without --as: the system at the console (every unit); with it: that user's scope. Audited as cli.
        scope = Scope.system(channel="cli")
        if as_mobile:
            mobile = try_normalize_mobile(as_mobile)
            importer = User.objects.filter(mobile=mobile, is_active=True).first() if mobile else None
            if importer is None:
                raise CommandError(f"No active user has the mobile number {as_mobile}.")
            scope = scope_for_user(importer).with_context(channel="cli")
        self.file = file
        root = None
        if unit_root:
            root = Unit.objects.filter(code=unit_root).first()
            if root is None:
                raise CommandError(f"No unit has the code {unit_root}.")
        try:
            job, found = import_prepare(scope=scope, path=file, file_name=file, on_match=on_match,
                                        channel=ImportJob.Channel.CLI, unit_root=root)
        except FileNotFoundError:
            raise CommandError(f"No such file: {file}") from None
        except DomainError as error:
            raise CommandError(str(error)) from None
        if found and job.status == ImportJob.Status.DONE:
            self.stdout.write(f"This file was already imported (job {job.pk}, {job.finished_at:%Y-%m-%d %H:%M}): "
                              "nothing to do.")
            self._summary(job)
            return
        if found:
            self.stdout.write(f"Resuming job {job.pk} after {job.checkpoint:,} rows.")
        else:
            self.stdout.write(f"Job {job.pk}: {job.total:,} rows in {job.file_name}.")
        live = self.stdout.isatty() if hasattr(self.stdout, "isatty") else sys.stdout.isatty()
        self.first_row = job.checkpoint
        try:
            job = import_run(scope=scope, job=job, path=file, chunk_size=chunk_size,
                             progress=lambda job, seconds: self._progress(job, seconds, live=live))
        except DomainError as error:
            raise CommandError(str(error)) from None
        if live:
            self.stdout.write("")
        if job.status == ImportJob.Status.FAILED:
            raise CommandError(f"Import failed: {job.failure}")
        self._summary(job)

    def _progress(self, job: ImportJob, seconds: float, *, live: bool) -> None:
        rate = (job.checkpoint - self.first_row) / seconds if seconds else 0
        line = (f"{job.checkpoint:,} / {job.total:,} rows  {rate:,.0f} rows/s  "
                f"created {job.created:,}  updated {job.updated:,}  rejected {job.rejected:,}")
        if live:
            self.stdout.write("\r" + line, ending="")
            self.stdout.flush()
        else:
            self.stdout.write(line)

    def _summary(self, job: ImportJob) -> None:
        rate = job.total / job.seconds if job.seconds else 0
        self.stdout.write(
            f"Done: {job.total:,} rows in {job.seconds:.1f} s ({rate:,.0f} rows/s): created {job.created:,}, "
            f"updated {job.updated:,}, unchanged {job.unchanged:,}, skipped {job.skipped:,}, "
            f"flagged {job.flagged:,}, rejected {job.rejected:,}.")
        if job.rejected:
            path = f"{self.file}.errors.csv"
            write_error_file(job, path)
            self.stdout.write(f"Rejected rows, with line numbers and reasons: {path}")
