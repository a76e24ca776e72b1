"""API of the people app: the registry of workers, always limited to the caller's scope.

Reading a full record writes an audit row; the list does not (it carries no more than a phone book).
"""

import math
from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.phones import mask_mobile
from sangathan.core.schemas import Body, Error, ObjectId, Text
from sangathan.org.schemas import CrumbOut, PositionOut, UnitRef, crumbs_out
from sangathan.org.selectors import person_positions, unit_get_for_actor
from sangathan.people.api_imports import router as imports_router
from sangathan.people.enums import PersonSource, PersonStatus, RelationKind
from sangathan.people.exports import ExportSpec, export_response
from sangathan.people.models import MEMBERSHIP_NO_MAX_LENGTH, NAME_MAX_LENGTH
from sangathan.people.privacy import can_see_mobile
from sangathan.people.search import COUNT_CAP, RANK, search_page
from sangathan.people.selectors import person_get_for_actor, person_list
from sangathan.people.services import person_create, person_update
from sangathan.people.timeline import person_timeline

router = Router(tags=["people"])
router.add_router("/imports", imports_router)

STATUS_PATTERN = "^(" + "|".join(PersonStatus.values) + ")?$"


class PersonFilters(Schema):
    unit: ObjectId | None = Field(None, description="Only people in this unit's subtree.")
    q: Text = Field("", max_length=100, description=(
        "Name in either script, mobile number (any common format, or its last 4–9 digits), voter ID or "
        "membership number. Results are ordered by relevance: exact, then word prefix, then similar names."))
    status: Text = Field("", pattern=STATUS_PATTERN, description="One of " + ", ".join(PersonStatus.values))
    post: Text = Field("", max_length=40, description="Code of a post the person currently holds.")
    wing: Text = Field("", max_length=40, description="Code of a wing the person currently holds a post in.")
    tag: Text = Field("", max_length=40, description="Code of a tag (skill or interest).")
    verified: bool | None = Field(None, description="true: verified records only; false: unverified only.")

    def person_list_kwargs(self, scope) -> dict:
        return {"unit": unit_get_for_actor(self.unit, scope) if self.unit else None, "q": self.q,
                "status": self.status, "post": self.post or None, "wing": self.wing or None, "tag": self.tag or None,
                "verified": self.verified}


class ExportFilters(PersonFilters):
    format: Text = Field("csv", pattern="^(csv|xlsx)$", description="csv or xlsx")


class SearchPageOutput(PagePagination.Output):
    """A page of a search: the plain page's keys and whether the count stopped at the cap."""

    count_capped: bool = Field(False, description=(
        f"true: a search found more than {COUNT_CAP:,} people; count is {COUNT_CAP:,} and pages cover those."))


class SearchPagination(PagePagination):
    """Page-number pagination; a ranked name search reads its page and its count in one query. A search
    counts up to ``COUNT_CAP`` matches: ``count`` stops there, ``count_capped`` says there are more, and
    ``pages`` covers the first ``COUNT_CAP``."""

    Output = SearchPageOutput

    def paginate_queryset(self, queryset, pagination, **params):
        if RANK not in queryset.query.annotations:
            return {**super().paginate_queryset(queryset, pagination, **params), "count_capped": False}
        items, total = search_page(queryset, (pagination.page - 1) * pagination.page_size, pagination.page_size)
        count = min(total, COUNT_CAP)
        return {"items": items, "count": count, "count_capped": total > COUNT_CAP, "page": pagination.page,
                "pages": max(1, math.ceil(count / pagination.page_size)), "page_size": pagination.page_size}


class PersonListItem(Schema):
    id: int
    name: str
    name_latin: str
    unit: UnitRef
    status: str
    mobile: str


class PersonListRow(PersonListItem):
    """A person in a list. ``mobile`` follows the masking rule (``people.privacy``)."""

    mobile: str = Field(..., description=(
        "E.164 for readers who may write where the person belongs; masked (98xxxxxx45) for read-only readers."))
    mobile_masked: bool

    @staticmethod
    def resolve_mobile(person, context):
        scope = scope_for_request(context["request"])
        return person.mobile if can_see_mobile(scope=scope, person_path=person.unit_path) else mask_mobile(
            person.mobile)

    @staticmethod
    def resolve_mobile_masked(person, context):
        return not can_see_mobile(scope=scope_for_request(context["request"]), person_path=person.unit_path)


class TagOut(Schema):
    code: str
    name: str


class ConsentOut(Schema):
    at: datetime | None = Field(..., description="When consent was given; null when never recorded.")
    method: str = Field(..., description="form, sms, verbal or app; empty when never recorded.")
    purposes: list[str] = Field(..., description="What it covers: records, messages, events.")


class VerificationOut(Schema):
    at: datetime | None
    by: str = Field(..., description="Display name of who verified; empty when not verified.")
    method: str = Field(..., description="otp, in_person or document; empty when not verified.")


class TimelineEntryOut(Schema):
    at: datetime
    kind: str = Field(..., description="edit, position, flag, … (one word per source).")
    title: str
    detail: str
    actor: str
    url: str


class PersonOut(PersonListItem):
    """A full record. ``mobile`` and ``alt_mobile`` are masked (``98xxxxxx45``) for read-only readers."""

    relative_name: str
    relation: str
    gender: str
    birth_year: int | None
    epic: str
    membership_no: str
    source: str
    photo_url: str = Field(..., description="Empty when there is no photo.")
    alt_mobile: str
    email: str
    address: str
    occupation: str
    education: str
    tags: list[TagOut]
    social: dict[str, str]
    joined_on: date | None
    consent: ConsentOut
    verification: VerificationOut
    unit_breadcrumbs: list[CrumbOut] = Field(..., description="Ancestors of the person's unit, root first.")
    positions: list[PositionOut] = Field(..., description="Current positions.")
    past_positions: list[PositionOut] = Field(..., description="Positions held earlier, newest first.")
    created_at: datetime
    updated_at: datetime


