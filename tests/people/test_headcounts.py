"""Every unit's headcount is kept current by the writers and recounted exactly by the refresh; pages read it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sangathan.access.scope import Scope, scope_for_user
from sangathan.org.models import Unit
from sangathan.org.services import unit_booths_recount, unit_create
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.merge import person_merge
from sangathan.people.models import ImportJob, PendingHeadcount, Person, UnitHeadcount
from sangathan.people.selectors import unit_children_with_counts, unit_headcount, units_with_counts
from sangathan.people.services import headcount_add, headcounts_refresh, person_create, person_update
from sangathan.people.services.headcounts import headcounts_fold, headcounts_pend
from tests.factories import PersonFactory
from tests.people.import_files import person_row, write_csv

pytestmark = pytest.mark.django_db


def live(unit) -> int:
    return Person.objects.filter(unit_path__startswith=unit.path).count()


def assert_exact(tree) -> None:
    counts = dict(UnitHeadcount.objects.values_list("unit__code", "people"))
    for unit in tree.units.values():
        assert counts.get(unit.code, 0) == live(unit), unit.code


def test_refresh_counts_every_subtree_exactly(tree):
    UnitHeadcount.objects.all().delete()
    written = headcounts_refresh(scope=Scope.system())
    assert written == UnitHeadcount.objects.count()
    assert_exact(tree)


def test_creating_moving_and_merging_people_keep_every_ancestor_current(tree):
    newcomer = person_create(scope=Scope.system(), name="नया कार्यकर्ता", mobile="9826012345", unit=tree["d1a1b1"])
    assert_exact(tree)
    person_update(scope=Scope.system(), person=newcomer, unit=tree["d2a2b2"], reason="moved")
    assert_exact(tree)
    other = PersonFactory(unit=tree["d1a1b2"])
    person_merge(scope=Scope.system(), survivor=newcomer, merged=other, field_choices={"unit": "merged"})
    assert_exact(tree)


def test_import_adds_its_new_people_and_moves(tree, tmp_path):
    moved = tree.people["d1a1b1p0"]
    path = write_csv(tmp_path / "p.csv", [
        person_row(name="पहला नाम", mobile="9826011111", unit=tree["d2a1b1"].code),
        person_row(name=moved.name, mobile=moved.mobile, unit=tree["d2a2b2"].code),
    ])
    scope = Scope.system(channel="cli")
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name, on_match="update")
    job = import_run(scope=scope, job=job, path=str(path))
    assert (job.created, job.updated) == (1, 1)
    assert_exact(tree)


def test_an_import_adds_its_changes_every_few_chunks_and_at_its_end(tree, tmp_path, monkeypatch):
    """Chunks keep their changes as pending rows (committed with them); every ``FOLD_CHUNKS`` chunks once
    ``FOLD_SECONDS`` have passed, and at the end, they are added to the headcounts and dropped."""
    from sangathan.people.imports import apply as imports_apply

    monkeypatch.setattr(imports_apply, "FOLD_CHUNKS", 3)
    monkeypatch.setattr(imports_apply, "FOLD_SECONDS", 0)
    booths = [tree[key] for key in ("d1a1b1", "d1a2b2", "d2a1b1")]
    path = write_csv(tmp_path / "p.csv", [person_row(name=f"सदस्य {n}", mobile=f"98260{n:05d}",
                                                     unit=booths[n % 3].code) for n in range(8)])
    seen = []
    fold = imports_apply.headcounts_fold

    def watching_fold(job_id, **kwargs):
        seen.append((PendingHeadcount.objects.filter(job_id=job_id).count(),
                     UnitHeadcount.objects.get(unit=tree["state"]).people, live(tree["state"])))
        return fold(job_id, **kwargs)

    monkeypatch.setattr(imports_apply, "headcounts_fold", watching_fold)
    state_before = UnitHeadcount.objects.get(unit=tree["state"]).people
    scope = Scope.system(channel="cli")
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=2)
    assert job.created == 8
    # After the third chunk: a row per booth and chunk (2 rows a chunk, in two booths), the six people
    # committed but not yet counted; the last two chunks are added by the job's end.
    assert seen == [(6, state_before, state_before + 6)]
    assert not PendingHeadcount.objects.exists()
    assert_exact(tree)


def test_a_fast_import_folds_only_once_the_seconds_have_passed(tree, tmp_path, monkeypatch):
    from sangathan.people.imports import apply as imports_apply

    monkeypatch.setattr(imports_apply, "FOLD_CHUNKS", 1)
    monkeypatch.setattr(imports_apply, "FOLD_SECONDS", 3600)
    folds = []
    fold = imports_apply.headcounts_fold
    monkeypatch.setattr(imports_apply, "headcounts_fold", lambda job_id, **kwargs: folds.append(job_id) or
                        fold(job_id, **kwargs))
    path = write_csv(tmp_path / "p.csv", [person_row(name=f"सदस्य {n}", mobile=f"98261{n:05d}",
                                                     unit=tree["d1a1b1"].code) for n in range(6)])
    scope = Scope.system(channel="cli")
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=2)
    assert (job.created, folds) == (6, [])  # three chunks within the hour: only the job's end added them
    assert not PendingHeadcount.objects.exists()
    assert_exact(tree)


def test_refresh_drops_pending_changes_whose_people_it_counted(tree):
    job = ImportJob.objects.create(file_name="p.csv", file_hash="0" * 64)
    PersonFactory(unit=tree["d1a1b1"])  # committed by an import chunk, say, with its pending change:
    headcounts_pend(job.pk, {tree["d1a1b1"].path: 1})
    headcounts_refresh(scope=Scope.system())
    assert not PendingHeadcount.objects.exists()
    assert_exact(tree)
    assert headcounts_fold(job.pk) == 0  # nothing left to add twice
    assert_exact(tree)


def test_changes_add_up_whatever_their_order(tree):
    state = tree["state"]
    before = unit_headcount(state, Scope.system()).people
    headcount_add({tree["d1a1b1"].path: 2, tree["d2a2b2"].path: -1})
    headcount_add({tree["d1a1b1"].path: -2, tree["d2a2b2"].path: 1})
    assert unit_headcount(state, Scope.system()).people == before
    assert_exact(tree)


def test_headcount_never_answers_outside_the_scope(tree):
    scope = scope_for_user(tree.users["booth_president"])
    assert unit_headcount(tree["d2"], scope).people == 0


def test_children_and_roots_come_with_people_and_booths(tree):
    scope = scope_for_user(tree.users["state_admin"])
    children = {row.unit.code: (row.people, row.booths) for row in unit_children_with_counts(tree["div"], scope)}
    assert children == {code: (live(tree[key]), 4) for key, code in (("d1", "D1"), ("d2", "D2"))}
    [root] = units_with_counts([tree["state"]], scope)
    assert (root.people, root.booths) == (live(tree["state"]), 8)


def test_a_new_booth_counts_under_every_ancestor(tree):
    booth = unit_create(scope=Scope.system(), parent=tree["d1a1b1"].parent, level="booth", code="NEWB",
                        name_hi="नया बूथ")
    counts = dict(Unit.objects.values_list("code", "booth_count"))
    assert counts["NEWB"] == 1 and counts[tree["state"].code] == 9 and counts[tree["d2"].code] == 4
    assert booth.booth_count == 1
    assert unit_booths_recount(scope=Scope.system()) == 0  # already exact


def test_booth_recount_repairs_a_wrong_count(tree):
    Unit.objects.filter(pk=tree["d1"].pk).update(booth_count=40)
    Unit.objects.filter(pk=tree["d1a1b1"].pk).update(booth_count=0)
    assert unit_booths_recount(scope=Scope.system()) == 2
    assert Unit.objects.get(pk=tree["d1"].pk).booth_count == 4


def test_counts_cost_the_same_queries_whatever_the_number_of_children_and_people(tree):
    scope = scope_for_user(tree.users["state_admin"])
    kendra = tree["d1a1b1"].parent

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            unit_children_with_counts(kendra, scope)
            unit_headcount(kendra, scope)
        return len(context.captured_queries)

    before = queries()
    for number in range(5):
        booth = unit_create(scope=Scope.system(), parent=kendra, level="booth", code=f"MORE{number}",
                            name_hi="और बूथ")
        PersonFactory(unit=booth)
    assert queries() == before == 2
