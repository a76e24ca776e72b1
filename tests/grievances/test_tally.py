"""The open-grievance tally: every way a grievance changes keeps it equal to a recount, and the homes'
counts read from it equal counting the grievances the actor sees."""

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.aggregates import part_sql, read_together
from sangathan.core.tree import subtrees_q
from sangathan.grievances.enums import OPEN_STATUSES, AssignmentRole, GrievanceKind, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceHolderTally, GrievanceTally
from sangathan.grievances.policies import grievance_scope
from sangathan.grievances.selectors import (
    grievance_today_counts,
    grievance_today_counts_query,
    grievances_visible,
)
from sangathan.grievances.services import (
    grievance_confirm,
    grievance_escalate,
    grievance_forward,
    grievance_resolve,
    grievance_resume,
    grievance_wait_for_complainant,
    grievances_chase_external,
    grievances_escalate_overdue,
)
from sangathan.grievances.tally import NO_CLOCK, slot_of, tally_refresh
from tests.grievances.helpers import take
from tests.grievances.test_policy import staff_with_grant
from tests.plans import sql_plan_nodes

pytestmark = pytest.mark.django_db


def _rows() -> set[tuple[str, int, int]]:
    return set(GrievanceTally.objects.exclude(open_count=0).values_list("path", "slot", "open_count"))


def _copies() -> set[tuple]:
    return set(GrievanceAssignment.objects.filter(ended_at__isnull=True).values_list(
        "pk", "grievance_status", "grievance_due_at", "names_person"))


def _holders() -> set[tuple[int, int, int]]:
    return set(GrievanceHolderTally.objects.values_list("person_id", "slot", "open_count"))


def assert_tally_is_a_recount() -> None:
    """The tally equals a recount, every active assignment carries its grievance's status, due time and
    recusal (the home's "mine" reads those copies), and on PostgreSQL the holder tally its triggers keep equals
    a recount of the copies, with no row left at zero."""
    kept, copied, held = _rows(), _copies(), _holders()
    assert copied == {(a.pk, a.grievance.status, a.grievance.due_at, a.grievance.named_person_id == a.person_id)
                      for a in GrievanceAssignment.objects.filter(ended_at__isnull=True).select_related("grievance")}
    tally_refresh()
    assert kept == _rows() and copied == _copies()
    assert held == _holders()
    assert not GrievanceHolderTally.objects.filter(open_count__lte=0).exists()
    if connection.vendor == "postgresql":
        expected: Counter = Counter()
        for person_id, status, due in GrievanceAssignment.objects.filter(
                ended_at__isnull=True, role=AssignmentRole.ASSIGNEE, names_person=False,
                grievance_status__in=OPEN_STATUSES).values_list("person_id", "grievance_status", "grievance_due_at"):
            expected[(person_id, slot_of(due) if status == GrievanceStatus.OPEN and due else NO_CLOCK)] += 1
        assert held == {(person_id, slot, n) for (person_id, slot), n in expected.items()}


def test_every_change_of_a_grievance_keeps_the_tally_equal_to_a_recount(cell, clock):
    convener = scope_for_user(cell["district_convener"])
    organizational = take(cell, subject="बैठक की सूचना", mobile="9826011111")
    administrative = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["revenue"],
                          subject="नामांतरण लंबित", mobile="9826022222")
    waiting = take(cell, subject="राशन कार्ड", mobile="9826033333", unit="d2a1b1", actor="district2_convener")
    assert _rows() and {path for path, _slot, _count in _rows()} >= {cell.tree["state"].path, cell.tree["d1"].path}
    assert_tally_is_a_recount()

    grievance_forward(scope=convener, grievance=administrative, office="तहसील", reference="181-1")  # clock paused
    assert_tally_is_a_recount()
    waiting = grievance_wait_for_complainant(scope=scope_for_user(cell["district2_convener"]), grievance=waiting,
                                             question="कार्ड की प्रति लाएँ")
    assert_tally_is_a_recount()
    grievance_resume(scope=scope_for_user(cell["district2_convener"]), grievance=waiting)
    assert_tally_is_a_recount()
    escalated = grievance_escalate(scope=convener, grievance=organizational, reason="जिले में हल नहीं")
    assert_tally_is_a_recount()
    resolved = grievance_resolve(scope=scope_for_user(cell["state_convener"]), grievance=escalated, note="हल हुआ")
    assert_tally_is_a_recount()
    grievance_confirm(scope=Scope.system(), grievance=resolved, satisfied=False, channel="sms")  # reopened
    assert_tally_is_a_recount()

    # Watchers stay on through the sweep: their copies take the state's new due time.
    watching = cell["state_convener"].person_id
    for grievance in Grievance.objects.filter(status=GrievanceStatus.OPEN):
        GrievanceAssignment.objects.create(grievance=grievance, person_id=watching, role=AssignmentRole.WATCHER,
                                           level=grievance.level)
    assert_tally_is_a_recount()
    clock.advance(days=10)  # the district's clock runs out: the sweep moves them to the state
    assert grievances_escalate_overdue(scope=Scope.system()) == 1
    assert_tally_is_a_recount()
    # (the oracle above compared every watcher's copy with its grievance; one of them was swept)
    assert GrievanceAssignment.objects.filter(role=AssignmentRole.WATCHER, ended_at__isnull=True,
                                              grievance__escalated_at__isnull=False).exists()
    clock.advance(days=25)  # the department's limit too
    assert grievances_chase_external(scope=Scope.system()) == 1
    assert_tally_is_a_recount()

    # A grievance read with its status deferred still leaves the slot it was counted in.
    partial = Grievance.objects.defer("status", "due_at").get(pk=waiting.pk)
    partial.status = GrievanceStatus.CLOSED
    partial.save()
    assert_tally_is_a_recount()
    Grievance.objects.get(pk=administrative.pk).delete()
    assert_tally_is_a_recount()
    assert not GrievanceTally.objects.filter(open_count=0).exists()  # rows that fall to nothing go


