"""A funnel plot as one self-contained SVG: pure, the same result in giving the same bytes.

Each organisation is a point (its value in % against its denominator); the centre line,
the 95% limits (dashed) and the 99.8% limits (dotted, darker) are drawn from
`FunnelResult.curve()`. A point within the 95% limits is a grey circle; an outlier is
purple, a triangle pointing up (above) or down (below), hollow outside 95% only, filled
outside 99.8%, so shape and fill carry the flag without colour. The highlighted
organisation has a black ring and its name. A note under the plot says how the limits were
drawn (`FunnelResult.describe()`) and lists any organisation left off for want of a
denominator. `<title>` and `<desc>` describe the chart; every text is escaped; no scripts,
no external references; coordinates are written to one decimal place.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape

from scorecard.benchmark.funnel import Flag, FunnelPoint, FunnelResult
from scorecard.benchmark.funnel_limits import Limits
from scorecard.formatting import format_value
from scorecard.model import Unit

WIDTH, HEIGHT = 820, 520
LEFT, PLOT_RIGHT, TOP, PLOT_BOTTOM = 76, 600, 64, 400
LEGEND_X, NOTE_X = 620, 16
GREY, OUTLIER, INK, AXIS = "#a6a6a6", "#490092", "#231f20", "#425563"
LIMIT_95, LIMIT_998 = "#768692", "#231f20"
CLIP = "funnel-plot-area"


@dataclass(frozen=True)
class FunnelLabels:
    """The words on the chart. ``unit`` names what the denominator counts (the x axis)."""

    title: str
    indicator: str
    period: str
    unit: str = "Denominator"
    highlight: str | None = None  # an organisation code
    names: Mapping[str, str] = field(default_factory=dict)  # organisation names by code
    subtitle: str = ""  # under the title (default: the indicator and period)


def _percent(value: float) -> str:
    return format_value(value * 100, Unit.PERCENT)


def _count(value: float) -> str:
    return f"{value:,.0f}" if value == math.floor(value) else f"{value:,.1f}"


def _nice_step(span: float, target: int) -> float:
    raw = span / max(target, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))


def _ticks(low: float, high: float, target: int) -> list[float]:
    step = _nice_step(high - low, target)
    first = math.ceil(low / step - 1e-9)
    return [round(k * step, 12) for k in range(first, math.floor(high / step + 1e-9) + 1)]


def _y_range(result: FunnelResult, values: Sequence[float]) -> tuple[float, float]:
    low, high = min([*values, result.centre]), max([*values, result.centre])
    pad = (high - low) * 0.15 or 0.05
    return max(0.0, low - pad), min(1.0, high + pad)


def _name(labels: FunnelLabels, code: str) -> str:
    name = labels.names.get(code)
    return f"{name} ({code})" if name else code


def _marker(point: FunnelPoint, x: float, y: float, highlighted: bool) -> str:
    flag = point.flag
    if flag == Flag.NOT_SIGNIFICANT:
        shape = (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{GREY}" stroke="#ffffff" '
            'stroke-width="0.5"/>'
        )
    else:
        up = flag in (Flag.HIGH_95, Flag.HIGH_998)
        filled = flag in (Flag.HIGH_998, Flag.LOW_998)
        shape = _triangle(x, y, up, filled)
    ring = (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="8" fill="none" stroke="{INK}" stroke-width="2"/>'
        if highlighted
        else ""
    )
    return shape + ring


def _triangle(x: float, y: float, up: bool, filled: bool) -> str:
    d = 1 if up else -1
    pts = f"{x:.1f},{y - 5.5 * d:.1f} {x - 5:.1f},{y + 3.5 * d:.1f} {x + 5:.1f},{y + 3.5 * d:.1f}"
    fill = OUTLIER if filled else "#ffffff"
    return f'<polygon points="{pts}" fill="{fill}" stroke="{OUTLIER}" stroke-width="1.5"/>'


Scale = Callable[[float], float]


def _axes(xs: list[float], ys: list[float], x: Scale, y: Scale, labels: FunnelLabels) -> str:
    out = [
        f'<line x1="{LEFT}" x2="{PLOT_RIGHT}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM}" '
        f'stroke="{AXIS}"/>',
        f'<line x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{PLOT_BOTTOM}" stroke="{AXIS}"/>',
    ]
    for v in xs:
        out.append(
            f'<line x1="{x(v):.1f}" x2="{x(v):.1f}" y1="{PLOT_BOTTOM}" y2="{PLOT_BOTTOM + 5}" '
            f'stroke="{AXIS}"/><text x="{x(v):.1f}" y="{PLOT_BOTTOM + 18}" font-size="10" '
            f'text-anchor="middle">{escape(_count(v))}</text>'
        )
    for v in ys:
        out.append(
            f'<line x1="{LEFT - 5}" x2="{LEFT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{AXIS}"/>'
            f'<line x1="{LEFT}" x2="{PLOT_RIGHT}" y1="{y(v):.1f}" y2="{y(v):.1f}" '
            f'stroke="#e8edee"/><text x="{LEFT - 8}" y="{y(v) + 3.5:.1f}" font-size="10" '
            f'text-anchor="end">{escape(_percent(v))}</text>'
        )
    mid_y = (TOP + PLOT_BOTTOM) / 2
    out.append(
        f'<text x="{(LEFT + PLOT_RIGHT) / 2:.1f}" y="{PLOT_BOTTOM + 36}" font-size="11" '
        f'text-anchor="middle">{escape(labels.unit)}</text>'
        f'<text x="18" y="{mid_y:.1f}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 18 {mid_y:.1f})">{escape(labels.indicator)} (%)</text>'
    )
    return "".join(out)


def _curves(result: FunnelResult, x: Scale, y: Scale) -> str:
    limits = result.curve()
    if not limits:
        return ""

    def path(pick: Callable[[Limits], float]) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{x(lim.n):.1f} {y(pick(lim)):.1f}"
            for i, lim in enumerate(limits)
        )

    styles = (
        (LIMIT_95, "6 4", (lambda lim: lim.lower_95, lambda lim: lim.upper_95)),
        (LIMIT_998, "2 3", (lambda lim: lim.lower_998, lambda lim: lim.upper_998)),
    )
    out = []
    for colour, dash, picks in styles:
        for pick in picks:
            out.append(
                f'<path d="{path(pick)}" fill="none" stroke="{colour}" stroke-width="1.5" '
                f'stroke-dasharray="{dash}"/>'
            )
    return "".join(out)


def _legend(result: FunnelResult, labels: FunnelLabels) -> str:
    centre = "pooled average" if result.centre_source == "pooled" else "target"
    rows: list[tuple[str, str]] = [
        (
            f'<line x1="0" x2="24" y1="0" y2="0" stroke="{INK}" stroke-width="1.5"/>',
            f"Centre: {centre} {_percent(result.centre)}",
        ),
        (
            f'<line x1="0" x2="24" y1="0" y2="0" stroke="{LIMIT_95}" stroke-width="1.5" '
            'stroke-dasharray="6 4"/>',
            "95% limits",
        ),
        (
            f'<line x1="0" x2="24" y1="0" y2="0" stroke="{LIMIT_998}" stroke-width="1.5" '
            'stroke-dasharray="2 3"/>',
            "99.8% limits",
        ),
        (_marker_sample(Flag.NOT_SIGNIFICANT), "Within 95% limits"),
        (_marker_sample(Flag.HIGH_95), "Above 95% limit"),
        (_marker_sample(Flag.HIGH_998), "Above 99.8% limit"),
        (_marker_sample(Flag.LOW_95), "Below 95% limit"),
        (_marker_sample(Flag.LOW_998), "Below 99.8% limit"),
    ]
    if labels.highlight is not None:
        ring = f'<circle cx="12" cy="0" r="8" fill="none" stroke="{INK}" stroke-width="2"/>'
        rows.append((ring, f"Highlighted: {labels.highlight}"))
    out = [f'<g transform="translate({LEGEND_X} {TOP + 6})" font-size="11">']
    for i, (glyph, text) in enumerate(rows):
        out.append(
            f'<g transform="translate(0 {i * 22})">{glyph}'
            f'<text x="32" y="4">{escape(text)}</text></g>'
        )
    return "".join(out) + "</g>"


def _marker_sample(flag: Flag) -> str:
    sample = FunnelPoint("", 0.0, 0.0, None, None, None, flag)
    return _marker(sample, 12.0, 0.0, highlighted=False)


def _describe(result: FunnelResult, labels: FunnelLabels) -> str:
    drawn = [p for p in result.points if p.value is not None]
    counts = {flag: sum(p.flag == flag for p in drawn) for flag in Flag}
    text = (
        f"Funnel plot of {labels.indicator}, {labels.period}: {len(drawn)} organisations "
        f"against their {labels.unit.lower()}; {result.describe()}. "
        f"{counts[Flag.HIGH_998]} above the 99.8% limit, {counts[Flag.HIGH_95]} above the 95% "
        f"limit only, {counts[Flag.LOW_998]} below the 99.8% limit, {counts[Flag.LOW_95]} below "
        f"the 95% limit only."
    )
    mine = next((p for p in result.points if p.code == labels.highlight), None)
    if mine is not None and mine.value is not None:
        text += f" {_name(labels, mine.code)}: {_percent(mine.value)}, {mine.flag.value}."
    return text


def funnel_svg(result: FunnelResult, labels: FunnelLabels) -> str:
    """The funnel plot as a standalone `<svg>` document (see the module docstring)."""
    drawn = [(p, p.value) for p in result.points if p.value is not None]
    low, high = _y_range(result, [v for _, v in drawn])
    ns = [p.denominator for p, _ in drawn] + [float(n) for n in result.curve_ns()[-1:]]
    x_ticks = _ticks(0.0, max(ns, default=100.0), 6)
    x_high = x_ticks[-1] if x_ticks[-1] >= max(ns, default=0.0) else max(ns)
    y_ticks = _ticks(low, high, 8)

    def x(n: float) -> float:
        return LEFT + (PLOT_RIGHT - LEFT) * n / x_high

    def y(v: float) -> float:
        return PLOT_BOTTOM - (PLOT_BOTTOM - TOP) * (v - low) / ((high - low) or 1.0)

    body = [_axes(x_ticks, y_ticks, x, y, labels)]
    plot = [_curves(result, x, y)]
    cy = y(result.centre)
    plot.append(
        f'<line x1="{LEFT}" x2="{PLOT_RIGHT}" y1="{cy:.1f}" y2="{cy:.1f}" stroke="{INK}" '
        'stroke-width="1.5"/>'
    )
    # the highlighted organisation last, so it is drawn on top
    for p, value in sorted(drawn, key=lambda pv: (pv[0].code == labels.highlight, pv[0].code)):
        px, py = x(p.denominator), y(value)
        tip = f"{_name(labels, p.code)}: {_percent(value)} ({_count(p.numerator)} of "
        tip += f"{_count(p.denominator)}); {p.flag.value}"
        plot.append(f"<g><title>{escape(tip)}</title>")
        plot.append(_marker(p, px, py, p.code == labels.highlight) + "</g>")
        if p.code == labels.highlight:
            anchor, text = _fitted(_name(labels, p.code), px)
            dx = -12 if anchor == "end" else 12
            plot.append(
                f'<text x="{px + dx:.1f}" y="{py - 10:.1f}" font-size="12" font-weight="bold" '
                f'text-anchor="{anchor}">{escape(text)}</text>'
            )
    body.append(f'<g clip-path="url(#{CLIP})">{"".join(plot)}</g>')
    body.append(_legend(result, labels))
    body.append(_note(result, labels))
    return _frame(labels, _describe(result, labels), "".join(body))


LABEL_CHAR = 7.0  # the width of a character of the 12px bold label, about


def _fitted(name: str, px: float) -> tuple[str, str]:
    """The side of the point the label goes on, and the label cut to fit the plot there
    (ending in an ellipsis) when the name is longer than the room on either side."""
    right = PLOT_RIGHT - (px + 12)
    left = (px - 12) - LEFT
    anchor, room = ("start", right) if right >= left else ("end", left)
    fits = max(4, int(room / LABEL_CHAR))
    return anchor, name if len(name) <= fits else name[: fits - 1].rstrip() + "…"


def _note(result: FunnelResult, labels: FunnelLabels) -> str:
    words = [result.describe() + "."]
    missing = [_name(labels, p.code) for p in result.points if p.value is None]
    if missing:
        words.append(
            "Not shown, having no denominator (and left out of the average and the "
            f"over-dispersion): {', '.join(missing)}."
        )
    lines = textwrap.wrap(" ".join(words), 130, break_on_hyphens=False)
    return "".join(
        f'<text x="{NOTE_X}" y="{PLOT_BOTTOM + 62 + 14 * i}" font-size="10">{escape(line)}</text>'
        for i, line in enumerate(lines[:4])
    )


def _frame(labels: FunnelLabels, desc: str, body: str) -> str:
    title = escape(labels.title)
    sub = escape(labels.subtitle or f"{labels.indicator}, {labels.period}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="funnel-title funnel-desc" '
        'font-family="Arial, Helvetica, sans-serif">'
        f'<title id="funnel-title">{title}</title><desc id="funnel-desc">{escape(desc)}</desc>'
        f'<defs><clipPath id="{CLIP}"><rect x="{LEFT}" y="{TOP - 4}" '
        f'width="{PLOT_RIGHT - LEFT + 4}" height="{PLOT_BOTTOM - TOP + 8}"/></clipPath></defs>'
        '<rect width="100%" height="100%" fill="#ffffff"/>'
        f'<text x="{NOTE_X}" y="26" font-size="15" font-weight="bold">{title}</text>'
        f'<text x="{NOTE_X}" y="46" font-size="12">{sub}</text>{body}</svg>\n'
    )
