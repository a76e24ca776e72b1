"""Reading a workshop plan from a file (CSV or XLSX): ``date, venue, capacity, district`` with a header row;
the date as YYYY-MM-DD or DD-MM-YYYY, the district by its code or its Hindi or English name. Every row is
checked before anything is written (``PlanImport``); every problem names its line."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError
from sangathan.core.tree import subtree_q
from sangathan.org.models import Unit

MAX_ROWS = 2_000


@dataclass(frozen=True)
class PlanRow:
    date: date
    venue: str
    capacity: int
    district: Unit


def read_rows(name: str, content: bytes) -> list[list[str]]:
    if name.lower().endswith(".xlsx"):
        from openpyxl import load_workbook  # noqa: PLC0415 — only XLSX files need it

        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            rows = [["" if v is None else (v.date().isoformat() if isinstance(v, datetime)
                                           else str(int(v) if isinstance(v, float) and v.is_integer() else v))
                     for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    else:
        try:
            rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        except UnicodeDecodeError:
            raise DomainError(_("The file is not UTF-8 text."), field="file") from None
    rows = [row for row in rows[1:] if any(str(cell).strip() for cell in row)]
    if len(rows) > MAX_ROWS:
        raise DomainError(_("At most 2,000 rows."), field="file")
    return rows


def _day(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def plan_rows(unit: Unit, rows: list[list[str]]) -> list[PlanRow]:
    districts = list(Unit.objects.filter(subtree_q("path", unit.path), level="district", is_active=True))
    by_key = {}
    for district in districts:
        for key in (district.code, district.name_hi, district.name_en):
            if key:
                by_key[key.strip().lower()] = district
    out, errors = [], {}
    for line, row in enumerate(rows, start=2):
        cells = [str(c).strip() for c in row] + [""] * 4
        problems = []
        try:
            day = _day(cells[0])
        except ValueError:
            problems.append(_("The date must be YYYY-MM-DD or DD-MM-YYYY."))
        if not cells[1]:
            problems.append(_("Give the venue."))
        try:
            capacity = int(cells[2] or 0)
            if capacity < 0:
                raise ValueError
        except ValueError:
            problems.append(_("The capacity must be a whole number."))
        district = by_key.get(cells[3].lower())
        if district is None:
            problems.append(_("No district %(name)s in this plan.") % {"name": cells[3]})
        if problems:
            errors[f"line {line}"] = problems
        else:
            out.append(PlanRow(day, cells[1][:200], capacity, district))
    seen = {}
    for row in out:
        if row.district.pk in seen and seen[row.district.pk] != (row.date, row.venue):
            errors.setdefault(f"district {row.district.code}", []).append(
                _("A district can be at one date and venue only."))
        seen[row.district.pk] = (row.date, row.venue)
    if errors:
        raise DomainError(_("The file has errors; nothing was written."), code="invalid", errors=errors)
    return out
