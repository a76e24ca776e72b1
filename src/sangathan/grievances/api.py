"""API of the Sahyog Cell under /api/v1/grievances.

Lists and reads go through ``grievances_visible`` / ``grievance_get_for_actor`` (404 outside the
caller's reach, 403 on an action they may not take); a detail read is audited (GRIEVANCE_VIEW). The
public status lookup and confirmation need no login and are rate-limited per address.
"""

from datetime import date, datetime

from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_record
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Body, Error, ObjectId, Text
from sangathan.grievances import ratelimit
from sangathan.grievances.enums import (
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
    GrievancePriority,
    GrievanceStatus,
)
from sangathan.grievances.models import Department, Grievance
from sangathan.grievances.selectors import (
    grievance_assignees,
    grievance_by_code_and_mobile,
    grievance_events,
    grievance_get_for_actor,
    grievance_list,
    latest_public_event,
)
from sangathan.grievances.services import (
    grievance_add_note,
    grievance_assign,
    grievance_confirm,
    grievance_create,
    grievance_decide_approval,
    grievance_escalate,
    grievance_forward,
    grievance_request_forced_close,
    grievance_resolve,
    grievance_resume,
    grievance_schedule_hearing,
    grievance_send_back,
    grievance_wait_for_complainant,
)
from sangathan.grievances.services.intake import attachments_check, attachments_store
from sangathan.grievances.services.workflow import is_minister
from sangathan.org.schemas import UnitRef
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.models import Person
from sangathan.people.selectors import person_get_for_actor

router = Router(tags=["grievances"])


def _pattern(choices) -> str:
    return "^(" + "|".join(choices.values) + ")?$"


class GrievanceFilters(Schema):
    status: Text = Field("", pattern=_pattern(GrievanceStatus))
    level: Text = Field("", pattern=_pattern(GrievanceLevel))
    kind: Text = Field("", pattern=_pattern(GrievanceKind))
    department: Text = Field("", max_length=40, description="Department code.")
    unit: ObjectId | None = Field(None, description="Only grievances in this unit's subtree.")
    overdue: bool = False
    mine: bool = Field(False, description="Only grievances assigned to the caller.")
    open: bool = Field(False, description="Only grievances not yet resolved or closed.")
    q: Text = Field("", max_length=100, description="Tracking code, subject, complainant's name or mobile.")


class DepartmentOut(Schema):
    id: int
    code: str
    name_hi: str
    name_en: str
    external_system: str
    external_days: int
    minister_id: int | None


class GrievanceListItem(Schema):
    id: int
    tracking_code: str
    subject: str
    status: str
    level: str
    kind: str
    channel: str
    priority: str
    unit: UnitRef
    department: str | None
    due_at: datetime | None
    created_at: datetime

    @staticmethod
    def resolve_department(grievance) -> str | None:
        department = grievance["department"] if isinstance(grievance, dict) else grievance.department
        return department.code if department else None


class EventOut(Schema):
    at: datetime
    kind: str
    public: bool
    text: str
    status: str
    level: str
    actor: str
    data: dict

    @staticmethod
    def resolve_actor(event) -> str:
        return (event.actor.display_name or event.actor.mobile) if event.actor_id else ""


class AssigneeOut(Schema):
    person_id: int
    name: str
    role: str
    level: str
    assigned_at: datetime

    @staticmethod
    def resolve_name(assignment) -> str:
        return assignment.person.name


class GrievanceOut(GrievanceListItem):
    description: str
    complainant_id: int | None
    complainant_name: str
    complainant_mobile: str
    duplicate_of: str | None
    external_office: str
    external_reference: str
    forwarded_on: date | None
    external_due_at: datetime | None
    hearing_on: date | None
    hearing_label: str
    resolution_note: str
    feedback: str
    closure: str
    resolved_at: datetime | None
    closed_at: datetime | None
    assignees: list[AssigneeOut]
    events: list[EventOut]