def test_a_paused_clock_is_counted_open_and_never_overdue(cell, clock):
    grievance = take(cell, kind=GrievanceKind.ADMINISTRATIVE, department=cell.departments["revenue"])
    state = cell.tree["state"].path
    assert GrievanceTally.objects.get(path=state).slot == slot_of(grievance.due_at)
    grievance_forward(scope=scope_for_user(cell["district_convener"]), grievance=grievance, office="तहसील",
                      reference="181-2")
    assert list(GrievanceTally.objects.filter(path=state).values_list("slot", "open_count")) == [(NO_CLOCK, 1)]


def _exact(scope, *, now, day_end) -> dict:
    """The counts from the grievances one by one: what ``grievances_visible`` gives, the area being the reach."""
    visible = grievances_visible(scope).filter(status__in=OPEN_STATUSES)
    narrowed = grievance_scope(scope)
    area = visible if narrowed.sees_all else visible.filter(subtrees_q("unit_path", narrowed.read_paths))
    mine = visible.filter(pk__in=GrievanceAssignment.objects.filter(person_id=scope.person_id or 0,
                                                                    ended_at__isnull=True).values("grievance_id"))
    overdue = {"status": GrievanceStatus.OPEN, "due_at__lt": now}
    return {"mine": mine.count(), "mine_overdue": mine.filter(**overdue).count(),
            "mine_due_today": mine.filter(status=GrievanceStatus.OPEN, due_at__gte=now, due_at__lt=day_end).count(),
            "area_open": area.count(), "area_overdue": area.filter(**overdue).count()}


def _plant(cell, code: str, unit: str, *, due: datetime | None, status=GrievanceStatus.OPEN, named=None,
           assignee=None) -> Grievance:
    unit = cell.tree[unit]
    grievance = Grievance.objects.create(
        tracking_code=code, unit=unit, unit_path=unit.path,
        district=cell.tree["d2"] if unit.path.startswith(cell.tree["d2"].path) else cell.tree["d1"],
        kind="organizational", channel="district_office", subject=code, complainant_name="शिकायतकर्ता",
        complainant_mobile="+919999911111", status=status, due_at=due, named_person=named)
    if assignee is not None:
        GrievanceAssignment.objects.create(grievance=grievance, person=assignee, level="district")
    return grievance


