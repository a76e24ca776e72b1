"""Planning a chunk while the one before it is written (``imports.pipeline``) ends exactly as applying the
chunks one after the other, also when rows of neighbouring chunks name the same people."""

import os

import pytest
from django.db import connection
from django.utils.translation import gettext

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError
from sangathan.people.imports import apply as imports_apply
from sangathan.people.imports import jobs as import_jobs
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.imports.pipeline import plans_ahead
from sangathan.people.models import ImportJob, ImportRowError, Person, PersonHistory, UnitHeadcount
from sangathan.people.services import headcounts_refresh
from tests.people.import_files import mobile, person_row, write_csv
from tests.people.test_import import importer_scope

pytestmark = pytest.mark.django_db(transaction=True)  # planning ahead needs committed chunks
CHUNK = 10
FIRST = 5_000  # the file's new mobile numbers: 97000050xx (the tree's people have 90000000xx)
JOB_OCCUPATION, JOB_EDUCATION = "बढ़ई", "स्नातकोत्तर"


def rows_across_chunks(tree) -> list[list]:
    """Forty rows in chunks of ten; rows 12–15 (the second chunk) name people the first chunk writes."""
    booth, other = tree["d1a1b1"].code, tree["d1a1b2"].code
    a, b = tree.people["d1a1b1p0"], tree.people["d1a1b1p1"]
    rows = [person_row(name=f"नया सदस्य {n}", mobile=mobile(FIRST + n), unit=booth) for n in range(40)]
    rows[2] = person_row(name=a.name, mobile=a.mobile[-10:], unit=booth, occupation=JOB_OCCUPATION)
    rows[3] = person_row(name=b.name, mobile=mobile(FIRST + 99), membership_no=b.membership_no, unit=other)
    rows[12] = person_row(name="दोबारा", mobile=mobile(FIRST + 5), unit=booth)  # repeats row 5, a new person
    rows[13] = person_row(name=a.name, mobile=a.mobile[-10:], unit=booth, education=JOB_EDUCATION)  # a again
    rows[14] = person_row(name="पुराना नंबर", mobile=b.mobile[-10:], unit=booth)  # b's old mobile: free by now
    rows[15] = person_row(name=b.name, mobile=mobile(FIRST + 99), unit=other, occupation=JOB_OCCUPATION)  # b again
    return rows


@pytest.mark.parametrize("ahead", [False, True], ids=["one-after-another", "planned-ahead"])
def test_rows_naming_people_of_the_chunk_before_see_what_it_wrote(tree, tmp_path, monkeypatch, ahead):
    if ahead and connection.vendor != "postgresql":
        pytest.skip("chunks are planned ahead on PostgreSQL only")
    held = []
    settle = imports_apply.ChunkApplier.settle

    def counting_settle(self, plan):
        held.append(len(plan.held))
        return settle(self, plan)

    monkeypatch.setattr(imports_apply.ChunkApplier, "settle", counting_settle)
    monkeypatch.setattr(import_jobs, "plans_ahead", lambda rows, size: ahead)
    a, b = tree.people["d1a1b1p0"], tree.people["d1a1b1p1"]
    old_mobile = b.mobile
    path = write_csv(tmp_path / "people.csv", rows_across_chunks(tree))
    scope = importer_scope(None)
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=CHUNK)

    assert [job.status, job.created, job.updated, job.rejected] == [ImportJob.Status.DONE, 35, 4, 1]
    errors = list(ImportRowError.objects.filter(job=job).values_list("line", "reasons"))
    assert [line for line, _reasons in errors] == [14]  # row 12 repeats row 5
    assert gettext("Same person as an earlier row of this file.") in errors[0][1][0]
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.occupation, a.education) == (JOB_OCCUPATION, JOB_EDUCATION)
    assert (b.occupation, b.mobile, b.unit_id) == (JOB_OCCUPATION, "+91" + mobile(FIRST + 99), tree["d1a1b2"].pk)
    assert Person.objects.get(mobile=old_mobile).name == "पुराना नंबर"
    assert PersonHistory.objects.filter(person__in=[a, b], action=PersonHistory.Action.UPDATED).count() == 4
    assert PersonHistory.objects.filter(person__created_at=job.created_at).count() == 35
    counted = dict(UnitHeadcount.objects.values_list("unit_id", "people"))
    headcounts_refresh(scope=Scope.system())
    assert dict(UnitHeadcount.objects.values_list("unit_id", "people")) == counted
    if ahead:
        assert held == [0, 4, 0, 0]  # the second chunk's rows 12–15 waited for the first chunk's commit


