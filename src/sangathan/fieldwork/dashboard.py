"""The drive dashboard's figures, per day, for the part of a drive the reader may see: a handful of grouped
queries over ``FieldRecord`` (by capture day and outcome), its flags, and the booth targets — whatever the
drive's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import TruncDate

from sangathan.core.tree import subtree_q
from sangathan.fieldwork.enums import Outcome
from sangathan.fieldwork.models import BoothTarget, FieldRecord, RecordFlag

ACTIVE_LIMIT = 50


@dataclass
class DayRow:
    day: date
    collected: int = 0
    verified: int = 0
    accepted: int = 0
    merged: int = 0
    review: int = 0
    rejected: int = 0
    conflict: int = 0
    flagged: int = 0


@dataclass
class DriveFigures:
    days: list[DayRow] = field(default_factory=list)
    total: DayRow | None = None
    booths_target: int = 0
    booths_covered: int = 0
    target: int = 0
    registered: int = 0
    vistaraks: list[dict] = field(default_factory=list)
    flags: dict[str, int] = field(default_factory=dict)


def drive_figures(*, scope, drive, unit=None) -> DriveFigures:
    """Figures of ``drive`` under ``unit`` (default: the whole drive), limited to the reader's scope."""
    records = scope.filter(FieldRecord.objects.filter(drive=drive))
    targets = scope.filter(BoothTarget.objects.filter(drive=drive))
    flags = scope.filter(RecordFlag.objects.filter(drive=drive))
    if unit is not None:
        records = records.filter(subtree_q("unit_path", unit.path))
        targets = targets.filter(subtree_q("unit_path", unit.path))
        flags = flags.filter(subtree_q("unit_path", unit.path))
    figures = DriveFigures()
    by_day: dict[date, DayRow] = {}
    rows = (records.annotate(day=TruncDate("captured_at")).values("day", "outcome")
            .annotate(n=Count("id"), verified=Count("id", filter=Q(otp_verified=True))))
    for row in rows:
        day = by_day.setdefault(row["day"], DayRow(day=row["day"]))
        setattr(day, row["outcome"], getattr(day, row["outcome"]) + row["n"])
        day.collected += row["n"]
        day.verified += row["verified"]
    for row in (flags.annotate(day=TruncDate("record__captured_at")).values("day")
                .annotate(n=Count("record_id", distinct=True))):
        by_day.setdefault(row["day"], DayRow(day=row["day"])).flagged = row["n"]
    figures.days = [by_day[day] for day in sorted(by_day)]
    total = DayRow(day=None)
    for day in figures.days:
        for name in ("collected", "verified", "accepted", "merged", "review", "rejected", "conflict", "flagged"):
            setattr(total, name, getattr(total, name) + getattr(day, name))
    figures.total = total
    target = targets.aggregate(booths=Count("id", filter=Q(target__gt=0)), people=Sum("target"))
    figures.booths_target = target["booths"]
    figures.target = target["people"] or 0
    done = records.filter(outcome__in=[Outcome.ACCEPTED, Outcome.MERGED])
    figures.registered = done.count()
    figures.booths_covered = done.values("booth_id").distinct().count()
    figures.vistaraks = list(records.values("user_id", "user__display_name").annotate(
        records=Count("id"), registered=Count("id", filter=Q(outcome__in=[Outcome.ACCEPTED, Outcome.MERGED])),
        last=Max("captured_at")).order_by("-records")[:ACTIVE_LIMIT])
    figures.flags = dict(flags.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return figures