def test_the_homes_counts_from_the_tally_equal_counting_what_each_actor_sees(cell, clock):
    clock.set(datetime(2026, 2, 2, 10, 7, tzinfo=UTC))
    now = timezone.now()
    president = cell.people["district_president"]  # d1's president: reach d1, named in one, assigned in d2
    _plant(cell, "G-OLD", "d1a1b1", due=now - timedelta(days=2))
    just = _plant(cell, "G-JUST", "d1a1b1", due=now - timedelta(minutes=2))  # overdue in the current quarter hour
    _plant(cell, "G-SOON", "d1a1b1", due=now + timedelta(minutes=3))  # the same quarter hour, not yet due
    today = _plant(cell, "G-TODAY", "d1a2b1", due=now + timedelta(hours=3), assignee=president)
    _plant(cell, "G-LATE-MINE", "d1a1b1", due=now - timedelta(hours=1), assignee=president)
    _plant(cell, "G-JUST-MINE", "d1a1b1", due=now - timedelta(minutes=4), assignee=president)
    _plant(cell, "G-SOON-MINE", "d1a1b1", due=now + timedelta(minutes=5), assignee=president)
    _plant(cell, "G-MID-MINE", "d1a1b1", due=now + timedelta(hours=13, minutes=55), assignee=president)
    _plant(cell, "G-TMRW-MINE", "d1a1b1", due=now + timedelta(hours=14, minutes=5), assignee=president)
    _plant(cell, "G-PAUSED", "d1a1b1", due=None, status=GrievanceStatus.FORWARDED)
    _plant(cell, "G-CLOSED", "d1a1b1", due=now - timedelta(days=1), status=GrievanceStatus.CLOSED)
    _plant(cell, "G-NAMED", "d1a1b1", due=now - timedelta(days=1), named=president, assignee=president)
    _plant(cell, "G-D2-MINE", "d2a1b1", due=now - timedelta(days=1), assignee=president)
    _plant(cell, "G-D2", "d2a1b1", due=now - timedelta(days=3))
    _plant(cell, "G-STATE", "state", due=now - timedelta(days=3))
    # Watching: one they also hold (counted once), one they only watch (overdue in the current quarter hour).
    for grievance in (today, just):
        GrievanceAssignment.objects.create(grievance=grievance, person=president, role=AssignmentRole.WATCHER,
                                           level="district")
    actors = [scope_for_user(cell[key]) for key in ("district_president", "district_convener", "district2_convener",
                                                      "state_convener", "district_incharge", "mandal_president")]
    actors.append(scope_for_user(staff_with_grant(cell, "d1a1")))  # a root deeper than the tally's
    actors.append(scope_for_user(staff_with_grant(cell, "d1a2")))
    # The end of the day as the home gives it (midnight, on a quarter hour), off a quarter hour, and in the
    # current quarter hour.
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    for day_end in (midnight, now + timedelta(hours=14), now + timedelta(minutes=6), now - timedelta(hours=1)):
        seen = []
        for scope in actors:
            counts = grievance_today_counts(scope, now=now, day_end=day_end)
            exact = _exact(scope, now=now, day_end=day_end)
            if counts is None:
                assert not exact["mine"]
                continue
            assert {name: counts[name] for name in exact} == exact, (scope.person_id, day_end, counts, exact)
            seen.append(exact)
        # The planted cases are really exercised: the president's own (one outside the district), the
        # recusal, the quarter hours, the watching.
        assert seen[0]["mine"] == 8 and seen[0]["mine_overdue"] == 4
        hours = round((day_end - now).total_seconds() / 3600)
        assert day_end == midnight or seen[0]["mine_due_today"] == {14: 3, 0: 1, -1: 0}[hours]
        assert any(exact["area_open"] == 14 for exact in seen)  # the state cell: everything open


def test_the_homes_counts_are_one_statement_with_the_other_parts(cell, clock, django_assert_num_queries):
    take(cell)
    scope = scope_for_user(cell["district_president"])
    now = timezone.now()
    query = grievance_today_counts_query(scope, now=now, day_end=now + timedelta(hours=12))
    with django_assert_num_queries(1):
        assert read_together([query])[0]["area_open"] == 1


