"""Writes of the rosters app, one module per topic; import from here."""

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

__all__ = [
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
