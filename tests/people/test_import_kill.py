"""Killing an import midway (SIGKILL, no clean-up) and running it again ends with exactly the right rows.

The import runs as a real ``sangathan import people`` process against a database of its own (an SQLite
file, or a scratch PostgreSQL database next to the test database), so what survives the kill is what
was committed, as in production.
"""

import os
import signal
import sqlite3
import subprocess
import sys

import psycopg
import pytest
from django.db import connection

from sangathan.people.imports.jobs import KILL_ENV
from tests.people.import_files import mobile, person_row, write_csv

SETUP = """
from sangathan.access.scope import Scope
from sangathan.org.services import org_seed_defaults, unit_create
system = Scope.system(channel="cli")
org_seed_defaults(scope=system)
state = unit_create(scope=system, parent=None, level="state", code="MP", name_hi="मध्य प्रदेश", name_en="Madhya Pradesh")
district = unit_create(scope=system, parent=state, level="district", code="D1", name_hi="जिला 1", name_en="District 1")
for n in (1, 2, 3):
    unit_create(scope=system, parent=district, level="booth", code=f"B{n}", name_hi=f"बूथ {n}", name_en=f"Booth {n}")
"""
ROWS = 2_400
CHUNK = 300


@pytest.fixture
def own_database(tmp_path):
    """Environment for subprocesses using a fresh database; yields (env, query function)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_SETTINGS")}
    env.update(SANGATHAN_VAR_DIR=str(tmp_path / "var"), DJANGO_SETTINGS_MODULE="sangathan.settings",
               SANGATHAN_SECRET_KEY="tests-only-not-a-secret")
    env.pop("SANGATHAN_TESTING", None)
    (tmp_path / "var").mkdir()
    if connection.vendor == "postgresql":
        settings = connection.settings_dict
        name = f"{settings['NAME']}_kill"
        base = dict(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432, user=settings["USER"],
                    autocommit=True)
        with psycopg.connect(dbname="postgres", **base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"postgres://{settings['USER']}@{base['host']}:{base['port']}/{name}"

        def query(sql):
            with psycopg.connect(dbname=name, **base) as db:
                return db.execute(sql).fetchall()

        yield env, query
        with psycopg.connect(dbname="postgres", **base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        env.pop("DATABASE_URL", None)
        path = tmp_path / "kill.sqlite3"
        env["SANGATHAN_SQLITE_PATH"] = str(path)

        def query(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        yield env, query


def sangathan(env, *args, **kwargs):
    return subprocess.run([sys.executable, "-m", "sangathan.cli", *args], env=env, capture_output=True,  # noqa: S603
                          text=True, timeout=300, **kwargs)


@pytest.mark.django_db
def test_killed_import_resumes_to_exactly_the_right_rows(own_database, tmp_path):
    env, query = own_database
    assert sangathan(env, "migrate", "-v0").returncode == 0
    setup = sangathan(env, "shell", "-c", SETUP)
    assert setup.returncode == 0, setup.stderr
    rows = [person_row(name=f"कार्यकर्ता {n}", mobile=mobile(n), unit=f"B{n % 3 + 1}",
                       membership_no=f"K-{n}" if n % 2 else "") for n in range(1, ROWS + 1)]
    rows[10] = person_row(name="", mobile="123", unit="B1")   # one bad row, reported once
    path = write_csv(tmp_path / "members.csv", rows)

    killed = sangathan({**env, KILL_ENV: "3"}, "import", "people", str(path), "--chunk-size", str(CHUNK))
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    # Three chunks committed; the fourth was written but not committed when the process died.
    assert query("SELECT checkpoint, created, rejected, status FROM people_importjob") == [
        (3 * CHUNK, 3 * CHUNK - 1, 1, "running")]
    assert query("SELECT count(*) FROM people_person") == [(3 * CHUNK - 1,)]
    # The committed chunks' headcount changes wait, committed with them, to be added (``PendingHeadcount``).
    assert query("SELECT sum(people) FROM people_pendingheadcount") == [(3 * CHUNK - 1,)]

    resumed = sangathan(env, "import", "people", str(path), "--chunk-size", str(CHUNK))
    assert resumed.returncode == 0, resumed.stderr
    assert f"after {3 * CHUNK:,} rows" in resumed.stdout
    assert query("SELECT checkpoint, created, rejected, status FROM people_importjob") == [
        (ROWS, ROWS - 1, 1, "done")]
    assert query("SELECT count(*), count(DISTINCT mobile) FROM people_person") == [(ROWS - 1, ROWS - 1)]
    assert query("SELECT count(*) FROM people_personhistory") == [(ROWS - 1,)]
    assert query("SELECT count(*) FROM people_importrowerror") == [(1,)]
    assert query("SELECT count(*) FROM people_person WHERE membership_no = 'K-2399'") == [(1,)]
    assert query("SELECT count(*) FROM access_auditlog WHERE action = 'import'") == [(1,)]
    counted = query("SELECT u.code, (SELECT count(*) FROM people_person p WHERE p.unit_path LIKE u.path || '%') "
                    "FROM org_unit u ORDER BY u.code")
    assert query("SELECT u.code, COALESCE(h.people, 0) FROM org_unit u LEFT JOIN people_unitheadcount h "
                 "ON h.unit_id = u.id ORDER BY u.code") == counted
    assert dict(counted)["MP"] == ROWS - 1
    assert query("SELECT count(*) FROM people_pendingheadcount") == [(0,)]

    again = sangathan(env, "import", "people", str(path))
    assert again.returncode == 0 and "already imported" in again.stdout
    assert query("SELECT count(*) FROM people_person") == [(ROWS - 1,)]
