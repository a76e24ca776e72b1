"""API of field data drives (``/api/v1/fieldwork``): setting a drive up (office), the vistarak's start data,
safe sync, capture codes, resumable photo uploads, review and the re-verification sample.

Everything is scoped: a drive or unit the caller cannot see answers 404, a write outside their write scope
(or, for a vistarak, outside their assigned booths) 403, bad input 400/422 with the field at fault. Sync
answers 200 with one answer per record, whatever became of each.
"""

from django.utils.translation import gettext as _
from ninja import Router, Status

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.schemas import Error, ObjectId
from sangathan.fieldwork import schemas as s
from sangathan.fieldwork.models import Assignment, PhotoUpload
from sangathan.fieldwork.selectors import drive_get_for_actor, known_workers, my_booths, records_visible
from sangathan.fieldwork.services import (
    booth_target_set,
    capture_code_send,
    drive_create,
    photo_upload_append,
    photo_upload_start,
    plan_set,
    record_review,
    records_sync,
    verification_sample,
    vistarak_assign,
)
from sangathan.fieldwork.services.photos import OffsetMismatch
from sangathan.org.models import Unit
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.selectors import person_get_for_actor

router = Router(tags=["fieldwork"])
WRITE_ERRORS = {400: Error, 403: Error, 404: Error}


def _drive(drive_id, request):
    scope = scope_for_request(request)
    return scope, drive_get_for_actor(drive_id, scope)


def _unit(unit_id, scope, field="unit") -> Unit:
    try:
        return unit_get_for_actor(unit_id, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field=field) from None


@router.post("/drives", response={201: s.DriveOut, **WRITE_ERRORS})
def drive_add(request, payload: s.DriveIn):
    """Start a drive over a unit the caller may write, with its form."""
    scope = scope_for_request(request)
    unit = _unit(payload.unit, scope)
    drive = drive_create(scope=scope, unit=unit, title=payload.name, starts_on=payload.starts_on,
                         ends_on=payload.ends_on, consent_text=payload.consent_text,
                         person_fields=payload.person_fields, questions=[q.dict() for q in payload.questions],
                         otp_required=payload.otp_required)
    return Status(201, drive)


@router.get("/drives/{drive_id}", response={200: s.DriveOut, 404: Error})
def drive_read(request, drive_id: ObjectId):
    return _drive(drive_id, request)[1]


@router.post("/drives/{drive_id}/targets", response={200: s.DriveTargetOut, **WRITE_ERRORS})
def target_set(request, drive_id: ObjectId, payload: s.DriveTargetIn):
    """A booth's target and (optionally) its place, for the "far from the booth" check."""
    scope, drive = _drive(drive_id, request)
    booth = _unit(payload.booth, scope, "booth")
    return booth_target_set(scope=scope, drive=drive, booth=booth, target=payload.target, lat=payload.lat,
                            lng=payload.lng)


@router.post("/drives/{drive_id}/assignments", response={201: s.AssignmentOut, **WRITE_ERRORS})
def assign(request, drive_id: ObjectId, payload: s.VistarakAssignIn):
    """Send a vistarak to a mandal or booth: their login gets write access there until the drive ends."""
    scope, drive = _drive(drive_id, request)
    try:
        person = person_get_for_actor(payload.person, scope)
    except NotFound:
        raise NotFound(_("No such person."), field="person") from None
    unit = _unit(payload.unit, scope)
    return Status(201, vistarak_assign(scope=scope, drive=drive, vistarak=person, unit=unit))


@router.post("/drives/{drive_id}/plans", response={200: dict, **WRITE_ERRORS})
def plan_add(request, drive_id: ObjectId, payload: s.PlanIn):
    scope, drive = _drive(drive_id, request)
    assignment = Assignment.objects.filter(pk=payload.assignment, drive=drive).first()
    if assignment is None or not scope.can_read_path(assignment.unit_path):
        raise NotFound(_("No such assignment."), field="assignment")
    booth = _unit(payload.booth, scope, "booth")
    plan = plan_set(scope=scope, assignment=assignment, day=payload.day, booth=booth, planned=payload.planned)
    return {"id": plan.pk, "day": plan.day.isoformat(), "booth_id": plan.booth_id, "planned": plan.planned}


@router.get("/drives/{drive_id}/start", response={200: s.StartOut, 404: Error})
def start(request, drive_id: ObjectId):
    """What the phone keeps offline: the drive's form, the vistarak's booths and their known workers."""
    scope, drive = _drive(drive_id, request)
    workers = [{"id": p.pk, "name": p.name, "mobile": p.mobile, "relative_name": p.relative_name,
                "unit_id": p.unit_id, "base": p.updated_at.isoformat()} for p in known_workers(drive, scope)]
    return {"drive": drive, "booths": my_booths(drive, scope), "workers": workers}


