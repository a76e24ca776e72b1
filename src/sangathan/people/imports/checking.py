"""Checked chunks of a file's rows, checked ahead of the chunk being written.

Checking a row is pure Python (``RowChecker.check``: names, mobiles, voter IDs, years …) and was what
limited a big import: one core busy checking while PostgreSQL waited for the next chunk. So a big file's
rows are checked by a pool of worker processes (forked, so they share the checker and its caches as they
were at the start) in batches, up to ``AHEAD`` chunks ahead of the chunk the database is taking; the
main process only reads the file and writes. A small file (or ``workers=0``) is checked in a thread of
this process, one chunk ahead, as before: starting processes costs more than it saves there.

Both ways give the same rows, values and reasons in the same order: a worker runs the same ``check`` on
the same cells, and results are taken in submission order. Workers never touch the database (a forked
child shares the parent's connection socket), and die with the pool when the import ends or fails.
"""

import multiprocessing
import os
import pickle
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from itertools import islice

from django.conf import settings
from django.utils import translation

from sangathan.people.imports.rows import Row, RowChecker

BATCH = 2_000          # rows sent to a worker at once
AHEAD = 2              # chunks checked ahead of the one being written (bounds memory)
POOL_MIN_ROWS = 20_000  # below this a file is checked in a thread: forking costs more than it saves
WORKERS_ENV = "SANGATHAN_IMPORT_WORKERS"

Checked = list[tuple[Row, list[str]]]

_checker: RowChecker | None = None  # in a worker: the checker it was forked with


def default_workers(rows: int) -> int:
    """Worker processes for a file of ``rows`` rows: ``SANGATHAN_IMPORT_WORKERS`` or the setting
    ``PEOPLE_IMPORT_WORKERS`` if set, else one per core but one (PostgreSQL and the writer need the
    rest), at least one; none for a small file."""
    if rows < POOL_MIN_ROWS:
        return 0
    configured = os.environ.get(WORKERS_ENV) or getattr(settings, "PEOPLE_IMPORT_WORKERS", None)
    if configured not in (None, ""):
        return max(0, int(configured))
    return max(1, (os.cpu_count() or 2) - 1)


def checked_chunks(rows: Iterator, checker: RowChecker, *, chunk_size: int,
                   workers: int) -> Iterator[tuple[int, Checked]]:
    """(rows read, checked rows) of each chunk of ``rows`` ((line, cells) pairs), in file order."""
    if workers <= 0:
        return _in_thread(rows, checker, chunk_size)
    return _in_pool(rows, checker, chunk_size, workers)


def _in_thread(rows, checker, chunk_size):
    def read_chunk():
        raw = list(islice(rows, chunk_size))
        return len(raw), [checker.check(line, cells) for line, cells in raw]

    # The next chunk is read and checked in a second thread while this one waits for the database.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-check") as pool:
        upcoming = pool.submit(read_chunk)
        while True:
            size, checked = upcoming.result()
            if not size:
                return
            upcoming = pool.submit(read_chunk)
            yield size, checked


def _start(checker: RowChecker, language: str | None) -> None:
    global _checker  # noqa: PLW0603 — one checker per worker process, set once at its start
    _checker = checker
    if language:
        translation.activate(language)
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose importer was killed (kill -9 leaves no time to stop the pool) exits too."""
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _check_batch(batch: list[tuple[int, list[str]]]) -> list[tuple]:
    """The batch's checked rows without their line and cells, which the parent still holds (``_rows``):
    what crosses between the processes is pickled on one side and unpickled on the other, per row."""
    check = _checker.check
    out = []
    for line, cells in batch:
        row, errors = check(line, cells)
        out.append((pickle.dumps(row.values, pickle.HIGHEST_PROTOCOL), row.tag_ids, row.unit_code, row.tail,
                    row.keys, errors))
    return out


def _rows(raw: list[tuple[int, list[str]]], checked: list[tuple]) -> Checked:
    """``_check_batch``'s answer for ``raw`` as (row, reasons) pairs."""
    return [(Row(line, cells, None, tag_ids, unit_code, tail, keys, blob=blob), errors)
            for (line, cells), (blob, tag_ids, unit_code, tail, keys, errors) in zip(raw, checked, strict=True)]


def _in_pool(rows, checker, chunk_size, workers):
    context = multiprocessing.get_context("fork")
    pool = context.Pool(workers, initializer=_start, initargs=(checker, translation.get_language()))
    pending: deque = deque()  # (rows in chunk, [(batch, its AsyncResult)]) in file order
    failure = None  # a file problem met while reading ahead: raised where the thread would raise it
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) <= AHEAD:
                try:
                    raw = list(islice(rows, chunk_size))
                except Exception as error:  # noqa: BLE001 — re-raised below, after the chunks before it
                    failure, raw = error, []
                if not raw:
                    exhausted = True
                    break
                batches = [raw[start:start + BATCH] for start in range(0, len(raw), BATCH)]
                pending.append((len(raw), [(batch, pool.apply_async(_check_batch, (batch,))) for batch in batches]))
            if not pending:
                if failure is not None:
                    raise failure
                return
            size, batches = pending.popleft()
            checked: Checked = []
            for batch, result in batches:
                checked.extend(_rows(batch, result.get()))
            yield size, checked
    finally:
        pool.terminate()
        pool.join()
