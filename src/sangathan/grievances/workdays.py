"""Working-day arithmetic on the office calendar: weekly offs plus the ``Holiday`` table.

SLA clocks count working days: a grievance taken on Friday with 7 working days (Sunday off) is due the
next Saturday week at the same time of day. Deadlines fall at the same local time of day as the start, on
the N-th working day after the start's date; a start on a day off counts from the next working day.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

# Beyond this many calendar days a search for working days stops: a calendar with every day off is a
# configuration error, not a reason to loop for ever.
MAX_SPAN_DAYS = 3660


@dataclass(frozen=True)
class OfficeCalendar:
    weekly_off: frozenset[int]  # Monday = 0 … Sunday = 6
    holidays: frozenset[date]

    def is_working_day(self, day: date) -> bool:
        return day.weekday() not in self.weekly_off and day not in self.holidays

    def add_working_days(self, start: date, days: int) -> date:
        """The ``days``-th working day after ``start`` (``start`` itself when ``days`` is 0 and it works)."""
        day = start
        if days <= 0:
            return self.next_working_day(start)
        counted = 0
        for _ in range(MAX_SPAN_DAYS):
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
                if counted == days:
                    return day
        raise ValueError("the office calendar has no working days")

    def next_working_day(self, day: date) -> date:
        for _ in range(MAX_SPAN_DAYS):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("the office calendar has no working days")

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]: how many a clock paused at ``start`` had left until ``end``."""
        if end <= start:
            return 0
        return sum(1 for offset in range(1, (end - start).days + 1)
                   if self.is_working_day(start + timedelta(days=offset)))

    def deadline(self, start: datetime, days: int) -> datetime:
        """``start`` moved ``days`` working days ahead, at the same local time of day."""
        local = timezone.localtime(start)
        day = self.add_working_days(local.date(), days)
        return timezone.make_aware(datetime.combine(day, local.timetz().replace(tzinfo=None)),
                                   local.tzinfo)


def office_calendar(*, weekly_off: frozenset[int] | None = None, around: date | None = None) -> OfficeCalendar:
    """The calendar from the database: the cell's weekly offs and the holidays within ten years of ``around``."""
    from sangathan.grievances.models import Holiday
    from sangathan.grievances.services.config import cell_settings

    if weekly_off is None:
        weekly_off = cell_settings().weekly_off_days
    holidays = Holiday.objects.all()
    if around is not None:
        holidays = holidays.filter(date__gte=around - timedelta(days=366), date__lte=around + timedelta(days=3660))
    return OfficeCalendar(weekly_off=frozenset(weekly_off), holidays=frozenset(holidays.values_list("date", flat=True)))


def end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))
