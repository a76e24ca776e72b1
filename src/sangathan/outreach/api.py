"""API of booth contact: the caller's list and call log, compliance and feedback for a unit, programs.

A caller sees only their own calls; compliance and feedback need the unit inside the reader's scope (404
otherwise, as for anything outside it).
"""

from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core import clock
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Body, Error, ObjectId, Text
from sangathan.org.schemas import UnitRef
from sangathan.org.selectors import unit_get_for_actor
from sangathan.outreach import selectors
from sangathan.outreach.services import assignment_get_for_caller, call_log_save

router = Router(tags=["outreach"])
MAX_PERIOD_DAYS = 366


class PersonContactRef(Schema):
    id: int
    name: str
    mobile: str


class CallLogOut(Schema):
    id: int
    reached: bool
    outcome: str
    wellbeing_self: str
    wellbeing_family: str
    position_score: int | None
    position_note: str
    needs: list[str]
    needs_note: str
    followup_wanted: bool
    followup_note: str
    answers: list[str]
    notes: str
    logged_at: datetime
    updated_at: datetime


class CallOut(Schema):
    id: int
    kind: str
    day: date
    rank: int
    status: str
    target: PersonContactRef
    booth: UnitRef = Field(..., alias="target_unit")
    questions: list[str]
    log: CallLogOut | None = None


class CallLogIn(Body):
    """What the call found. ``outcome`` is one of reached, busy, no_answer, switched_off, wrong_number;
    the rest counts only when the call got through."""

    outcome: Text = Field(..., max_length=20)
    wellbeing_self: Text = Field("", max_length=10)
    wellbeing_family: Text = Field("", max_length=10)
    position_score: int | None = Field(None, ge=1, le=5)
    position_note: Text = Field("", max_length=500)
    needs: list[Text] = Field(default_factory=list, max_length=10)
    needs_note: Text = Field("", max_length=500)
    followup_wanted: bool = False
    followup_note: Text = Field("", max_length=500)
    answers: list[Text] = Field(default_factory=list, max_length=10)
    notes: Text = Field("", max_length=1000)


class PeriodFilters(Schema):
    unit: ObjectId | None = Field(None, description="The unit (default: the top of the reader's scope).")
    start: date | None = Field(None, description="First day (default: six days before end).")
    end: date | None = Field(None, description="Last day (default: today).")


class ComplianceOut(Schema):
    unit: UnitRef
    start: date
    end: date
    assigned: int
    called_same_day: int
    reached: int
    overdue: int
    pending: int
    called_share: float
    reached_share: float


class NeedCount(Schema):
    category: str
    label: str
    count: int


class FeedbackOut(Schema):
    unit: UnitRef
    start: date
    end: date
    calls: int
    reached: int
    scores: dict[str, int]
    average_score: float | None
    needs: list[NeedCount]
    open_followups: int


class ProgramOut(Schema):
    id: int
    code: str
    name_hi: str
    name_en: str
    target_root: UnitRef
    target_level: str
    pairing_level: str
    per_caller_per_day: int
    working_days: list[int]
    send_time: str
    reminder_time: str
    channel: str
    is_active: bool

    @staticmethod
    def resolve_send_time(obj) -> str:
        return obj.send_time.strftime("%H:%M")

    @staticmethod
    def resolve_reminder_time(obj) -> str:
        return obj.reminder_time.strftime("%H:%M")


@router.get("/today", response={200: list[CallOut]})
@paginate(PagePagination)
def calls_today(request):
    """The caller's own calls of today, in list order (the read of the list is audit-logged)."""
    calls = selectors.call_list_get_for_actor(scope_for_request(request), day=clock.today())
    for call in calls:
        call.log = getattr(call, "log", None)
    return calls


@router.put("/calls/{assignment_id}/log", response={200: CallLogOut, 400: Error, 403: Error, 404: Error})
def call_log_put(request, assignment_id: ObjectId, payload: CallLogIn):
    """Log a call, or correct the log the same day. Only the assigned caller; after its day: 400 (expired)."""
    scope = scope_for_request(request)
    assignment = assignment_get_for_caller(assignment_id, scope)
    return call_log_save(scope=scope, assignment=assignment, **payload.dict())


def _period(request, filters: PeriodFilters):
    scope = scope_for_request(request)
    if filters.unit:
        try:
            unit = unit_get_for_actor(filters.unit, scope)
        except NotFound:
            raise NotFound(_("No such unit."), field="unit") from None
    else:
        from sangathan.org.selectors import scope_root_units

        roots = scope_root_units(scope)
        if not roots:
            raise NotFound(_("No such unit."), field="unit")
        unit = roots[0]
    end = filters.end or clock.today()
    start = filters.start or end - timedelta(days=6)
    if start > end:
        raise DomainError(_("The period must start before it ends."), field="start")
    if (end - start).days >= MAX_PERIOD_DAYS:
        raise DomainError(_("Ask for at most a year at a time."), field="start")
    return scope, unit, start, end


@router.get("/compliance", response={200: ComplianceOut, 400: Error, 404: Error})
def compliance(request, filters: Query[PeriodFilters]):
    """Booth contact about booths under ``unit``: calls given, made the same day, reached, overdue."""
    scope, unit, start, end = _period(request, filters)
    figures = selectors.booth_contact_compliance(scope=scope, unit=unit, start=start, end=end)
    return {"unit": unit, "start": start, "end": end, **figures}


@router.get("/feedback", response={200: FeedbackOut, 400: Error, 404: Error})
def feedback(request, filters: Query[PeriodFilters]):
    """What booth presidents under ``unit`` said: position scores, needs, open follow-ups."""
    scope, unit, start, end = _period(request, filters)
    data = selectors.booth_feedback(scope=scope, unit=unit, start=start, end=end)
    return {"unit": unit, "start": start, "end": end, "calls": data["calls"], "reached": data["reached"],
            "scores": {str(k): v for k, v in data["scores"].items()}, "average_score": data["average_score"],
            "needs": [{"category": c, "label": label, "count": n} for c, label, n in data["needs"]],
            "open_followups": data["open_followups"]}


@router.get("/programs", response={200: list[ProgramOut]})
@paginate(PagePagination)
def programs(request):
    """Contact programs over units inside the reader's scope."""
    return selectors.programs_visible(scope_for_request(request)).order_by("code")
