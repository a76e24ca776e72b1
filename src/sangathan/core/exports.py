"""Registers as files: the one place that turns rows into an Excel workbook or a PDF answer.

Every register (grievances, campaign progress, call compliance, vacancies) describes its export as a list
of ``Sheet`` (a title, a header and an iterable of rows) and calls ``xlsx_response`` or ``pdf_response``:

- XLSX: openpyxl's write-only workbook writes each row to a temporary file as it comes (rows are read from
  the database in chunks by the caller's iterator), so memory stays bounded whatever the row count; the
  file is then streamed back in 64 KiB blocks and deleted. Cells go through ``core.cells`` (a subject like
  ``=HYPERLINK(…)`` stays text, never a formula).
- PDF: ``core.pdf`` lays the rows out as a table in the bundled Noto Sans Devanagari with HarfBuzz shaping,
  so Hindi conjuncts and matras print correctly. A PDF is for reading and printing: it holds at most
  ``PDF_MAX_ROWS`` rows per sheet and says so when more were left out (the workbook has them all).

``on_done(rows)`` is called once every row has been written: the caller writes its audit row there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

from sangathan.core.cells import xlsx_append

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
FORMATS = ("xlsx", "pdf")
PDF_MAX_ROWS = 500
BLOCK = 64 * 1024


@dataclass
class Sheet:
    """One table of an export: a sheet of the workbook, a section of the PDF."""

    title: str
    header: list[str]
    rows: Iterable[list]
    # Relative widths of the PDF's columns (defaults to equal); the workbook ignores them.
    widths: list[int] | None = None
    notes: list[str] = field(default_factory=list)


class TemporaryFileStream:
    """Iterates a file in blocks and deletes it when done or abandoned (``close``)."""

    def __init__(self, path: str, block: int = BLOCK):
        self.path = path
        self.handle = open(path, "rb")  # noqa: SIM115 — closed in close()
        self.block = block

    def __iter__(self):
        while data := self.handle.read(self.block):
            yield data

    def close(self):
        self.handle.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique in the workbook.
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in str(title)).strip()[:31] or "Sheet"
    name, n = clean, 2
    while name in used:
        suffix = f" {n}"
        name, n = clean[:31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name


def xlsx_file(sheets: Iterable[Sheet], *, on_done: Callable[[int], None] | None = None) -> str:
    """Write the workbook to a temporary file, row by row, and return its path (the caller removes it).
    ``on_done`` gets the number of data rows written (headers not counted)."""
    from openpyxl import Workbook  # noqa: PLC0415 — only exports need openpyxl

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    count = 0
    for sheet in sheets:
        target = workbook.create_sheet(title=_sheet_title(sheet.title, used))
        for note in sheet.notes:
            xlsx_append(target, [note])
        xlsx_append(target, [str(h) for h in sheet.header])
        for row in sheet.rows:
            xlsx_append(target, row)
            count += 1
    if not used:
        workbook.create_sheet(title="Sheet")
    handle, path = tempfile.mkstemp(prefix="sangathan-export-", suffix=".xlsx")
    os.close(handle)
    try:
        workbook.save(path)
    except BaseException:
        os.unlink(path)
        raise
    if on_done is not None:
        on_done(count)
    return path


def stamped(stem: str, fmt: str) -> str:
    """``stem-YYYYMMDD-HHMM.fmt``, ASCII only (a header can carry no Devanagari)."""
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "-" for ch in stem).strip("-")
    return f"{safe or 'export'}-{timezone.localtime():%Y%m%d-%H%M}.{fmt}"


def _attachment(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store, private"
    return response


def xlsx_response(sheets: Iterable[Sheet], *, stem: str, on_done: Callable[[int], None] | None = None):
    """The workbook streamed from its temporary file (deleted when the answer is sent or abandoned)."""
    path = xlsx_file(sheets, on_done=on_done)
    response = StreamingHttpResponse(TemporaryFileStream(path), content_type=XLSX_TYPE)
    response["Content-Length"] = str(os.path.getsize(path))
    return _attachment(response, stamped(stem, "xlsx"))


def pdf_response(sheets: Iterable[Sheet], *, title: str, subtitle: str = "", stem: str,
                 on_done: Callable[[int], None] | None = None, landscape: bool = True):
    """The PDF of ``sheets`` (at most ``PDF_MAX_ROWS`` rows each) as one answer."""
    from sangathan.core.pdf import table_pdf  # noqa: PLC0415 — fpdf2 is loaded only for a PDF

    data, count = table_pdf(sheets, title=title, subtitle=subtitle, max_rows=PDF_MAX_ROWS, landscape=landscape)
    if on_done is not None:
        on_done(count)
    return _attachment(HttpResponse(bytes(data), content_type=PDF_TYPE), stamped(stem, "pdf"))


def export_response(fmt: str, sheets: Iterable[Sheet], *, title: str, subtitle: str = "", stem: str,
                    on_done: Callable[[int], None] | None = None, landscape: bool = True):
    """``xlsx_response`` or ``pdf_response`` by ``fmt`` (one of ``FORMATS``; the view checks it)."""
    if fmt == "pdf":
        return pdf_response(sheets, title=title, subtitle=subtitle, stem=stem, on_done=on_done,
                            landscape=landscape)
    return xlsx_response(sheets, stem=stem, on_done=on_done)
