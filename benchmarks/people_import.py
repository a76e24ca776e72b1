"""How fast the people import is, against raw PostgreSQL COPY of the same rows and a naive ORM loop.

On PostgreSQL, over the units of the demo tree (``sangathan demo --scale mp --members 0``, built with
``--build`` when the database is empty):

1. writes a CSV of 200,000 members (fewer with ``--min-people`` below that, for tests) in the shape district offices send (Hindi
   names, mobile numbers in the three common spellings, booth codes, relative name, gender, year of
   birth, occupation, consent), into the system's temporary directory;
2. imports it with ``import_prepare`` + ``import_run`` as the console operator would
   (``sangathan import people FILE``): every row checked, matched and written, chunks committed with
   their checkpoints, history rows written — timed from the file on disk to the audit row;
3. baseline (the figure's): raw ``COPY … FROM STDIN`` of exactly the rows the import stored (read back
   with ``COPY … TO STDOUT``, given new ids, mobiles and numbers) into ``people_person`` itself — its
   rows, indexes, name trigger and foreign keys (checked with ``SET CONSTRAINTS ALL IMMEDIATE``) — in one
   transaction, rolled back; for comparison also into an empty scratch copy with the same indexes and
   constraints (``CREATE TABLE … (LIKE people_person INCLUDING ALL)`` plus its foreign keys);
4. second baseline: ``person_create`` per row (the ORM path the web form takes) for a 1,000-row sample;

then prints rows/s of each and the ratios, and removes everything it added (the imported people, their
history and tags, the sample, the scratch table, the file).
"""

import csv
import io
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from faker.providers.person.hi_IN import Provider as HindiNames

from benchmarks import delete_listed, figure
from sangathan.access.scope import Scope
from sangathan.org.models import Unit
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.models import ImportJob, Person
from sangathan.people.services import headcount_add, person_create

SCRATCH = "bench_person_copy"
NAIVE_SAMPLE = 1_000
IMPORT_ROWS = 200_000
TARGET_RATE = 10_000    # rows/s into the 1M-member database
TARGET_RATIO = 0.8      # of raw COPY of the same rows, same run
HEADER = ["नाम", "पिता/पति का नाम", "मोबाइल", "इकाई कोड", "लिंग", "जन्म वर्ष", "व्यवसाय", "सहमति"]
OCCUPATIONS = ["किसान", "व्यापारी", "शिक्षक", "छात्र", "मजदूर", "गृहिणी", "", "", ""]


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("people_import compares with PostgreSQL's COPY: run it with "
                           "DATABASE_URL=postgres://… (the database in use is SQLite).")
    booths = _booths(out=out, build=build)
    rows = min(min_people, IMPORT_ROWS)
    handle, path = tempfile.mkstemp(prefix="people-import-", suffix=".csv")
    os.close(handle)
    try:
        started = time.perf_counter()
        _write_csv(path, rows=rows, booths=booths, seed=time.time_ns())  # new mobiles each run
        out(f"people_import: {rows:,} rows written to {path} ({os.path.getsize(path) / 1e6:,.0f} MB) "
            f"in {time.perf_counter() - started:.1f} s; {len(booths):,} booths; "
            f"{Person.objects.count():,} people before")
        job, seconds = _import(path, out=out)
        try:
            copy_seconds = _raw_copy(job)
            table_seconds = _raw_copy_into_people(job)
            naive_rows, naive_seconds = _naive(path, out=out)
        finally:
            _remove(job, out=out)
    finally:
        os.unlink(path)
    rate = job.total / seconds
    copy_rate = job.created / copy_seconds
    naive_rate = naive_rows / naive_seconds
    out(f"  {'method':<44} {'rows':>10} {'seconds':>9} {'rows/s':>10}")
    out(f"  {'import (check, match, write, history, audit)':<44} {job.total:>10,} {seconds:>9.1f} {rate:>10,.0f}")
    out(f"  {'raw COPY of the stored rows (baseline)':<44} {job.created:>10,} {copy_seconds:>9.1f} "
        f"{copy_rate:>10,.0f}")
    table_rate = job.created / table_seconds
    out(f"  {'raw COPY of them into people_person (rolled back)':<44} {job.created:>10,} {table_seconds:>9.1f} "
        f"{table_rate:>10,.0f}")
    out(f"  import / raw COPY into people_person itself: {rate / table_rate:.2f}")
    out(f"  {'person_create per row (naive ORM)':<44} {naive_rows:>10,} {naive_seconds:>9.1f} {naive_rate:>10,.0f}")
    ratio = rate / copy_rate
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    out(f"  import / raw COPY into the scratch table: {ratio:.2f}   import / naive ORM: {rate / naive_rate:.0f}x   "
        f"target: ≥ {TARGET_RATE:,} rows/s and ≥ {TARGET_RATIO} of COPY; peak RSS {peak:,.0f} MB "
        f"(largest checking worker {workers:,.0f} MB); load average {os.getloadavg()[0]:.1f}")
    # The figure's baseline is COPY into people_person itself, "the same indexed table" with its rows, its
    # trigger and its foreign keys checked; the empty scratch copy above is printed for comparison.
    table_ratio = rate / table_rate
    figure("people_import", f"import of {job.total:,} rows (baseline: raw COPY of the stored rows into "
           "people_person)", rate, "rows/s",
           target=f"≥ {TARGET_RATIO} of COPY's rate (≤ {1 / TARGET_RATIO:.2f}x), ≥ {TARGET_RATE:,}/s",
           met=table_ratio >= TARGET_RATIO and rate >= TARGET_RATE, baseline=table_rate)


