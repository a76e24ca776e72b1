"""`sangathan bench` fails with a clear message, never a traceback, when it cannot measure."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

REPO_ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def test_unknown_benchmark_is_refused(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(CommandError, match="Unknown benchmark 'nope'.*people_subtree"):
        call_command("bench", "nope")


def test_a_list_is_checked_before_anything_runs(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    with pytest.raises(CommandError, match="Unknown benchmark 'nope'"):
        call_command("bench", "people_subtree,nope")


def test_a_list_reports_each_benchmark_it_could_not_run_in_one_summary(monkeypatch):
    """Several benchmarks end with one table; one that cannot run is listed as not run, not raised."""
    from io import StringIO

    monkeypatch.chdir(REPO_ROOT)
    out = StringIO()
    call_command("bench", "people_subtree, people_search", stdout=out)  # too few people: neither runs
    report = out.getvalue()
    assert "Summary" in report
    assert "not run: people_subtree:" in report and "not run: people_search:" in report
    machine = report.splitlines()[0]  # what the figures ran on, first
    assert machine.startswith("machine: ") and " cores, " in machine
    if connection.vendor == "postgresql":
        assert "PostgreSQL " in machine and "shared_buffers " in machine and "max_wal_size " in machine


def test_benchmarks_package_must_be_in_the_current_directory(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError, match="No benchmarks/ package"):
        call_command("bench", "all")


def test_people_subtree_needs_postgresql_and_a_million_people(monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    expected = "at least 1,000,000" if connection.vendor == "postgresql" else "PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("bench", "people_subtree")


def test_unit_pages_runs_end_to_end_on_postgresql(monkeypatch, tree):
    """On the small tree (with --min-people 1) the benchmark walks every page it times; SQLite is refused."""
    from io import StringIO

    monkeypatch.chdir(REPO_ROOT)
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="PostgreSQL"):
            call_command("bench", "unit_pages", min_people=1, repeat=1)
        return
    out = StringIO()
    call_command("bench", "unit_pages", min_people=1, repeat=1, stdout=out)
    report = out.getvalue()
    assert "bare page (baseline)" in report
    rows = [line for line in report.splitlines() if line.startswith("  ") and "bare page" not in line
            and " p50 " not in line]
    # every page timed, beside its own bare page, with its ratios
    assert len(rows) >= 7 and all(line.endswith("x") and " ms; " in line for line in rows)
    assert any("home of the" in line for line in rows)


@pytest.mark.django_db(transaction=True)
def test_the_import_benchmarks_clean_up_removes_its_people_and_gives_their_headcount_back(monkeypatch, tree):
    if connection.vendor != "postgresql":
        pytest.skip("the benchmark measures PostgreSQL only")
    monkeypatch.chdir(REPO_ROOT)
    from benchmarks.people_import import _remove

    from sangathan.people.models import ImportJob, Person, UnitHeadcount
    from tests.factories import PersonFactory

    booth = tree["d1a1b1"]

    def headcount() -> int:
        return UnitHeadcount.objects.filter(unit=booth).values_list("people", flat=True).first() or 0

    added = PersonFactory(unit=booth, mobile="+918500000001")  # the benchmark's mobile range
    stays = PersonFactory(unit=booth)
    job = ImportJob.objects.create(file_name="bench.csv", file_hash="0" * 64, file_format="csv")
    before, said = headcount(), []
    _remove(job, out=said.append)
    assert not Person.objects.filter(pk=added.pk).exists() and Person.objects.filter(pk=stays.pk).exists()
    assert headcount() == before - 1 and not ImportJob.objects.filter(pk=job.pk).exists()
    assert "removed the 1 people added by the benchmark" in said[0]
