"""Writes of the rosters app, one module per topic; import from here."""

from sangathan.rosters.services.hearings import (
    DirectionIn,
    hearing_case_record,
    hearing_direction_complete,
    hearing_schedule,
    hearing_walk_in,
    hearings_carry_over,
)
from sangathan.rosters.services.offices import (
    office_create,
    office_update,
    sitting_day_add,
    sitting_day_remove,
)
from sangathan.rosters.services.roster import (
    roster_absence,
    roster_generate,
    roster_holidays,
    roster_rotation_set,
    roster_swap,
)
from sangathan.rosters.services.sessions import hearing_session_open, next_session_for

__all__ = [
    "DirectionIn",
    "hearing_case_record",
    "hearing_direction_complete",
    "hearing_schedule",
    "hearing_session_open",
    "hearing_walk_in",
    "hearings_carry_over",
    "next_session_for",
    "office_create",
    "office_update",
    "sitting_day_add",
    "sitting_day_remove",
    "roster_absence",
    "roster_generate",
    "roster_holidays",
    "roster_rotation_set",
    "roster_swap",
]
