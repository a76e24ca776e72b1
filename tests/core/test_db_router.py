"""Which database a read or write goes to (core.db_router), and the sticky cookie of the middleware."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.db import connections
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from sangathan.access.models import AuditLog
from sangathan.core import db_router
from sangathan.core.db_router import REPLICA, ReplicaRouter, reading_from_replica, request_routing
from sangathan.core.middleware import WROTE_COOKIE, PrimaryAfterWriteMiddleware
from sangathan.org.models import Unit

router = ReplicaRouter()


@pytest.fixture
def with_replica(monkeypatch):
    """A ``replica`` alias in the database settings (never connected to: only the decisions are tested)."""
    monkeypatch.setitem(connections.settings, REPLICA, dict(connections["default"].settings_dict))


def test_without_a_replica_every_read_goes_to_the_primary():
    with reading_from_replica():
        assert router.db_for_read(Unit) == "default"


def test_reads_go_to_the_replica_only_inside_the_block(with_replica):
    assert router.db_for_read(Unit) == "default"
    with reading_from_replica():
        assert router.db_for_read(Unit) == REPLICA
    assert router.db_for_read(Unit) == "default"


def test_the_block_works_as_a_decorator(with_replica):
    @reading_from_replica()
    def report():
        return router.db_for_read(Unit)

    assert (report(), report()) == (REPLICA, REPLICA)
    assert router.db_for_read(Unit) == "default"


def test_writes_always_go_to_the_primary(with_replica):
    with reading_from_replica():
        assert router.db_for_write(AuditLog) == "default"
    assert router.db_for_write(Unit) == "default"


def test_after_a_write_the_blocks_reads_stay_on_the_primary(with_replica):
    with reading_from_replica():
        router.db_for_write(Unit)
        assert router.db_for_read(Unit) == "default"
    with reading_from_replica():  # a new block starts afresh (outside a request)
        assert router.db_for_read(Unit) == REPLICA


def test_an_audit_row_does_not_pin_the_reader(with_replica):
    with request_routing(pinned=False) as state, reading_from_replica():
        router.db_for_write(AuditLog)
        assert router.db_for_read(Unit) == REPLICA
    assert state.wrote is False


def test_a_request_that_wrote_reads_from_the_primary(with_replica):
    with request_routing(pinned=False) as state:
        router.db_for_write(Unit)  # before the report's block, e.g. a form saved then the page shown
        with reading_from_replica():
            assert router.db_for_read(Unit) == "default"
    assert state.wrote is True


def test_a_pinned_request_reads_from_the_primary(with_replica):
    with request_routing(pinned=True), reading_from_replica():
        assert router.db_for_read(Unit) == "default"
    with request_routing(pinned=False), reading_from_replica():
        assert router.db_for_read(Unit) == REPLICA


def test_reads_inside_a_transaction_on_the_primary_stay_there(with_replica, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with reading_from_replica():
        assert router.db_for_read(Unit) == "default"


def test_migrations_run_only_on_the_primary():
    assert router.allow_migrate(REPLICA, "people") is False
    assert router.allow_migrate("default", "people") is True


def test_objects_from_either_database_may_be_related():
    primary, replica = Unit(), Unit()
    primary._state.db, replica._state.db = "default", REPLICA
    assert router.allow_relation(primary, replica) is True


def _middleware(view):
    return PrimaryAfterWriteMiddleware(view)


def _reads_from(request_cookies=None):
    """Runs a request through the middleware whose view reads a report; answers where the read went."""
    seen = {}

    def view(request):
        with reading_from_replica():
            seen["db"] = router.db_for_read(Unit)
        return HttpResponse("ok")

    request = RequestFactory().get("/")
    request.COOKIES.update(request_cookies or {})
    _middleware(view)(request)
    return seen["db"]


@override_settings(SANGATHAN_REPLICA_STICKY_SECONDS=10)
def test_the_writers_next_requests_read_from_the_primary_for_a_while(with_replica, monkeypatch):
    def writing_view(request):
        router.db_for_write(Unit)
        return HttpResponse("saved")

    response = _middleware(writing_view)(RequestFactory().post("/"))
    cookie = response.cookies[WROTE_COOKIE]
    assert cookie["httponly"] and cookie["max-age"] == 10
    assert _reads_from({WROTE_COOKIE: cookie.value}) == "default"
    assert _reads_from() == REPLICA                                     # another user
    assert _reads_from({WROTE_COOKIE: "forged"}) == REPLICA             # the signature is checked
    later = time.time() + 11
    monkeypatch.setattr(time, "time", lambda: later)
    assert _reads_from({WROTE_COOKIE: cookie.value}) == REPLICA         # the sticky time has passed


def test_a_request_that_only_reads_sets_no_cookie(with_replica):
    response = _middleware(lambda request: HttpResponse("page"))(RequestFactory().get("/"))
    assert WROTE_COOKIE not in response.cookies


def test_without_a_replica_the_middleware_sets_no_cookie():
    def writing_view(request):
        router.db_for_write(Unit)
        return HttpResponse("saved")

    assert WROTE_COOKIE not in _middleware(writing_view)(RequestFactory().post("/")).cookies
    assert db_router.replica_configured() is False


def test_the_replica_alias_exists_only_with_a_postgresql_primary_and_a_replica_url(tmp_path):
    code = ("import json; from django.conf import settings; "
            "print(json.dumps({k: [v['ENGINE'], v['HOST'], str(v['PORT']), v['TEST'].get('MIRROR')] "
            "for k, v in settings.DATABASES.items() if k != 'default'}))")
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "sangathan.settings", "SANGATHAN_VAR_DIR": str(tmp_path),
            "SANGATHAN_SECRET_KEY": "tests-only-not-a-secret", "DATABASE_REPLICA_URL": "postgres://ro@db2:5433/sg"}

    def aliases(**env):
        merged = {key: value for key, value in {**base, **env}.items() if value is not None}
        done = subprocess.run([sys.executable, "-c", code], env=merged, capture_output=True, text=True,  # noqa: S603
                              timeout=60, check=True)
        return json.loads(done.stdout)

    assert aliases(DATABASE_URL="postgres://app@db1:5432/sg") == {
        "replica": ["django.db.backends.postgresql", "db2", "5433", "default"]}
    assert aliases(DATABASE_URL=None) == {}                      # SQLite: no replica