def _booths(*, out, build: bool) -> list[str]:
    if not Unit.objects.exists():
        if not build:
            raise CommandError("The database holds no units: run `sangathan demo --scale mp --members 0` "
                               "first (or pass --build).")
        out("Loading the mp demo tree without members (--build) …")
        call_command("demo", scale="mp", members=0)
    booths = list(Unit.objects.filter(level="booth").values_list("code", flat=True))
    if not booths:
        raise CommandError("The database holds no booths to import members into.")
    return booths


def _write_csv(path: str, *, rows: int, booths: list[str], seed: int) -> None:
    """Members with realistic repetition of names; mobiles 84xxxxxxxx (never the demo's 9xxxxxxxxx)."""
    rng = random.Random(seed)
    male = list(dict.fromkeys(HindiNames.first_names_male))
    female = list(dict.fromkeys(HindiNames.first_names_female))
    last = list(dict.fromkeys(HindiNames.last_names))
    offset = rng.randrange(10**8)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(rows):
            national = f"84{(n * 7_654_321 + offset) % 10**8:08d}"
            style = n % 3
            written = (f"+91 {national[:5]} {national[5:]}" if style == 0 else
                       f"0{national[:5]}-{national[5:]}" if style == 1 else national)
            female_row = rng.random() < 0.35
            surname = rng.choice(last)
            writer.writerow([
                f"{rng.choice(female if female_row else male)} {surname}", f"{rng.choice(male)} {surname}",
                written, rng.choice(booths), "f" if female_row else "m", 1950 + rng.randrange(55),
                rng.choice(OCCUPATIONS), "form" if rng.random() < 0.3 else "",
            ])


def _import(path: str, *, out) -> tuple[ImportJob, float]:
    started = time.perf_counter()
    scope = Scope.system(channel="cli")
    job, found = import_prepare(scope=scope, path=path, file_name=os.path.basename(path))
    if found:
        raise CommandError(f"Job {job.pk} already imported this file; run again (the file differs each run).")
    last = [0.0]

    def progress(job: ImportJob, seconds: float) -> None:
        if seconds - last[0] >= 5:
            last[0] = seconds
            out(f"  … {job.checkpoint:,} / {job.total:,} rows, {job.checkpoint / seconds:,.0f} rows/s")

    job = import_run(scope=scope, job=job, path=path, progress=progress)
    seconds = time.perf_counter() - started
    if job.status != ImportJob.Status.DONE or job.rejected:
        raise CommandError(f"The import did not finish cleanly: {job.status} {job.failure} "
                           f"({job.rejected} rows rejected)")
    return job, seconds


class _RolledBack(Exception):
    pass


