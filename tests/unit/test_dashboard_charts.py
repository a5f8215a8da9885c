"""The sales page's SVG charts: round gridlines, escaped labels, bars scaled to the top."""

from __future__ import annotations

import re

from whsp_ai.dashboard import charts
from whsp_ai.dashboard.sales_view import short_amount


def test_gridlines_are_round_and_counts_whole() -> None:
    assert [charts.nice_ceiling(v) for v in (0, 3, 11, 24, 26, 68_722)] == [
        1.0,
        5.0,
        20.0,
        25.0,
        50.0,
        100_000.0,
    ]
    # counts: the middle line of 0..top must be a whole number
    assert [charts.nice_ceiling(v, whole=True) for v in (0, 1, 3, 24)] == [2.0, 2.0, 5.0, 50.0]
    assert [short_amount(v) for v in (0, 950, 1_200, 35_000, 1_500_000)] == [
        "0",
        "950",
        "1.2k",
        "35k",
        "1.5M",
    ]


def test_labels_are_escaped_and_bars_scaled() -> None:
    evil = '<script>alert("x")</script>'
    svg = str(
        charts.bars(
            [charts.Point(evil, 100, evil), charts.Point("Pan", 50, "Pan: 50")],
            label=evil,
            value_text=str,
        )
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    widths = [float(w) for w in re.findall(r'<rect x="0" y="[\d.]+" width="([\d.]+)"', svg)]
    assert widths[0] == 2 * widths[1]  # half the revenue, half the bar


def test_columns_one_bar_a_day_and_the_last_label_inside() -> None:
    points = [charts.Point("1 Dec" if i == 29 else "", i, f"{i}") for i in range(30)]
    svg = str(charts.columns(points, label="Orders", axis=short_amount, whole=True))
    assert svg.count("<rect") == 30
    assert 'text-anchor="end" fill="#8a8f98">1 Dec</text>' in svg
    assert svg.startswith('<svg class="chart" viewBox="0 0 360 180"')
