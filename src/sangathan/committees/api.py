"""API of committees (``/api/v1/committees``): types, completeness of a subtree and its children, the
exact missing items, and forming and changing committees. Scoped like every route: a unit or committee
outside the caller's scope answers 404, a write without write scope there 403, bad input 400/422 with
the field at fault. Every write runs the same action as the web pages."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.committees import checks
from sangathan.committees.models import Committee, CommitteeType
from sangathan.committees.schemas import (
    CommitteeIn,
    CommitteeOut,
    CommitteeReasonIn,
    CompletenessOut,
    ConvenerIn,
    MissingFilters,
    MissingOut,
    OfficeIn,
    SeatIn,
    TypeOut,
    UnitFilter,
)
from sangathan.committees.selectors import (
    MissingSequence,
    committee_get_for_actor,
    committee_seats,
    committee_types,
    completeness,
    labels,
    seat_get_for_actor,
)
from sangathan.committees.services import (
    committee_dissolve,
    committee_form,
    convener_name,
    member_add,
    member_remove,
    office_update,
    seat_warnings,
)
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Error, ObjectId
from sangathan.org.models import Post, Unit, Wing
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.models import Person

router = Router(tags=["committees"])


def _unit(scope, unit_id) -> Unit:
    if unit_id is None:
        if scope.sees_all:
            unit = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        else:
            paths = sorted(scope.read_paths)
            unit = Unit.objects.filter(path=paths[0]).first() if paths else None
        if unit is None:
            raise NotFound(_("No such unit."), field="unit")
        return unit
    try:
        return unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None


def _reasons(reasons, names) -> list[dict]:
    return [{"code": r["code"], "text": checks.reason_text(r, names),
             "params": {k: v for k, v in r.items() if k != "code"}} for r in reasons]


def _committee_out(committee: Committee) -> dict:
    names = labels()
    return {
        "id": committee.pk, "type": committee.type.code, "unit": committee.unit, "status": committee.status,
        "formed_on": committee.formed_on, "dissolved_on": committee.dissolved_on,
        "convener": committee.convener_id, "address": committee.address, "phone": committee.phone,
        "active_since": committee.active_since, "member_count": committee.member_count,
        "is_complete": committee.is_complete, "reasons": _reasons(committee.reasons, names),
        "seats": [{"id": s.pk, "person": s.person_id, "name": s.person.name, "post": s.post.code if s.post else None,
                   "wing": s.wing.code if s.wing else None, "start_date": s.start_date,
                   "warnings": seat_warnings(s.person, committee.unit)} for s in committee_seats(committee)],
    }


def _committee(request, committee_id):
    scope = scope_for_request(request)
    return scope, committee_get_for_actor(committee_id, scope)


@router.get("/types", response={200: list[TypeOut]})
def type_index(request):
    """The committee types with their rules (data: size range, required posts, composition rules)."""
    return committee_types()


@router.get("/completeness", response={200: CompletenessOut, 404: Error})
def completeness_read(request, filters: Query[UnitFilter]):
    """Per committee type: units of its level under ``unit``, committees formed, complete, missing; the
    same for each child unit (drill down by asking again with a child's id)."""
    scope = scope_for_request(request)
    unit = _unit(scope, filters.unit)
    total, rows = completeness(scope=scope, unit=unit)
    return {"unit": unit, "figures": [f.as_dict() for f in total.figures], "page_checks": _checks(total),
            "children": [{"unit": row.unit, "figures": [f.as_dict() for f in row.figures],
                          "page_checks": _checks(row)} for row in rows]}


def _checks(row) -> dict:
    return {"checked": row.checked, "working": row.working}


@router.get("/missing", response={200: list[MissingOut], 400: Error, 404: Error})
@paginate(PagePagination)
def missing_index(request, filters: Query[MissingFilters]):
    """Every unit under ``unit`` whose committee of a type is missing or incomplete, with the reasons."""
    scope = scope_for_request(request)
    unit = _unit(scope, filters.unit)
    types = committee_types()
    if filters.type:
        types = [t for t in types if t.code == filters.type]
        if not types:
            raise DomainError(_("No such committee type."), field="type")
    return _MissingOutSequence(MissingSequence(scope=scope, unit=unit, types=types), labels())


class _MissingOutSequence:
    def __init__(self, items: MissingSequence, names: dict):
        self.items, self.names = items, names

    def __len__(self) -> int:
        return len(self.items)

    def count(self) -> int:
        return len(self.items)

    def __getitem__(self, window: slice) -> list[dict]:
        return [{"unit": item.unit_id, "unit_code": item.unit_code, "unit_name": item.unit_name,
                 "type": item.type.code, "committee": item.committee_id,
                 "reasons": _reasons(item.reasons, self.names)} for item in self.items[window]]


@router.post("", response={201: CommitteeOut, 400: Error, 403: Error, 404: Error, 409: Error})
def committee_add(request, payload: CommitteeIn):
    """Form a committee of ``type`` at ``unit`` (write scope there)."""
    scope = scope_for_request(request)
    unit = _unit(scope, payload.unit)
    ctype = CommitteeType.objects.filter(code=payload.type).first()
    if ctype is None:
        raise DomainError(_("No such committee type."), field="type")
    committee = committee_form(scope=scope, unit=unit, type=ctype)
    return Status(201, _committee_out(committee_get_for_actor(committee.pk, scope)))


@router.get("/{committee_id}", response={200: CommitteeOut, 404: Error})
def committee_read(request, committee_id: ObjectId):
    return _committee_out(_committee(request, committee_id)[1])


@router.post("/{committee_id}/members", response={201: CommitteeOut, 400: Error, 403: Error, 404: Error, 409: Error})
def seat_add(request, committee_id: ObjectId, payload: SeatIn):
    """Seat a registered worker of the unit's subtree; ``warnings`` on the seat say when they are not from
    the unit itself or hold too many roles."""
    scope, committee = _committee(request, committee_id)
    scope.require(committee.unit_path, write=True)
    person = Person.objects.filter(pk=payload.person).first()
    if person is None or not scope.can_read_path(person.unit_path):
        raise DomainError(_("No such worker."), field="person")
    post = Post.objects.filter(code=payload.post).first() if payload.post else None
    if payload.post and post is None:
        raise DomainError(_("No such post."), field="post")
    wing = Wing.objects.filter(code=payload.wing).first() if payload.wing else None
    if payload.wing and wing is None:
        raise DomainError(_("No such wing."), field="wing")
    member_add(scope=scope, committee=committee, person=person, post=post, wing=wing)
    return Status(201, _committee_out(committee_get_for_actor(committee.pk, scope)))


@router.post("/{committee_id}/members/{seat_id}/remove", response={200: CommitteeOut, 400: Error, 403: Error,
                                                                    404: Error})
def seat_remove(request, committee_id: ObjectId, seat_id: ObjectId, payload: CommitteeReasonIn):
    scope, committee = _committee(request, committee_id)
    member_remove(scope=scope, seat=seat_get_for_actor(committee, seat_id), reason=payload.reason)
    return _committee_out(committee_get_for_actor(committee.pk, scope))


@router.post("/{committee_id}/convener", response={200: CommitteeOut, 400: Error, 403: Error, 404: Error})
def convener_put(request, committee_id: ObjectId, payload: ConvenerIn):
    scope, committee = _committee(request, committee_id)
    scope.require(committee.unit_path, write=True)
    person = Person.objects.filter(pk=payload.person).first()
    if person is None:
        raise DomainError(_("No such worker."), field="person")
    convener_name(scope=scope, committee=committee, person=person)
    return _committee_out(committee_get_for_actor(committee.pk, scope))


@router.put("/{committee_id}/office", response={200: CommitteeOut, 400: Error, 403: Error, 404: Error})
def office_put(request, committee_id: ObjectId, payload: OfficeIn):
    """An election office's address, phone and the day it became active."""
    scope, committee = _committee(request, committee_id)
    office_update(scope=scope, committee=committee, address=payload.address, phone=payload.phone,
                  active_since=payload.active_since)
    return _committee_out(committee_get_for_actor(committee.pk, scope))


@router.post("/{committee_id}/dissolve", response={200: CommitteeOut, 400: Error, 403: Error, 404: Error})
def dissolve(request, committee_id: ObjectId, payload: CommitteeReasonIn):
    scope, committee = _committee(request, committee_id)
    committee_dissolve(scope=scope, committee=committee, reason=payload.reason)
    return _committee_out(committee_get_for_actor(committee.pk, scope))
