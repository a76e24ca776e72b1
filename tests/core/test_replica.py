"""A real streaming replica of the test's PostgreSQL server: reports read it, a writer reads the primary.

The test copies the running cluster with ``pg_basebackup -R -X stream`` into a temporary directory, starts
it as a hot standby on a free port (as the ``postgres`` OS user when run as root), points the ``replica``
alias at it, and removes it afterwards whatever happens. It runs only on PostgreSQL with the server's
binaries installed (``/usr/lib/postgresql/<major>/bin``) and a primary that accepts replication connections
from 127.0.0.1 (docs/OPERATIONS.md, "The replica"); otherwise it is skipped with the reason.
"""

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection, connections
from django.http import HttpResponse
from django.test import RequestFactory

from sangathan.access.scope import Scope
from sangathan.core.db_router import REPLICA, reading_from_replica
from sangathan.core.middleware import WROTE_COOKIE, PrimaryAfterWriteMiddleware
from sangathan.org.models import Unit
from sangathan.org.services import org_seed_defaults, unit_create

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

# The primary's settings a hot standby must match or exceed.
MATCHED = ("max_connections", "max_worker_processes", "max_locks_per_transaction", "max_prepared_transactions",
           "max_wal_senders")
# A base backup copies every database of the server. Above this the copy takes minutes (a 15M benchmark
# database is ~17 GB), so the test is skipped with the reason rather than timing out.
CLONE_LIMIT = 2 * 1024**3
CLONE_BYTES_PER_SECOND = 30 * 1024**2  # a slow disk's copy rate: the clone's time allowance grows with the size


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Standby:
    """The replica's directory, port and commands, run as the ``postgres`` user when we are root."""

    def __init__(self, bin_dir: Path, primary: dict, *, size: int = 0):
        self.bin_dir, self.primary, self.size = bin_dir, primary, size
        self.as_root = os.geteuid() == 0
        self.dir = Path(tempfile.mkdtemp(prefix="sangathan-replica-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.started = False
        if self.as_root:
            owner = pwd.getpwnam("postgres")
            os.chown(self.dir, owner.pw_uid, owner.pw_gid)

    def run(self, tool: str, *args: str, timeout: int = 60) -> subprocess.CompletedProcess:
        command = [str(self.bin_dir / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=self.dir)  # noqa: S603

    def clone(self) -> None:
        done = self.run("pg_basebackup", "-h", self.primary["host"], "-p", str(self.primary["port"]),
                        "-U", self.primary["user"], "-D", str(self.data), "-R", "-X", "stream",
                        "--checkpoint=fast", "--no-sync", timeout=60 + self.size // CLONE_BYTES_PER_SECOND)
        if done.returncode != 0 and "pg_hba.conf" in done.stderr:
            pytest.skip("the primary refuses replication connections from 127.0.0.1 (pg_hba.conf needs "
                        f"'host replication all 127.0.0.1/32 trust'): {done.stderr.strip()}")
        assert done.returncode == 0, done.stderr

    def configure(self, matched: dict[str, str]) -> None:
        # Debian keeps postgresql.conf and pg_hba.conf in /etc, outside the copied data directory.
        lines = [f"port = {self.port}", "listen_addresses = '127.0.0.1'", f"unix_socket_directories = '{self.dir}'",
                 "hot_standby = on", "fsync = off", *(f"{name} = {value}" for name, value in matched.items())]
        self._write("postgresql.conf", "\n".join(lines) + "\n", append=True)
        self._write("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n")
        self._write("pg_ident.conf", "")

    def _write(self, name: str, text: str, *, append: bool = False) -> None:
        path = self.data / name
        with open(path, "a" if append else "w") as handle:
            handle.write(text)
        if self.as_root:
            owner = pwd.getpwnam("postgres")
            os.chown(path, owner.pw_uid, owner.pw_gid)

    def start(self) -> None:
        # A standby opens for reading only once the primary logs a snapshot it can use, which a long
        # transaction on the primary (another test worker's, a demo load) can hold back for a while.
        done = self.run("pg_ctl", "-D", str(self.data), "-l", str(self.dir / "log"), "-w", "-t", "150", "start",
                        timeout=180)
        self.started = done.returncode == 0
        assert self.started, done.stdout + done.stderr + self._log()

    def _log(self) -> str:
        path = self.dir / "log"
        return path.read_text() if path.exists() else ""

    def remove(self) -> None:
        try:
            if self.started:
                self.run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def replica():
    """The ``replica`` alias, pointed at a streaming replica of the test database's server."""
    if connection.vendor != "postgresql":
        pytest.skip("a streaming replica needs PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('server_version_num')::int / 10000")
        major = cursor.fetchone()[0]
        matched = {}
        for name in MATCHED:
            cursor.execute("SELECT current_setting(%s)", [name])
            matched[name] = cursor.fetchone()[0]
        cursor.execute("SELECT sum(pg_database_size(oid))::bigint FROM pg_database")
        size = cursor.fetchone()[0] or 0
    bin_dir = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (bin_dir / "pg_basebackup").exists() or not (bin_dir / "pg_ctl").exists():
        pytest.skip(f"no PostgreSQL {major} server binaries in {bin_dir}")
    if os.geteuid() == 0 and not shutil.which("runuser"):
        pytest.skip("running as root without runuser to start the replica as postgres")
    if size > CLONE_LIMIT:
        pytest.skip(f"the server's databases hold {size / 1024**3:.1f} GB (a benchmark database?): a base backup "
                    f"of them all would take minutes; drop them or test against a server below "
                    f"{CLONE_LIMIT // 1024**3} GB")
    settings = connection.settings_dict
    primary = {"host": settings["HOST"] or "127.0.0.1", "port": settings["PORT"] or 5432,
               "user": settings["USER"] or "postgres"}
    standby = Standby(bin_dir, primary, size=size)
    try:
        standby.clone()
        standby.configure(matched)
        standby.start()
        connections.settings[REPLICA] = {**settings, "HOST": "127.0.0.1", "PORT": standby.port,
                                         "CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": False}
        # Connected here: Django's test case refuses to open a connection to an alias it was not declared
        # with, and the alias cannot be declared before the replica exists.
        connections[REPLICA].connect()
        yield standby
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        standby.remove()


def _replica_sql(standby, sql: str, *params):
    with psycopg.connect(host="127.0.0.1", port=standby.port, user=standby.primary["user"],
                         dbname=connection.settings_dict["NAME"], autocommit=True) as db:
        return db.execute(sql, params).fetchone()[0]


def _wait_for_replay(standby) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        lsn = cursor.fetchone()[0]
    deadline = time.monotonic() + 30
    while not _replica_sql(standby, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", lsn):
        assert time.monotonic() < deadline, "the replica did not replay the primary's writes in 30 s"
        time.sleep(0.1)


def _state(code: str, system: Scope) -> Unit:
    return unit_create(scope=system, parent=None, level="state", code=code, name_hi=f"प्रदेश {code}",
                       name_en=f"State {code}")


def test_reports_read_the_replica_and_a_writer_reads_the_primary(replica):
    system = Scope.system()
    org_seed_defaults(scope=system)
    _state("RA", system)                              # written on the primary through the app
    _wait_for_replay(replica)
    assert _replica_sql(replica, "SELECT pg_is_in_recovery()") is True

    with reading_from_replica():
        seen = Unit.objects.get(code="RA")
    assert seen._state.db == REPLICA and seen.name_en == "State RA"

    # Replay paused, a second write reaches the primary only: a report shows the replica's older state,
    # the writer (this request, then their next one through the signed cookie) sees their own write.
    _replica_sql(replica, "SELECT pg_wal_replay_pause()")

    def writing_view(request):
        _state("RB", system)
        with reading_from_replica():
            assert Unit.objects.filter(code="RB").exists()    # the same request: from the primary
        return HttpResponse("saved")

    def report_view(request):
        with reading_from_replica():
            return HttpResponse(",".join(Unit.objects.filter(code__in=["RA", "RB"]).order_by("code")
                                         .values_list("code", flat=True)))

    saved = PrimaryAfterWriteMiddleware(writing_view)(RequestFactory().post("/"))
    cookie = saved.cookies[WROTE_COOKIE].value
    writer = RequestFactory().get("/")
    writer.COOKIES[WROTE_COOKIE] = cookie
    assert PrimaryAfterWriteMiddleware(report_view)(writer).content == b"RA,RB"
    assert PrimaryAfterWriteMiddleware(report_view)(RequestFactory().get("/")).content == b"RA"

    _replica_sql(replica, "SELECT pg_wal_replay_resume()")
    _wait_for_replay(replica)
    assert PrimaryAfterWriteMiddleware(report_view)(RequestFactory().get("/")).content == b"RA,RB"
