"""API of events (``/api/v1/events``): events, invitations, attendance (organizer and self check-in with a
nonce), decisions, the live address's funnel, series and their "not held" report, workshop plans and tours.
Scoped like every route: outside the caller's reach 404, read-only 403, bad input 400/422 by field. Every
write runs the same action as the web pages."""

from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Error, ObjectId
from sangathan.events import reports, selectors
from sangathan.events.models import Event, Invitation
from sangathan.events.plan_state import plan_state
from sangathan.events.schemas import (
    AttendanceIn,
    CancelIn,
    CheckInIn,
    CountedOut,
    DecisionIn,
    DecisionOut,
    EventFilters,
    EventIn,
    EventPatchIn,
    EventUnitFilter,
    FunnelOut,
    HeldIn,
    LocationAttendanceIn,
    LocationIn,
    LocationOut,
    MeetingOut,
    NotHeldOut,
    PlanOut,
    SendOut,
    SeriesIn,
    SeriesOut,
    TourIn,
    TourOut,
)
from sangathan.events.services import (
    attendance_mark,
    check_in_by_code,
    decision_add,
    event_cancel,
    event_create,
    event_record_held,
    event_update,
    invitations_send,
    location_add,
    location_attendance_mark,
    plan_suggest,
    series_create,
    tour_create,
)
from sangathan.org.models import Unit
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.models import Person

router = Router(tags=["events"])
ERRORS = {400: Error, 403: Error, 404: Error}


def _unit(scope, unit_id) -> Unit:
    if unit_id is None:
        paths = sorted(scope.read_paths)
        unit = (Unit.objects.filter(parent__isnull=True).order_by("path").first() if scope.sees_all
                else Unit.objects.filter(path=paths[0]).first() if paths else None)
    else:
        try:
            unit = unit_get_for_actor(unit_id, scope)
        except NotFound:
            unit = None
    if unit is None:
        raise NotFound(_("No such unit."), field="unit")
    return unit


def _event_out(event: Event) -> dict:
    counts = selectors.invitation_counts(event)
    return {"id": event.pk, "kind": event.kind, "title": event.title, "status": event.status, "unit": event.unit_id,
            "venue": event.venue_id, "starts_at": event.starts_at, "ends_at": event.ends_at, "period": event.period,
            "series": event.series_id, "tour": event.tour_id, "held_on": event.held_on, "cancel_reason": event.cancel_reason,
            "attendance_count": event.attendance_count, "invited": counts["invited"], "attended": counts["attended"]}


def _person(scope, person_id: int, field: str) -> Person:
    person = scope.filter(Person.objects.filter(pk=person_id), "unit_path").first()
    if person is None:
        raise DomainError(_("No such worker."), field=field)
    return person


@router.get("/series/{series_id}/not-held", response={200: NotHeldOut, 404: Error})
def not_held_read(request, series_id: ObjectId, filters: Query[EventUnitFilter]):
    """Expected and held per district (or a district's children) and month, up to this month."""
    scope = scope_for_request(request)
    series = selectors.series_get_for_actor(scope, series_id)
    unit = (_unit(scope, filters.unit) if filters.unit
            else series.unit if scope.can_read_path(series.unit_path) else _unit(scope, None))
    periods, rows = reports.not_held(scope=scope, series=series, unit=unit)
    return {"periods": periods, "rows": [
        {"unit": r.unit.pk if r.unit else None, "name": r.unit.name if r.unit else r.prefix, "missing": r.missing,
         "months": [{"period": p, "expected": e, "held": h} for p, (e, h) in zip(periods, r.cells(periods), strict=True)]}
        for r in rows]}


@router.post("/series", response={201: SeriesOut, **ERRORS})
def series_add(request, payload: SeriesIn):
    scope = scope_for_request(request)
    series = series_create(scope=scope, unit=_unit(scope, payload.unit), kind=payload.kind, title=payload.title,
                           level=payload.level, starts_on=payload.starts_on, months=payload.months)
    return Status(201, {"id": series.pk, "title": series.title, "kind": series.kind, "unit": series.unit_id,
                        "level": series.level, "starts_on": series.starts_on, "months": series.months})


def _plan_out(plan) -> dict:
    state = plan_state(plan)
    return {"id": plan.pk, "title": plan.title, "ok": state.check.ok, "missing": state.check.missing,
            "over": {str(k): list(v) for k, v in state.check.over.items()},
            "slots": [{"id": s.pk, "date": s.date, "venue": s.venue_id, "capacity": s.venue.capacity,
                       "load": state.load(s.pk)} for s in plan.slots.select_related("venue")],
            "assignment": {str(k): v for k, v in state.assignment.items()}}


