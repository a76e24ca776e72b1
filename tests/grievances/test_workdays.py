"""Working-day arithmetic on the office calendar (weekly offs and holidays)."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from sangathan.access.scope import scope_for_user
from sangathan.grievances.workdays import OfficeCalendar, office_calendar

SUNDAY_OFF = OfficeCalendar(weekly_off=frozenset({6}), holidays=frozenset())


def test_adding_working_days_skips_sundays():
    friday = date(2026, 1, 30)
    assert SUNDAY_OFF.add_working_days(friday, 1) == date(2026, 1, 31)  # Saturday works
    assert SUNDAY_OFF.add_working_days(friday, 2) == date(2026, 2, 2)   # Sunday skipped
    assert SUNDAY_OFF.add_working_days(friday, 7) == date(2026, 2, 7)


def test_holidays_and_two_weekly_offs():
    calendar = OfficeCalendar(weekly_off=frozenset({5, 6}), holidays=frozenset({date(2026, 1, 26)}))
    # Friday 23 Jan + 1 working day: Saturday, Sunday off, Monday 26 Jan is Republic Day → Tuesday.
    assert calendar.add_working_days(date(2026, 1, 23), 1) == date(2026, 1, 27)
    assert not calendar.is_working_day(date(2026, 1, 26))
    assert calendar.next_working_day(date(2026, 1, 24)) == date(2026, 1, 27)


def test_zero_days_is_the_next_working_day_and_a_closed_calendar_is_an_error():
    assert SUNDAY_OFF.add_working_days(date(2026, 2, 1), 0) == date(2026, 2, 2)
    with pytest.raises(ValueError):
        OfficeCalendar(weekly_off=frozenset(range(7)), holidays=frozenset()).add_working_days(date(2026, 1, 1), 1)


def test_working_days_between_counts_the_days_after_the_start():
    assert SUNDAY_OFF.working_days_between(date(2026, 2, 2), date(2026, 2, 9)) == 6
    assert SUNDAY_OFF.working_days_between(date(2026, 2, 9), date(2026, 2, 2)) == 0


def test_deadline_keeps_the_local_time_of_day():
    start = timezone.make_aware(datetime(2026, 2, 6, 16, 30))  # Friday afternoon, Asia/Kolkata
    due = SUNDAY_OFF.deadline(start, 7)
    assert timezone.localtime(due).date() == date(2026, 2, 14)
    assert timezone.localtime(due).hour == 16 and timezone.localtime(due).minute == 30


@pytest.mark.django_db
def test_office_calendar_reads_holidays_and_the_cells_weekly_offs():
    from sangathan.grievances.services import cell_settings_update, holiday_add
    from tests.factories import make_user

    admin = make_user(superuser=True)
    holiday_add(scope=scope_for_user(admin), on=date(2026, 3, 4), name_hi="होली", name_en="Holi")
    cell_settings_update(scope=scope_for_user(admin), weekly_off="5,6")
    calendar = office_calendar(around=date(2026, 3, 1))
    assert calendar.weekly_off == frozenset({5, 6})
    assert date(2026, 3, 4) in calendar.holidays
