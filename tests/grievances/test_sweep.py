"""The set-based escalation sweep: batches, bulk rows, recusal and opt-outs, the index it uses."""

import pytest
from django.db import connection

from sangathan.access.scope import Scope
from sangathan.grievances.enums import AssignmentRole, EventKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceEvent
from sangathan.grievances.services import grievances_escalate_overdue
from sangathan.grievances.services.sweep import _claim_sql
from sangathan.messaging.models import Channel, Message, OptOutSource
from sangathan.messaging.services import opt_out
from tests.grievances.helpers import take


def test_sweep_runs_in_batches_with_a_fixed_number_of_queries(cell, clock, django_assert_max_num_queries):
    taken = [take(cell, subject=f"समस्या क्रमांक {n}", mobile=f"98261000{n:02d}") for n in range(7)]
    clock.advance(days=10)
    # Seven rows in batches of three: three batches, each a handful of statements whatever its size.
    # (SQLite: the claim, the two ends and the copies onto the other assignments are statements of their own.)
    with django_assert_max_num_queries(3 * 15 + 6):
        assert grievances_escalate_overdue(scope=Scope.system(), batch_size=3) == 7
    ids = [g.pk for g in taken]
    assert set(Grievance.objects.filter(pk__in=ids).values_list("level", "status")) == {
        (GrievanceLevel.STATE, GrievanceStatus.OPEN)}
    assert GrievanceEvent.objects.filter(grievance_id__in=ids, kind=EventKind.ESCALATED, public=True).count() == 7
    assert GrievanceAssignment.objects.filter(grievance_id__in=ids, ended_at__isnull=True,
                                              role=AssignmentRole.ASSIGNEE, level=GrievanceLevel.STATE).count() == 7
    # The district assignees' work ended; the convener keeps watching.
    assert not GrievanceAssignment.objects.filter(grievance_id__in=ids, ended_at__isnull=True,
                                                  level=GrievanceLevel.DISTRICT, role=AssignmentRole.ASSIGNEE).exists()
    assert Message.objects.filter(template__code="grievance_escalated").count() == 7


def test_sweep_skips_the_named_member_and_opted_out_complainants(cell, clock):
    complainant = cell.tree.people["d1a1b1p1"]
    opt_out(scope=Scope.system(), person=complainant, channel=Channel.SMS, source=OptOutSource.STOP_REPLY)
    named = take(cell, named_person=cell.people["state_member"], complainant=complainant, name="", mobile="")
    clock.advance(days=10)
    assert grievances_escalate_overdue(scope=Scope.system()) == 1
    assert list(GrievanceAssignment.objects.filter(grievance=named, ended_at__isnull=True,
                                                   role=AssignmentRole.ASSIGNEE).values_list("person_id", flat=True)) \
        == [cell.people["state_convener"].pk]
    assert not Message.objects.filter(template__code="grievance_escalated", person=complainant).exists()


def test_rows_not_yet_due_or_not_at_the_district_stay(cell, clock):
    take(cell)
    clock.advance(days=3)
    assert grievances_escalate_overdue(scope=Scope.system()) == 0


@pytest.mark.postgres
def test_the_claim_uses_the_partial_due_index(cell, clock, is_postgres):
    if not is_postgres:
        pytest.skip("PostgreSQL plan")
    take(cell)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        sql = _claim_sql(external=False)
        cursor.execute("EXPLAIN " + sql, ["2026-03-01", 10, *["2026-03-01"] * 5])
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "grv_open_due" in plan


def test_the_command_runs_the_jobs(cell, clock, capsys):
    from django.core.management import call_command

    take(cell)
    clock.advance(days=10)
    call_command("grievances", "sweep")
    call_command("grievances", "remind")
    call_command("grievances", "close-silent")
    call_command("grievances", "seed")
    out = capsys.readouterr().out
    assert "escalated 1 overdue grievance(s)" in out and "sent 0 reminder(s)" in out


def _sweep_queries(count: int, clock, cell, start: int) -> int:
    from django.test.utils import CaptureQueriesContext

    for n in range(count):
        take(cell, subject=f"समस्या क्रमांक {start + n}", mobile=f"98262000{start + n:02d}")
    clock.advance(days=10)
    with CaptureQueriesContext(connection) as queries:
        assert grievances_escalate_overdue(scope=Scope.system()) == count
    return len(queries)


def test_a_batch_costs_the_same_queries_for_two_grievances_or_eight(cell, clock):
    """The sweep's statements are per batch, never per grievance: a batch of eight takes as many as one of two."""
    assert _sweep_queries(2, clock, cell, 0) == _sweep_queries(8, clock, cell, 10)


def test_timeline_and_assignments_carry_no_constraint_yet_cascade(cell, clock):
    """The sweep's rows refer to their grievance without a FOREIGN KEY constraint (its checks were a sixth
    of the sweep); Django's CASCADE still removes them with the grievance."""
    grievance = take(cell)
    clock.advance(days=10)
    assert grievances_escalate_overdue(scope=Scope.system()) == 1
    with connection.cursor() as cursor:
        for model in (GrievanceEvent, GrievanceAssignment):
            constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
            targets = {c["foreign_key"][0] for c in constraints.values() if c["foreign_key"]}
            assert Grievance._meta.db_table not in targets
    assert GrievanceEvent.objects.filter(grievance=grievance).count() >= 4
    Grievance.objects.filter(pk=grievance.pk).delete()
    assert not GrievanceEvent.objects.filter(grievance_id=grievance.pk).exists()
    assert not GrievanceAssignment.objects.filter(grievance_id=grievance.pk).exists()
