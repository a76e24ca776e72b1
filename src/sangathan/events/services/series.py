"""Series: "every month, a tiffin meeting in every mandal of X". Generating writes one expected occurrence
(an ``Event`` with ``series``, ``unit`` and ``period``) per unit of the level and month; the unique key
``events_one_occurrence`` makes a second run write nothing twice. Editing a series changes the occurrences
of the current month on that are still planned; held and past ones stay as they were."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.core.errors import FieldErrors
from sangathan.core.tree import subtree_q
from sangathan.events.enums import EventKind, EventStatus
from sangathan.events.models import Event, Series
from sangathan.events.policies import require_organize
from sangathan.org.models import Level, Unit

MAX_MONTHS = 36


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    month = day.month - 1 + n
    return date(day.year + month // 12, month % 12 + 1, 1)


def series_periods(series: Series) -> list[date]:
    return [add_months(series.starts_on, i) for i in range(series.months)]


def _generate(series: Series) -> int:
    units = list(Unit.objects.filter(subtree_q("path", series.unit_path), level=series.level, is_active=True)
                 .values_list("pk", "path"))
    before = Event.objects.filter(series=series).count()
    for period in series_periods(series):
        Event.objects.bulk_create([Event(kind=series.kind, title=series.title, unit_id=pk, unit_path=path,
                                         series=series, period=period) for pk, path in units],
                                  ignore_conflicts=True, batch_size=2000)
    return Event.objects.filter(series=series).count() - before


def _check(errors: FieldErrors, *, kind: str, title: str, months: int) -> None:
    if kind not in EventKind.values:
        errors.add("kind", _("Unknown kind of event."))
    if not title.strip():
        errors.add("title", _("This field is required."), code="required")
    if not 1 <= months <= MAX_MONTHS:
        errors.add("months", _("Between 1 and 36 months."))


@dataclass(kw_only=True)
class SeriesCreate(Action):
    kind: str
    title: str
    unit: Unit
    level: str
    starts_on: date
    months: int = 12

    name = "series.create"

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        errors = FieldErrors()
        _check(errors, kind=self.kind, title=self.title, months=self.months)
        if not Level.objects.filter(code=self.level).exists():
            errors.add("level", _("Unknown level."))
        if self.starts_on is None:
            errors.add("starts_on", _("This field is required."), code="required")
        errors.raise_if_any()

    def perform(self) -> Series:
        series = Series.objects.create(kind=self.kind, title=self.title.strip(), unit=self.unit,
                                       unit_path=self.unit.path, level=self.level,
                                       starts_on=month_start(self.starts_on), months=self.months)
        self.created = _generate(series)
        return series

    def log(self, series: Series) -> None:
        audit_log(scope=self.scope, action="events.series_generate", target=series, unit_path=series.unit_path,
                  detail={"created": self.created, "new": True})


series_create = SeriesCreate.run


@dataclass(kw_only=True)
class SeriesGenerate(Action):
    """Write the missing occurrences (new units of the level, a longer series); returns how many."""

    series: Series

    name = "series.generate"

    def check(self) -> None:
        require_organize(self.scope, self.series.unit_path)

    def perform(self) -> int:
        return _generate(self.series)

    def log(self, created: int) -> None:
        audit_log(scope=self.scope, action="events.series_generate", target=self.series,
                  unit_path=self.series.unit_path, detail={"created": created})


series_generate = SeriesGenerate.run


@dataclass(kw_only=True)
class SeriesUpdate(Action):
    """Change the title, kind or length; only occurrences from the current month on, still planned, follow."""

    series: Series
    title: str
    kind: str
    months: int

    name = "series.update"

    def check(self) -> None:
        require_organize(self.scope, self.series.unit_path)
        errors = FieldErrors()
        _check(errors, kind=self.kind, title=self.title, months=self.months)
        errors.raise_if_any()

    def perform(self) -> int:
        series = self.series
        before = {"title": series.title, "kind": series.kind, "months": series.months}
        series.title, series.kind, series.months = self.title.strip(), self.kind, self.months
        series.save(update_fields=["title", "kind", "months", "updated_at"])
        future = Event.objects.filter(series=series, status=EventStatus.PLANNED,
                                      period__gte=month_start(clock.today()))
        changed = future.update(title=series.title, kind=series.kind)
        last = add_months(series.starts_on, series.months)
        # A shortened series drops its planned future months beyond the new end; past ones stay as record.
        Event.objects.filter(series=series, status=EventStatus.PLANNED,
                             period__gte=max(last, month_start(clock.today()))).delete()
        self.before, self.created = before, _generate(series)
        return changed

    def log(self, changed: int) -> None:
        audit_log(scope=self.scope, action="events.series_generate", target=self.series,
                  unit_path=self.series.unit_path, detail={"changed": changed, "created": self.created,
                                                           "before": self.before})


series_update = SeriesUpdate.run
