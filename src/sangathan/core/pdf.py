"""Tables as PDF in Hindi: fpdf2 with HarfBuzz shaping and the bundled Noto fonts.

Devanagari needs shaping (conjuncts such as ``क्ष``, the ``ि`` matra drawn before its consonant, reph):
``set_text_shaping(True)`` runs every string through uharfbuzz. Noto Sans Devanagari has no Latin letters,
so Noto Sans is its fallback (tracking codes, English names). The fonts ship in ``static/fonts/`` (SIL Open
Font License, text beside them), so nothing depends on a system font.

Rows are drawn one line each with ``cell`` (a text too wide for its column is cut at a word and ends in
"…"): fpdf2's ``table`` wraps every cell by measuring it glyph by glyph, which with shaping costs ~0.2 s a
row; one shaped line per cell is what lets a printed register hold a thousand rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FAMILY, LATIN = "NotoSansDevanagari", "NotoSans"
FONTS = {
    (FAMILY, ""): "NotoSansDevanagari-Regular.ttf", (FAMILY, "B"): "NotoSansDevanagari-Bold.ttf",
    (LATIN, ""): "NotoSans-Regular.ttf", (LATIN, "B"): "NotoSans-Bold.ttf",
}
HEAD_FILL = (232, 238, 248)
LINE = (210, 216, 226)
ROW_HEIGHT = 5.2
PAD = 1.0
BODY_SIZE, HEAD_SIZE = 7.5, 7.5
ELLIPSIS = "…"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else ""
    return " ".join(str(value).split())


def _document(*, title: str, subtitle: str, landscape: bool):
    from fpdf import FPDF  # noqa: PLC0415 — loaded only when a PDF is asked for

    class RegisterPDF(FPDF):
        def header(self):
            self.set_font(FAMILY, "B", 12)
            self.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
            if subtitle:
                self.set_font(FAMILY, "", 8)
                self.cell(0, 5, subtitle, new_x="LMARGIN", new_y="NEXT")
            self.ln(1)

        def footer(self):
            self.set_y(-10)
            self.set_font(FAMILY, "", 7)
            self.cell(0, 5, f"{timezone.localtime():%d.%m.%Y %H:%M} · {self.page_no()}", align="R")

    pdf = RegisterPDF(orientation="L" if landscape else "P", unit="mm", format="A4")
    for (family, style), name in FONTS.items():
        pdf.add_font(family, style, str(FONT_DIR / name))
    pdf.set_fallback_fonts([LATIN], exact_match=False)
    pdf.set_text_shaping(True)
    pdf.set_margins(10, 10, 10)
    pdf.set_auto_page_break(False)
    pdf.set_title(title)
    pdf.set_creator("Sangathan")
    return pdf


def _fit(pdf, text: str, width: float) -> str:
    """``text`` cut (at a word where it can) so that it fits ``width``, with "…" when cut."""
    room = width - 2 * PAD
    # No glyph of these fonts is wider than 0.75 em: a short text fits without being shaped to measure it.
    if not text or len(text) * pdf.font_size * 0.75 <= room or pdf.get_string_width(text) <= room:
        return text
    cut = text
    for _try in range(6):
        share = room / max(pdf.get_string_width(cut + ELLIPSIS), 0.1)
        end = max(1, int(len(cut) * share) - 1)
        space = cut.rfind(" ", 0, end)
        cut = cut[:space] if space > end // 2 else cut[:end]
        if pdf.get_string_width(cut + ELLIPSIS) <= room or len(cut) <= 1:
            break
    return cut.rstrip() + ELLIPSIS


class _Table:
    """One sheet drawn row by row; the header row is repeated at the top of every page."""

    def __init__(self, pdf, header: list[str], weights: list[int] | None):
        self.pdf = pdf
        self.header = [_text(h) for h in header]
        weights = weights or [1] * len(header)
        total = sum(weights)
        self.widths = [pdf.epw * w / total for w in weights]

    def _row(self, values: list[str], *, head: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FAMILY, "B" if head else "", HEAD_SIZE if head else BODY_SIZE)
        pdf.set_fill_color(*HEAD_FILL)
        pdf.set_draw_color(*LINE)
        for width, value in zip(self.widths, values, strict=False):
            pdf.cell(width, ROW_HEIGHT, _fit(pdf, value, width), border="B", fill=head)
        pdf.ln(ROW_HEIGHT)

    def start(self) -> None:
        self._row(self.header, head=True)

    def add(self, values) -> None:
        if self.pdf.get_y() + ROW_HEIGHT > self.pdf.h - 14:
            self.pdf.add_page()
            self.start()
        cells = [_text(v) for v in values]
        self._row(cells + [""] * (len(self.widths) - len(cells)))


def table_pdf(sheets: Iterable, *, title: str, subtitle: str = "", max_rows: int, landscape: bool = True
              ) -> tuple[bytearray, int]:
    """The PDF of ``sheets`` (``core.exports.Sheet``) and the number of rows it holds; each sheet is a
    section with its own table, at most ``max_rows`` rows."""
    pdf = _document(title=title, subtitle=subtitle, landscape=landscape)
    pdf.add_page()
    count = 0
    for sheet in sheets:
        if pdf.get_y() + 4 * ROW_HEIGHT > pdf.h - 14:
            pdf.add_page()
        pdf.set_font(FAMILY, "B", 10)
        pdf.cell(0, 7, _text(sheet.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", BODY_SIZE)
        for note in sheet.notes:
            pdf.multi_cell(0, 4.5, _text(note), new_x="LMARGIN", new_y="NEXT")
        table = _Table(pdf, sheet.header, sheet.widths)
        table.start()
        shown, left_out = 0, False
        for values in sheet.rows:
            if shown >= max_rows:
                left_out = True
                break
            table.add(values)
            shown += 1
        count += shown
        if left_out:
            pdf.set_font(FAMILY, "B", 8)
            pdf.multi_cell(0, 5, _("Only the first %(n)s rows are printed here; the Excel file has them all.")
                           % {"n": max_rows}, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)
    return pdf.output(), count
