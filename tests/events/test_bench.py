"""The events benchmark runs end to end on the small tree (both databases) and cleans up after itself."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sangathan.events.models import Event, Invitation, Series
from sangathan.messaging.models import Message
from sangathan.people.models import Person

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_events_benchmark(monkeypatch, tree):
    monkeypatch.chdir(REPO_ROOT)
    people = Person.objects.count()
    out = StringIO()
    call_command("bench", "events_reports", min_people=100, repeat=1, stdout=out)
    report = out.getvalue()
    assert "4 mandals × 12 months = 48 occurrences" in report
    assert f"100 invitations and messages ({100 - people} synthetic people)" in report, report
    assert report.count("x baseline)") == 3 and report.count("baseline: one GROUP BY") == 2
    assert not Event.objects.exists() and not Series.objects.exists() and not Invitation.objects.exists()
    assert not Message.objects.exists() and Person.objects.count() == people


def test_too_few_mandals_is_refused(monkeypatch, db):
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(CommandError, match="mandals"):
        call_command("bench", "events_reports")
