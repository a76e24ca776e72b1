"""The sync benchmark runs end to end on PostgreSQL at a tiny scale (a real server on loopback) and refuses
SQLite."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sangathan.access.models import User
from sangathan.fieldwork.models import Drive, FieldRecord
from sangathan.people.models import Person

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db(transaction=True)
def test_fieldwork_sync_benchmark(monkeypatch, tree):
    monkeypatch.chdir(REPO_ROOT)
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("bench", "fieldwork_sync", min_people=100, repeat=1)
        return
    people = Person.objects.count()
    monkeypatch.setenv("SANGATHAN_BENCH_CLIENTS", "2")
    monkeypatch.setenv("SANGATHAN_BENCH_WORKERS", "1")
    out = StringIO()
    call_command("bench", "fieldwork_sync", min_people=150, repeat=1, stdout=out)
    report = out.getvalue()
    assert "3 vistaraks × 50 records" in report and "answers: {'accepted': 150}" in report, report
    assert "bulk import of the same records" in report and "p95" in report
    assert "| fieldwork_sync | sync over HTTP" in report and "| fieldwork_sync | sync batch of 50" in report
    assert not Drive.objects.exists() and not FieldRecord.objects.exists()
    assert Person.objects.count() == people and not User.objects.filter(display_name__startswith="bench ").exists()