class PersonDetailOut(PersonOut):
    timeline: list[TimelineEntryOut] = Field(..., description="What touched the person, newest first.")


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
    alt_mobile: Text = Field("", max_length=32)
    email: Text = Field("", max_length=254)
    address: Text = Field("", max_length=500)
    occupation: Text = Field("", max_length=100)
    education: Text = Field("", max_length=100)
    tags: list[Text] = Field([], max_length=20, description="Tag codes, e.g. computer, legal.")
    social: dict[Text, Text] = Field({}, description='e.g. {"facebook": "…", "x": "…", "instagram": "…"}')
    joined_on: date | None = None
    membership_no: Text = Field("", max_length=MEMBERSHIP_NO_MAX_LENGTH,
                                description="Generated (e.g. MP-00012345) when not given.")
    source: Text = Field(PersonSource.MANUAL.value, max_length=12)
    consent_at: datetime | None = None
    consent_method: Text = Field("", max_length=10)
    consent_purposes: list[Text] = Field([], max_length=5)


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
    alt_mobile: Text | None = Field(None, max_length=32)
    email: Text | None = Field(None, max_length=254)
    address: Text | None = Field(None, max_length=500)
    occupation: Text | None = Field(None, max_length=100)
    education: Text | None = Field(None, max_length=100)
    tags: list[Text] | None = Field(None, max_length=20)
    social: dict[Text, Text] | None = None
    joined_on: date | None = None
    membership_no: Text | None = Field(None, max_length=MEMBERSHIP_NO_MAX_LENGTH)
    source: Text | None = Field(None, max_length=12)
    consent_at: datetime | None = None
    consent_method: Text | None = Field(None, max_length=10)
    consent_purposes: list[Text] | None = Field(None, max_length=5)


def _unit_field(unit_id, scope):
    """The unit a body names; when the caller cannot see it, a 404 that points at the field."""
    try:
        return unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None


def _person_out(person, scope, *, timeline: bool = False) -> dict:
    full = can_see_mobile(scope=scope, person_path=person.unit_path)
    positions = list(person_positions(person))
    out = {
        **{field: getattr(person, field) for field in (
            "id", "name", "name_latin", "unit", "status", "relative_name", "relation", "gender",
            "birth_year", "epic", "membership_no", "source", "email", "address", "occupation", "education",
            "social", "joined_on", "created_at", "updated_at")},
        "mobile": person.mobile if full else mask_mobile(person.mobile),
        "alt_mobile": person.alt_mobile if full or not person.alt_mobile else mask_mobile(person.alt_mobile),
        "photo_url": person.photo.url if person.photo else "",
        "tags": [{"code": tag.code, "name": tag.label} for tag in person.tags.order_by("code")],
        "consent": {"at": person.consent_at, "method": person.consent_method,
                    "purposes": person.consent_purposes or []},
        "verification": {"at": person.verified_at, "method": person.verified_method,
                         "by": (person.verified_by.display_name or person.verified_by.mobile)
                         if person.verified_by_id else ""},
        "unit_breadcrumbs": crumbs_out(person.unit, scope),
        "positions": [position for position in positions if position.is_current()],
        "past_positions": [position for position in positions if not position.is_current()],
    }
    if timeline:
        out["timeline"] = person_timeline(person=person, scope=scope)
    return out


@router.get("", response={200: list[PersonListRow], 404: Error})
@paginate(SearchPagination)
def person_index(request, filters: Query[PersonFilters]):
    """People inside the caller's scope, filtered and searched; by relevance when ``q`` is a name, else by
    Latin name. ``unit`` outside the scope answers 404."""
    scope = scope_for_request(request)
    return person_list(scope=scope, **filters.person_list_kwargs(scope), audit=True)


@router.get("/export", response={200: None, 404: Error, 422: Error})
def person_export(request, filters: Query[ExportFilters]):
    """The same list (same filters) as a CSV or XLSX file, streamed. The mobile column follows the masking
    rule; the export is written to the audit log with its filters and row count."""
    scope = scope_for_request(request)
    spec = ExportSpec(scope=scope, filters=filters.person_list_kwargs(scope), fmt=filters.format)
    return export_response(spec)


@router.post("", response={201: PersonOut, 400: Error, 403: Error, 404: Error, 409: Error, 429: Error})
def person_add(request, payload: PersonIn):
    """Register a person at a unit the caller may write to."""
    scope = scope_for_request(request)
    data = payload.dict()
    data["unit"] = _unit_field(payload.unit, scope)
    person = person_create(scope=scope, **data)
    return Status(201, _person_out(person, scope))


@router.get("/{int:person_id}", response={200: PersonDetailOut, 404: Error})
def person_detail(request, person_id: ObjectId):
    """A person's full record with current and past positions and the timeline. The read is audit-logged."""
    scope = scope_for_request(request)
    person = person_get_for_actor(person_id, scope)  # writes the read audit
    return _person_out(person, scope, timeline=True)


@router.patch("/{int:person_id}", response={200: PersonOut, 400: Error, 403: Error, 404: Error, 409: Error,
                                            429: Error})
def person_change(request, person_id: ObjectId, payload: PersonPatch):
    """Change the fields sent; moving a person needs write access at both units."""
    scope = scope_for_request(request)
    person = person_get_for_actor(person_id, scope, audit=False)  # the update writes its history row
    changes = payload.dict(exclude_unset=True)
    if changes.get("unit") is not None:
        changes["unit"] = _unit_field(changes["unit"], scope)
    person = person_update(scope=scope, person=person, **changes)
    return _person_out(person, scope)