@router.post("/drives/{drive_id}/sync", response={200: s.SyncOut, **WRITE_ERRORS})
def sync(request, drive_id: ObjectId, payload: s.SyncIn):
    """Take a batch of records; each gets its own answer. A re-send (same client UUID and version) gets the
    stored answer and creates nothing."""
    scope, drive = _drive(drive_id, request)
    answers = records_sync(scope=scope, drive=drive, records=[r.model_dump() for r in payload.records])
    return {"answers": answers}


@router.post("/drives/{drive_id}/codes", response={201: dict, **WRITE_ERRORS})
def code_send(request, drive_id: ObjectId, payload: s.CodeIn):
    """Send a capture code to the worker's own mobile (through the outbox)."""
    scope, drive = _drive(drive_id, request)
    booth = _unit(payload.booth_id, scope, "booth_id")
    capture_code_send(scope=scope, drive=drive, booth=booth, client_uuid=payload.client_uuid, mobile=payload.mobile)
    return Status(201, {"sent": True})


@router.post("/drives/{drive_id}/records/{record_id}/review", response={200: dict, **WRITE_ERRORS})
def review(request, drive_id: ObjectId, record_id: ObjectId, payload: s.ReviewIn):
    """The district decides a record needing review: a new person, a merge, or rejected."""
    scope, drive = _drive(drive_id, request)
    record = records_visible(drive, scope).filter(pk=record_id).first()
    if record is None:
        raise NotFound(_("No such record."))
    person = None
    if payload.person is not None:
        try:
            person = person_get_for_actor(payload.person, scope)
        except NotFound:
            raise NotFound(_("No such person."), field="person") from None
    record = record_review(scope=scope, record=record, decision=payload.decision, person=person)
    return {"id": record.pk, "status": record.outcome, "person_id": record.person_id}


@router.post("/drives/{drive_id}/verification-sample", response={201: dict, **WRITE_ERRORS})
def sample(request, drive_id: ObjectId, payload: s.DriveSampleIn):
    """Draw records of a district for verification calls (flagged ones likelier)."""
    scope, drive = _drive(drive_id, request)
    unit = _unit(payload.unit, scope)
    drawn = verification_sample(scope=scope, drive=drive, unit=unit, n=payload.n, seed=payload.seed)
    return Status(201, {"records": drawn})


def _upload_out(upload: PhotoUpload) -> dict:
    return {"id": upload.pk, "offset": upload.offset, "size": upload.size, "done": upload.done}


@router.post("/drives/{drive_id}/uploads", response={201: s.UploadOut, **WRITE_ERRORS})
def upload_start(request, drive_id: ObjectId, payload: s.UploadIn):
    """Open (or find again, by the record's client UUID) the resumable upload of a record's photo."""
    scope, drive = _drive(drive_id, request)
    upload = photo_upload_start(scope=scope, drive=drive, client_uuid=payload.client_uuid, size=payload.size)
    return Status(201, _upload_out(upload))


def _upload(upload_id, scope) -> PhotoUpload:
    upload = PhotoUpload.objects.filter(pk=upload_id, user_id=scope.user_id).first()
    if upload is None or not scope.can_read_path(upload.unit_path):
        raise NotFound(_("No such upload."))
    return upload


@router.get("/uploads/{upload_id}", response={200: s.UploadOut, 404: Error})
def upload_offset(request, upload_id: ObjectId):
    """How many bytes arrived: the phone resumes from here."""
    return _upload_out(_upload(upload_id, scope_for_request(request)))


@router.patch("/uploads/{upload_id}", response={200: s.UploadOut, 409: s.UploadOut, **WRITE_ERRORS})
def upload_append(request, upload_id: ObjectId):
    """Append the request body at ``Upload-Offset`` (header); a wrong offset answers 409 with the server's."""
    scope = scope_for_request(request)
    upload = _upload(upload_id, scope)
    try:
        offset = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        raise DomainError(_("Send the Upload-Offset header."), field="Upload-Offset") from None
    try:
        upload = photo_upload_append(scope=scope, upload=upload, offset=offset, chunk=request.body)
    except OffsetMismatch:
        return Status(409, _upload_out(PhotoUpload.objects.get(pk=upload.pk)))
    return _upload_out(upload)
