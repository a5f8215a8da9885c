"""Small server-side SVG charts for the sales page: no script, no CDN, readable at 390 px.

A chart is drawn in a 360-unit-wide viewBox and scaled to its container, so on a phone one
unit is about one CSS pixel and the 11-unit labels read as 11 px text. Every label is
escaped (product names may come from what customers typed), and every bar has a <title>
so a long press or hover tells its exact value.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 360
FONT = 11
_AXIS = "#8a8f98"
_GRID = "#e3e6ea"


@dataclass(frozen=True, slots=True)
class Point:
    label: str  # shown under the bar (or beside it), may be "" to skip
    value: float
    title: str  # the exact value, in words, for the bar's tooltip


def nice_ceiling(value: float, *, whole: bool = False) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^k at or above `value`, so gridlines read round.

    `whole` (counts): at least 2 and never 2.5 x 10^k, so the middle gridline is a whole
    number too (1, not 0.5 or 12.5).
    """
    if value <= 0:
        return 2.0 if whole else 1.0
    magnitude = 10.0 ** math.floor(math.log10(value))
    steps = (1.0, 2.0, 5.0) if whole else (1.0, 2.0, 2.5, 5.0)
    for step in steps:
        top = step * magnitude
        if value <= top and not (whole and top < 2):
            return top
    return max(10.0 * magnitude, 2.0) if whole else 10.0 * magnitude


def _svg(height: int, label: str, body: list[str]) -> Markup:
    head = (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-size="{FONT}" font-family="system-ui, sans-serif">'
    )
    # Every piece of text in `body` went through escape(); the rest is our own markup.
    return Markup(head + f"<title>{escape(label)}</title>" + "".join(body) + "</svg>")  # noqa: S704


def columns(
    points: Sequence[Point],
    *,
    label: str,
    axis: Callable[[float], str],
    height: int = 180,
    color: str = "#2f7d4f",
    whole: bool = False,
) -> Markup:
    """Vertical bars, one per point (a day), with three gridlines labelled by `axis`."""
    left, right, top, bottom = 44, 6, 8, 22
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    top_value = nice_ceiling(max((p.value for p in points), default=0.0), whole=whole)
    body: list[str] = []
    for i in range(3):
        share = i / 2
        y = top + plot_h * (1 - share)
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{_GRID if i else _AXIS}" stroke-width="1"/>'
        )
        body.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" fill="{_AXIS}">'
            f"{escape(axis(top_value * share))}</text>"
        )
    slot = plot_w / max(len(points), 1)
    bar = max(slot * 0.7, 1.0)
    for i, p in enumerate(points):
        h = plot_h * (p.value / top_value) if top_value else 0.0
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h - h
        body.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{max(h, 0.0):.1f}" '
            f'rx="1" fill="{color}"><title>{escape(p.title)}</title></rect>'
        )
        if p.label:
            # the last label ends at the chart's edge instead of running past it
            last = i == len(points) - 1
            x = WIDTH - right if last else left + i * slot + slot / 2
            body.append(
                f'<text x="{x:.1f}" y="{height - 6}" text-anchor="{"end" if last else "middle"}" '
                f'fill="{_AXIS}">{escape(p.label)}</text>'
            )
    return _svg(height, label, body)


def bars(
    points: Sequence[Point],
    *,
    label: str,
    value_text: Callable[[float], str],
    color: str = "#3563a9",
) -> Markup:
    """Horizontal bars with the name above each bar and its value at the bar's end.

    Names sit on their own line so a long product name is cut at the chart's edge rather
    than squeezing the bar to nothing on a narrow screen.
    """
    row, bar_h, top = 34, 12, 4
    height = top + row * max(len(points), 1)
    top_value = max((p.value for p in points), default=0.0) or 1.0
    value_room = 86  # the value's text after the longest bar
    body: list[str] = []
    for i, p in enumerate(points):
        y = top + i * row
        w = max((WIDTH - value_room) * p.value / top_value, 2.0)
        name = p.label if len(p.label) <= 52 else p.label[:51] + "…"
        body.append(f'<text x="0" y="{y + 11}" fill="#1f2328">{escape(name)}</text>')
        body.append(
            f'<rect x="0" y="{y + 15}" width="{w:.1f}" height="{bar_h}" rx="2" '
            f'fill="{color}"><title>{escape(p.title)}</title></rect>'
        )
        body.append(
            f'<text x="{w + 4:.1f}" y="{y + 25}" fill="#1f2328">{escape(value_text(p.value))}'
            "</text>"
        )
    return _svg(height, label, body)
