"""The party's clock on a grievance: started per level, paused and resumed in working days.

These helpers change the instance's fields only; the calling service saves them with its other changes.
"""

from __future__ import annotations

from datetime import datetime

from sangathan.core import clock
from sangathan.grievances.models import Grievance
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.workdays import office_calendar


def deadline_for(level: str, *, start: datetime | None = None) -> datetime:
    start = start or clock.now()
    settings = cell_settings()
    calendar = office_calendar(weekly_off=settings.weekly_off_days, around=start.date())
    return calendar.deadline(start, settings.days_for(level))


def sla_start(grievance: Grievance, level: str) -> None:
    """Move ``grievance`` to ``level`` with that level's full time limit from now."""
    grievance.level = level
    grievance.due_at = deadline_for(level)
    grievance.paused_days = None
    grievance.reminded_at = None


def sla_pause(grievance: Grievance) -> None:
    """Stop the clock, keeping the working days that were left (at least one)."""
    if grievance.due_at is None:
        return
    now = clock.now()
    calendar = office_calendar(around=now.date())
    left = calendar.working_days_between(now.date(), grievance.due_at.date()) if grievance.due_at > now else 0
    grievance.paused_days = max(1, left)
    grievance.due_at = None


def sla_resume(grievance: Grievance) -> None:
    """Start the clock again with the days that were left (the level's full limit if none were kept)."""
    if grievance.due_at is not None:
        return
    now = clock.now()
    settings = cell_settings()
    days = grievance.paused_days if grievance.paused_days else settings.days_for(grievance.level)
    calendar = office_calendar(weekly_off=settings.weekly_off_days, around=now.date())
    grievance.due_at = calendar.deadline(now, days)
    grievance.paused_days = None
    grievance.reminded_at = None
