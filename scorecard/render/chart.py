"""A Making Data Count SPC chart as one self-contained SVG, for board appendices.

It shows each month's value, the centre line, the process limits, the target (red, dashed),
special-cause points coloured as Making Data Count colours them (blue improvement, orange
concern, purple neither; grey common cause), and month labels on the axis. A new partition
(a rebase) starts new lines. The title wraps onto a second line, in a smaller size if it
must, so a long trust name is never cut off at the chart's edge; the caption (the icons'
reasons) wraps and the chart grows to hold it. Pure: same result in, same bytes out.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape

from scorecard.formatting import format_value
from scorecard.frequency import period_label, short_label, trend_words
from scorecard.model import Frequency, Row, Unit
from scorecard.spc.result import SpcPoint

WIDTH, HEIGHT = 760, 360
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 50, 60
COLOURS = {
    None: "#a6a6a6",
    "improvement": "#00b0f0",
    "concern": "#e46c0a",
    "neither_high": "#490092",
    "neither_low": "#490092",
}
TARGET = "#de1b1b"


def chart_svg(row: Row) -> str:
    """The row's SPC chart; a row with no SPC gets a chart that says so. The title says how
    often the points come (`monthly, 24 months`, `quarterly, 8 quarters`)."""
    ind, spc = row.indicator, row.spc
    points = list(spc.points) if spc is not None else []
    frequency = ind.frequency
    title = f"{ind.name}: {row.org_name} ({row.org_code}), to {period_label(row.period, frequency)}"
    if points:
        title += f" ({trend_words(frequency, len(points))})"
    values = [p.value for p in points if p.value is not None]
    if spc is None or not values:
        return _frame(title, '<text x="70" y="120" font-size="13">No SPC for this row.</text>')
    lines = [v for p in points for v in (p.upl, p.lpl, p.centre) if v is not None]
    extra = [spc.target] if spc.target is not None else []
    low, high = min([*values, *lines, *extra]), max([*values, *lines, *extra])
    pad = (high - low) * 0.08 or 1.0
    low, high = low - pad, high + pad

    def x(i: float) -> float:
        span = max(len(points) - 1, 1)
        return LEFT + (WIDTH - LEFT - RIGHT) * i / span

    def y(v: float) -> float:
        return TOP + (HEIGHT - TOP - BOTTOM) * (high - v) / (high - low)

    parts = [_axes(points, x, y, low, high, ind.unit, frequency)]
    parts += _partition_lines(points, x, y)
    if spc.target is not None:
        ty = y(spc.target)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{ty:.1f}" y2="{ty:.1f}" '
            f'stroke="{TARGET}" stroke-dasharray="6 4" stroke-width="1.5"/>'
            f'<text x="{WIDTH - RIGHT}" y="{ty - 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="{TARGET}">Target {escape(format_value(spc.target, ind.unit))}</text>'
        )
    drawn = [(i, p.value) for i, p in enumerate(points) if p.value is not None]
    path = " ".join(
        f"{'M' if j == 0 else 'L'}{x(i):.1f} {y(v):.1f}" for j, (i, v) in enumerate(drawn)
    )
    parts.append(f'<path d="{path}" fill="none" stroke="#768692" stroke-width="1.5"/>')
    for i, p in enumerate(points):
        if p.value is None:
            continue
        label = f"{short_label(p.period, frequency)}: {format_value(p.value, ind.unit)}"
        if p.special:
            label += f" (special cause: {p.special.replace('_', ' ')}; {', '.join(p.rules)})"
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.value):.1f}" r="4" '
            f'fill="{COLOURS.get(p.special, "#a6a6a6")}"><title>{escape(label)}</title></circle>'
        )
    caption = _wrap(f"{spc.reason}. {spc.assurance_reason}.", 11, bold=False)
    parts += [
        f'<text x="{LEFT}" y="{HEIGHT - 8 + 14 * k}" font-size="11">{escape(line)}</text>'
        for k, line in enumerate(caption)
    ]
    return _frame(title, "".join(parts), 14 * (len(caption) - 1))


XY = Callable[[float], float]


def _partition_lines(points: list[SpcPoint], x: XY, y: XY) -> list[str]:
    """Centre (solid) and limits (dashed) for each run of points sharing a partition."""
    out = []
    dashed = ' stroke-dasharray="4 3"'
    i = 0
    while i < len(points):
        j = i
        while j + 1 < len(points) and points[j + 1].partition == points[i].partition:
            j += 1
        for attr, dash in (("centre", ""), ("upl", dashed), ("lpl", dashed)):
            v = getattr(points[i], attr)
            if v is not None:
                x1, x2, yy = x(i), x(j), y(v)
                parts = f'x1="{x1:.1f}" x2="{x2:.1f}" y1="{yy:.1f}" y2="{yy:.1f}"'
                out.append(f'<line {parts} stroke="#231f20" stroke-width="1"{dash}/>')
        i = j + 1
    return out


def _axes(
    points: list[SpcPoint],
    x: XY,
    y: XY,
    low: float,
    high: float,
    unit: Unit,
    frequency: Frequency = Frequency.MONTHLY,
) -> str:
    bottom = HEIGHT - BOTTOM
    out = [
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}" stroke="#425563"/>',
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}" stroke="#425563"/>',
    ]
    for k in range(5):
        v = low + (high - low) * k / 4
        out.append(
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" font-size="10" text-anchor="end">'
            f"{escape(format_value(v, unit))}</text>"
        )
    for i, p in enumerate(points):
        out.append(
            f'<text x="{x(i):.1f}" y="{bottom + 14}" font-size="9" text-anchor="end" '
            f'transform="rotate(-45 {x(i):.1f} {bottom + 14})">'
            f"{escape(short_label(p.period, frequency))}</text>"
        )
    return "".join(out)


def _wrap(text: str, size: int, bold: bool, width: int = WIDTH - LEFT - RIGHT) -> list[str]:
    """Lines of `text` that fit `width` pixels, by a generous estimate of Arial's widths."""
    per_char = size * (0.62 if bold else 0.56)
    return textwrap.wrap(text, max(int(width / per_char), 10), break_on_hyphens=False)


def _title_lines(title: str) -> str:
    """The title in at most two lines: 14 px, else 12 px, else cut short with an ellipsis
    (the full title is the SVG's `<title>`)."""
    for size in (14, 12):
        lines = _wrap(title, size, bold=True)
        if len(lines) <= 2:
            break
    else:
        lines = [lines[0], lines[1].rstrip(" ,;:") + "…"]
    y = 24 if len(lines) == 1 else 19
    return "".join(
        f'<text x="{LEFT}" y="{y + (size + 3) * k}" font-size="{size}" font-weight="bold">'
        f"{escape(line)}</text>"
        for k, line in enumerate(lines)
    )


def _frame(title: str, body: str, extra: int = 0) -> str:
    text, height = escape(title), HEIGHT + extra
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{text}" '
        'font-family="Arial, Helvetica, sans-serif">'
        f'<title>{text}</title><rect width="100%" height="100%" fill="#ffffff"/>'
        f"{_title_lines(title)}{body}</svg>\n"
    )
