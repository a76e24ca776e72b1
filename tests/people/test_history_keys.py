"""History rows keep their keys without a database constraint (``PersonHistory``, migration 0018): deleting a
person still takes its history, and an import whose matched person is merged away before its chunk is written
stops and writes nothing rather than a history row naming nobody."""

import pytest
from django.db import connection

from sangathan.core.errors import DomainError
from sangathan.people.imports import apply as imports_apply
from sangathan.people.imports.jobs import import_prepare, import_run
from sangathan.people.models import ImportJob, Person, PersonHistory
from tests.people.import_files import mobile, person_row, write_csv
from tests.people.test_import import importer_scope

pytestmark = pytest.mark.django_db


def _orphans() -> int:
    return PersonHistory.objects.exclude(person_id__in=Person.objects.values("pk")).count()


def test_history_table_has_no_key_constraints():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, PersonHistory._meta.db_table)
    assert not [name for name, info in constraints.items() if info["foreign_key"]]
    assert any(info["columns"] == ["person_id"] and info["index"] for info in constraints.values())


def test_deleting_a_person_still_deletes_its_history(tree):
    person = tree.people["d1a1b1p0"]
    PersonHistory.objects.create(person=person, action=PersonHistory.Action.UPDATED, changes={"name": ["a", "b"]})
    assert PersonHistory.objects.filter(person=person).exists()
    Person.objects.filter(pk=person.pk).delete()
    assert not PersonHistory.objects.filter(person_id=person.pk).exists()
    assert _orphans() == 0


def test_import_stops_when_a_matched_person_is_gone_before_the_write(tree, tmp_path, monkeypatch):
    matched = tree.people["d1a1b1p0"]
    booth = tree["d1a1b1"].code
    rows = [person_row(name=matched.name, mobile=matched.mobile[-10:], unit=booth, occupation="बढ़ई"),
            person_row(name="नया सदस्य", mobile=mobile(7_001), unit=booth)]
    path = write_csv(tmp_path / "people.csv", rows)
    write = imports_apply.ChunkApplier.write

    def merged_away_first(self, plan):  # as if a merge committed between the chunk's matching and its write
        Person.objects.filter(pk=matched.pk).delete()  # (one connection here: the chunk's rollback undoes it)
        return write(self, plan)

    monkeypatch.setattr(imports_apply.ChunkApplier, "write", merged_away_first)
    people_before = Person.objects.count()
    scope = importer_scope(None)
    job, _found = import_prepare(scope=scope, path=str(path), file_name=path.name)
    with pytest.raises(DomainError) as raised:
        import_run(scope=scope, job=job, path=str(path), chunk_size=10)

    assert raised.value.code == "busy"
    assert _orphans() == 0
    assert Person.objects.count() == people_before  # nothing of the chunk was written
    job.refresh_from_db()
    assert (job.checkpoint, job.created, job.updated) == (0, 0, 0)

    monkeypatch.setattr(imports_apply.ChunkApplier, "write", write)
    job = import_run(scope=scope, job=job, path=str(path), chunk_size=10)  # resumes from the same chunk
    assert [job.status, job.created, job.updated] == [ImportJob.Status.DONE, 1, 1]
    assert _orphans() == 0