@pytest.mark.django_db
def test_chunks_are_not_planned_ahead_inside_a_transaction():
    assert plans_ahead(100, 10) is False  # a test's transaction is open (and SQLite never plans ahead)


def planned_ahead_import(tree, tmp_path, monkeypatch, rows: int = 30):
    """A planned-ahead import of ``rows`` new people in chunks of ``CHUNK``: (scope, job, path)."""
    monkeypatch.setattr(import_jobs, "plans_ahead", lambda rows, size: True)
    booth = tree["d1a1b1"].code
    path = write_csv(tmp_path / "people.csv", [person_row(name=f"सदस्य {n}", mobile=mobile(FIRST + n), unit=booth)
                                               for n in range(rows)])
    scope = importer_scope(None)
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    return scope, job, path


def failing_on_chunk(monkeypatch, chunk: int, fail) -> None:
    """``ChunkApplier.write`` calls ``fail`` at the ``chunk``th chunk (counted in the writer process)."""
    write, written = imports_apply.ChunkApplier.write, []

    def failing_write(self, plan):
        written.append(plan)
        if len(written) == chunk:
            fail()
        return write(self, plan)

    monkeypatch.setattr(imports_apply.ChunkApplier, "write", failing_write)


def test_an_error_in_the_writer_process_reaches_the_importer_and_the_run_resumes(tree, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("chunks are planned ahead on PostgreSQL only")
    scope, job, path = planned_ahead_import(tree, tmp_path, monkeypatch)

    def fail():
        raise DomainError("disk on fire", code="busy")

    failing_on_chunk(monkeypatch, 2, fail)
    with pytest.raises(DomainError, match="disk on fire") as raised:
        import_run(scope=scope, job=job, path=str(path), chunk_size=CHUNK)
    assert raised.value.code == "busy"
    assert any("writer process" in note for note in raised.value.__notes__)  # where it happened, for the log
    job.refresh_from_db()
    assert (job.checkpoint, job.created) == (CHUNK, CHUNK)  # the first chunk committed, the second not
    assert Person.objects.filter(created_at=job.created_at).count() == CHUNK

    monkeypatch.undo()
    monkeypatch.setattr(import_jobs, "plans_ahead", lambda rows, size: True)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=CHUNK)
    assert (job.status, job.checkpoint, job.created) == (ImportJob.Status.DONE, 30, 30)
    assert Person.objects.filter(created_at=job.created_at).count() == 30
    assert PersonHistory.objects.filter(person__created_at=job.created_at).count() == 30


def test_a_writer_process_that_dies_stops_the_import_with_a_clear_error(tree, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("chunks are planned ahead on PostgreSQL only")
    scope, job, path = planned_ahead_import(tree, tmp_path, monkeypatch)
    failing_on_chunk(monkeypatch, 3, lambda: os._exit(3))
    with pytest.raises(DomainError) as raised:
        import_run(scope=scope, job=job, path=str(path), chunk_size=CHUNK)
    assert raised.value.code == "busy"
    job.refresh_from_db()
    assert (job.checkpoint, job.created) == (2 * CHUNK, 2 * CHUNK)
    assert Person.objects.filter(created_at=job.created_at).count() == 2 * CHUNK


def test_a_generated_number_taken_is_suffixed_by_the_writer_process(tree, tmp_path, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("chunks are planned ahead on PostgreSQL only")
    holder = tree.people["d1a1b1p0"]
    Person.objects.filter(pk=holder.pk).update(membership_no="TAKEN-1")
    made = []  # in the writer process, which numbers every new person

    def number(prefix, person_id):
        made.append(person_id)
        return "TAKEN-1" if len(made) == CHUNK + 1 else f"GEN-{person_id}"  # the second chunk's first person

    monkeypatch.setattr(imports_apply, "membership_number", number)
    scope, job, path = planned_ahead_import(tree, tmp_path, monkeypatch)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=CHUNK)
    assert (job.status, job.created, job.rejected) == (ImportJob.Status.DONE, 30, 0)
    suffixed = Person.objects.get(created_at=job.created_at, membership_no="TAKEN-1/2")
    assert suffixed.name == f"सदस्य {CHUNK}"  # the second chunk's first row
    assert Person.objects.get(pk=holder.pk).membership_no == "TAKEN-1"
    assert Person.objects.filter(created_at=job.created_at, membership_no__startswith="GEN-").count() == 29
