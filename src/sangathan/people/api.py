"""API of the people app: the registry of workers, always limited to the caller's scope.

Reading a full record writes an audit row; the list does not (it carries no more than a phone book).
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_record
from sangathan.core.errors import NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Body, Error, ObjectId, Text
from sangathan.org.schemas import CrumbOut, PositionOut, UnitRef, crumbs_out
from sangathan.org.selectors import person_positions, unit_get_for_actor
from sangathan.people.enums import PersonStatus, RelationKind
from sangathan.people.models import NAME_MAX_LENGTH
from sangathan.people.selectors import person_get_for_actor, person_list
from sangathan.people.services import person_create, person_update

router = Router(tags=["people"])

STATUS_PATTERN = "^(" + "|".join(PersonStatus.values) + ")?$"


class PersonFilters(Schema):
    unit: ObjectId | None = Field(None, description="Only people in this unit's subtree.")
    q: Text = Field("", max_length=100, description="Name in either script, mobile number or voter ID.")
    status: Text = Field("", pattern=STATUS_PATTERN, description="One of " + ", ".join(PersonStatus.values))


class PersonListItem(Schema):
    id: int
    name: str
    name_latin: str
    unit: UnitRef
    status: str
    mobile: str


class PersonOut(PersonListItem):
    relative_name: str
    relation: str
    gender: str
    birth_year: int | None
    epic: str
    unit_breadcrumbs: list[CrumbOut] = Field(..., description="Ancestors of the person's unit, root first.")
    positions: list[PositionOut] = Field(..., description="Current positions.")
    created_at: datetime
    updated_at: datetime


class PersonIn(Body):
    """A new person. Mobile and voter ID are accepted in any common spelling and stored normalized."""

    name: Text = Field(..., max_length=NAME_MAX_LENGTH)
    mobile: Text = Field(..., max_length=32)
    unit: ObjectId
    relative_name: Text = Field("", max_length=NAME_MAX_LENGTH)
    relation: Text = Field(RelationKind.FATHER.value, max_length=10)
    gender: Text = Field("", max_length=1)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    epic: Text = Field("", max_length=32)
    status: Text = Field(PersonStatus.ACTIVE.value, max_length=10)


class PersonPatch(Body):
    """Only the fields sent are changed."""

    name: Text | None = Field(None, max_length=NAME_MAX_LENGTH)
    mobile: Text | None = Field(None, max_length=32)
    unit: ObjectId | None = None
    relative_name: Text | None = Field(None, max_length=NAME_MAX_LENGTH)
    relation: Text | None = Field(None, max_length=10)
    gender: Text | None = Field(None, max_length=1)
    birth_year: int | None = Field(None, ge=1900, le=2100)
    epic: Text | None = Field(None, max_length=32)
    status: Text | None = Field(None, max_length=10)


def _unit_field(unit_id, scope):
    """The unit a body names; when the caller cannot see it, a 404 that points at the field."""
    try:
        return unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None


def _person_out(person, scope) -> dict:
    return {
        **{field: getattr(person, field) for field in (
            "id", "name", "name_latin", "unit", "status", "mobile", "relative_name", "relation", "gender",
            "birth_year", "epic", "created_at", "updated_at")},
        "unit_breadcrumbs": crumbs_out(person.unit, scope),
        "positions": person_positions(person, current_only=True),
    }


@router.get("", response={200: list[PersonListItem], 404: Error})
@paginate(PagePagination)
def person_index(request, filters: Query[PersonFilters]):
    """People inside the caller's scope, by Latin name; ``unit`` outside the scope answers 404."""
    scope = scope_for_request(request)
    unit = unit_get_for_actor(filters.unit, scope) if filters.unit else None
    return person_list(scope=scope, unit=unit, q=filters.q, status=filters.status)


@router.post("", response={201: PersonOut, 400: Error, 403: Error, 404: Error, 409: Error})
def person_add(request, payload: PersonIn):
    """Register a person at a unit the caller may write to."""
    scope = scope_for_request(request)
    data = payload.dict()
    data["unit"] = _unit_field(payload.unit, scope)
    person = person_create(actor=request.user, scope=scope, **data)
    return Status(201, _person_out(person, scope))


@router.get("/{person_id}", response={200: PersonOut, 404: Error})
def person_detail(request, person_id: ObjectId):
    """A person's full record. The read is written to the audit log."""
    scope = scope_for_request(request)
    person = person_get_for_actor(person_id, scope)
    audit_record(actor=request.user, action=AuditLog.Action.PERSON_VIEW, request=request, target=person,
                 unit_path=person.unit_path, channel="api")
    return _person_out(person, scope)


@router.patch("/{person_id}", response={200: PersonOut, 400: Error, 403: Error, 404: Error, 409: Error})
def person_change(request, person_id: ObjectId, payload: PersonPatch):
    """Change the fields sent; moving a person needs write access at both units."""
    scope = scope_for_request(request)
    person = person_get_for_actor(person_id, scope)
    changes = payload.dict(exclude_unset=True)
    if changes.get("unit") is not None:
        changes["unit"] = _unit_field(changes["unit"], scope)
    person = person_update(actor=request.user, scope=scope, person=person, **changes)
    return _person_out(person, scope)
