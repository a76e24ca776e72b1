"""Reading a people file: CSV (UTF-8, with or without BOM; Excel's UTF-16 too) or XLSX (first sheet).

Rows come out as lists of strings with their line number in the file (the header is line 1), so every
message about a row points at the line the sender sees in their spreadsheet.
"""

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"
CSV_FIELD_LIMIT = 10_000


class FileProblem(DomainError):
    """The file as a whole cannot be imported (not CSV/XLSX, no header, unknown columns …)."""

    def __init__(self, message, **kwargs):
        super().__init__(message, code=kwargs.pop("code", "bad_file"), field=kwargs.pop("field", "file"), **kwargs)


@dataclass
class Sheet:
    header: list[str]
    rows: Iterator[tuple[int, list[str]]]   # (line number, cells)
    total: int                              # data rows as far as known before reading (0 for CSV)
    file_format: str

    def close(self) -> None:
        close = getattr(self.rows, "close", None)
        if close:
            close()


def detect_format(head: bytes) -> str:
    return "xlsx" if head.startswith(XLSX_MAGIC) else "csv"


def open_sheet(path: str) -> Sheet:
    with open(path, "rb") as handle:
        head = handle.read(4)
    if detect_format(head) == "xlsx":
        return _open_xlsx(path)
    return _open_csv(path)


def _text_stream(path: str):
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8-sig"
    return open(path, encoding=encoding, newline="")  # noqa: SIM115 — the generator closes it


def _open_csv(path: str) -> Sheet:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    stream = _text_stream(path)
    try:
        sample = stream.read(4096)
    except UnicodeDecodeError:
        stream.close()
        raise FileProblem(_("The file is neither an Excel (XLSX) file nor text in UTF-8.")) from None
    stream.seek(0)
    if "\x00" in sample:
        stream.close()
        raise FileProblem(_("The file is neither an Excel (XLSX) file nor text in UTF-8."))
    delimiter = ";" if sample.split("\n", 1)[0].count(";") > sample.split("\n", 1)[0].count(",") else ","
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError):
        header = None
    if not header or not any(cell.strip() for cell in header):
        stream.close()
        raise FileProblem(_("The file has no header row."))

    def rows():
        try:
            for row in reader:
                if row and any(row):
                    yield reader.line_num, row
        except UnicodeDecodeError:
            raise FileProblem(_("The file is not text in UTF-8 (after line %(line)d).")
                              % {"line": reader.line_num}) from None
        except csv.Error as error:
            raise FileProblem(_("The file cannot be read as CSV at line %(line)d: %(error)s")
                              % {"line": reader.line_num, "error": error}) from None
        finally:
            stream.close()

    return Sheet(header=header, rows=rows(), total=0, file_format="csv")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 9826012345 as a number
    return str(value)


def _open_xlsx(path: str) -> Sheet:
    from openpyxl import load_workbook  # noqa: PLC0415 — only XLSX imports need it
    from openpyxl.utils.exceptions import InvalidFileException  # noqa: PLC0415

    # An open file, not the path: openpyxl refuses a path without an .xlsx suffix, and uploads are stored
    # under temporary names. The first bytes already said it is a zip.
    stream = open(path, "rb")  # noqa: SIM115 — closed with the workbook, after the rows are read
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, KeyError, OSError, ValueError) as error:
        stream.close()
        raise FileProblem(_("The Excel file cannot be opened: %(error)s") % {"error": error}) from None
    except Exception as error:  # noqa: BLE001 — zipfile.BadZipFile and friends from a damaged upload
        stream.close()
        raise FileProblem(_("The Excel file cannot be opened: %(error)s") % {"error": error}) from None
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header_row = next(values, None)
    if not header_row or not any(cell not in (None, "") for cell in header_row):
        workbook.close()
        stream.close()
        raise FileProblem(_("The file has no header row."))
    total = max(0, (sheet.max_row or 1) - 1)

    def rows():
        try:
            for line, row in enumerate(values, start=2):
                cells = [_cell(value) for value in row]
                if any(cells):
                    yield line, cells
        finally:
            workbook.close()
            stream.close()

    return Sheet(header=[_cell(cell) for cell in header_row], rows=rows(), total=total, file_format="xlsx")