@router.get("/plans/{plan_id}", response={200: PlanOut, 404: Error})
def plan_read(request, plan_id: ObjectId):
    """The plan's dates × venues, the assignment and its check (every district once, capacities)."""
    return _plan_out(selectors.plan_get_for_actor(scope_for_request(request), plan_id))


@router.post("/plans/{plan_id}/suggest", response={200: PlanOut, **ERRORS})
def plan_suggest_post(request, plan_id: ObjectId):
    scope = scope_for_request(request)
    plan = selectors.plan_get_for_actor(scope, plan_id, for_write=True)
    plan_suggest(scope=scope, plan=plan)
    return _plan_out(plan)


def _tour_out(tour) -> dict:
    return {"id": tour.pk, "kind": tour.kind, "title": tour.title, "leader": tour.leader_id,
            "starts_on": tour.starts_on, "ends_on": tour.ends_on,
            "parts": [{"code": p.code, "count": p.count, "planned": p.planned, "held": p.held, "state": p.state}
                      for p in reports.tour_parts(tour)]}


@router.post("/tours", response={201: TourOut, **ERRORS})
def tour_add(request, payload: TourIn):
    scope = scope_for_request(request)
    tour = tour_create(scope=scope, unit=_unit(scope, payload.unit), kind=payload.kind, title=payload.title,
                       leader=_person(scope, payload.leader, "leader"), starts_on=payload.starts_on,
                       ends_on=payload.ends_on, required_parts=payload.required_parts, allow_clash=payload.allow_clash)
    return Status(201, _tour_out(tour))


@router.get("/tours/{tour_id}", response={200: TourOut, 404: Error})
def tour_read(request, tour_id: ObjectId):
    """The tour's required parts: planned, held, missing."""
    return _tour_out(selectors.tour_get_for_actor(scope_for_request(request), tour_id))


@router.get("", response={200: list[MeetingOut], 404: Error})
@paginate(PagePagination)
def event_index(request, filters: Query[EventFilters]):
    scope = scope_for_request(request)
    unit = _unit(scope, filters.unit) if filters.unit else None
    events = selectors.events_list(scope, unit=unit, kind=filters.kind)
    if filters.start:
        events = events.filter(starts_at__date__gte=filters.start)
    if filters.end:
        events = events.filter(starts_at__date__lte=filters.end)
    return [_event_out(e) for e in events[:500]]


@router.post("", response={201: MeetingOut, **ERRORS})
def event_add(request, payload: EventIn):
    scope = scope_for_request(request)
    venue = selectors.venue_get_for_actor(scope, payload.venue) if payload.venue else None
    tour = selectors.tour_get_for_actor(scope, payload.tour) if payload.tour else None
    event = event_create(scope=scope, unit=_unit(scope, payload.unit), kind=payload.kind, title=payload.title,
                         starts_at=payload.starts_at, ends_at=payload.ends_at, venue=venue, tour=tour,
                         invite_rule=payload.invite_rule, link=payload.link, phone_in=payload.phone_in,
                         allow_clash=payload.allow_clash)
    return Status(201, _event_out(event))


@router.get("/{event_id}", response={200: MeetingOut, 404: Error})
def event_read(request, event_id: ObjectId):
    return _event_out(selectors.event_get_for_actor(scope_for_request(request), event_id))


def _send_out(dispatch) -> dict:
    return {"id": dispatch.pk, "purpose": dispatch.purpose, "status": dispatch.status, "total": dispatch.total,
            "done": dispatch.done, "queued": dispatch.queued, "percent": dispatch.percent}


@router.post("/{event_id}/invitations", response={202: SendOut, **ERRORS})
def event_invite(request, event_id: ObjectId):
    """Invite the people the event's rule names inside the caller's scope. The worker writes the
    invitations and messages in chunks; follow its progress at ``/sends``."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    dispatch = invitations_send(scope=scope, event=event)
    dispatch.refresh_from_db()
    return Status(202, _send_out(dispatch))


@router.get("/{event_id}/sends", response={200: list[SendOut], **ERRORS})
def event_sends(request, event_id: ObjectId):
    """The event's message sends (invitations, reminders, changes) and how far each has got."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    return [_send_out(d) for d in event.dispatches.all()[:50]]


# What PATCH /events/{id} does with a null: refused (the event needs one), or cleared to "" (a text that may
# be empty); a nullable one (venue, ends_at) is cleared to null.
PATCH_REQUIRED = ("title", "starts_at", "invite_rule")
PATCH_BLANKABLE = ("link", "phone_in")


