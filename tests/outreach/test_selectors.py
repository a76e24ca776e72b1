import datetime

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import today
from sangathan.core.errors import NotFound
from sangathan.outreach.enums import CallOutcome, NeedCategory
from sangathan.outreach.models import CallAssignment
from sangathan.outreach.selectors import (
    booth_contact_compliance,
    booth_feedback,
    booth_health,
    compliance_by_caller,
    compliance_by_child,
    compliance_by_day,
)
from sangathan.outreach.services import assignments_assign, call_log_save

pytestmark = pytest.mark.django_db


def _calls(contact, key, day):
    return list(CallAssignment.objects.filter(caller=contact.callers[key], day=day).order_by("rank"))


@pytest.fixture
def two_days(contact, clock):
    """Monday: d1's in-charge logs both calls (one reached, one busy), d2's one (reached), the state
    secretary none. Tuesday: d1's in-charge logs one reached call; the rest is still open."""
    monday = today()
    assignments_assign(scope=Scope.system(), program=contact.program)
    first, second = _calls(contact, "d1_incharge", monday)
    call_log_save(scope=Scope.system(), assignment=first, outcome=CallOutcome.REACHED, position_score=4,
                  needs=[NeedCategory.MATERIAL], notes="झंडे चाहिए")
    call_log_save(scope=Scope.system(), assignment=second, outcome=CallOutcome.BUSY)
    call_log_save(scope=Scope.system(), assignment=_calls(contact, "d2_incharge", monday)[0], outcome=CallOutcome.REACHED,
                  position_score=2, needs=[NeedCategory.MATERIAL, NeedCategory.WORKERS], notes="कार्यकर्ता कम")
    clock.advance(days=1)
    tuesday = today()
    assignments_assign(scope=Scope.system(), program=contact.program)
    call_log_save(scope=Scope.system(), assignment=_calls(contact, "d1_incharge", tuesday)[0], outcome=CallOutcome.REACHED,
                  position_score=5)
    return monday, tuesday


def test_state_figures_are_exact(two_days, contact, tree):
    monday, tuesday = two_days
    scope = scope_for_user(tree.users["state_admin"])
    figures = booth_contact_compliance(scope=scope, unit=tree["state"], start=monday, end=tuesday)
    assert {k: figures[k] for k in ("assigned", "called_same_day", "reached", "overdue", "pending")} == {
        "assigned": 12, "called_same_day": 4, "reached": 3, "overdue": 3, "pending": 5}
    assert figures["called_share"] == pytest.approx(4 / 12)
    days = compliance_by_day(scope=scope, unit=tree["state"], start=monday, end=tuesday)
    assert [(r.assigned, r.called_same_day, r.reached, r.overdue, r.pending) for r in days] == [
        (6, 3, 2, 3, 0), (6, 1, 1, 0, 5)]
    children = compliance_by_child(scope=scope, unit=tree["state"], start=monday, end=tuesday)
    assert [(r.unit, r.assigned) for r in children] == [(tree["div"], 12)]


def test_per_caller_figures_for_a_district(two_days, contact, tree):
    monday, tuesday = two_days
    scope = scope_for_user(contact.users["d1_incharge"])
    rows = compliance_by_caller(scope=scope, unit=tree["d1"], start=monday, end=tuesday)
    assert [(r.person, r.assigned, r.called_same_day, r.reached, r.overdue, r.pending) for r in rows] == [
        (contact.callers["d1_incharge"], 4, 3, 2, 0, 1)]
    state_rows = compliance_by_caller(scope=scope_for_user(tree.users["state_admin"]), unit=tree["state"],
                                      start=monday, end=tuesday)
    by_person = {r.person: (r.assigned, r.called_same_day, r.reached, r.overdue, r.pending) for r in state_rows}
    assert by_person == {contact.callers["d1_incharge"]: (4, 3, 2, 0, 1),
                         contact.callers["d2_incharge"]: (4, 1, 1, 1, 2),
                         contact.callers["state_secretary"]: (4, 0, 0, 2, 2)}


def test_a_district_cannot_read_another(two_days, contact, tree):
    monday, tuesday = two_days
    scope = scope_for_user(contact.users["d1_incharge"])
    with pytest.raises(NotFound):
        booth_contact_compliance(scope=scope, unit=tree["d2"], start=monday, end=tuesday)
    with pytest.raises(NotFound):
        booth_feedback(scope=scope, unit=tree["state"], start=monday, end=tuesday)


def test_feedback_and_booth_health(two_days, contact, tree):
    monday, tuesday = two_days
    scope = scope_for_user(tree.users["state_admin"])
    feedback = booth_feedback(scope=scope, unit=tree["state"], start=monday, end=tuesday)
    assert (feedback["calls"], feedback["reached"]) == (4, 3)
    assert feedback["scores"] == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert feedback["average_score"] == pytest.approx(11 / 3)
    assert [(code, n) for code, _label, n in feedback["needs"]] == [("material", 2), ("workers", 1)]
    assert {log.notes for log in feedback["notes"]} == {"झंडे चाहिए", "कार्यकर्ता कम"}
    health = list(booth_health(scope=scope, unit=tree["state"], program=contact.program))
    assert len(health) == 7  # every booth president given once in two days (12 calls, 7 presidents)
    reached = [s for s in health if s.last_reached_on]
    assert len(reached) == 3
    assert all(s.last_reached_on is None for s in health[:4])  # never reached first


def test_compliance_ignores_other_kinds_unless_asked(contact, tree):
    from sangathan.outreach.enums import CallKind
    from sangathan.outreach.services import call_task_create

    call_task_create(scope=Scope.system(), caller=contact.callers["d1_incharge"], target=contact.presidents["d1a2b1"],
                     kind=CallKind.VERIFICATION, day=today(), questions=["कितने घर?"], source="t:1")
    scope = scope_for_user(tree.users["state_admin"])
    end = today() + datetime.timedelta(days=1)
    assert booth_contact_compliance(scope=scope, unit=tree["state"], start=today(), end=end)["assigned"] == 0
    assert booth_contact_compliance(scope=scope, unit=tree["state"], start=today(), end=end,
                                    kind=CallKind.VERIFICATION)["assigned"] == 1
