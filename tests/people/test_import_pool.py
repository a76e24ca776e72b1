"""Checking rows in worker processes (``imports.checking``) gives what checking in this process gives."""

import random

import pytest
from django.utils import timezone

from sangathan.people.imports import checking
from sangathan.people.imports.columns import map_header
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.imports.reader import open_sheet
from sangathan.people.imports.rows import RowChecker
from sangathan.people.models import ImportJob, ImportRowError, Person, PersonHistory
from tests.people.import_files import person_row, write_csv
from tests.people.test_import import importer_scope, mobile, planted_faults, tags  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


def people_rows(tree, existing, outsider, *, first: int) -> list[list]:
    booths = [tree[key].code for key in ("d1a1b1", "d1a1b2", "d1a2b1", "d1a2b2")]
    rows = [person_row(name=random.Random(i).choice(["राम कुमार", "सीता देवी", "Mohan Lal Khandelwal"]),
                       mobile=mobile(first + i), unit=booths[i % 4], gender="f" if i % 2 else "m",
                       birth_year=str(1960 + i % 40), tags="computer" if i % 7 == 0 else "",
                       consent="form" if i % 3 == 0 else "")
            for i in range(250)]
    for index, (_column, fault) in enumerate(planted_faults(tree, existing, outsider)):
        rows.insert(5 * index + 3, fault)
    return rows


def outcome(job: ImportJob) -> dict:
    """What a run left, by line of the file: errors, and the people it created (without ids and numbers)."""
    people = Person.objects.filter(created_at=job.created_at).order_by("mobile")
    return {
        "counts": [job.created, job.updated, job.unchanged, job.skipped, job.flagged, job.rejected, job.status],
        "errors": list(ImportRowError.objects.filter(job=job).order_by("line").values_list("line", "reasons")),
        "people": list(people.values_list("name", "name_latin", "name_key", "mobile", "unit_id", "gender",
                                          "birth_year", "consent_method")),
        "history": PersonHistory.objects.filter(person__in=people).count(),
    }


def test_the_pool_gives_the_rows_and_errors_of_the_serial_path(tree, tags, tmp_path):  # noqa: F811
    existing, outsider = tree.people["d1a1b1p0"], tree.people["d2a1b1p0"]
    importer = tree.users["district_president"]
    scope = importer_scope(importer)
    outcomes = []
    for workers, first in ((0, 1), (2, 1)):
        # The same rows (the same mobiles: the first run's people are removed before the second).
        path = write_csv(tmp_path / f"people-{workers}.csv", people_rows(tree, existing, outsider, first=first)
                         + [["x"] * (workers + 1)])  # files differ in their last (bad) row only
        job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
        job = import_run(scope=scope, job=job, path=str(path), chunk_size=60, workers=workers)
        result = outcome(job)
        result["errors"] = result["errors"][:-1]  # the differing last row
        result["counts"][5] -= 1
        outcomes.append(result)
        PersonHistory.objects.filter(person__created_at=job.created_at).delete()
        Person.tags.through.objects.filter(person__created_at=job.created_at).delete()
        Person.objects.filter(created_at=job.created_at).delete()
    serial, pooled = outcomes
    assert serial["counts"][0] >= 250 and serial["counts"][5] >= 45  # a few planted faults need the others
    assert len(serial["errors"]) == serial["counts"][5] and serial["history"] == serial["counts"][0]
    assert pooled == serial


def test_the_pool_checks_chunks_in_file_order(tree, tags, tmp_path):  # noqa: F811
    existing, outsider = tree.people["d1a1b1p0"], tree.people["d2a1b1p0"]
    path = write_csv(tmp_path / "people.csv", people_rows(tree, existing, outsider, first=1))
    sheet = open_sheet(str(path))
    positions, _problem = map_header(sheet.header)
    checker = RowChecker(positions=positions, header=sheet.header, tags={}, now=timezone.now())
    try:
        chunks = list(checking.checked_chunks(sheet.rows, checker, chunk_size=70, workers=2))
    finally:
        sheet.close()
    lines = [row.line for _size, chunk in chunks for row, _errors in chunk]
    assert [size for size, _chunk in chunks] == [70, 70, 70, 70, 20]
    assert lines == list(range(2, 302))


