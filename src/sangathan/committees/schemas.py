from datetime import date

from ninja import Field, Schema

from sangathan.core.schemas import Body, ObjectId, Text
from sangathan.org.schemas import UnitRef


class TypeOut(Schema):
    code: str
    name_hi: str
    name_en: str
    category: str
    level: str
    min_members: int
    max_members: int
    required_posts: list[str]
    rules: list[dict]


class FigureOut(Schema):
    type: str
    units: int
    formed: int
    complete: int
    missing: int
    percent: int | None


class UnitFiguresOut(Schema):
    unit: UnitRef
    figures: list[FigureOut]
    page_checks: dict = Field(..., description="Page in-charges reached by a verification call: checked, working.")


class CompletenessOut(Schema):
    unit: UnitRef
    figures: list[FigureOut]
    page_checks: dict
    children: list[UnitFiguresOut]


class UnitFilter(Schema):
    unit: ObjectId | None = Field(None, description="Default: the caller's top unit.")


class MissingFilters(UnitFilter):
    type: str = Field("", max_length=40, description="One committee type's code; default every type.")


class ReasonOut(Schema):
    code: str
    text: str
    params: dict


class MissingOut(Schema):
    unit: int
    unit_code: str
    unit_name: str
    type: str
    committee: int | None
    reasons: list[ReasonOut]


class SeatOut(Schema):
    id: int
    person: int
    name: str
    post: str | None
    wing: str | None
    start_date: date
    warnings: list[str]


class CommitteeOut(Schema):
    id: int
    type: str
    unit: UnitRef
    status: str
    formed_on: date
    dissolved_on: date | None
    convener: int | None
    address: str
    phone: str
    active_since: date | None
    member_count: int
    is_complete: bool
    reasons: list[ReasonOut]
    seats: list[SeatOut]


class CommitteeIn(Body):
    unit: ObjectId
    type: str = Field(..., max_length=40)


class SeatIn(Body):
    person: ObjectId
    post: str = Field("", max_length=40)
    wing: str = Field("", max_length=40)


class ConvenerIn(Body):
    person: ObjectId


class OfficeIn(Body):
    address: Text = Field("", max_length=300)
    phone: str = Field("", max_length=20)
    active_since: date | None = None


class CommitteeReasonIn(Body):
    reason: Text = Field("", max_length=300)
