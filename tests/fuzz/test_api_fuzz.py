"""Fuzzing the whole REST API (issue 14): schemathesis generates requests from /api/v1/openapi.json.

Every operation is called as the state admin and as a booth president, with valid requests (positive) and
requests the schema forbids (negative), against the app in-process (Django's WSGI handler) on the small tree
of ``tests.factories`` plus a booth committee and two offices, so the ids in paths also hit real rows. Each
request runs in a savepoint that is rolled back: every case starts from the same data, and a failing one
cannot spoil the next. Checks: no 5xx (``not_a_server_error``), every status code answered is declared for
the operation (``status_code_conformance``) and every answer matches the schema declared for its status code
(``response_schema_conformance``). The seed is fixed (``derandomize``), so a run
is repeatable; each failing case found so far is kept as a plain regression test in ``tests/<app>/``.

Not part of ``make test`` (marker ``fuzz``): ``make fuzz`` runs it, and CI runs it on PostgreSQL.
``SANGATHAN_FUZZ_EXAMPLES`` (default 10) sets the positive cases per operation and role; negative cases are
half as many. On PostgreSQL with 2 cores the default run takes about 1.5 minutes.
"""

import os
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from sangathan.access.scope import Scope
from sangathan.committees.services import committee_types_seed
from sangathan.rosters.services.offices import office_create
from sangathan.rosters.services.roster import roster_generate, roster_rotation_set
from tests.api_client import ApiClient
from tests.committees.conftest import full_booth_committee
from tests.factories import PersonFactory, build_tree

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("SANGATHAN_FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
ROLES = ("state_admin", "booth_president")


@dataclass
class Figures:
    operations: int = 0
    requests: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: dict = field(default_factory=dict)  # (role, operation, first line) -> full message
    last_exception: str = ""
    seconds: Counter = field(default_factory=Counter)  # per operation, both roles

    def fail(self, role: str, label: str, message: str) -> None:
        key = (role, label, message.strip().splitlines()[0] if message.strip() else "?")
        self.failures.setdefault(key, message)


def build_data():
    """The tree, a complete booth committee in d1a1b1, the state office with a drawn-up roster, d1's office."""
    tree = build_tree()
    system = Scope.system()
    committee_types_seed(scope=system)
    committee = full_booth_committee(tree, scope=system)
    state_office = office_create(scope=system, unit=tree["state"], name="प्रदेश कार्यालय")
    district_office = office_create(scope=system, unit=tree["d1"], name="जिला कार्यालय 1")
    ministers = [PersonFactory(unit=tree["state"], name=f"मंत्री {n}") for n in (1, 2)]
    roster_rotation_set(scope=system, office=state_office, members=[(p, "मंत्री") for p in ministers])
    today = date.today()
    roster_generate(scope=system, office=state_office, start=today, end=today + timedelta(days=13))
    seat = committee.seats.order_by("pk").first()
    real_ids = {
        "state_admin": {"unit_id": tree["d1"].pk, "person_id": tree.people["d1a1b1p0"].pk,
                        "committee_id": committee.pk, "seat_id": seat.pk, "office_id": state_office.pk},
        "booth_president": {"unit_id": tree["d1a1b1"].pk, "person_id": tree.people["d1a1b1p1"].pk,
                            "committee_id": committee.pk, "seat_id": seat.pk, "office_id": district_office.pk},
    }
    return tree, real_ids


def strategies(operation, real_ids: dict):
    """Per generation mode, the cases of one operation: free ones, and (positive) ones on real rows."""
    names = [p.name for p in operation.path_parameters]
    for mode, count in ((GenerationMode.POSITIVE, EXAMPLES), (GenerationMode.NEGATIVE, max(1, EXAMPLES // 2))):
        strategy = operation.as_strategy(generation_mode=mode)
        if mode is GenerationMode.POSITIVE and names and all(n in real_ids for n in names):
            strategy = st.one_of(strategy, operation.as_strategy(
                generation_mode=mode, path_parameters={n: real_ids[n] for n in names}))
        yield mode, count, strategy


def fuzz_operation(operation, strategy, count: int, *, role: str, token: str, figures: Figures) -> None:
    # Answers uncompressed: the text compression (CompressTextMiddleware) is not what is checked here.
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}

    @settings(max_examples=count, derandomize=True, database=None, deadline=None, print_blob=False,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def run(case):
        figures.last_exception = ""
        try:
            with transaction.atomic():
                try:
                    response = case.call(headers=headers)
                finally:
                    transaction.set_rollback(True)
        except Exception as exc:  # the app raised through the WSGI handler
            figures.fail(role, operation.label, f"{type(exc).__name__}: {exc}\n{case.as_curl_command(headers)}")
            return
        figures.requests += 1
        figures.statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises a group of the failed checks
            figures.fail(role, operation.label, f"{exc}\n{figures.last_exception}")

    try:
        run()
    except Unsatisfiable:
        pass  # e.g. no request the schema forbids exists for an operation without inputs


@contextmanager
def wsgi_app():
    """Django's WSGI handler inside the test's transaction: the per-request connection clean-up is off,
    as in django.test.Client (it would close the connection that holds the test's transaction). Entered
    after any use of django.test.Client, which connects the clean-up again after each of its requests."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def fuzz(app, tokens: dict, real_ids: dict) -> Figures:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    figures = Figures(operations=len(operations))

    def remember(sender, request=None, **kwargs):
        figures.last_exception = traceback.format_exc(limit=-6)

    signals.got_request_exception.connect(remember)
    try:
        for role in ROLES:
            for operation in operations:
                started = time.monotonic()
                for _mode, count, strategy in strategies(operation, real_ids[role]):
                    fuzz_operation(operation, strategy, count, role=role, token=tokens[role], figures=figures)
                figures.seconds[operation.label] += time.monotonic() - started
    finally:
        signals.got_request_exception.disconnect(remember)
    return figures


def test_whole_api_fuzzed_as_state_admin_and_booth_president(capsys):
    started = time.monotonic()
    tree, real_ids = build_data()
    tokens = {role: ApiClient.login(tree.users[role]).token for role in ROLES}
    setup = time.monotonic() - started
    with wsgi_app() as app:
        figures = fuzz(app, tokens, real_ids)
    elapsed = time.monotonic() - started
    with capsys.disabled():
        statuses = ", ".join(f"{code}: {n}" for code, n in sorted(figures.statuses.items()))
        print(f"\nfuzz: {figures.operations} operations × {len(ROLES)} roles, {figures.requests} requests, "
              f"{len(figures.failures)} failures, {elapsed:.0f} s (statuses {statuses})")
        slowest = ", ".join(f"{label} {sec:.1f} s" for label, sec in figures.seconds.most_common(3))
        print(f"fuzz: data {setup:.1f} s; slowest operations: {slowest}")
        for (role, label, _), message in list(figures.failures.items())[:20]:  # in the order found
            print(f"\n--- {role}: {label}\n{message}")
    assert not figures.failures, f"{len(figures.failures)} failures (see above)"
