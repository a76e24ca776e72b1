"""API of the unit drill-down: units of the tree with what lies under them, as far as the caller's scope
reaches (``/api/v1/units``).

Ids are handed out only for units the caller may open: an ancestor outside the scope appears in the
breadcrumbs by code and name with ``id`` null, and so does ``parent_id``. Every unit id a client receives
can therefore be followed; any other answers 404, the same as a unit that does not exist.
"""

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Error, ObjectId, Text
from sangathan.org.schemas import CrumbOut, OfficeBearerOut, UnitRef, crumbs_out
from sangathan.org.selectors import unit_get_for_actor, unit_office_bearers, units_search
from sangathan.people.selectors import unit_children_with_counts, units_with_counts

router = Router(tags=["units"])


class CountsOut(Schema):
    people: int
    booths: int


class UnitOut(UnitRef):
    path: str
    depth: int
    parent_id: int | None = Field(..., description="Null for a root, or when the parent is outside scope.")
    breadcrumbs: list[CrumbOut] = Field(..., description="Ancestors, root first.")
    office_bearers: list[OfficeBearerOut]
    counts: CountsOut = Field(..., description="People and booths in the unit's subtree.")


class ChildOut(Schema):
    unit: UnitRef
    people: int
    booths: int


class UnitFilters(Schema):
    level: Text = Field("", max_length=40, description="Level code, e.g. assembly or booth.")
    q: Text = Field("", max_length=100, description="Start of the code, or part of the name.")


@router.get("", response=list[UnitRef])
@paginate(PagePagination)
def unit_list(request, filters: Query[UnitFilters]):
    """Units inside the caller's scope, in tree order, optionally of one level and matching ``q``."""
    return units_search(scope_for_request(request), level=filters.level, q=filters.q)


@router.get("/{unit_id}", response={200: UnitOut, 404: Error})
def unit_detail(request, unit_id: ObjectId):
    """A unit with its ancestors, current office-bearers and what lies under it."""
    scope = scope_for_request(request)
    unit = unit_get_for_actor(unit_id, scope)
    crumbs = crumbs_out(unit, scope)
    [counts] = units_with_counts([unit], scope)
    return {
        "id": unit.pk, "code": unit.code, "level": unit.level, "name_hi": unit.name_hi, "name_en": unit.name_en,
        "path": unit.path, "depth": unit.depth,
        "parent_id": crumbs[-1]["id"] if crumbs else None,
        "breadcrumbs": crumbs,
        "office_bearers": unit_office_bearers(unit),
        "counts": {"people": counts.people, "booths": counts.booths},
    }


@router.get("/{unit_id}/children", response={200: list[ChildOut], 404: Error})
@paginate(PagePagination)
def unit_children(request, unit_id: ObjectId):
    """Children of the unit with the people and booths under each, in tree order."""
    scope = scope_for_request(request)
    return unit_children_with_counts(unit_get_for_actor(unit_id, scope), scope)
