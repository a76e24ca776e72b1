from datetime import date, datetime

from ninja import Field, Schema

from sangathan.core.schemas import Day, ObjectId, Text


class EventIn(Schema):
    unit: ObjectId
    kind: str = Field(..., max_length=12)
    title: Text = Field(..., max_length=200)
    starts_at: datetime
    ends_at: datetime | None = None
    venue: ObjectId | None = None
    tour: ObjectId | None = None
    invite_rule: dict = Field(default_factory=dict, description="units, posts, levels, wings, committees, people, "
                                                                "everyone")
    link: Text = Field("", max_length=200)
    phone_in: Text = Field("", max_length=20)
    allow_clash: bool = False


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    status: str
    unit: int
    venue: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    period: date | None
    series: int | None
    tour: int | None
    held_on: date | None
    attendance_count: int | None
    cancel_reason: str = ""
    invited: int = 0
    attended: int = 0


class EventFilters(Schema):
    unit: ObjectId | None = None
    start: Day | None = None
    end: Day | None = None
    kind: str = Field("", max_length=12)


class HeldIn(Schema):
    held_on: Day
    attendance_count: int | None = Field(None, ge=0, le=10_000_000)
    minutes: Text = Field("", max_length=10_000)


class CheckInIn(Schema):
    code: Text = Field(..., max_length=20)
    nonce: Text = Field(..., max_length=64)
    at: datetime | None = None


class AttendanceIn(Schema):
    invitation: ObjectId
    nonce: Text = Field(..., max_length=64)
    at: datetime | None = None


class CountedOut(Schema):
    counted: bool


class DecisionIn(Schema):
    text: Text = Field(..., max_length=500)
    owner: ObjectId
    deadline: Day


class DecisionOut(Schema):
    id: int
    text: str
    owner: int
    deadline: date


class SendOut(Schema):
    """A fan-out of messages to an event's invitees and how far the worker has got."""

    id: int
    purpose: str
    status: str
    total: int | None
    done: int
    queued: int
    percent: int


class EventPatchIn(Schema):
    """Only the fields given change."""

    title: Text | None = Field(None, max_length=200)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    venue: ObjectId | None = None
    invite_rule: dict | None = None
    link: Text | None = Field(None, max_length=200)
    phone_in: Text | None = Field(None, max_length=20)
    allow_clash: bool = False


class CancelIn(Schema):
    reason: Text = Field(..., max_length=300)


class LocationIn(Schema):
    name: Text = Field(..., max_length=200)
    host: ObjectId


class LocationOut(Schema):
    id: int
    name: str
    host: int
    attended: int = 0


class LocationAttendanceIn(Schema):
    invitation: ObjectId
    nonce: Text = Field(..., max_length=64)
    at: datetime | None = None


class EventUnitFilter(Schema):
    unit: ObjectId | None = None


class FunnelRowOut(Schema):
    unit: int | None
    name: str
    invited: int
    received: int
    opened: int
    joined: int


class FunnelOut(Schema):
    total: FunnelRowOut
    children: list[FunnelRowOut]
    note: str


class SeriesIn(Schema):
    unit: ObjectId
    kind: str = Field("tiffin", max_length=12)
    title: Text = Field(..., max_length=200)
    level: str = Field(..., max_length=40)
    starts_on: Day
    months: int = Field(12, ge=1, le=36)


class SeriesOut(Schema):
    id: int
    title: str
    kind: str
    unit: int
    level: str
    starts_on: date
    months: int


class NotHeldRowOut(Schema):
    unit: int | None
    name: str
    months: list[dict]
    missing: int


class NotHeldOut(Schema):
    periods: list[date]
    rows: list[NotHeldRowOut]


class PlanOut(Schema):
    id: int
    title: str
    ok: bool
    missing: list[int]
    over: dict
    slots: list[dict]
    assignment: dict


class TourIn(Schema):
    unit: ObjectId
    kind: str = Field(..., max_length=12)
    title: Text = Field(..., max_length=200)
    leader: ObjectId
    starts_on: Day
    ends_on: Day
    required_parts: list[dict] | None = None
    allow_clash: bool = False


class TourOut(Schema):
    id: int
    kind: str
    title: str
    leader: int
    starts_on: date
    ends_on: date
    parts: list[dict]
