"""Probable duplicates in the API (``/api/v1/people/duplicates``): the review list, one pair, merge, dismiss."""

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError
from sangathan.core.pagination import PagePagination
from sangathan.core.phones import mask_mobile
from sangathan.core.schemas import Body, Error, ObjectId
from sangathan.org.schemas import UnitRef
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.dedup import duplicate_candidates, duplicate_dismiss, duplicate_get_for_actor
from sangathan.people.merge import MERGED, SURVIVOR, person_merge
from sangathan.people.privacy import can_see_mobile
from sangathan.people.services.duplicates import duplicates_find_queue

router = Router(tags=["people"])


class PairPerson(Schema):
    id: int
    name: str
    name_latin: str
    relative_name: str
    mobile: str = Field(..., description="E.164, or masked (98xxxxxx45) for a read-only reader.")
    epic: str
    unit: UnitRef
    status: str

    @staticmethod
    def resolve_mobile(person, context):
        scope = scope_for_request(context["request"])
        return person.mobile if can_see_mobile(scope=scope, person_path=person.unit_path) else mask_mobile(
            person.mobile)


class PairOut(Schema):
    id: int
    person_a: PairPerson
    person_b: PairPerson
    reasons: list[str] = Field(..., description="mobile: one's alternate mobile is the other's; name: same "
                                                 "unit, similar name and father's/husband's name.")
    score: int
    status: str


class PairFilters(Schema):
    unit: ObjectId | None = Field(None, description="Only pairs with a record in this unit's subtree.")


class FindIn(Body):
    unit: ObjectId


class MergeIn(Body):
    survivor: ObjectId = Field(..., description="Id of the record to keep: one of the pair.")
    field_choices: dict[str, str] = Field(default_factory=dict, description=(
        'Per field, "survivor" or "merged": whose value the kept record ends with (default: the '
        "survivor's, or the merged record's where the survivor's is empty). Includes \"mobile\"."))


class MergeOut(Schema):
    merge_id: int
    survivor: int
    merged_id: int


@router.get("", response={200: list[PairOut], 404: Error})
@paginate(PagePagination)
def duplicate_index(request, filters: Query[PairFilters]):
    """Open pairs whose two records are both inside the caller's scope, best first."""
    scope = scope_for_request(request)
    unit = unit_get_for_actor(filters.unit, scope) if filters.unit else None
    return duplicate_candidates(scope=scope, unit=unit)


@router.post("/find", response={202: dict, 403: Error, 404: Error})
def duplicate_find(request, payload: FindIn):
    """Queue the search for duplicates under a unit the caller may write to."""
    scope = scope_for_request(request)
    unit = unit_get_for_actor(payload.unit, scope)
    duplicates_find_queue(scope=scope, unit=unit)
    return Status(202, {"queued": True, "unit": unit.pk})


@router.get("/{candidate_id}", response={200: PairOut, 404: Error})
def duplicate_detail(request, candidate_id: ObjectId):
    return duplicate_get_for_actor(candidate_id, scope_for_request(request))


@router.post("/{candidate_id}/dismiss", response={200: PairOut, 400: Error, 403: Error, 404: Error})
def duplicate_dismiss_pair(request, candidate_id: ObjectId):
    """Not the same person: the pair is not proposed again."""
    scope = scope_for_request(request)
    return duplicate_dismiss(scope=scope, candidate=duplicate_get_for_actor(candidate_id, scope, audit=False))


@router.post("/{candidate_id}/merge", response={200: MergeOut, 400: Error, 403: Error, 404: Error, 409: Error})
def duplicate_merge(request, candidate_id: ObjectId, payload: MergeIn):
    """Merge the pair into ``survivor``; every reference of the other record moves to it."""
    scope = scope_for_request(request)
    pair = duplicate_get_for_actor(candidate_id, scope, audit=False)  # the merge writes its own audit row
    if pair.status != pair.Status.OPEN or pair.person_a is None or pair.person_b is None:
        raise DomainError("This pair has already been decided.", code="decided")
    if payload.survivor not in (pair.person_a_id, pair.person_b_id):
        raise DomainError("The survivor must be one of the pair.", field="survivor")
    survivor, merged = ((pair.person_a, pair.person_b) if payload.survivor == pair.person_a_id
                        else (pair.person_b, pair.person_a))
    bad = [name for name, side in payload.field_choices.items() if side not in (SURVIVOR, MERGED)]
    if bad:
        raise DomainError('Use "survivor" or "merged".', field=f"field_choices.{bad[0]}")
    merge = person_merge(scope=scope, survivor=survivor, merged=merged, field_choices=payload.field_choices)
    return {"merge_id": merge.pk, "survivor": survivor.pk, "merged_id": merge.merged_id}
