"""Charts drawn on the server as SVG: no JavaScript, and the same markup in the PDF.

Each chart has a title and a description for screen readers and sits beside the table
it was drawn from. Colour never carries meaning alone: lines differ in dash and marker
and are labelled at their ends, bars carry their values, and the target is a labelled
line. Decision record 0703.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH = 640
INK = "#0b0c0c"
GRID = "#b1b4b6"
# GOV.UK Frontend's blue, pink, green, orange, purple and dark grey: each has at least
# 3:1 contrast with white, so every line is visible against the background.
COLOURS = ("#1d70b8", "#d53880", "#00703c", "#f47738", "#4c2c92", "#505a5f")
DASHES = ("", "6 3", "2 3", "10 3 2 3", "1 2", "12 4")
MARKERS = ("circle", "square", "triangle", "diamond", "circle", "square")
_ids = count(1)


@dataclass
class Chart:
    title: str
    description: str
    svg: SafeString


def number(value: float, unit: str = "") -> str:
    if unit == "%":
        return f"{value:.0f}%"
    if unit == "£":
        return f"£{value:,.0f}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def nice_max(value: float) -> tuple[float, float]:
    """A round top for the axis and the step between its gridlines."""
    if value <= 0:
        return 1.0, 1.0
    raw = value / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(value / step), step


def _open(kind: str, title: str, description: str, height: int) -> tuple[str, list[str]]:
    ident = f"chart-{kind}-{next(_ids)}"
    return ident, [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="th-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{ident}-t" aria-describedby="{ident}-d" font-family="Arial, sans-serif" '
        f'font-size="13">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<desc id="{ident}-d">{escape(description)}</desc>',
    ]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 3.5:.1f}" y="{y - 3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if shape == "triangle":
        return (f'<polygon points="{x:.1f},{y - 4.5:.1f} {x + 4.5:.1f},{y + 3.5:.1f} '
                f'{x - 4.5:.1f},{y + 3.5:.1f}" fill="{colour}"/>')
    if shape == "diamond":
        return (f'<polygon points="{x:.1f},{y - 5:.1f} {x + 5:.1f},{y:.1f} {x:.1f},{y + 5:.1f} '
                f'{x - 5:.1f},{y:.1f}" fill="{colour}"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>'


def line_chart(*, title: str, description: str, labels: Sequence[str],
               series: Sequence[tuple[str, Sequence[float | None]]], unit: str = "",
               target: float | None = None, ceiling: float | None = None) -> Chart:
    """Lines over time, each labelled at its last point; gaps where a value is None."""
    height, left, right, top, bottom = 280, 56, 150, 16, 44
    values = [v for _, vs in series for v in vs if v is not None]
    top_value, step = nice_max(max(values + [target or 0, 0]) if ceiling is None else ceiling)
    if ceiling is not None:
        step = ceiling / 4
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return top + plot_h - plot_h * (v / top_value if top_value else 0)

    ident, out = _open("line", title, description, height)
    tick = 0.0
    while tick <= top_value + 1e-9:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" '
                   f'y2="{y(tick):.1f}" stroke="{GRID}" stroke-width="1"/>')
        out.append(f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                   f'fill="{INK}">{escape(number(tick, unit))}</text>')
        tick += step
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(labels):
        if i % every == 0 or i == n - 1:
            out.append(f'<text x="{x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                       f'fill="{INK}" font-size="12">{escape(label)}</text>')
    if target is not None:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(target):.1f}" '
                   f'y2="{y(target):.1f}" stroke="{INK}" stroke-width="2" '
                   f'stroke-dasharray="8 4"/>')
        out.append(f'<text x="{left + plot_w + 6}" y="{y(target) + 4:.1f}" fill="{INK}">'
                   f'{escape(_("Target %(v)s") % {"v": number(target, unit)})}</text>')
    ends: list[float] = []
    for k, (name, points) in enumerate(series):
        colour, dash, shape = COLOURS[k % 6], DASHES[k % 6], MARKERS[k % 6]
        segments: list[list[str]] = [[]]
        for i, v in enumerate(points):
            if v is None:
                segments.append([])
            else:
                segments[-1].append(f"{x(i):.1f},{y(v):.1f}")
        for segment in segments:
            if len(segment) > 1:
                out.append(f'<polyline points="{" ".join(segment)}" fill="none" '
                           f'stroke="{colour}" stroke-width="2.5"'
                           + (f' stroke-dasharray="{dash}"' if dash else "") + "/>")
        for i, v in enumerate(points):
            if v is not None:
                out.append(_marker(shape, x(i), y(v), colour))
        last = next(((i, v) for i, v in reversed(list(enumerate(points))) if v is not None),
                    None)
        if last is not None:
            label_y = y(last[1]) + 4
            while any(abs(label_y - e) < 14 for e in ends):
                label_y += 14
            ends.append(label_y)
            out.append(f'<text x="{left + plot_w + 8}" y="{label_y:.1f}" fill="{INK}">'
                       f'{escape(_short(name, 20))}</text>')
            out.append(_marker(shape, left + plot_w + 2, label_y - 4, colour))
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{INK}"/>')
    out.append("</svg>")
    return Chart(title, description, mark_safe("".join(out)))  # noqa: S308 - every text escaped


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[:length - 1] + "…"


def bar_chart(*, title: str, description: str, rows: Sequence[tuple[str, float]],
              unit: str = "") -> Chart:
    """Horizontal bars, largest first as given, each labelled with its value."""
    bar, gap, left, top = 18, 8, 236, 8
    height = top * 2 + max(len(rows), 1) * (bar + gap)
    top_value, _ = nice_max(max([v for _, v in rows] + [0]))
    plot_w = WIDTH - left - 80
    ident, out = _open("bar", title, description, height)
    for i, (label, value) in enumerate(rows):
        y = top + i * (bar + gap)
        width = plot_w * (value / top_value) if top_value else 0
        out.append(f'<text x="{left - 8}" y="{y + bar - 5}" text-anchor="end" fill="{INK}">'
                   f'{escape(_short(label, 30))}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{width:.1f}" height="{bar}" '
                   f'fill="{COLOURS[0]}"/>')
        out.append(f'<text x="{left + width + 6:.1f}" y="{y + bar - 5}" fill="{INK}">'
                   f'{escape(number(value, unit))}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top - 4}" y2="{height - top + 4}" '
               f'stroke="{INK}"/>')
    out.append("</svg>")
    return Chart(title, description, mark_safe("".join(out)))  # noqa: S308 - every text escaped


def bullet_chart(*, title: str, description: str, actual: float | None,
                 low: float | None, high: float | None, target: float,
                 unit: str = "", maximum: float | None = None) -> Chart:
    """One target: the figure so far (bar), the likely range by 31 March (shaded band,
    drawn as a hatched box so it reads without colour) and the target (a labelled line)."""
    height, left, right = 74, 10, 10
    biggest = max(v for v in (actual, high, target, maximum, 0) if v is not None)
    top_value = maximum if maximum is not None else nice_max(biggest * 1.05)[0]
    plot_w = WIDTH - left - right

    def x(v: float) -> float:
        return left + plot_w * min(max(v / top_value, 0), 1) if top_value else left

    ident, out = _open("bullet", title, description, height)
    out.append(f'<defs><pattern id="{ident}-hatch" width="6" height="6" '
               f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
               f'<rect width="6" height="6" fill="#dbe7f3"/>'
               f'<line x1="0" y1="0" x2="0" y2="6" stroke="{COLOURS[0]}" stroke-width="1.5"/>'
               f'</pattern></defs>')
    out.append(f'<rect x="{left}" y="22" width="{plot_w}" height="22" fill="#f3f2f1" '
               f'stroke="{GRID}"/>')
    if low is not None and high is not None:
        out.append(f'<rect x="{x(low):.1f}" y="18" width="{max(x(high) - x(low), 2):.1f}" '
                   f'height="30" fill="url(#{ident}-hatch)" stroke="{COLOURS[0]}"/>')
    if actual is not None:
        out.append(f'<rect x="{left}" y="27" width="{x(actual) - left:.1f}" height="12" '
                   f'fill="{INK}"/>')
    tx = x(target)
    out.append(f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="12" y2="54" stroke="{COLOURS[1]}" '
               f'stroke-width="3"/>')
    anchor = "end" if tx > WIDTH * 0.7 else "start"
    shift = -5 if anchor == "end" else 5
    out.append(f'<text x="{tx + shift:.1f}" y="68" text-anchor="{anchor}" fill="{INK}">'
               f'{escape(_("Target %(v)s") % {"v": number(target, unit)})}</text>')
    out.append(f'<text x="{left}" y="12" fill="{INK}">0</text>')
    out.append(f'<text x="{WIDTH - right}" y="12" text-anchor="end" fill="{INK}">'
               f'{escape(number(top_value, unit))}</text>')
    out.append("</svg>")
    return Chart(title, description, mark_safe("".join(out)))  # noqa: S308 - every text escaped