class GrievanceIn(Body):
    unit: ObjectId
    channel: Text = Field(GrievanceChannel.API.value, pattern=_pattern(GrievanceChannel))
    kind: Text = Field(..., max_length=20)
    subject: Text = Field(..., max_length=200)
    description: Text = Field("", max_length=5000)
    complainant: ObjectId | None = Field(None, description="A person in the registry; else name and mobile.")
    complainant_name: Text = Field("", max_length=150)
    complainant_mobile: Text = Field("", max_length=32)
    department: Text = Field("", max_length=40, description="Department code (administrative grievances).")
    priority: Text = Field(GrievancePriority.NORMAL.value, max_length=10)
    named_person: ObjectId | None = Field(None, description="An office-bearer the complaint is about (recusal).")
    is_policy_matter: bool = False


class AssignIn(Body):
    person: ObjectId
    note: Text = Field("", max_length=2000)


class ForwardIn(Body):
    office: Text = Field(..., max_length=200)
    reference: Text = Field(..., max_length=80)
    department: Text = Field("", max_length=40)
    forwarded_on: date | None = None


class ReasonIn(Body):
    reason: Text = Field(..., max_length=2000)


class NoteIn(Body):
    text: Text = Field(..., max_length=2000)
    public: bool = False


class ResolveIn(Body):
    note: Text = Field(..., max_length=2000)


class ConfirmIn(Body):
    satisfied: bool


class DirectionsIn(Body):
    directions: Text = Field(..., max_length=2000)


class QuestionIn(Body):
    question: Text = Field(..., max_length=2000)


class ResumeIn(Body):
    note: Text = Field("", max_length=2000)


class HearingIn(Body):
    on: date
    label: Text = Field(..., max_length=200)


class ApproveIn(Body):
    approve: bool
    note: Text = Field("", max_length=2000)


class StatusIn(Body):
    tracking_code: Text = Field(..., max_length=20)
    mobile: Text = Field(..., max_length=32)


class StatusConfirmIn(StatusIn):
    satisfied: bool


class StatusOut(Schema):
    tracking_code: str
    status: str
    status_label: str
    latest_note: str
    updated_at: datetime
    awaiting_confirmation: bool


def _out(grievance: Grievance) -> dict:
    data = {field: getattr(grievance, field) for field in GrievanceOut.model_fields
            if field not in ("assignees", "events", "department", "duplicate_of", "unit")}
    data.update(
        unit=grievance.unit,
        department=grievance.department,
        duplicate_of=grievance.duplicate_of.tracking_code if grievance.duplicate_of_id else None,
        assignees=list(grievance_assignees(grievance)),
        events=list(grievance_events(grievance)),
    )
    return data


def _detail(request, grievance_id) -> dict:
    grievance = grievance_get_for_actor(grievance_id, request.user)
    return _out(grievance)


def _person(request, person_id: int) -> Person:
    """A person the caller may pick: one in their scope, or a department's minister."""
    person = Person.objects.filter(pk=person_id).first()
    if person is not None and is_minister(person):
        return person
    try:
        return person_get_for_actor(person_id, scope_for_request(request), audit=False)
    except NotFound:
        raise NotFound(_("No such person."), field="person") from None


@router.get("", response={200: list[GrievanceListItem], 404: Error})
@paginate(PagePagination)
def grievance_index(request, filters: Query[GrievanceFilters]):
    """Grievances the caller may see, newest first."""
    scope = scope_for_request(request)
    unit = unit_get_for_actor(filters.unit, scope) if filters.unit else None
    department = None
    if filters.department:
        department = Department.objects.filter(code=filters.department).first()
        if department is None:
            raise DomainError(_("Unknown department."), code="unknown_department", field="department")
    return grievance_list(actor=request.user, status=filters.status, level=filters.level, kind=filters.kind,
                          department=department, unit=unit, overdue=filters.overdue, assigned_to_me=filters.mine,
                          q=filters.q, open_only=filters.open)