def test_a_file_problem_after_good_chunks_is_raised_after_them(tree, tmp_path):
    """Reading ahead, the pool meets a broken line early; the chunks before it still come first."""
    path = write_csv(tmp_path / "people.csv", [person_row(name="राम", mobile=mobile(n), unit=tree["d1a1b1"].code)
                                                for n in range(1, 41)])
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("राम," + "9" * 20_000 + ",x\n")  # a cell over the CSV field limit: the file is broken there
    scope = importer_scope(None)
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=10, workers=1)
    assert job.status == ImportJob.Status.FAILED
    assert job.checkpoint == 40 and job.created == 40
    assert "42" in job.failure


def test_small_files_are_checked_without_processes(settings, monkeypatch):
    monkeypatch.delenv(checking.WORKERS_ENV, raising=False)
    assert checking.default_workers(checking.POOL_MIN_ROWS - 1) == 0
    assert checking.default_workers(checking.POOL_MIN_ROWS) >= 1
    settings.PEOPLE_IMPORT_WORKERS = 0
    assert checking.default_workers(10**6) == 0
    monkeypatch.setenv(checking.WORKERS_ENV, "3")
    assert checking.default_workers(10**6) == 3


def test_a_generated_number_someone_already_has_gets_a_suffix(tree, tmp_path, monkeypatch):
    """Generated numbers are not looked up before the write: a clash is found by the unique index, and the
    chunk is written again with the taken ones suffixed."""
    from sangathan.people.imports import apply

    holder = tree.people["d1a1b1p0"]
    Person.objects.filter(pk=holder.pk).update(membership_no="TAKEN-1")
    first_ids = []

    def number(prefix, person_id):
        first_ids.append(person_id)
        return "TAKEN-1" if person_id == first_ids[0] else f"GEN-{person_id}"

    monkeypatch.setattr(apply, "membership_number", number)
    path = write_csv(tmp_path / "people.csv", [person_row(name="राम", mobile=mobile(n), unit=tree["d1a1b1"].code)
                                                for n in range(1, 6)])
    scope = importer_scope(None)
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    job = import_run(scope=scope, job=job, path=str(path))
    assert (job.status, job.created, job.rejected) == (ImportJob.Status.DONE, 5, 0)
    assert Person.objects.get(pk=first_ids[0]).membership_no == "TAKEN-1/2"
    assert Person.objects.get(pk=holder.pk).membership_no == "TAKEN-1"
    assert PersonHistory.objects.filter(person__created_at=job.created_at).count() == 5


def test_a_workers_row_opens_its_values_only_when_asked():
    """A worker's row crosses with its values pickled; identifiers and unit serve a new person without them."""
    import pickle

    from sangathan.people.imports.rows import Row

    values = {"name": "राम", "mobile": "+919826000001", "membership_no": "K-1"}
    row = Row(7, ["राम"], None, [], "B1", "tail", (("mobile", "+919826000001"), ("membership_no", "K-1")),
              blob=pickle.dumps(values))
    row.set_unit((5, "0001"))
    assert (row.ident("mobile"), row.ident("membership_no"), row.ident("epic")) == ("+919826000001", "K-1", None)
    assert row.unit_of() == (5, "0001")
    assert row.blob is not None  # not opened yet
    assert row.values == {**values, "unit_id": 5, "unit_path": "0001"}
    assert row.blob is None
    row.set_unit((6, "0002"))  # once opened, the values follow
    assert (row.values["unit_id"], row.unit_of()) == (6, (6, "0002"))
