"""Writes of the fieldwork app, each an action with its audit row: setting a drive up (``drives``), the
capture code (``codes``), sync (``sync``, checked by ``checks``, flagged by ``flags``), photos
(``photos``) and the district's review and re-verification sample (``review``)."""

from sangathan.fieldwork.services.codes import CaptureCodeSend, capture_code_send
from sangathan.fieldwork.services.drives import (
    BoothTargetSet,
    DriveCreate,
    DriveUpdate,
    PlanSet,
    VistarakAssign,
    booth_target_set,
    drive_create,
    drive_update,
    plan_set,
    vistarak_assign,
)
from sangathan.fieldwork.services.photos import (
    PhotoUploadAppend,
    PhotoUploadStart,
    photo_upload_append,
    photo_upload_start,
)
from sangathan.fieldwork.services.review import (
    RecordReview,
    VerificationSample,
    record_review,
    verification_sample,
)
from sangathan.fieldwork.services.sync import RecordsSync, records_sync

__all__ = [
    "BoothTargetSet", "CaptureCodeSend", "PhotoUploadAppend", "PhotoUploadStart", "photo_upload_append",
    "photo_upload_start", "DriveCreate", "DriveUpdate", "PlanSet", "RecordReview", "RecordsSync",
    "VerificationSample", "VistarakAssign", "booth_target_set", "capture_code_send", "drive_create", "drive_update", "plan_set",
    "record_review", "records_sync", "verification_sample", "vistarak_assign",
]
