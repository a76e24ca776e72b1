"""API of the rosters app: offices, sitting days, the minister roster and hearings.

Every read is limited to the caller's scope; an office, a hearing or a person outside it answers 404, exactly
like a missing id. Writes need the right to manage the office or run the hearing (``rosters.policies``,
decided by the services): 403 otherwise.
"""

from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core import clock
from sangathan.core.errors import NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Body, Day, Error, ObjectId, Text, TimeIn, TimeOut
from sangathan.rosters.models import SittingDay
from sangathan.rosters.selectors import (
    direction_owner_get,
    hearing_case_get_for_actor,
    hearing_cases,
    hearing_session_get_for_actor,
    hearings_for,
    office_bearer_get,
    office_days,
    office_get_for_actor,
    offices_visible,
    roster_days,
    roster_member_get,
)
from sangathan.rosters.services import (
    DirectionIn,
    hearing_case_record,
    hearing_schedule,
    roster_absence,
    roster_generate,
    roster_swap,
    sitting_day_add,
    sitting_day_remove,
)

router = Router(tags=["rosters"])


class OfficeOut(Schema):
    id: int
    name: str
    address: str
    kind: str
    unit_id: int
    unit_name: str
    is_active: bool

    @staticmethod
    def resolve_unit_name(office) -> str:
        return office.unit.name


class SittingOut(Schema):
    person_id: int
    name: str
    title: str
    starts_at: TimeOut
    ends_at: TimeOut
    is_minister: bool
    changed: bool


class DayOut(Schema):
    date: date
    sittings: list[SittingOut]


class SittingDayOut(Schema):
    id: int
    person_id: int
    person_name: str
    weekday: int
    starts_at: TimeOut
    ends_at: TimeOut
    note: str

    @staticmethod
    def resolve_person_name(day) -> str:
        return day.person.name


class SittingDayIn(Body):
    person: ObjectId
    weekday: int = Field(..., ge=0, le=6, description="0 = Monday … 6 = Sunday.")
    starts_at: TimeIn
    ends_at: TimeIn
    note: Text = Field("", max_length=200)


class RosterDayOut(Schema):
    date: date
    person_id: int
    person_name: str
    scheduled_person_id: int
    starts_at: TimeOut
    ends_at: TimeOut

    @staticmethod
    def resolve_person_name(day) -> str:
        return day.person.name


class PeriodIn(Body):
    start: Day
    end: Day


class SwapIn(Body):
    first: Day
    second: Day
    reason: Text = Field(..., max_length=300)


class AbsenceIn(Body):
    on: Day
    reason: Text = Field(..., max_length=300)
    substitute: ObjectId | None = Field(None, description="A person; empty: the next in the rotation.")


class WeekQuery(Schema):
    start: Day | None = Field(None, description="First day (default: today).")
    days: int = Field(7, ge=1, le=31)


def _field(error: NotFound, field: str) -> NotFound:
    return NotFound(error.message, field=field)


@router.get("/offices", response={200: list[OfficeOut]})
@paginate(PagePagination)
def office_index(request):
    """Offices inside the caller's scope."""
    return offices_visible(scope_for_request(request))


@router.get("/offices/{office_id}", response={200: OfficeOut, 404: Error})
def office_detail(request, office_id: ObjectId):
    return office_get_for_actor(office_id, scope_for_request(request))


@router.get("/offices/{office_id}/days", response={200: list[DayOut], 404: Error})
def office_week(request, office_id: ObjectId, query: Query[WeekQuery]):
    """Who sits at the office on each day: office-bearers' sitting days and the roster's minister."""
    office = office_get_for_actor(office_id, scope_for_request(request))
    return office_days(office, query.start or clock.today(), days=query.days)


@router.get("/offices/{office_id}/sittings", response={200: list[SittingDayOut], 404: Error})
def sitting_index(request, office_id: ObjectId):
    office = office_get_for_actor(office_id, scope_for_request(request))
    return list(SittingDay.objects.filter(office=office).select_related("person"))


@router.post("/offices/{office_id}/sittings", response={201: SittingDayOut, 400: Error, 403: Error, 404: Error,
                                                         409: Error})
def sitting_add(request, office_id: ObjectId, payload: SittingDayIn):
    scope = scope_for_request(request)
    office = office_get_for_actor(office_id, scope)
    try:
        person = office_bearer_get(office, payload.person)
    except NotFound as error:
        raise _field(error, "person") from None
    day = sitting_day_add(scope=scope, office=office, person=person, weekday=payload.weekday, starts_at=payload.starts_at, ends_at=payload.ends_at,
                          note=payload.note)
    return Status(201, day)


@router.delete("/offices/{office_id}/sittings/{sitting_id}", response={204: None, 403: Error, 404: Error})
def sitting_delete(request, office_id: ObjectId, sitting_id: ObjectId):
    scope = scope_for_request(request)
    office = office_get_for_actor(office_id, scope)
    day = SittingDay.objects.filter(office=office, pk=sitting_id).select_related("office", "person").first()
    if day is None:
        raise NotFound()
    sitting_day_remove(scope=scope, sitting_day=day)
    return Status(204, None)


@router.get("/offices/{office_id}/roster", response={200: list[RosterDayOut], 404: Error})
def roster_index(request, office_id: ObjectId, query: Query[WeekQuery]):
    """The minister roster from ``start`` (default today) for ``days`` days."""
    office = office_get_for_actor(office_id, scope_for_request(request))
    start = query.start or clock.today()
    return list(roster_days(office, start, start + timedelta(days=query.days - 1)))


