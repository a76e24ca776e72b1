"""Request and response bodies of the fieldwork API."""

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema
from pydantic import BaseModel, ConfigDict

from sangathan.core.schemas import Body, Day, ObjectId, Text


class DriveQuestionIn(Body):
    code: Text = Field(..., max_length=40)
    label: Text = Field(..., max_length=300)
    kind: Text = Field("text", pattern="^(text|number|yes_no)$")
    required: bool = False


class DriveIn(Body):
    unit: ObjectId = Field(..., description="The drive runs over this unit's subtree.")
    name: Text = Field(..., max_length=200)
    starts_on: Day
    ends_on: Day
    consent_text: Text = Field(..., max_length=5000)
    person_fields: list[Text] = Field(default_factory=list, max_length=20)
    questions: list[DriveQuestionIn] = Field(default_factory=list, max_length=20)
    otp_required: bool = False


class DriveOut(Schema):
    id: int
    name: str
    unit_id: int
    starts_on: date
    ends_on: date
    consent_text: str
    person_fields: list[str]
    questions: list[dict[str, Any]]
    otp_required: bool
    status: str


class DriveTargetIn(Body):
    booth: ObjectId
    target: int = Field(..., ge=0, le=100_000)
    lat: float | None = Field(None, ge=-90, le=90)
    lng: float | None = Field(None, ge=-180, le=180)


class DriveTargetOut(Schema):
    booth_id: int
    target: int
    lat: float | None
    lng: float | None


class VistarakAssignIn(Body):
    person: ObjectId = Field(..., description="The vistarak (a registered person).")
    unit: ObjectId = Field(..., description="A mandal, shakti kendra or booth of the drive.")


class AssignmentOut(Schema):
    id: int
    vistarak_id: int
    user_id: int
    unit_id: int


class PlanIn(Body):
    assignment: ObjectId
    day: Day
    booth: ObjectId
    planned: int = Field(..., ge=0, le=1000)


class PlainBody(BaseModel):
    """A part of a request body read many times per request (a sync batch's records): plain pydantic, the
    same fields and errors as ``Body`` without ninja's per-object wrapper (most of a batch's validation)."""

    model_config = ConfigDict(extra="forbid", from_attributes=True)


class GpsIn(PlainBody):
    lat: float = Field(..., ge=-90, le=90)
    lng: float = Field(..., ge=-180, le=180)
    accuracy: float = Field(..., ge=0, le=100_000)


class RecordIn(PlainBody):
    client_uuid: UUID
    version: int = Field(1, ge=1, le=1_000_000)
    booth_id: ObjectId
    captured_at: datetime
    fields: dict[str, Text | int | None] = Field(default_factory=dict)
    answers: dict[str, Text | int | bool | None] = Field(default_factory=dict)
    consent: bool = False
    gps_consent: bool = False
    gps: GpsIn | None = None
    device_id: Text = Field("", max_length=64)
    otp: Text = Field("", max_length=10)
    person_id: ObjectId | None = Field(None, description="A known worker this record edits.")
    base: Text = Field("", max_length=40, description="The worker's updated_at as the phone read it.")


class SyncIn(Body):
    records: list[RecordIn] = Field(..., min_length=1, max_length=200)


class RecordAnswer(BaseModel):  # plain pydantic, as ``PlainBody``: fifty of them an answer
    client_uuid: str
    version: int
    status: str = Field(..., description="accepted, merged, review, rejected or conflict.")
    errors: dict[str, list[str]]
    person_id: int | None
    flags: list[str]
    base: str | None = None
    server: dict[str, Any] | None = None
    phone: dict[str, Any] | None = None


class SyncOut(Schema):
    answers: list[RecordAnswer]


class CodeIn(Body):
    client_uuid: UUID
    booth_id: ObjectId
    mobile: Text = Field(..., max_length=20)


class ReviewIn(Body):
    decision: Text = Field(..., pattern="^(create|merge|reject)$")
    person: ObjectId | None = None


class DriveSampleIn(Body):
    unit: ObjectId
    n: int = Field(..., ge=1, le=500)
    seed: int = Field(0, ge=0, le=2**31)


class UploadIn(Body):
    client_uuid: UUID
    size: int = Field(..., ge=1, le=2 * 1024 * 1024)


class UploadOut(Schema):
    id: int
    offset: int
    size: int
    done: bool


class WorkerOut(Schema):
    id: int
    name: str
    mobile: str
    relative_name: str
    unit_id: int
    base: str


class BoothOut(Schema):
    id: int
    code: str
    name_hi: str
    name_en: str
    target: int
    lat: float | None
    lng: float | None


class StartOut(Schema):
    drive: DriveOut
    booths: list[BoothOut]
    workers: list[WorkerOut]
