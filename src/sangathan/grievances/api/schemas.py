"""Schemas of the Sahyog Cell's API and the two shapes its answers take (a grievance, a public status)."""

from datetime import date, datetime

from ninja import Field, Schema

from sangathan.core.schemas import Body, ObjectId, Text
from sangathan.grievances.enums import (
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
    GrievancePriority,
    GrievanceStatus,
)
from sangathan.grievances.models import Grievance
from sangathan.grievances.selectors import grievance_assignees, grievance_events, latest_public_event
from sangathan.org.schemas import UnitRef


def choice_pattern(choices) -> str:
    return "^(" + "|".join(choices.values) + ")?$"


class GrievanceFilters(Schema):
    status: Text = Field("", pattern=choice_pattern(GrievanceStatus))
    level: Text = Field("", pattern=choice_pattern(GrievanceLevel))
    kind: Text = Field("", pattern=choice_pattern(GrievanceKind))
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
    channel: Text = Field(GrievanceChannel.API.value, pattern=choice_pattern(GrievanceChannel))
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


def grievance_out(grievance: Grievance) -> dict:
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


def status_out(grievance: Grievance) -> dict:
    note = latest_public_event(grievance)
    return {
        "tracking_code": grievance.tracking_code,
        "status": grievance.status,
        "status_label": grievance.get_status_display(),
        "latest_note": note.text if note else "",
        "updated_at": note.at if note else grievance.created_at,
        "awaiting_confirmation": grievance.status == GrievanceStatus.RESOLVED,
    }
