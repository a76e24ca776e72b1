"""Helpers of the hearing tests: a grievance already at the state cell, times on the cell's Monday."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import ControlledClock
from sangathan.core.clock import now as clock_now
from sangathan.grievances.enums import GrievanceChannel, GrievanceKind, GrievanceLevel
from sangathan.grievances.services import grievance_create, grievances_escalate_overdue

# The clock fixture's time is process-wide: any ControlledClock moves it (the fixture releases it).
CLOCK = ControlledClock()


def state_grievance(cell, subject="पेंशन प्रकरण लंबित", mobile="9826011111", name="रामलाल"):
    """A grievance taken at district 1 three weeks ago and escalated to the state cell by the sweep."""
    now = clock_now()
    CLOCK.set(now - timedelta(days=21))
    grievance = grievance_create(
        scope=scope_for_user(cell["district_convener"]), unit=cell.tree["d1a1b1"], channel=GrievanceChannel.DISTRICT_OFFICE,
        kind=GrievanceKind.ORGANIZATIONAL, subject=subject, description="", complainant_name=name,
        complainant_mobile=mobile, department=cell.departments["revenue"])
    CLOCK.set(now)
    grievances_escalate_overdue(scope=Scope.system())
    grievance.refresh_from_db()
    assert grievance.level == GrievanceLevel.STATE
    return grievance


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
