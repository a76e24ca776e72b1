"""The Sahyog Cell's escalation sweep over a million open grievances (PostgreSQL only).

Synthetic data (made once, kept for later runs): ``GRIEVANCES`` open district-level grievances spread over
the organization's booths, each with one district assignee, written with COPY; ``OVERDUE`` of them are past
their due time. Each round (at least 3, at most ``MAX_ROUNDS``) first puts those rows back to "overdue at the
district" and removes what the previous round wrote, then times the baseline and the sweep one after the other on
the same rows, each after ``VACUUM ANALYZE`` of the written tables and a ``CHECKPOINT`` (interleaved, so a
burst of load on the shared machine hits both). It prints each round's ratio with the load average, and
reports the medians; the target counts as met only when every round meets it:

* baseline: one indexed ``UPDATE grievances_grievance SET level = 'state', … WHERE status = 'open' AND
  level = 'district' AND due_at < now()`` — the status change alone, rolled back so the sweep finds the same
  rows;
* sweep: ``grievances_escalate_overdue()`` as the periodic task runs it: batches of ``BATCH_SIZE`` claimed
  with ``UPDATE … RETURNING`` (``FOR UPDATE SKIP LOCKED``), the district assignments ended, the open-grievance
  tally moved to the new due time, and per grievance a state-cell assignment, three timeline rows (escalated,
  assigned, message) and an outbox SMS.

The resets write with plain SQL, so each is followed by a recount of the tally (untimed): later benchmarks'
homes read it with the million grievances in place.

Needs a migrated database with an organization (``--build`` loads ``sangathan demo --scale small`` into an
empty one). The synthetic rows are marked by their subject and their ``BN-`` tracking codes.
"""

import os
import statistics
import time
from collections.abc import Callable, Iterator
from datetime import timedelta

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from benchmarks import figure
from sangathan.access.scope import Scope
from sangathan.grievances.codes import ALPHABET
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceEvent
from sangathan.grievances.services import (
    grievances_escalate_overdue,
    grievances_seed_defaults,
    grievances_tally_refresh,
)
from sangathan.grievances.services.routing import state_cell_members
from sangathan.grievances.services.sweep import BATCH_SIZE
from sangathan.messaging.models import Message
from sangathan.org.models import Position, Unit
from sangathan.people.demo.bulk import BulkWriter

GRIEVANCES = 1_000_000
OVERDUE = 100_000
SUBJECT = "बेंचमार्क: संगठनात्मक समस्या"
PREFIX = "BN-"
MAX_ROUNDS = 7


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("grievance_escalation measures PostgreSQL: run it with DATABASE_URL=postgres://…")
    if not Unit.objects.filter(level="booth").exists():
        if not build:
            raise CommandError("grievance_escalation needs an organization: pass --build to load "
                               "`sangathan demo --scale small` into this empty database.")
        call_command("demo", scale="small", stdout=_Quiet())
    grievances_seed_defaults(scope=Scope.system(channel="cli"))
    if not state_cell_members():
        raise CommandError("No state Sahyog Cell members: load the demo (sangathan demo) first.")
    existing = Grievance.objects.filter(tracking_code__startswith=PREFIX).count()
    if existing != GRIEVANCES:
        _build(out, existing)
    rounds = max(3, min(repeat, MAX_ROUNDS))
    out(f"grievance_escalation: {GRIEVANCES:,} open grievances, {OVERDUE:,} overdue at the district; "
        f"{rounds} round(s) of baseline then sweep on the same rows, each after VACUUM and CHECKPOINT; "
        f"sweep batches of {BATCH_SIZE:,}")
    bases, sweeps = [], []
    for round_number in range(1, rounds + 1):
        marks = _reset()
        _settle()
        base_rows, base_s = _baseline()
        _settle()  # the rolled-back UPDATE left 100,000 dead row versions: the sweep must not pay for them
        started = time.perf_counter()
        swept = grievances_escalate_overdue(scope=Scope.system(channel="cli"))
        sweep_s = time.perf_counter() - started
        bases.append(base_s)
        sweeps.append(sweep_s)
        written = {
            "events": GrievanceEvent.objects.filter(pk__gt=marks["events"]).count(),
            "assignments": GrievanceAssignment.objects.filter(pk__gt=marks["assignments"]).count(),
            "messages": Message.objects.filter(pk__gt=marks["messages"]).count(),
        }
        out(f"  round {round_number} (load {_load()}): baseline UPDATE … WHERE due_at < now(): {base_rows:,} rows "
            f"in {base_s:.2f} s; sweep: {swept:,} grievances in {sweep_s:.2f} s = {sweep_s / base_s:.2f}x; wrote "
            f"{written['events']:,} timeline rows, {written['assignments']:,} assignments, "
            f"{written['messages']:,} outbox rows")
    base_median, sweep_median = statistics.median(bases), statistics.median(sweeps)
    ratios = " / ".join(f"{sweep / base:.2f}x" for base, sweep in zip(bases, sweeps, strict=True))
    out(f"  median of {rounds} rounds: baseline {base_median:.2f} s, sweep {sweep_median:.2f} s = "
        f"{sweep_median / base_median:.2f}x (rounds {ratios})")
    figure("grievance_escalation", f"escalation sweep of {swept:,} overdue grievances, median of {rounds} "
           f"interleaved rounds ({ratios})", sweep_median, "s", baseline=base_median, target="≤ 4x baseline",
           met=sweep_median / base_median <= 4.0 and max(s / b for b, s in zip(bases, sweeps, strict=True)) <= 4.0,
           note="baseline: one indexed UPDATE of the same rows, median; met only when every round is")
    _reset()
    out("  left as found: the synthetic grievances are overdue at the district again")