@pytest.mark.postgres
def test_the_homes_counts_read_no_grievance_table_scan_however_many_are_open(cell, is_postgres):
    """Thousands of open grievances in the reach: the counts read tally rows and index ranges only."""
    if not is_postgres:
        pytest.skip("PostgreSQL plan")
    unit = cell.tree["d1a1b1"]
    now = timezone.now()
    Grievance.objects.bulk_create([Grievance(
        tracking_code=f"G-{n:06d}", unit=unit, unit_path=unit.path, district=cell.tree["d1"], kind="organizational",
        channel="district_office", subject="भार", complainant_name="क", complainant_mobile=f"+91700{n:07d}",
        due_at=now + timedelta(hours=n % 300 - 100)) for n in range(20_000)])
    # One in a hundred to the president, the rest to someone else: their range is a sliver of the index.
    president, other = cell["district_president"].person_id, cell["state_convener"].person_id
    GrievanceAssignment.objects.bulk_create([
        GrievanceAssignment(grievance=g, person_id=president if g.pk % 100 == 0 else other, level="district")
        for g in Grievance.objects.filter(tracking_code__startswith="G-0")])
    tally_refresh()  # also copies the grievances' status and due time onto the bulk-written assignments

    def counts_of(key):
        return grievance_today_counts(scope_for_user(cell[key]), now=now, day_end=now + timedelta(hours=12))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE grievances_grievance")
        cursor.execute("ANALYZE grievances_grievancetally")
        cursor.execute("ANALYZE grievances_grievanceassignment")
    for key in ("district_president", "district_convener", "state_convener"):
        query = grievance_today_counts_query(scope_for_user(cell[key]), now=now, day_end=now + timedelta(hours=12))
        selects, params = [], []
        for queryset, _names in query.parts:
            sql, part = part_sql(queryset)
            selects.append(f"({sql}) AS c{len(selects)}")
            params.extend(part)
        nodes = sql_plan_nodes("SELECT * FROM " + " CROSS JOIN ".join(selects), params)  # noqa: S608
        scans = {(node["Node Type"], node.get("Relation Name")) for node in nodes}
        assert ("Seq Scan", "grievances_grievance") not in scans, (key, scans)
        # The reader's own: the holder tally, the quarter hours' grievances and the watched rows; for the one
        # holding 19,800 (a small holder's range may be cheaper to read), never a range of all they hold.
        indexes = {node.get("Index Name") for node in nodes}
        if key == "state_convener":
            assert "grv_assignment_person" not in indexes, (key, nodes)
        assert ("Seq Scan", "grievances_grievanceassignment") not in scans, (key, scans)
        assert "grv_holder_tally_person_slot" in indexes and "grv_assignment_watching" in indexes, (key, indexes)
        if key == "district_president":
            assert counts_of(key)["mine"] == 200
        counts = grievance_today_counts(scope_for_user(cell[key]), now=now, day_end=now + timedelta(hours=12))
        assert counts["area_open"] == 20_000


def test_a_refresh_recopies_assignments_gone_wrong(cell):
    """A plain-SQL write leaves the copies behind; ``tally_refresh`` (nightly, and the command) puts them
    right, and the home's own counts follow."""
    grievance = take(cell, subject="सड़क", mobile="9826044444")
    active = GrievanceAssignment.objects.filter(grievance=grievance, ended_at__isnull=True)
    assert active.exists()
    active.update(grievance_status=GrievanceStatus.RESOLVED, grievance_due_at=None, names_person=True)
    assert tally_refresh() >= 0
    assert set(active.values_list("grievance_status", "grievance_due_at", "names_person")) == {
        (grievance.status, grievance.due_at, False)}


def test_the_command_recounts_a_tally_gone_wrong(cell, capsys):
    from django.core.management import call_command

    take(cell)
    right = _rows()
    GrievanceTally.objects.update(open_count=7)
    GrievanceTally.objects.create(path="ZZZZ", slot=1, open_count=3)
    call_command("grievances", "tally")
    assert "open-grievance tally recounted: 3 row(s)" in capsys.readouterr().out
    assert _rows() == right


def test_a_grievance_refreshed_after_another_change_still_moves_from_where_the_tally_has_it(cell):
    held = take(cell)
    elsewhere = Grievance.objects.get(pk=held.pk)
    elsewhere.status = GrievanceStatus.FORWARDED
    elsewhere.due_at = None
    elsewhere.save()
    held.refresh_from_db()
    held.status = GrievanceStatus.CLOSED
    held.save()
    assert_tally_is_a_recount()
    assert not _rows()


def test_a_merge_recopies_whether_the_survivors_grievances_name_them(cell):
    """A merge moves assignments and named persons with plain updates; the survivor's copies follow at once
    (``person_merged``), not at the nightly refresh: a grievance naming the merged record now names the
    survivor who handles it, and one the merged record handled names the survivor too."""
    from sangathan.people.merge import person_merge
    from tests.factories import PersonFactory

    survivor = PersonFactory(unit=cell.tree["d1a1b1"])
    merged = PersonFactory(unit=cell.tree["d1a1b1"])
    names_merged = _plant(cell, "TM-1", "d1a1b1", due=None, named=merged, assignee=survivor)
    names_survivor = _plant(cell, "TM-2", "d1a1b1", due=None, named=survivor, assignee=merged)
    assert not GrievanceAssignment.objects.filter(person__in=[survivor, merged], names_person=True).exists()
    person_merge(scope=Scope.system(), survivor=survivor, merged=merged)
    held = GrievanceAssignment.objects.filter(person=survivor, ended_at__isnull=True)
    assert dict(held.values_list("grievance_id", "names_person")) == {names_merged.pk: True,
                                                                       names_survivor.pk: True}
    assert_tally_is_a_recount()
