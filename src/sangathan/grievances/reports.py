"""Figures of the Sahyog Cell for dashboards and the weekly digest, over any scoped set of grievances.

Every figure is a grouped query on indexed columns (status, level, created_at, resolved_at, district,
department), so a page costs the same handful of queries for ten grievances or a million:

* open grievances by level and by age (days since taken) in buckets, and the overdue ones (party clock
  past its due time);
* taken and resolved in the period, and the share resolved *within the time limits*: a grievance is late when any
  level's limit ran out on it, which the escalation sweep records as an automatic escalation;
* the median time from intake to resolution (PostgreSQL computes it; elsewhere the durations are read
  once and sorted);
* by department and by district; grievances taken and resolved per week.

The caller passes the grievances the reader may see (``grievances_visible``), or a district's subtree for
a convener's digest.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncWeek
from django.utils import timezone

from sangathan.core import clock
from sangathan.core.db_router import reading_from_replica
from sangathan.grievances.enums import OPEN_STATUSES, EventKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Department, GrievanceEvent
from sangathan.org.models import Unit

# Age buckets of open grievances, in days since intake: (label, lower bound exclusive, upper bound inclusive).
AGE_BUCKETS = (("0–7", None, 7), ("8–15", 7, 15), ("16–30", 15, 30), ("30+", 30, None))
WEEKS_SHOWN = 8


@dataclass(frozen=True)
class LevelRow:
    level: str
    label: str
    open: int
    overdue: int
    ages: tuple[int, ...]


@dataclass(frozen=True)
class GroupRow:
    id: int | None
    name: str
    open: int
    overdue: int
    resolved: int


@dataclass(frozen=True)
class WeekRow:
    start: date
    taken: int
    resolved: int


@dataclass
class SahyogReport:
    since: datetime
    levels: list[LevelRow] = field(default_factory=list)
    taken: int = 0
    resolved: int = 0
    resolved_within_sla: int = 0
    median_days: float | None = None
    departments: list[GroupRow] = field(default_factory=list)
    districts: list[GroupRow] = field(default_factory=list)
    weeks: list[WeekRow] = field(default_factory=list)

    @property
    def open(self) -> int:
        return sum(row.open for row in self.levels)

    @property
    def overdue(self) -> int:
        return sum(row.overdue for row in self.levels)

    @property
    def within_sla_percent(self) -> float | None:
        return round(100 * self.resolved_within_sla / self.resolved, 1) if self.resolved else None

    @property
    def age_totals(self) -> tuple[int, ...]:
        return tuple(sum(row.ages[i] for row in self.levels) for i in range(len(AGE_BUCKETS)))


def _age_q(now: datetime, lower: int | None, upper: int | None) -> Q:
    query = Q()
    if lower is not None:
        query &= Q(created_at__lt=now - timedelta(days=lower))
    if upper is not None:
        query &= Q(created_at__gte=now - timedelta(days=upper))
    return query


def _levels(grievances: QuerySet, now: datetime) -> list[LevelRow]:
    overdue = Q(status=GrievanceStatus.OPEN, due_at__lt=now)
    ages = {f"age{i}": Count("id", filter=_age_q(now, lower, upper))
            for i, (_label, lower, upper) in enumerate(AGE_BUCKETS)}
    rows = {row["level"]: row for row in grievances.filter(status__in=OPEN_STATUSES).order_by()
            .values("level").annotate(total=Count("id"), overdue=Count("id", filter=overdue), **ages)}
    result = []
    for level, label in GrievanceLevel.choices:
        row = rows.get(level, {})
        result.append(LevelRow(level=level, label=str(label), open=row.get("total", 0),
                               overdue=row.get("overdue", 0),
                               ages=tuple(row.get(f"age{i}", 0) for i in range(len(AGE_BUCKETS)))))
    return result


class _Median(Aggregate):
    """PostgreSQL's median of a numeric expression."""

    function = "percentile_cont"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _median_days(resolved: QuerySet) -> float | None:
    if connection.vendor == "postgresql":
        seconds = Func(ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField()),
                       template="EXTRACT(EPOCH FROM %(expressions)s)", output_field=FloatField())
        value = resolved.aggregate(median=_Median(seconds))["median"]
        return round(float(value) / 86400, 1) if value is not None else None
    durations = [(resolved_at - created_at).total_seconds()
                 for created_at, resolved_at in resolved.values_list("created_at", "resolved_at")]
    return round(statistics.median(durations) / 86400, 1) if durations else None


