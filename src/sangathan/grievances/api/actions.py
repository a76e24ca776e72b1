"""One operation per workflow step: the same services, with the same rules, as the web page's buttons."""

from django.utils.translation import gettext as _

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError
from sangathan.core.schemas import Error, ObjectId
from sangathan.grievances.api.reads import detail
from sangathan.grievances.api.router import router
from sangathan.grievances.api.schemas import (
    ApproveIn,
    AssignIn,
    ConfirmIn,
    DirectionsIn,
    ForwardIn,
    GrievanceOut,
    HearingIn,
    NoteIn,
    QuestionIn,
    ReasonIn,
    ResolveIn,
    ResumeIn,
)
from sangathan.grievances.models import Department
from sangathan.grievances.services import (
    grievance_add_note,
    grievance_assign,
    grievance_confirm,
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

ACTION_RESPONSES = {200: GrievanceOut, 400: Error, 403: Error, 404: Error, 409: Error}


def _action(request, grievance_id, service, **arguments):
    """Run ``service`` on the grievance (it fetches and checks it: 404 outside the scope, 403 refused) and
    answer the grievance as it is now."""
    service(scope=scope_for_request(request), grievance=grievance_id, **arguments)
    return detail(request, grievance_id)


@router.post("/{grievance_id}/assign", response=ACTION_RESPONSES)
def grievance_assign_api(request, grievance_id: ObjectId, payload: AssignIn):
    """Assign to a person the web page offers (the district's office-bearers; for the state cell also the
    state's and the ministers); to a department's minister it moves to the minister level (approval for a
    policy matter). Anyone else: 403."""
    return _action(request, grievance_id, grievance_assign, to_person=payload.person, note=payload.note)


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
    return _action(request, grievance_id, grievance_confirm, satisfied=payload.satisfied, channel="staff")


@router.post("/{grievance_id}/close", response=ACTION_RESPONSES)
def grievance_close_api(request, grievance_id: ObjectId, payload: ReasonIn):
    """Ask to close without the complainant's confirmation (the state convener approves)."""
    return _action(request, grievance_id, grievance_request_forced_close, reason=payload.reason)


@router.post("/{grievance_id}/approve", response=ACTION_RESPONSES)
def grievance_approve_api(request, grievance_id: ObjectId, payload: ApproveIn):
    return _action(request, grievance_id, grievance_decide_approval, approve=payload.approve, note=payload.note)
