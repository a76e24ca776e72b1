"""The Sahyog Cell's figures on a planted set of grievances: exact numbers, scope, and a fixed number of
queries whatever the size."""

from datetime import datetime, timedelta
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangathan.grievances.enums import (
    EventKind,
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import Grievance, GrievanceEvent
from sangathan.grievances.reports import sahyog_report
from tests.grievances.cell import build_cell

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 12, 0)          # a Monday
_codes = count(1)


@pytest.fixture
def cell(tree, clock):
    clock.set(NOW)
    return build_cell(tree)


def plant(cell, *, unit="d1a1b1", age_days: float, level=GrievanceLevel.DISTRICT, status=GrievanceStatus.OPEN,
          due_in_days: float | None = 3, resolved_after_days: float | None = None, department=None, late=False):
    """A grievance taken ``age_days`` ago, written directly: the figures, not the workflow, are under test."""
    now = timezone.make_aware(NOW)
    unit = cell.tree[unit]
    district = cell.tree[unit.code[:2].lower()]
    created = now - timedelta(days=age_days)
    grievance = Grievance.objects.create(
        tracking_code=f"SG-T{next(_codes):05d}", unit=unit, unit_path=unit.path, district=district, status=status,
        level=level, kind=GrievanceKind.ADMINISTRATIVE if department else GrievanceKind.ORGANIZATIONAL,
        channel=GrievanceChannel.DISTRICT_OFFICE, department=cell.departments[department] if department else None,
        subject="planted", complainant_name="x", complainant_mobile="+919826000000", created_at=created,
        updated_at=created, due_at=now + timedelta(days=due_in_days) if due_in_days is not None else None,
        resolved_at=created + timedelta(days=resolved_after_days) if resolved_after_days is not None else None)
    if late:
        GrievanceEvent.objects.create(grievance=grievance, kind=EventKind.ESCALATED, at=created + timedelta(days=8),
                                      data={"auto": True, "to": "state"})
    return grievance


@pytest.fixture
def planted(cell):
    # Open at the district of district 1: ages 2, 10 and 40 days; the 10-day one overdue.
    plant(cell, age_days=2)
    plant(cell, age_days=10, due_in_days=-1)
    plant(cell, age_days=40, department="revenue")
    # Open at the state cell (district 2) 20 days, overdue; with a minister 5 days, scheduled (clock paused).
    plant(cell, unit="d2a1b1", age_days=20, level=GrievanceLevel.STATE, due_in_days=-2, department="health")
    plant(cell, unit="d2a1b1", age_days=5, level=GrievanceLevel.MINISTER, status=GrievanceStatus.SCHEDULED,
          due_in_days=None, department="revenue")
    # Resolved in the last 30 days after 2, 4 and 12 days (the last one late); one resolved long ago.
    plant(cell, age_days=6, status=GrievanceStatus.RESOLVED, due_in_days=None, resolved_after_days=2)
    plant(cell, unit="d2a1b1", age_days=9, status=GrievanceStatus.CLOSED, due_in_days=None, resolved_after_days=4,
          department="health")
    plant(cell, age_days=20, status=GrievanceStatus.CLOSED, due_in_days=None, resolved_after_days=12, late=True)
    plant(cell, age_days=100, status=GrievanceStatus.CLOSED, due_in_days=None, resolved_after_days=5)


def test_figures_are_exact(cell, planted, django_assert_num_queries):
    with django_assert_num_queries(10):
        report = sahyog_report(Grievance.objects.all(), since_days=30)
    levels = {row.level: row for row in report.levels}
    assert (levels["district"].open, levels["district"].overdue, levels["district"].ages) == (3, 1, (1, 1, 0, 1))
    assert (levels["state"].open, levels["state"].overdue, levels["state"].ages) == (1, 1, (0, 0, 1, 0))
    assert (levels["minister"].open, levels["minister"].overdue, levels["minister"].ages) == (1, 0, (1, 0, 0, 0))
    assert (report.open, report.overdue, report.age_totals) == (5, 2, (2, 1, 1, 1))
    assert (report.resolved, report.resolved_within_sla, report.within_sla_percent) == (3, 2, 66.7)
    assert report.taken == 7                                    # all but the 40- and 100-day-old ones
    assert report.median_days == 4.0
    districts = {row.name: (row.open, row.overdue, row.resolved) for row in report.districts}
    assert districts == {"जिला 1": (3, 1, 2), "जिला 2": (2, 1, 1)}
    departments = {row.name: (row.open, row.overdue, row.resolved) for row in report.departments}
    assert departments == {"राजस्व विभाग": (2, 0, 0), "लोक स्वास्थ्य एवं परिवार कल्याण विभाग": (1, 1, 1)}
    weeks = {row.start: (row.taken, row.resolved) for row in report.weeks}
    assert len(report.weeks) == 8 and report.weeks[-1].start == NOW.date()
    assert sum(taken for taken, _ in weeks.values()) == 8       # all but the 100-day-old one
    # Last week (23 Feb – 1 Mar): taken 2, 5 and 6 days ago; resolved 4 and 5 days ago.
    assert weeks[NOW.date() - timedelta(days=7)] == (3, 2)


def test_query_count_does_not_grow_with_the_data(cell, planted, django_assert_num_queries):
    for age in range(30):
        plant(cell, unit="d2a2b1", age_days=age, department="health", late=age % 2 == 0,
              status=GrievanceStatus.CLOSED if age % 3 else GrievanceStatus.OPEN,
              resolved_after_days=1 if age % 3 else None)
    with django_assert_num_queries(10):
        sahyog_report(Grievance.objects.all(), since_days=30)


def web(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_is_scoped(cell, planted):
    page = web(cell["state_convener"]).get("/dashboard/sahyog/")
    body = page.content.decode()
    assert page.status_code == 200 and 'id="stat-open">5<' in body and 'id="stat-overdue">2<' in body
    assert 'id="stat-sla">67%<' in body and 'id="stat-median">4.0<' in body
    assert "style=" not in body and "<script" not in body
    district = web(cell["district_convener"]).get("/dashboard/sahyog/").content.decode()
    assert 'id="stat-open">3<' in district and 'id="stat-resolved">2<' in district
    assert "जिला 2" not in district
    d2 = cell.tree["d2"].pk
    assert web(cell["district_convener"]).get(f"/dashboard/sahyog/?district={d2}").status_code == 404
    drill = web(cell["state_convener"]).get(f"/dashboard/sahyog/?district={d2}").content.decode()
    assert 'id="stat-open">2<' in drill
    assert web(cell["state_convener"]).get("/dashboard/sahyog/?district=abc").status_code == 404


def test_dashboard_page_costs_a_fixed_number_of_queries(cell, planted):
    client = web(cell["state_convener"])
    client.get("/dashboard/sahyog/")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/dashboard/sahyog/").status_code == 200
        return len(captured.captured_queries)

    before = queries()
    for age in range(40):
        plant(cell, unit="d2a2b1" if age % 2 else "d1a2b1", age_days=age, department="health" if age % 3 else None)
    assert queries() == before <= 22
