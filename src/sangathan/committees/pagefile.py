"""Reading a booths' page-count file (CSV or XLSX): ``booth_code, pages[, voters]`` with a header row;
``voters`` is either one number per page separated by ``;`` or empty. Rows are checked before anything is
written; every problem names its line."""

from __future__ import annotations

import csv
from pathlib import Path

from django.utils.translation import gettext as _

from sangathan.committees.services import PageCount
from sangathan.core.errors import DomainError
from sangathan.org.models import Unit


def read_rows(path: str) -> list[list[str]]:
    if Path(path).suffix.lower() == ".xlsx":
        from openpyxl import load_workbook  # noqa: PLC0415 — only XLSX files need it

        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            rows = [["" if v is None else str(int(v) if isinstance(v, float) and v.is_integer() else v)
                     for v in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()
    else:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    return [row for row in rows[1:] if any(cell.strip() for cell in row)]


def page_counts(rows: list[list[str]]) -> list[PageCount]:
    codes = [row[0].strip() for row in rows]
    booths = {u.code: u for u in Unit.objects.filter(code__in=codes, level="booth")}
    counts, errors = [], {}
    for line, row in enumerate(rows, start=2):
        code = row[0].strip()
        try:
            pages = int(row[1]) if len(row) > 1 else -1
            voters = [int(v) for v in row[2].split(";") if v.strip()] if len(row) > 2 and row[2].strip() else None
        except ValueError:
            errors.setdefault(f"line {line}", []).append(_("Pages and voters must be whole numbers."))
            continue
        if code not in booths:
            errors.setdefault(f"line {line}", []).append(_("No booth with code %(code)s.") % {"code": code})
        elif pages < 0:
            errors.setdefault(f"line {line}", []).append(_("Give the number of pages."))
        else:
            counts.append(PageCount(booths[code], pages, voters))
    if errors:
        raise DomainError(_("The file has errors; nothing was written."), code="invalid", errors=errors)
    return counts