def _settle() -> None:
    """Before each timed run: every table the runs write vacuumed (dead rows of the reset or of the rolled-back
    baseline), then a CHECKPOINT, so neither run pays for what the one before left to write back."""
    with connection.cursor() as cursor:
        for table in ("grievances_grievance", "grievances_grievanceassignment", "grievances_grievanceevent",
                      "grievances_grievancetally", "messaging_message"):
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("CHECKPOINT")


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


class _Quiet:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def _build(out, existing: int) -> None:
    if existing:
        out(f"  removing {existing:,} synthetic grievances of an older run …")
        with connection.cursor() as cursor:
            # Their timeline and assignments first: those rows carry no database constraint to cascade.
            for table in ("grievances_grievanceevent", "grievances_grievanceassignment"):
                cursor.execute(f"DELETE FROM {table} WHERE grievance_id IN (SELECT id FROM grievances_grievance "  # noqa: S608
                               "WHERE tracking_code LIKE %s)", [PREFIX + "%"])
            cursor.execute("DELETE FROM grievances_grievance WHERE tracking_code LIKE %s", [PREFIX + "%"])
    booths = list(Unit.objects.filter(level="booth").order_by("path").values_list("pk", "path"))
    districts = dict(Unit.objects.filter(level="district").values_list("path", "pk"))
    presidents = dict(Position.objects.current().filter(unit__level="district", post__code="president")
                      .values_list("unit_id", "person_id"))
    now = timezone.now()
    writer = BulkWriter(log=out)
    first_id = (Grievance.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    fields = [f.attname for f in Grievance._meta.concrete_fields]

    def rows() -> Iterator[tuple]:
        for n in range(GRIEVANCES):
            booth_id, path = booths[n % len(booths)]
            created = now - timedelta(days=3)
            values = {
                "id": first_id + n, "tracking_code": PREFIX + _code(n), "unit_id": booth_id, "unit_path": path,
                "district_id": districts[path[:12]], "status": "open", "level": "district",
                "kind": "organizational", "channel": "district_office", "priority": "normal",
                "department_id": None, "is_policy_matter": False, "subject": SUBJECT, "description": "",
                "complainant_id": None, "complainant_name": "बेंचमार्क", "complainant_mobile": f"+9170{n:08d}",
                "named_person_id": None, "duplicate_of_id": None, "due_at": _due(n, now), "paused_days": None,
                "reminded_at": None, "external_office": "", "external_reference": "", "forwarded_on": None,
                "external_due_at": None, "hearing_on": None, "hearing_label": "", "escalation_count": 0,
                "reopened_count": 0, "resolution_note": "", "feedback": "", "feedback_at": None, "closure": "",
                "created_by_id": None, "created_at": created, "escalated_at": None, "resolved_at": None,
                "closed_at": None, "updated_at": created,
            }
            yield tuple(values[name] for name in fields)

    # Read before the COPY starts: the connection can run nothing else while it streams.
    first = (GrievanceAssignment.objects.aggregate(top=Max("id"))["top"] or 0) + 1

    def assignments() -> Iterator[tuple]:
        for n in range(GRIEVANCES):
            _booth, path = booths[n % len(booths)]
            person = presidents.get(districts[path[:12]])
            if person:
                yield (first + n, first_id + n, person, "assignee", "district", None, now - timedelta(days=3),
                       None, "open", _due(n, now), False)

    with transaction.atomic():
        with writer.indexes_deferred(Grievance):
            writer.write(Grievance, fields, rows(), label="synthetic grievances")
        with writer.indexes_deferred(GrievanceAssignment):
            writer.write(GrievanceAssignment, ["id", "grievance_id", "person_id", "role", "level", "assigned_by_id",
                                               "assigned_at", "ended_at", "grievance_status", "grievance_due_at",
                                               "names_person"], assignments(), label="assignments")
        writer.reset_sequences([Grievance, GrievanceAssignment])
    writer.analyze([Grievance, GrievanceAssignment])
    grievances_tally_refresh(scope=Scope.system(channel="cli"))


def _code(n: int) -> str:
    chars = []
    for _ in range(6):
        n, rem = divmod(n, len(ALPHABET))
        chars.append(ALPHABET[rem])
    return "".join(reversed(chars))


def _due(n: int, now):
    # Every tenth grievance is a day overdue; the rest fall due over the coming two weeks.
    return now - timedelta(days=1) if n % (GRIEVANCES // OVERDUE) == 0 else now + timedelta(days=1 + n % 14)


def _reset() -> dict[str, int]:
    """Put the overdue synthetic rows back at the district and drop what earlier sweeps wrote for them."""
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM grievances_grievance WHERE tracking_code LIKE %s AND level = 'state'", [PREFIX + "%"])
        swept = [row[0] for row in cursor.fetchall()]
        if swept:
            cursor.execute("DELETE FROM grievances_grievanceevent WHERE grievance_id = ANY(%s)", [swept])
            cursor.execute("DELETE FROM grievances_grievanceassignment WHERE grievance_id = ANY(%s) "
                           "AND level = 'state'", [swept])
            cursor.execute("UPDATE grievances_grievanceassignment SET ended_at = NULL WHERE grievance_id = ANY(%s)",
                           [swept])
            cursor.execute("DELETE FROM messaging_message WHERE idempotency_key LIKE 'grievance:%%:escalated:%%' "
                           "AND to_address LIKE '+9170%%'")
            cursor.execute(
                "UPDATE grievances_grievance SET level = 'district', status = 'open', escalation_count = 0, "
                "escalated_at = NULL, due_at = %s WHERE id = ANY(%s)", [now - timedelta(days=1), swept])
    grievances_tally_refresh(scope=Scope.system(channel="cli"))
    return {
        "events": GrievanceEvent.objects.aggregate(top=Max("id"))["top"] or 0,
        "assignments": GrievanceAssignment.objects.aggregate(top=Max("id"))["top"] or 0,
        "messages": Message.objects.aggregate(top=Max("id"))["top"] or 0,
    }


def _baseline() -> tuple[int, float]:
    """The status change alone in one indexed UPDATE, rolled back."""
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "UPDATE grievances_grievance SET level = 'state', due_at = now() + interval '15 days', "
            "escalated_at = now(), escalation_count = escalation_count + 1, updated_at = now() "
            "WHERE status = 'open' AND level = 'district' AND due_at < now()")
        rows = cursor.rowcount
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return rows, elapsed
