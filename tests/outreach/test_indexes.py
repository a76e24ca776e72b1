"""The hot reads of booth contact use their indexes on PostgreSQL (sequential scans off, as in
tests/people/test_subtree_index.py): today's list by (caller, day), compliance by (path, day), expiry by the
partial index of pending calls."""

import datetime

import pytest
from django.db import connection

from sangathan.access.scope import Scope
from sangathan.core.clock import today
from sangathan.core.tree import subtree_q
from sangathan.outreach.enums import AssignmentStatus
from sangathan.outreach.models import CallAssignment
from sangathan.outreach.selectors import calls_for_caller
from sangathan.outreach.services import assignments_assign
from tests.plans import index_names

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL plans")


def test_hot_reads_use_their_indexes(contact, tree):
    assignments_assign(scope=Scope.system(), program=contact.program)
    day = today()
    assert "outreach_assignment_caller_day" in index_names(
        calls_for_caller(person=contact.callers["d1_incharge"], day=day))
    booths = CallAssignment.objects.filter(subtree_q("unit_path", tree["d1"].path), day__gte=day, day__lte=day)
    assert "outreach_assignment_path_day" in index_names(booths)
    callers = CallAssignment.objects.filter(subtree_q("caller_path", tree["d1"].path), day=day)
    assert "outreach_assignment_cpath_day" in index_names(callers)
    pending = CallAssignment.objects.filter(day__lt=day + datetime.timedelta(days=1),
                                            status=AssignmentStatus.PENDING)
    assert "outreach_assign_pending_day" in index_names(pending)


def _checked(model) -> set[tuple]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {tuple(c["foreign_key"] or ()) for c in constraints.values() if c["foreign_key"]}


def test_daily_rows_stay_protected_without_database_constraints(contact, tree):
    """A day's calls and contact state carry no FOREIGN KEY constraint to the program, the booth or the people
    (the commit's checks of a day's 40,000 rows cost more than writing them); Django's PROTECT still refuses
    to delete what a call refers to, and its CASCADE still removes a program's contact state."""
    from django.db.models import ProtectedError

    from sangathan.outreach.models import ContactState

    assignments_assign(scope=Scope.system(), program=contact.program)
    call = CallAssignment.objects.filter(program=contact.program).select_related("target_unit", "caller").first()
    assert _checked(CallAssignment) == {("access_user", "id")}  # only created_by, empty on daily rows
    assert _checked(ContactState) == set()
    assert ContactState.objects.filter(program=contact.program).count() == \
        CallAssignment.objects.filter(program=contact.program).count() > 0
    with pytest.raises(ProtectedError):
        contact.program.delete()
    with pytest.raises(ProtectedError):
        call.target_unit.delete()
    with pytest.raises(ProtectedError) as refused:
        call.caller.delete()
    assert any(isinstance(row, CallAssignment) for row in refused.value.protected_objects)
