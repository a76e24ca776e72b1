"""Applying an import's chunks in file order: one after the other, or planned one ahead of the write.

Each chunk commits with its checkpoint in one transaction (``_apply_chunk``). On PostgreSQL, a file of more
than one chunk is *planned ahead*: a writer thread (with its own database connection) writes and commits
chunk N while this thread plans chunk N+1 (``ChunkApplier.plan``: lookups, matching, ids, membership
numbers, COPY lines — reads only). The database and the importer's Python then work at the same time
instead of taking turns. Rows of N+1 sharing an identifier with N are held and matched after N commits
(``ChunkApplier.settle``), so the outcome is the one-after-the-other outcome, row for row.

SQLite, and a caller already inside a transaction (a test), apply chunk after chunk in this thread: a
second connection would not see that transaction's rows.
"""

import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, wait

from django.db import connection, transaction
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError
from sangathan.people.imports.apply import ChunkApplier, ChunkResult
from sangathan.people.models import ImportJob

Checked = list
Chunks = Iterator[tuple[int, Checked]]  # (rows read, checked rows) per chunk, in file order
COUNTERS = ("created", "updated", "unchanged", "skipped", "flagged", "rejected")


def plans_ahead(rows_left: int, chunk_size: int) -> bool:
    """Whether chunks are planned ahead of the write (see the module docstring)."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block and rows_left > chunk_size


def apply_chunks(job: ImportJob, applier: ChunkApplier, chunks: Chunks, *, ahead: bool,
                 clock: Callable[[], float], kill_in: int = 0,
                 progress: Callable[[ImportJob], None] = lambda job: None) -> ImportJob:
    """Apply every chunk; returns the job as the last committed chunk left it. ``kill_in``: the test hook
    (``jobs.KILL_ENV``). An error of the chunks' iterator (a broken file) is raised once the chunk before it
    is committed."""
    if not ahead:
        for number, (size, checked) in enumerate(chunks, 1):
            job = _apply_chunk(job, applier, lambda checked=checked: applier.apply(checked), size, clock=clock,
                              kill=bool(kill_in) and number == kill_in + 1)
            progress(job)
        return job
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-write") as writer:
        pending = None  # (future of the chunk being written, its plan)
        try:
            for number, (size, checked) in enumerate(chunks, 1):
                plan = applier.plan(checked, busy=pending[1].keys if pending else frozenset())
                if pending is not None:
                    job, pending = pending[0].result(), None
                    progress(job)
                applier.settle(plan)
                kill = bool(kill_in) and number == kill_in + 1
                pending = (writer.submit(_write_in_thread, job, applier, plan, size, clock, kill), plan)
            if pending is not None:
                job, pending = pending[0].result(), None
                progress(job)
        finally:
            if pending is not None:  # an error here: the chunk in flight still commits (or fails) first
                wait([pending[0]])
            writer.submit(lambda: connection.close()).result()  # the writer thread's own connection (the lambda
            # looks the connection up in that thread)
    return job


def _write_in_thread(job, applier, plan, size, clock, kill) -> ImportJob:
    return _apply_chunk(job, applier, lambda: applier.write(plan), size, clock=clock, kill=kill)


@transaction.atomic
def _apply_chunk(job: ImportJob, applier: ChunkApplier, write: Callable[[], ChunkResult], size: int, *,
                clock: Callable[[], float], kill: bool) -> ImportJob:
    """Write one chunk (``write``) and advance the job's checkpoint and counters, in one transaction."""
    if connection.vendor == "postgresql":
        # The chunk and its checkpoint commit together, so a commit lost in a server crash loses both and the
        # next run redoes the chunk: no need to wait for the disk on every chunk (the final commit does).
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
    if locked.checkpoint != job.checkpoint:
        raise DomainError(_("Another run is applying this import."), code="busy")
    applier.job = locked
    result = write()
    if kill:  # the test hook: die with the chunk written but not committed
        os.kill(os.getpid(), signal.SIGKILL)
    locked.checkpoint += size
    locked.total = max(locked.total, locked.checkpoint)
    for counter in COUNTERS:
        setattr(locked, counter, getattr(locked, counter) + getattr(result, counter))
    locked.seconds = clock()
    locked.save(update_fields=["checkpoint", "total", *COUNTERS, "seconds"])
    return locked
