"""The sync benchmark runs end to end on PostgreSQL at a tiny scale (a real server on loopback) and refuses
SQLite."""

import ast
import re
from io import StringIO
from pathlib import Path

import pytest
from benchmarks import delete_listed
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction

from sangathan.access.models import User
from sangathan.fieldwork.models import Drive, FieldRecord
from sangathan.people.models import Person, UnitHeadcount
from tests.factories import PersonFactory, make_user

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_fieldwork_sync_benchmark(monkeypatch, tree):
    monkeypatch.chdir(REPO_ROOT)
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("bench", "fieldwork_sync", min_people=100, repeat=1)
        return
    people = Person.objects.count()
    counts = _headcounts()
    monkeypatch.setenv("SANGATHAN_BENCH_CLIENTS", "2")
    monkeypatch.setenv("SANGATHAN_BENCH_WORKERS", "1")
    out = StringIO()
    call_command("bench", "fieldwork_sync", min_people=150, repeat=1, stdout=out)
    report = out.getvalue()
    assert "3 vistaraks × 50 records" in report, report
    # Every record answered, none refused. The tree's own people have random Hindi names, so a synthetic
    # record may now and then be alike one of them in its booth, which the sync rightly sends for review.
    answers = ast.literal_eval(re.search(r"answers: (\{[^}]*\})", report).group(1))
    assert sum(answers.values()) == 150 and set(answers) <= {"accepted", "review"}, report
    assert answers.get("accepted", 0) >= 145, report
    assert "bulk import of the same records" in report and "p95" in report
    assert "| fieldwork_sync | sync over HTTP" in report and "| fieldwork_sync | sync batch of 50" in report
    assert not Drive.objects.exists() and not FieldRecord.objects.exists()
    assert Person.objects.count() == people and not User.objects.filter(display_name__startswith="bench ").exists()
    assert _headcounts() == counts  # the run's people are out of the headcounts again


def _headcounts() -> dict[int, int]:
    return dict(UnitHeadcount.objects.exclude(people=0).values_list("unit_id", "people"))


@pytest.mark.django_db(transaction=True)
def test_the_clean_up_keeps_the_key_checks_when_a_row_still_refers_to_its_people(monkeypatch, tree):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures PostgreSQL only")
    free, kept = (PersonFactory(name="बेंच मुक्त", unit=tree["d1a1b1"]),
                  PersonFactory(name="बेंच लॉगिन", unit=tree["d1a1b1"]))
    make_user(kept)  # access_user refers to this one
    gone = "CREATE TEMP TABLE bench_gone ON COMMIT DROP AS SELECT id FROM people_person WHERE id = ANY(%s)"
    for person in (free, kept):
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM people_personhistory WHERE person_id = %s", [person.pk])
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(gone, [[free.pk]])
        assert delete_listed(cursor, "people_person", "bench_gone") == 1  # nothing refers to it: removed without per-row checks
    assert not Person.objects.filter(pk=free.pk).exists()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(gone, [[kept.pk]])
        delete_listed(cursor, "people_person", "bench_gone")  # the plain delete: its key check refuses
    assert Person.objects.filter(pk=kept.pk).exists()