@router.get("/departments", response=list[DepartmentOut])
def department_index(request):
    """The departments grievances can be forwarded to, with their time limits and ministers."""
    return list(Department.objects.filter(is_active=True).order_by("code"))


def _status_out(grievance: Grievance) -> dict:
    note = latest_public_event(grievance)
    return {
        "tracking_code": grievance.tracking_code,
        "status": grievance.status,
        "status_label": grievance.get_status_display(),
        "latest_note": note.text if note else "",
        "updated_at": note.at if note else grievance.created_at,
        "awaiting_confirmation": grievance.status == GrievanceStatus.RESOLVED,
    }


TOO_MANY = {"detail": "Too many attempts. Try again in a few minutes.", "errors": {}}


@router.post("/status", auth=None, response={200: StatusOut, 400: Error, 429: Error})
def public_status(request, payload: StatusIn):
    """The complainant's view: status and the latest public note, for the tracking code and mobile."""
    if not ratelimit.allow(request):
        return Status(429, TOO_MANY)
    return _status_out(grievance_by_code_and_mobile(tracking_code=payload.tracking_code, mobile=payload.mobile))


@router.post("/status/confirm", auth=None, response={200: StatusOut, 400: Error, 429: Error})
def public_confirm(request, payload: StatusConfirmIn):
    """The complainant confirms a resolution (satisfied or not)."""
    if not ratelimit.allow(request):
        return Status(429, TOO_MANY)
    grievance = grievance_by_code_and_mobile(tracking_code=payload.tracking_code, mobile=payload.mobile)
    grievance = grievance_confirm(grievance=grievance, satisfied=payload.satisfied, channel="api")
    return _status_out(grievance)