@router.post("/offices/{office_id}/roster/generate", response={201: list[RosterDayOut], 400: Error, 403: Error,
                                                                404: Error})
def roster_generate_endpoint(request, office_id: ObjectId, payload: PeriodIn):
    """Draw up the roster days of a period not drawn up yet; answers the new days."""
    scope = scope_for_request(request)
    office = office_get_for_actor(office_id, scope)
    days = roster_generate(scope=scope, office=office, start=payload.start, end=payload.end)
    return Status(201, days)


@router.post("/offices/{office_id}/roster/swap", response={200: list[RosterDayOut], 400: Error, 403: Error,
                                                            404: Error})
def roster_swap_endpoint(request, office_id: ObjectId, payload: SwapIn):
    scope = scope_for_request(request)
    office = office_get_for_actor(office_id, scope)
    return list(roster_swap(scope=scope, office=office, first=payload.first,
                            second=payload.second, reason=payload.reason))


@router.post("/offices/{office_id}/roster/absence", response={200: RosterDayOut, 400: Error, 403: Error,
                                                               404: Error})
def roster_absence_endpoint(request, office_id: ObjectId, payload: AbsenceIn):
    scope = scope_for_request(request)
    office = office_get_for_actor(office_id, scope)
    try:
        substitute = roster_member_get(office, payload.substitute) if payload.substitute else None
    except NotFound as error:
        raise _field(error, "substitute") from None
    return roster_absence(scope=scope, office=office, on=payload.on, reason=payload.reason,
                          substitute=substitute)


# --- Hearings ---------------------------------------------------------------------------------------------

class CaseOut(Schema):
    id: int
    token: int
    grievance_id: int
    tracking_code: str
    subject: str
    complainant_name: str
    source: str
    outcome: str
    note: str
    slot_at: datetime

    @staticmethod
    def resolve_tracking_code(case) -> str:
        return case.grievance.tracking_code

    @staticmethod
    def resolve_subject(case) -> str:
        return case.grievance.subject

    @staticmethod
    def resolve_complainant_name(case) -> str:
        return case.grievance.complainant_name


class SessionOut(Schema):
    id: int
    office_id: int
    office_name: str
    date: date
    person_id: int
    person_name: str
    starts_at: TimeOut
    ends_at: TimeOut
    status: str

    @staticmethod
    def resolve_office_name(session) -> str:
        return session.office.name

    @staticmethod
    def resolve_person_name(session) -> str:
        return session.person.name


class SessionDetailOut(SessionOut):
    cases: list[CaseOut]

    @staticmethod
    def resolve_cases(session) -> list:
        return hearing_cases(session)


class HearingQuery(Schema):
    start: Day | None = Field(None, description="First day (default: today).")
    days: int = Field(1, ge=1, le=31)


class DirectionBody(Body):
    owner: ObjectId
    text: Text = Field(..., max_length=1000)
    deadline: Day


class OutcomeIn(Body):
    outcome: Text = Field(..., pattern="^(resolved|directions|adjourned)$")
    note: Text = Field("", max_length=2000)
    directions: list[DirectionBody] = Field(default_factory=list, max_length=10)


class ScheduleIn(Body):
    grievance: ObjectId


@router.get("/hearings", response={200: list[SessionOut]})
def hearing_index(request, query: Query[HearingQuery]):
    """Hearings the caller sits at, manages or (the state support cell) sees, from ``start`` for ``days``."""
    start = query.start or clock.today()
    return list(hearings_for(scope_for_request(request), start, start + timedelta(days=query.days - 1)))


@router.get("/hearings/{session_id}", response={200: SessionDetailOut, 404: Error})
def hearing_detail(request, session_id: ObjectId):
    """A hearing with its list of cases in token order."""
    return hearing_session_get_for_actor(session_id, scope_for_request(request))


@router.post("/hearings/{session_id}/cases", response={201: CaseOut, 400: Error, 403: Error, 404: Error,
                                                         409: Error})
def hearing_case_add(request, session_id: ObjectId, payload: ScheduleIn):
    """Put a grievance the caller can see on the hearing's list with the next token."""
    from sangathan.grievances.selectors import grievances_visible

    scope = scope_for_request(request)
    session = hearing_session_get_for_actor(session_id, scope)
    # Looked up without the read audit: putting it on a list is not reading the record.
    grievance = grievances_visible(scope).filter(pk=payload.grievance).first()
    if grievance is None:
        raise NotFound(_("No such grievance."), field="grievance")
    return Status(201, hearing_schedule(scope=scope, session=session, grievance=grievance))


@router.post("/hearings/{session_id}/cases/{case_id}/outcome", response={200: CaseOut, 400: Error, 403: Error,
                                                                          404: Error})
def hearing_case_outcome(request, session_id: ObjectId, case_id: ObjectId, payload: OutcomeIn):
    """Record what came of a case: ``resolved`` (with a note), ``directions`` (each with owner, text and
    deadline; an owner the hearing page does not offer answers 404) or ``adjourned`` (with a note; carried to
    the next session)."""
    scope = scope_for_request(request)
    session = hearing_session_get_for_actor(session_id, scope)
    case = hearing_case_get_for_actor(session, case_id)
    directions = []
    for i, item in enumerate(payload.directions):
        try:
            owner = direction_owner_get(case.grievance, item.owner)
        except NotFound as error:
            raise _field(error, f"directions.{i}.owner") from None
        directions.append(DirectionIn(owner=owner, text=item.text, deadline=item.deadline))
    case = hearing_case_record(scope=scope, case=case, outcome=payload.outcome, note=payload.note,
                               directions=directions)
    case.refresh_from_db()
    return case
