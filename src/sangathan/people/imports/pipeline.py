"""Applying an import's chunks in file order: one after the other, or planned one ahead of the write.

Each chunk commits with its checkpoint in one transaction (``_apply_chunk``). On PostgreSQL, a file of more
than one chunk is *planned ahead*: a writer process (``ChunkWriter``, with its own database connection) writes
and commits chunk N while this process plans chunk N+1 (``ChunkApplier.plan``: lookups, matching, ids,
membership numbers, COPY text — reads only). The database, the planner and the checking workers then work at
the same time instead of taking turns. Rows of N+1 sharing an identifier with N are held and matched after N
commits (``ChunkApplier.settle``), so the outcome is the one-after-the-other outcome, row for row.

The writer is a process, not a thread: a thread's statements waited for this process's lock on the Python
interpreter while the planner and the checking pool's result thread held it (a 40 ms lookup took 340 ms),
and the writer is the import's critical path. It is forked before the checking pool starts, so it has the
applier as it is (its scope, units, caches) and no thread but its own; it never touches this process's
database connection (``_forget_connections``) and opens its own. A finished plan crosses the pipe with its
new people already as COPY bytes (``ChunkPlan.for_writer``).

SQLite, and a caller already inside a transaction (a test), apply chunk after chunk in this process: a
second connection would not see that transaction's rows.
"""

import multiprocessing
import os
import pickle
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator

from django.db import connection, connections, transaction
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError
from sangathan.people.imports.apply import ChunkApplier, ChunkPlan, ChunkResult
from sangathan.people.models import ImportJob

Checked = list
Chunks = Iterator[tuple[int, Checked]]  # (rows read, checked rows) per chunk, in file order
COUNTERS = ("created", "updated", "unchanged", "skipped", "flagged", "rejected")
_in_writer = False  # set in the writer process: its kill hook takes the importer with it
_inherited: list = []  # the importer's database connections, as the forked writer found them (never used)


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
    writer = ChunkWriter(applier, clock)  # before ``chunks`` starts: the checking pool forks at its first chunk
    in_flight: ChunkPlan | None = None  # the plan of the chunk being written (its keys hold rows back)
    try:
        for number, (size, checked) in enumerate(chunks, 1):
            plan = applier.plan(checked, busy=in_flight.keys if in_flight else frozenset())
            if in_flight is not None:
                job, in_flight = writer.result(), None
                progress(job)
            applier.settle(plan)
            writer.submit(job, plan.for_writer(), size, kill=bool(kill_in) and number == kill_in + 1)
            in_flight = plan
        if in_flight is not None:
            job, in_flight = writer.result(), None
            progress(job)
    finally:
        writer.close()  # on an error here, the chunk in flight commits (or fails) first
    return job


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
    if kill:  # the test hook: die with the chunk written but not committed (the importer too)
        if _in_writer:
            os.kill(os.getppid(), signal.SIGKILL)
        os.kill(os.getpid(), signal.SIGKILL)
    locked.checkpoint += size
    locked.total = max(locked.total, locked.checkpoint)
    for counter in COUNTERS:
        setattr(locked, counter, getattr(locked, counter) + getattr(result, counter))
    locked.seconds = clock()
    locked.save(update_fields=["checkpoint", "total", *COUNTERS, "seconds"])
    return locked


class ChunkWriter:
    """A process that writes and commits planned chunks one at a time (see the module docstring)."""

    def __init__(self, applier: ChunkApplier, clock: Callable[[], float]):
        context = multiprocessing.get_context("fork")
        self._pipe, theirs = context.Pipe()
        self._process = context.Process(target=_serve, args=(theirs, applier, clock), name="import-write",
                                        daemon=True)
        self._process.start()
        theirs.close()
        self._waiting = False  # a chunk was sent whose answer is not read yet

    def submit(self, job: ImportJob, plan: ChunkPlan, size: int, *, kill: bool = False) -> None:
        self._pipe.send((job, plan, size, kill))
        self._waiting = True

    def result(self) -> ImportJob:
        """The job as the submitted chunk's commit left it; the writer's error if it failed."""
        self._waiting = False
        try:
            done, answer = self._pipe.recv()
        except EOFError:
            raise DomainError(_("The import's writer stopped. Run the import again: it goes on from where it "
                                "stopped."), code="busy") from None
        if not done:
            raise answer
        return answer

    def close(self) -> None:
        try:
            if self._waiting:
                self.result()
            self._pipe.send(None)
        except Exception:  # noqa: BLE001, S110 — the error that brought us here is the one to raise
            pass
        self._process.join(timeout=30)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()
        self._pipe.close()


def _serve(pipe, applier: ChunkApplier, clock: Callable[[], float]) -> None:
    """The writer process: apply each chunk it is sent, answer with the committed job or the error."""
    global _in_writer  # noqa: PLW0603 — set once, in the writer process
    _in_writer = True
    _forget_connections()
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    try:
        while (order := pipe.recv()) is not None:
            job, plan, size, kill = order
            try:
                job = _apply_chunk(job, applier, lambda plan=plan: applier.write(plan), size, clock=clock,
                                   kill=kill)
            except Exception as error:  # noqa: BLE001 — sent to the importer, which raises it
                pipe.send((False, _sendable(error)))
            else:
                pipe.send((True, job))
    except EOFError:
        pass
    finally:
        connection.close()


def _forget_connections() -> None:
    """Drop (without closing: that would end the importer's session) the connections the fork copied."""
    for alias in connections:
        handler = connections[alias]
        if handler.connection is not None:
            _inherited.append(handler.connection)
            handler.connection = None


def _exit_with_parent(parent: int) -> None:
    """A writer whose importer was killed exits too (its uncommitted chunk rolls back)."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _sendable(error: Exception) -> Exception:
    """``error`` with the writer's traceback as a note, or a plain one naming it if it cannot be pickled."""
    text = "".join(traceback.format_exception(error))
    error.add_note("In the import's writer process:\n" + text)
    try:
        pickle.loads(pickle.dumps(error))  # noqa: S301 — our own bytes, a check that it crosses the pipe
    except Exception:  # noqa: BLE001 — any error that does not survive the pipe
        return RuntimeError(f"{type(error).__name__}: {error}\n{text}")
    return error
