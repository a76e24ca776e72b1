"""How fast vistaraks' phones can sync, over HTTP, against the bulk import of the same records.

On PostgreSQL, over the booths of the database (``sangathan demo --scale mp --members 0``, built with
``--build`` when it is empty):

1. sets up a drive over the first root and ``--min-people`` / 50 vistaraks (20,000 for the default
   1,000,000 records), each with a login, an API token, a write grant on one booth and an assignment —
   bulk-written, not timed;
2. starts ``sangathan serve`` on loopback (``SANGATHAN_BENCH_WORKERS`` web processes, default one more than
   the cores) and has ``SANGATHAN_BENCH_CLIENTS`` concurrent clients (default three per process) post every vistarak's 50 records as one batch to
   ``POST /api/v1/fieldwork/drives/{id}/sync`` — each record checked like an import row, matched against
   the registry, written with its history row, flags and per-record answer;
3. imports the same records (the same names and booths, new mobile numbers so that they are new people
   too) with ``import_prepare`` + ``import_run`` as ``sangathan import people`` does;

then prints records/s of both, p50/p95 per batch and the ratio, and removes everything it added.
"""

import csv
import http.client
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone
from faker.providers.person.hi_IN import Provider as HindiNames

from benchmarks import delete_listed, figure, summarize
from sangathan.access.models import ApiToken, AuditLog, ScopeGrant, User
from sangathan.access.scope import Scope
from sangathan.access.services import TOKEN_PREFIX
from sangathan.fieldwork.models import Assignment, Drive, FieldRecord, RecordFlag
from sangathan.org.enums import Grant
from sangathan.org.models import Unit
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.models import ImportJob, Person, PersonHistory
from sangathan.people.services import headcount_add, person_create

