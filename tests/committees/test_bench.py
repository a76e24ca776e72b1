"""The completeness benchmark runs end to end on the small tree (both databases) and cleans up after itself."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sangathan.committees.models import Committee, CommitteeType, Page
from sangathan.org.models import Unit

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_committees_completeness_benchmark(monkeypatch, tree):
    monkeypatch.chdir(REPO_ROOT)
    out = StringIO()
    call_command("bench", "committees_completeness", min_people=1, repeat=1, stdout=out)
    report = out.getvalue()
    assert "8 booths; 240 pages added" in report
    assert "wrote " in report and " committees in " in report
    assert report.count("x baseline)") == 2 and report.count("baseline: one GROUP BY type") == 2
    assert report.count("baseline: one GROUP BY over the committees") == 2  # the closing summary table
    assert not Committee.objects.exists() and not CommitteeType.objects.exists()
    assert not Unit.objects.filter(level="page").exists() and not Page.objects.exists()


def test_too_few_booths_is_refused(monkeypatch, db):
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(CommandError, match="booths"):
        call_command("bench", "committees_completeness")