def _raw_copy_into_people(job: ImportJob) -> float:
    """Seconds to COPY the stored rows into ``people_person`` itself, as the import writes them: its million
    rows' indexes and its name trigger (an empty scratch table's indexes are far cheaper to insert into).
    The rows get new ids, mobiles and numbers (they are there already) and the transaction is rolled back."""
    seconds = 0.0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("CREATE TEMP TABLE bench_person_again ON COMMIT DROP AS "
                           "SELECT * FROM people_person WHERE created_at = %s", [job.created_at])
            cursor.execute("UPDATE bench_person_again SET id = id + 1000000000, mobile = '+915' || right(mobile, 9), "
                           "membership_no = membership_no || 'x'")
            buffer = io.BytesIO()
            with cursor.cursor.copy("COPY bench_person_again TO STDOUT") as copy:
                for data in copy:
                    buffer.write(data)
            data = buffer.getvalue()
            started = time.perf_counter()
            with cursor.cursor.copy("COPY people_person FROM STDIN") as copy:
                for offset in range(0, len(data), 1 << 20):
                    copy.write(data[offset:offset + (1 << 20)])
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deferred foreign-key checks, as at a commit
            seconds = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        pass
    return seconds


def _raw_copy(job: ImportJob) -> float:
    """Seconds to COPY the rows the import stored into a scratch table with the same indexes."""
    buffer = io.BytesIO()
    with connection.cursor() as cursor:
        with cursor.cursor.copy("COPY (SELECT * FROM people_person WHERE created_at = %s) TO STDOUT",
                                [job.created_at]) as copy:
            for data in copy:
                buffer.write(data)
        cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")
        cursor.execute(f"CREATE TABLE {SCRATCH} (LIKE people_person INCLUDING ALL)")
        # The same foreign keys as the real table (LIKE leaves them out): the rows must satisfy them too.
        cursor.execute("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                       "WHERE conrelid = 'people_person'::regclass AND contype = 'f'")
        for (definition,) in cursor.fetchall():
            cursor.execute(f"ALTER TABLE {SCRATCH} ADD {definition}")
        try:
            data = buffer.getvalue()
            started = time.perf_counter()
            with transaction.atomic():
                with connection.cursor() as inner, inner.cursor.copy(f"COPY {SCRATCH} FROM STDIN") as copy:
                    for offset in range(0, len(data), 1 << 20):
                        copy.write(data[offset:offset + (1 << 20)])
            return time.perf_counter() - started
        finally:
            cursor.execute(f"DROP TABLE IF EXISTS {SCRATCH}")


def _naive(path: str, *, out) -> tuple[int, float]:
    """``person_create`` per row, each in its own transaction, for the first rows of the same file (with
    their mobile numbers moved to 85xxxxxxxx so they are new)."""
    sample = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row, _ in zip(reader, range(NAIVE_SAMPLE), strict=False):
            sample.append(row)
    units = dict(Unit.objects.filter(code__in={row[3] for row in sample}).values_list("code", "id"))
    unit_rows = {unit.pk: unit for unit in Unit.objects.filter(pk__in=units.values())}
    scope = Scope.system(channel="cli")
    started = time.perf_counter()
    for n, (name, relative, mobile, code, gender, year, occupation, _consent) in enumerate(sample):
        person_create(scope=scope, name=name, relative_name=relative, mobile="85" + mobile.replace(" ", "").replace("-", "")[-8:],
                      unit=unit_rows[units[code]], gender=gender, birth_year=year, occupation=occupation,
                      source="import")
        if n and n % 2500 == 0:
            out(f"  … naive ORM: {n:,} rows")
    return len(sample), time.perf_counter() - started


def _remove(job: ImportJob, *, out) -> None:
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # The added people listed once, then removed without a key check per row (``delete_listed``).
        cursor.execute("CREATE TEMP TABLE bench_added ON COMMIT DROP AS SELECT id, unit_path FROM people_person "
                       "WHERE created_at = %s OR mobile LIKE '+9185%%'", [job.created_at])
        cursor.execute("ANALYZE bench_added")
        cursor.execute("DELETE FROM people_person_tags WHERE person_id IN (SELECT id FROM bench_added)")
        cursor.execute("DELETE FROM people_personhistory WHERE person_id IN (SELECT id FROM bench_added)")
        cursor.execute("SELECT unit_path, count(*) FROM bench_added GROUP BY unit_path")
        headcount_add({path: -count for path, count in cursor.fetchall()})  # as if they had never come
        removed = delete_listed(cursor, "people_person", "bench_added")
        cursor.execute("DELETE FROM people_importrowerror WHERE job_id = %s", [job.pk])
        cursor.execute("DELETE FROM access_auditlog WHERE target_type = 'importjob' AND target_id = %s", [job.pk])
        cursor.execute("DELETE FROM people_importjob WHERE id = %s", [job.pk])
    out(f"  removed the {removed:,} people added by the benchmark in {time.perf_counter() - started:.1f} s")