@router.patch("/{event_id}", response={200: MeetingOut, **ERRORS})
def event_patch(request, event_id: ObjectId, payload: EventPatchIn):
    """Change a planned event; a new time or venue is checked for clashes and capacity as on creation and
    the invitees are told. Only the fields sent change; ``"venue": null`` (or ``ends_at``, ``link``,
    ``phone_in``) clears it. A narrower ``invite_rule`` withdraws the invitations of who it no longer names."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    # Absent keys stay as they are; a key sent as null clears what may be empty and is refused where the
    # event needs a value.
    fields = payload.dict(exclude_unset=True)
    fields.pop("allow_clash", None)
    for name in PATCH_REQUIRED:
        if name in fields and fields[name] is None:
            raise DomainError(_("This field is required."), code="required", field=name)
    for name in PATCH_BLANKABLE:
        if name in fields and fields[name] is None:
            fields[name] = ""
    if fields.get("venue") is not None:
        try:
            fields["venue"] = selectors.venue_get_for_actor(scope, fields["venue"])
        except NotFound:
            raise DomainError(_("No such venue."), code="not_found", field="venue") from None
    event = event_update(scope=scope, event=event, allow_clash=payload.allow_clash, **fields)
    return _event_out(event)


@router.post("/{event_id}/cancel", response={200: MeetingOut, **ERRORS})
def event_cancel_post(request, event_id: ObjectId, payload: CancelIn):
    """Cancel a planned event with a reason; the invitees are told."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    return _event_out(event_cancel(scope=scope, event=event, reason=payload.reason))


@router.post("/{event_id}/locations", response={201: LocationOut, **ERRORS})
def location_post(request, event_id: ObjectId, payload: LocationIn):
    """A place of a group viewing with its host, who gets its own check-in code."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    location = location_add(scope=scope, event=event, place=payload.name, host=_person(scope, payload.host, "host"))
    return Status(201, {"id": location.pk, "name": location.name, "host": location.host_id})


@router.post("/{event_id}/locations/{location_id}/attendance", response={200: CountedOut, **ERRORS})
def location_attendance(request, event_id: ObjectId, location_id: ObjectId, payload: LocationAttendanceIn):
    """The location's host marks an invitee present there; ``counted`` is false for a replayed nonce."""
    scope = scope_for_request(request)
    location = selectors.location_get_for_actor(scope, event_id, location_id)
    invitation = Invitation.objects.filter(event_id=event_id, pk=payload.invitation).select_related("event").first()
    if invitation is None:
        raise DomainError(_("No such invitation."), field="invitation")
    return {"counted": location_attendance_mark(scope=scope, location=location, invitation=invitation,
                                                nonce=payload.nonce, at=payload.at)}


@router.post("/{event_id}/held", response={200: MeetingOut, **ERRORS})
def event_held(request, event_id: ObjectId, payload: HeldIn):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    event_record_held(scope=scope, event=event, held_on=payload.held_on, attendance_count=payload.attendance_count,
                      minutes=payload.minutes)
    return _event_out(event)


@router.post("/{event_id}/check-in", response={200: CountedOut, **ERRORS})
def event_check_in(request, event_id: ObjectId, payload: CheckInIn):
    """The caller checks in with the event's code; ``counted`` is false for a nonce already recorded."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id)
    return {"counted": check_in_by_code(scope=scope, event=event, code=payload.code, nonce=payload.nonce,
                                        at=payload.at)}


@router.post("/{event_id}/attendance", response={200: CountedOut, **ERRORS})
def event_attendance(request, event_id: ObjectId, payload: AttendanceIn):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    invitation = Invitation.objects.filter(event=event, pk=payload.invitation).select_related("event").first()
    if invitation is None:
        raise DomainError(_("No such invitation."), field="invitation")
    return {"counted": attendance_mark(scope=scope, invitation=invitation, nonce=payload.nonce, at=payload.at)}


@router.post("/{event_id}/decisions", response={201: DecisionOut, **ERRORS})
def event_decision(request, event_id: ObjectId, payload: DecisionIn):
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id, for_write=True)
    decision = decision_add(scope=scope, event=event, text=payload.text, owner=_person(scope, payload.owner, "owner"),
                            deadline=payload.deadline)
    return Status(201, {"id": decision.pk, "text": decision.text, "owner": decision.owner_id,
                        "deadline": decision.deadline})


@router.get("/{event_id}/funnel", response={200: FunnelOut, 404: Error})
def event_funnel(request, event_id: ObjectId, filters: Query[EventUnitFilter]):
    """Invited → received → opened → joined under ``unit`` and per child; each figure a lower bound."""
    scope = scope_for_request(request)
    event = selectors.event_get_for_actor(scope, event_id)
    total, rows = reports.funnel(scope=scope, event=event, unit=_unit(scope, filters.unit))

    def out(row):
        return {"unit": row.unit.pk if row.unit else None, "name": row.unit.name if row.unit else row.prefix,
                "invited": row.invited, "received": row.received, "opened": row.opened, "joined": row.joined}

    return {"total": out(total), "children": [out(r) for r in rows], "note": str(reports.LOWER_BOUND_NOTE)}