BATCH = 50
USER_PREFIX, SYNC_PREFIX, IMPORT_PREFIX = "81", "83", "82"
PEOPLE = Person._meta.db_table
HEADER = ["नाम", "पिता/पति का नाम", "मोबाइल", "इकाई कोड", "सहमति"]


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("fieldwork_sync measures PostgreSQL: run it with DATABASE_URL=postgres://… "
                           "(the database in use is SQLite).")
    booths = _booths(out=out, build=build)
    vistaraks = max(1, min_people // BATCH)
    # One web process more than the cores (a process waits on the database for part of a batch; this machine
    # also runs PostgreSQL and the clients, so fewer than OPERATIONS.md's 2 × cores), three clients each.
    workers = int(os.environ.get("SANGATHAN_BENCH_WORKERS", str((os.cpu_count() or 2) + 1)))
    clients = int(os.environ.get("SANGATHAN_BENCH_CLIENTS", str(3 * workers)))
    started = time.perf_counter()
    drive, tokens = _setup(vistaraks, booths)
    out(f"fieldwork_sync: {vistaraks:,} vistaraks × {BATCH} records, {len(booths):,} booths; set up in "
        f"{time.perf_counter() - started:.1f} s; {clients} clients, {workers} web processes")
    batches = [_batch(n, booth_id) for n, (_token, booth_id) in enumerate(tokens)]
    path = None
    try:
        seconds, latencies, statuses = _sync_over_http(drive, tokens, batches, clients=clients, workers=workers)
        path = _write_csv(batches)
        import_seconds, job = _import(path)
        # The figures before the clean-up: removing a million records and two million people takes minutes.
        _report(out, vistaraks, clients, workers, seconds, latencies, statuses, import_seconds, job)
    finally:
        _remove(drive, out=out)
        if path:
            os.unlink(path)


def _report(out, vistaraks, clients, workers, seconds, latencies, statuses, import_seconds, job) -> None:
    total = vistaraks * BATCH
    timing = summarize(latencies)
    rate, import_rate = total / seconds, job.total / import_seconds
    out(f"  answers: {dict(sorted(statuses.items()))}")
    out(f"  {'method':<46} {'records':>10} {'seconds':>9} {'records/s':>10}")
    out(f"  {'sync over HTTP (batches of 50, concurrent)':<46} {total:>10,} {seconds:>9.1f} {rate:>10,.0f}")
    out(f"  {'bulk import of the same records':<46} {job.total:>10,} {import_seconds:>9.1f} {import_rate:>10,.0f}")
    out(f"  per batch: p50 {timing.p50:.0f} ms, p95 {timing.p95:.0f} ms; sync / import: {rate / import_rate:.2f}  "
        f"target: ≥ 2,000 records/s, ≥ 0.33 of the import, p95 ≤ 1,000 ms")
    figure("fieldwork_sync", f"sync over HTTP, {vistaraks:,} × {BATCH} records, {clients} clients, {workers} "
           "web processes (baseline: bulk import of the same records)", rate, "records/s",
           target="≥ 2,000/s and ≥ 0.33 of the import", met=rate >= 2000 and rate >= import_rate / 3,
           baseline=import_rate)
    figure("fieldwork_sync", "sync batch of 50 over HTTP, p95", timing.p95, "ms", target="p95 ≤ 1,000 ms",
           met=timing.p95 <= 1000)


def _booths(*, out, build: bool) -> list[tuple[int, str]]:
    if not Unit.objects.filter(level="booth").exists():
        if not build:
            raise CommandError("The database holds no booths: run `sangathan demo --scale mp --members 0` first "
                               "(or pass --build).")
        out("Loading the mp demo tree without members (--build) …")
        call_command("demo", scale="mp", members=0)
    return list(Unit.objects.filter(level="booth").order_by("path").values_list("id", "code"))


def _setup(vistaraks: int, booths: list[tuple[int, str]]) -> tuple[Drive, list[tuple[str, int]]]:
    """The drive, and per vistarak (token, booth id): logins, tokens, grants and assignments bulk-written."""
    root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    today = timezone.localdate()
    ends = timezone.now() + timedelta(days=10)
    system = Scope.system(channel="cli")
    with transaction.atomic():
        drive = Drive.objects.create(name="bench fieldwork_sync", unit=root, unit_path=root.path,
                                     starts_on=today - timedelta(days=2), ends_on=today + timedelta(days=8),
                                     consent_text="bench", person_fields=["relative_name"])
        vistarak = person_create(scope=system, name="बेंच विस्तारक", mobile=f"+91{USER_PREFIX}99999999",
                                 unit=Unit.objects.filter(level="booth").first())
        users = User.objects.bulk_create([User(mobile=f"+91{USER_PREFIX}{n:08d}", display_name=f"bench {n}",
                                               password=make_password(None)) for n in range(vistaraks)],
                                          batch_size=2000)
        keys = [f"{TOKEN_PREFIX}bench{uuid.uuid4().hex}" for _ in users]
        ApiToken.objects.bulk_create([
            ApiToken(user=u, key_hash=ApiToken.hash_key(k), prefix=k[len(TOKEN_PREFIX):][:8], name="bench",
                     expires_at=ends) for u, k in zip(users, keys, strict=True)], batch_size=2000)
        placed = [(u, booths[n % len(booths)]) for n, u in enumerate(users)]
        units = {unit.pk: unit for unit in Unit.objects.filter(pk__in={b[0] for _u, b in placed})}
        grants = ScopeGrant.objects.bulk_create([ScopeGrant(user=u, unit_id=b[0], grant=Grant.WRITE, reason="bench",
                                                            expires_at=ends) for u, b in placed], batch_size=2000)
        Assignment.objects.bulk_create([
            Assignment(drive=drive, vistarak=vistarak, user=u, unit_id=b[0], unit_path=units[b[0]].path, grant=g)
            for (u, b), g in zip(placed, grants, strict=True)], batch_size=2000)
    return drive, [(k, b[0]) for k, (_u, b) in zip(keys, placed, strict=True)]


def _batch(n: int, booth_id: int) -> list[dict]:
    rng = random.Random(n)
    male, last = HindiNames.first_names_male, HindiNames.last_names
    start = timezone.now() - timedelta(hours=30)
    records = []
    for i in range(BATCH):
        surname = rng.choice(last)
        records.append({
            "client_uuid": str(uuid.UUID(int=rng.getrandbits(128))), "version": 1, "booth_id": booth_id,
            "captured_at": (start + timedelta(minutes=5 * i)).isoformat(), "consent": True,
            "fields": {"name": f"{rng.choice(male)} {surname}", "relative_name": f"{rng.choice(male)} {surname}",
                       "mobile": f"{SYNC_PREFIX}{n * BATCH + i:08d}"}, "device_id": f"bench-{n}"})
    return records


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _sync_over_http(drive, tokens, batches, *, clients: int, workers: int):
    port = 18600 + os.getpid() % 1000
    env = {**os.environ, "DATABASE_URL": _database_url(), "SANGATHAN_DEBUG": "0"}
    command = [sys.executable, "-m", "sangathan.cli", "serve", "--no-worker", "--no-collectstatic",
               "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603 — our own CLI
    try:
        try:
            _wait_up(port, workers, server)
        except CommandError:
            log.seek(0)
            raise CommandError("sangathan serve did not come up:\n"
                               + log.read()[-2000:].decode(errors="replace")) from None
        connections: dict[int, http.client.HTTPConnection] = {}
        path = f"/api/v1/fieldwork/drives/{drive.pk}/sync"
        lock = threading.Lock()

        def send(n: int) -> tuple[float, list[str]]:
            key = threading.get_ident()
            conn = connections.get(key)
            if conn is None:  # one keep-alive connection per client, the clients spread evenly on the processes
                with lock:
                    conn = connections[key] = http.client.HTTPConnection(
                        "127.0.0.1", port + len(connections) % workers, timeout=120)
            body = json.dumps({"records": batches[n]})
            began = time.perf_counter()
            conn.request("POST", path, body, {"Content-Type": "application/json",
                                              "Authorization": f"Bearer {tokens[n][0]}"})
            response = conn.getresponse()
            data = response.read()
            elapsed = (time.perf_counter() - began) * 1000
            if response.status != 200:
                raise CommandError(f"sync answered {response.status}: {data[:300]!r}")
            return elapsed, [a["status"] for a in json.loads(data)["answers"]]

        began = time.perf_counter()
        with ThreadPoolExecutor(max_workers=clients) as pool:
            results = list(pool.map(send, range(len(batches))))
        seconds = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    statuses: dict[str, int] = {}
    for _ms, answers in results:
        for status in answers:
            statuses[status] = statuses.get(status, 0) + 1
    return seconds, [ms for ms, _a in results], statuses


def _wait_up(port: int, workers: int, server) -> None:
    deadline = time.monotonic() + 120
    for p in range(port, port + workers):
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", p, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise CommandError("sangathan serve did not come up within 120 s.")
            time.sleep(0.3)


def _write_csv(batches: list[list[dict]]) -> str:
    codes = dict(Unit.objects.filter(level="booth").values_list("id", "code"))
    handle, path = tempfile.mkstemp(prefix="fieldwork-bench-", suffix=".csv")
    with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        for batch in batches:
            for r in batch:
                writer.writerow([r["fields"]["name"], r["fields"]["relative_name"],
                                 IMPORT_PREFIX + r["fields"]["mobile"][2:], codes[r["booth_id"]], "app"])
    return path


def _import(path: str) -> tuple[float, ImportJob]:
    scope = Scope.system(channel="cli")
    began = time.perf_counter()
    job, _found = import_prepare(scope=scope, path=path, file_name=os.path.basename(path))
    job = import_run(scope=scope, job=job, path=path)
    seconds = time.perf_counter() - began
    if job.status != ImportJob.Status.DONE or job.rejected:
        raise CommandError(f"The import did not finish cleanly: {job.status} ({job.rejected} rows rejected)")
    return seconds, job


def _remove(drive: Drive, *, out) -> None:
    """Remove everything the run added and take its people out of the headcounts again, so that the next
    benchmark reads the demo as it was."""
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        users = User.objects.filter(mobile__startswith=f"+91{USER_PREFIX}", display_name__startswith="bench ")
        # Raw deletes: ``delete()`` would load every record (a million at full size) to cascade to its flags.
        flags, records = RecordFlag.objects.filter(drive=drive), FieldRecord.objects.filter(drive=drive)
        flags._raw_delete(flags.db)
        records._raw_delete(records.db)
        Assignment.objects.filter(drive=drive).delete()
        # The added people once, by index ranges of their mobiles (a regular expression read all 15M people
        # once per statement).
        added = " OR ".join(f"(mobile >= '+91{p}' AND mobile < '+91{int(p) + 1}' AND mobile LIKE '+91{p}%%')"
                            for p in (SYNC_PREFIX, IMPORT_PREFIX))
        cursor.execute(f"CREATE TEMP TABLE bench_gone ON COMMIT DROP AS SELECT id, unit_path FROM {PEOPLE} "  # noqa: S608
                       f"WHERE {added} OR mobile = %s", [f"+91{USER_PREFIX}99999999"])
        cursor.execute("ANALYZE bench_gone")
        cursor.execute(f"DELETE FROM {PersonHistory._meta.db_table} WHERE person_id IN (SELECT id FROM bench_gone)")  # noqa: S608
        cursor.execute(f"DELETE FROM {Person.tags.through._meta.db_table} "  # noqa: S608
                       "WHERE person_id IN (SELECT id FROM bench_gone)")
        cursor.execute("SELECT unit_path, count(*) FROM bench_gone GROUP BY unit_path")
        headcount_add({path: -count for path, count in cursor.fetchall()})  # as if they had never come
        removed = delete_listed(cursor, PEOPLE, "bench_gone")
        jobs = ImportJob.objects.filter(file_name__startswith="fieldwork-bench-")
        AuditLog.objects.filter(actor__in=users).delete()
        jobs.delete()
        ScopeGrant.objects.filter(user__in=users).delete()
        ApiToken.objects.filter(user__in=users).delete()
        users.delete()
        drive.delete()
    out(f"  removed the {removed:,} people and the logins added by the benchmark in {time.perf_counter() - began:.1f} s")
