"""The roll-up benchmark runs end to end on PostgreSQL (on the small tree) and refuses SQLite."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from sangathan.campaigns.models import Campaign, ReportValue

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_campaign_rollup_benchmark(monkeypatch, tree):
    monkeypatch.chdir(REPO_ROOT)
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("bench", "campaign_rollup", min_people=1, repeat=1)
        return
    out = StringIO()
    call_command("bench", "campaign_rollup", min_people=1, repeat=1, stdout=out)
    report = out.getvalue()
    assert "8 booths; wrote 288 reported figures and targets" in report   # 8 booths × 4 × (8 weeks + 1 target)
    assert report.count("x baseline)") == 4
    assert not Campaign.objects.exists() and not ReportValue.objects.exists()


def test_too_few_booths_is_refused(monkeypatch, db):
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(CommandError, match="booths" if connection.vendor == "postgresql" else "PostgreSQL"):
        call_command("bench", "campaign_rollup")
