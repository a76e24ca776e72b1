"""Charts drawn on the server as SVG: no script, nothing to download, allowed by our strict CSP.

A view builds a chart from plain numbers and the template includes ``includes/bar_chart.html`` or
``includes/column_chart.html`` with it. Bars carry their own percentages, so templates do no arithmetic.
Every chart shows its values as text (beside each bar, above each column) and gives each drawn element a
``<title>`` (label, value, target), so a figure is read, not guessed from a length.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    width: float              # 0–100, share of the chart's maximum
    text: str                 # the value as shown (e.g. "1,234" or "87%")
    target: float | None = None
    target_at: float | None = None   # 0–100, where the target mark stands
    tone: str = "brand"       # brand | ok | warn | bad: colour of the bar
    url: str = ""
    target_text: str = ""     # the target as shown, in the bar's format


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    title: str = ""


@dataclass(frozen=True)
class Column:
    label: str
    value: float
    x: float          # 0–100, left edge
    width: float      # 0–100
    height: float     # 0–100, from the baseline up
    text: str
    top: float = 0.0  # the column's top edge in the drawing's units (COLUMN_AREA_HEIGHT high)
    drawn: float = 0.0  # the column's height in those units
    tone: str = "brand"


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    title: str = ""
    max_text: str = ""

    @property
    def dense(self) -> bool:
        """Too many columns for their values to stand side by side on a phone: the chart scrolls sideways."""
        return len(self.columns) > DENSE_COLUMNS


COLUMN_AREA_HEIGHT = 40
DENSE_COLUMNS = 12


def _share(value: float, top: float) -> float:
    return round(100 * max(value, 0) / top, 2) if top > 0 else 0.0


def bar_chart(rows: Iterable[Sequence], *, title: str = "", fmt=None, tone=None) -> BarChart:
    """Horizontal bars from ``(label, value)``, ``(label, value, target)`` or ``(label, value, target, url)``.

    ``fmt(value)`` gives each bar's text (default: the integer); ``tone(value, target)`` its colour.
    With targets, the scale reaches the larger of the biggest value and the biggest target.
    """
    rows = [tuple(row) + (None,) * (4 - len(row)) for row in rows]
    top = max([float(row[1] or 0) for row in rows] + [float(row[2] or 0) for row in rows] + [0])
    bars = []
    for label, value, target, url in rows:
        value = float(value or 0)
        bars.append(Bar(
            label=str(label), value=value, width=_share(value, top),
            text=fmt(value) if fmt else f"{value:,.0f}",
            target=target, target_at=_share(float(target), top) if target is not None else None,
            tone=tone(value, target) if tone else "brand", url=url or "",
            target_text=(fmt(float(target)) if fmt else f"{float(target):,.0f}") if target is not None else "",
        ))
    return BarChart(bars=bars, title=title)


def column_chart(points: Iterable[Sequence], *, title: str = "", fmt=None, tone=None) -> ColumnChart:
    """Vertical columns from ``(label, value)`` pairs in order (days, weeks): a series over time."""
    points = [(str(label), float(value or 0)) for label, value in points]
    top = max([value for _, value in points] + [0])
    slot = 100 / len(points) if points else 0
    columns = []
    for index, (label, value) in enumerate(points):
        height = _share(value, top)
        drawn = round(COLUMN_AREA_HEIGHT * height / 100, 2)
        columns.append(Column(label=label, value=value, x=round(index * slot + slot * 0.1, 2),
                              width=round(slot * 0.8, 2), height=height, text=fmt(value) if fmt else f"{value:,.0f}",
                              top=round(COLUMN_AREA_HEIGHT - drawn, 2), drawn=drawn,
                              tone=tone(value) if tone else "brand"))
    return ColumnChart(columns=columns, title=title, max_text=(fmt(top) if fmt else f"{top:,.0f}") if points else "")


def percent(value: float) -> str:
    return f"{value:.0f}%"
