"""API schemas of the org app, shared by every router that shows units and positions."""

from datetime import date

from ninja import Field, Schema

from sangathan.org.selectors import unit_breadcrumbs


class UnitRef(Schema):
    id: int
    code: str
    level: str
    name_hi: str
    name_en: str


class PostOut(Schema):
    code: str
    name_hi: str
    name_en: str


class PositionOut(Schema):
    """A post held at a unit or at an overlay (a Lok Sabha seat, a cluster): exactly one of the two ids."""

    id: int
    post: PostOut
    unit_id: int | None
    overlay_id: int | None
    wing: str | None = Field(None, description="Code of the wing or cell, when the post belongs to one.")
    start_date: date

    @staticmethod
    def resolve_wing(position) -> str | None:
        return position.wing.code if position.wing_id else None


class PersonName(Schema):
    id: int
    name: str


class OfficeBearerOut(PositionOut):
    person: PersonName


class CrumbOut(Schema):
    id: int | None = Field(..., description="Null when the ancestor lies outside the caller's scope.")
    code: str
    level: str
    name_hi: str
    name_en: str
    visible: bool


def crumbs_out(unit, scope) -> list[dict]:
    return [
        {"id": c.unit.pk if c.visible else None, "code": c.unit.code, "level": c.unit.level,
         "name_hi": c.unit.name_hi, "name_en": c.unit.name_en, "visible": c.visible}
        for c in unit_breadcrumbs(unit, scope)
    ]
