"""Writes of the org app: the vocabulary, units, overlays and positions.

Every write is an action (``core.actions.Action``) on a required ``scope``: it checks permission and
input, writes, and records history (``OrgChange``, ``PositionHistory``) in one transaction. Callers never
``save()``.
"""

from sangathan.org.services.positions import (
    PositionAssign,
    PositionEnd,
    PositionHandover,
    position_assign,
    position_end,
    position_handover,
)
from sangathan.org.services.units import (
    OverlayCreate,
    UnitCreate,
    overlay_create,
    unit_booths_recount,
    unit_create,
)
from sangathan.org.services.vocabulary import (
    LevelCreate,
    LevelUpdate,
    OrgSeedDefaults,
    PostCreate,
    PostUpdate,
    WingCreate,
    WingUpdate,
    level_create,
    level_update,
    org_seed_defaults,
    post_create,
    post_update,
    wing_create,
    wing_update,
)

__all__ = [
    "LevelCreate", "LevelUpdate", "OrgSeedDefaults", "OverlayCreate", "PositionAssign", "PositionEnd",
    "PositionHandover", "PostCreate", "PostUpdate", "UnitCreate", "WingCreate", "WingUpdate", "level_create",
    "level_update", "org_seed_defaults", "overlay_create", "position_assign", "position_end", "position_handover",
    "post_create", "post_update", "unit_booths_recount", "unit_create", "wing_create", "wing_update",
]
