from django.template.loader import render_to_string
from django.utils import translation

from sangathan.core.charts import bar_chart, column_chart, percent


def test_bars_scale_to_the_largest_value_or_target():
    chart = bar_chart([("A", 50, 100), ("B", 120, 100, "/u/2")], fmt=lambda v: f"{v:.0f}",
                      tone=lambda value, target: "ok" if value >= target else "warn")
    a, b = chart.bars
    assert (a.width, a.target_at, a.tone) == (41.67, 83.33, "warn")
    assert (b.width, b.tone, b.url) == (100.0, "ok", "/u/2")


def test_empty_and_zero_charts_draw_nothing_wide():
    assert bar_chart([]).bars == []
    assert bar_chart([("A", 0)]).bars[0].width == 0
    assert column_chart([]).columns == []


def test_columns_stand_on_the_baseline():
    chart = column_chart([("Mon", 2), ("Tue", 4)], fmt=percent)
    mon, tue = chart.columns
    assert (mon.drawn, mon.top) == (20.0, 20.0)
    assert (tue.drawn, tue.top) == (40.0, 0.0)
    assert chart.max_text == "4%"


def test_charts_render_as_svg_without_inline_style():
    html = render_to_string("includes/bar_chart.html", {"chart": bar_chart([("जिला 1", 3, 5)], title="T")})
    html += render_to_string("includes/column_chart.html", {"chart": column_chart([("1", 3)])})
    assert "<svg" in html and "style=" not in html and "जिला 1" in html


def test_every_drawn_element_has_a_title_and_every_value_is_shown():
    with translation.override("hi"):  # the target's label is in the reader's language
        bars = render_to_string("includes/bar_chart.html", {"chart": bar_chart([("जिला 1", 3, 5)], title="T")})
    assert "<title>जिला 1: 3</title>" in bars and "<title>लक्ष्य 5</title>" in bars
    assert bars.count("<rect") == bars.count("<title>") + 1  # the grey track is no datum
    assert '<span class="chart__value">3<span class="chart__of"> / 5</span></span>' in bars
    columns = render_to_string("includes/column_chart.html",
                               {"chart": column_chart([("सोम", 2), ("मंगल", 1234)], title="T")})
    assert "<title>मंगल: 1,234</title>" in columns
    assert '<div class="chart__labels chart__values"><span>2</span><span>1,234</span></div>' in columns
    assert "chart--dense" not in columns


def test_a_month_of_columns_scrolls_instead_of_crowding_its_values():
    chart = column_chart([(str(day), day) for day in range(1, 31)], fmt=percent)
    assert chart.dense and not column_chart([("1", 1)] * 12).dense
    assert "chart--dense" in render_to_string("includes/column_chart.html", {"chart": chart})
    assert bar_chart([("A", 1, 2)], fmt=percent).bars[0].target_text == "2%"