def _grouped(grievances: QuerySet, key: str, now: datetime, since: datetime) -> dict:
    overdue = Q(status=GrievanceStatus.OPEN, due_at__lt=now)
    return {row[key]: row for row in grievances.order_by().values(key).annotate(
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)), overdue=Count("id", filter=overdue),
        resolved=Count("id", filter=Q(resolved_at__gte=since)))}


@reading_from_replica()
def sahyog_report(grievances: QuerySet, *, since_days: int = 30, now: datetime | None = None,
                  by_district: bool = True) -> SahyogReport:
    """The figures over ``grievances`` (already limited to what the reader may see); resolutions and the
    median count those taken or resolved in the last ``since_days`` days. Ten queries (eight without
    districts)."""
    now = now or clock.now()
    since = now - timedelta(days=since_days)
    grievances = grievances.order_by()
    report = SahyogReport(since=since, levels=_levels(grievances, now))

    resolved = grievances.filter(resolved_at__gte=since)
    late = GrievanceEvent.objects.filter(kind=EventKind.ESCALATED, data__auto=True).values("grievance_id")
    counts = resolved.aggregate(total=Count("id"), late=Count("id", filter=Q(id__in=late)))
    report.taken = grievances.filter(created_at__gte=since).count()
    report.resolved = counts["total"]
    report.resolved_within_sla = counts["total"] - counts["late"]
    report.median_days = _median_days(resolved)

    by_department = _grouped(grievances.filter(department__isnull=False), "department_id", now, since)
    names = dict(Department.objects.filter(pk__in=list(by_department)).values_list("pk", "name_hi"))
    report.departments = sorted(
        (GroupRow(id=pk, name=names.get(pk, ""), open=row["open"], overdue=row["overdue"], resolved=row["resolved"])
         for pk, row in by_department.items()), key=lambda r: (-r.open, r.name))
    if by_district:
        by_unit = _grouped(grievances, "district_id", now, since)
        units = {unit.pk: unit for unit in Unit.objects.filter(pk__in=list(by_unit))}
        report.districts = sorted(
            (GroupRow(id=pk, name=units[pk].name if pk in units else "", open=row["open"], overdue=row["overdue"],
                      resolved=row["resolved"]) for pk, row in by_unit.items()), key=lambda r: (-r.open, r.name))

    first_week = timezone.localdate(now) - timedelta(weeks=WEEKS_SHOWN - 1)
    first_week -= timedelta(days=first_week.weekday())
    start = timezone.make_aware(datetime.combine(first_week, time()))
    taken = dict(grievances.filter(created_at__gte=start).annotate(week=TruncWeek("created_at")).values("week")
                 .annotate(n=Count("id")).values_list("week", "n"))
    done = dict(grievances.filter(resolved_at__gte=start).annotate(week=TruncWeek("resolved_at")).values("week")
                .annotate(n=Count("id")).values_list("week", "n"))
    taken = {_as_date(week): n for week, n in taken.items()}
    done = {_as_date(week): n for week, n in done.items()}
    report.weeks = [WeekRow(start=first_week + timedelta(weeks=i), taken=taken.get(first_week + timedelta(weeks=i), 0),
                            resolved=done.get(first_week + timedelta(weeks=i), 0)) for i in range(WEEKS_SHOWN)]
    return report


def _as_date(value) -> date:
    return value.date() if isinstance(value, datetime) else value


__all__ = ["AGE_BUCKETS", "GroupRow", "LevelRow", "SahyogReport", "WeekRow", "sahyog_report"]