@router.post("", response={201: GrievanceOut, 400: Error, 403: Error, 404: Error})
def grievance_add(request, payload: GrievanceIn):
    """Take a grievance (without files; add them with POST /{id}/attachments)."""
    scope = scope_for_request(request)
    try:
        unit = unit_get_for_actor(payload.unit, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None
    complainant = _person(request, payload.complainant) if payload.complainant else None
    named = _person(request, payload.named_person) if payload.named_person else None
    grievance = grievance_create(
        actor=request.user, unit=unit, channel=payload.channel, kind=payload.kind, subject=payload.subject,
        description=payload.description, complainant=complainant, complainant_name=payload.complainant_name,
        complainant_mobile=payload.complainant_mobile, department=payload.department or None,
        priority=payload.priority, named_person=named, is_policy_matter=payload.is_policy_matter)
    return Status(201, _out(grievance))


@router.get("/{grievance_id}", response={200: GrievanceOut, 404: Error})
def grievance_detail(request, grievance_id: ObjectId):
    """A grievance with its assignees and timeline. The read is written to the audit log."""
    grievance = grievance_get_for_actor(grievance_id, request.user)
    audit_record(actor=request.user, action=AuditLog.Action.GRIEVANCE_VIEW, request=request, target=grievance,
                 unit_path=grievance.unit_path, channel="api")
    return _out(grievance)


@router.post("/{grievance_id}/attachments", response={201: GrievanceOut, 400: Error, 403: Error, 404: Error})
def grievance_attach(request, grievance_id: ObjectId, file: File[UploadedFile]):
    """Attach a document or photo (PDF, JPEG, PNG, WebP; size limit from the cell's settings)."""
    from django.db import transaction

    from sangathan.grievances.services.workflow import lock_for_write

    with transaction.atomic():
        grievance = lock_for_write(grievance_id, request.user)
        checked = attachments_check([file], field="file")
        attachments_store(grievance=grievance, checked=checked, actor=request.user)
    return Status(201, _detail(request, grievance_id))


def _action(request, grievance_id, service, **arguments):
    grievance = grievance_get_for_actor(grievance_id, request.user)
    service(actor=request.user, grievance=grievance, **arguments)
    return _detail(request, grievance_id)


ACTION_RESPONSES = {200: GrievanceOut, 400: Error, 403: Error, 404: Error, 409: Error}


@router.post("/{grievance_id}/assign", response=ACTION_RESPONSES)
def grievance_assign_api(request, grievance_id: ObjectId, payload: AssignIn):
    """Assign to a person; to a department's minister it moves to the minister level (approval for a
    policy matter)."""
    return _action(request, grievance_id, grievance_assign, to_person=_person(request, payload.person),
                   note=payload.note)


@router.post("/{grievance_id}/forward", response=ACTION_RESPONSES)
def grievance_forward_api(request, grievance_id: ObjectId, payload: ForwardIn):
    """Forward an administrative grievance to its department (the party's clock pauses)."""
    department = None
    if payload.department:
        department = Department.objects.filter(code=payload.department, is_active=True).first()
        if department is None:
            raise DomainError(_("Unknown department."), code="unknown_department", field="department")
    return _action(request, grievance_id, grievance_forward, office=payload.office, reference=payload.reference,
                   department=department, forwarded_on=payload.forwarded_on)


@router.post("/{grievance_id}/escalate", response=ACTION_RESPONSES)
def grievance_escalate_api(request, grievance_id: ObjectId, payload: ReasonIn):
    return _action(request, grievance_id, grievance_escalate, reason=payload.reason)


@router.post("/{grievance_id}/send-back", response=ACTION_RESPONSES)
def grievance_send_back_api(request, grievance_id: ObjectId, payload: DirectionsIn):
    return _action(request, grievance_id, grievance_send_back, directions=payload.directions)


@router.post("/{grievance_id}/wait", response=ACTION_RESPONSES)
def grievance_wait_api(request, grievance_id: ObjectId, payload: QuestionIn):
    return _action(request, grievance_id, grievance_wait_for_complainant, question=payload.question)


@router.post("/{grievance_id}/resume", response=ACTION_RESPONSES)
def grievance_resume_api(request, grievance_id: ObjectId, payload: ResumeIn):
    return _action(request, grievance_id, grievance_resume, note=payload.note)


@router.post("/{grievance_id}/hearing", response=ACTION_RESPONSES)
def grievance_hearing_api(request, grievance_id: ObjectId, payload: HearingIn):
    return _action(request, grievance_id, grievance_schedule_hearing, on=payload.on, label=payload.label)


@router.post("/{grievance_id}/notes", response=ACTION_RESPONSES)
def grievance_note_api(request, grievance_id: ObjectId, payload: NoteIn):
    return _action(request, grievance_id, grievance_add_note, text=payload.text, public=payload.public)


@router.post("/{grievance_id}/resolve", response=ACTION_RESPONSES)
def grievance_resolve_api(request, grievance_id: ObjectId, payload: ResolveIn):
    return _action(request, grievance_id, grievance_resolve, note=payload.note)


@router.post("/{grievance_id}/confirm", response=ACTION_RESPONSES)
def grievance_confirm_api(request, grievance_id: ObjectId, payload: ConfirmIn):
    """Record the complainant's answer taken by staff (e.g. on the phone)."""
    grievance = grievance_get_for_actor(grievance_id, request.user)
    grievance_confirm(grievance=grievance, satisfied=payload.satisfied, channel="staff", actor=request.user)
    return _detail(request, grievance_id)


@router.post("/{grievance_id}/close", response=ACTION_RESPONSES)
def grievance_close_api(request, grievance_id: ObjectId, payload: ReasonIn):
    """Ask to close without the complainant's confirmation (the state convener approves)."""
    return _action(request, grievance_id, grievance_request_forced_close, reason=payload.reason)


@router.post("/{grievance_id}/approve", response=ACTION_RESPONSES)
def grievance_approve_api(request, grievance_id: ObjectId, payload: ApproveIn):
    return _action(request, grievance_id, grievance_decide_approval, approve=payload.approve, note=payload.note)
