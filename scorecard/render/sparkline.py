"""Pure: a row's monthly history -> a small inline SVG trend line (no external resources).

Fixed size and coordinates rounded to one decimal place, so the same history always gives
the same bytes. Months with no value are gaps in the line; a month between two gaps is a
dot. The latest month is marked. The SVG names what it shows in `aria-label` and `<title>`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

from scorecard.frequency import period_label, short_label, trend_words, unit_word
from scorecard.model import Frequency
from scorecard.periods import Month

WIDTH, HEIGHT, PAD = 120, 28, 3
LINE = "#005EB8"  # NHS Blue
LATEST = "#231F20"  # NHS Black


def _describe(
    history: Sequence[tuple[Month, float | None]],
    show: Callable[[float], str],
    frequency: Frequency = Frequency.MONTHLY,
) -> str:
    if not history:
        return "No trend: no months"
    first, last = history[0][0], history[-1][0]
    span = f"{period_label(first, frequency)} to {period_label(last, frequency)}"
    if frequency is not Frequency.MONTHLY:
        span += f" ({trend_words(frequency, len(history))})"
    known = [(m, v) for m, v in history if v is not None]
    if not known:
        return f"Trend {span}: no data"
    missing = len(history) - len(known)
    text = f"Trend {span}: {show(known[0][1])} ({short_label(known[0][0], frequency)})"
    text += f" to {show(known[-1][1])} ({short_label(known[-1][0], frequency)})"
    if missing:
        text += f"; {missing} {unit_word(frequency, missing)} without data"
    return text


def sparkline_svg(
    history: Sequence[tuple[Month, float | None]],
    show: Callable[[float], str],
    *,
    width: int = WIDTH,
    height: int = HEIGHT,
    frequency: Frequency = Frequency.MONTHLY,
) -> str:
    """The trend as `<svg>` markup; `show` formats a value for the description; `history`
    holds one point a month, or a quarterly indicator's one a quarter (`frequency`)."""
    label = escape(_describe(history, show, frequency))
    head = (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{label}"><title>{label}</title>'
    )
    known = [v for _, v in history if v is not None]
    if not known:
        mid = height / 2
        line = f'<line x1="{PAD}" y1="{mid:.1f}" x2="{width - PAD}" y2="{mid:.1f}"'
        return head + line + ' stroke="#AEB7BD" stroke-dasharray="2 3"/></svg>'
    low, high = min(known), max(known)
    step = (width - 2 * PAD) / max(len(history) - 1, 1)

    def point(i: int, v: float) -> str:
        y = height / 2 if high == low else PAD + (high - v) / (high - low) * (height - 2 * PAD)
        return f"{PAD + i * step:.1f},{y:.1f}"

    runs: list[list[str]] = [[]]
    for i, (_, v) in enumerate(history):
        if v is None:
            runs.append([])
        else:
            runs[-1].append(point(i, v))
    marks = []
    for run in (r for r in runs if r):
        if len(run) == 1:
            x, y = run[0].split(",")
            marks.append(f'<circle cx="{x}" cy="{y}" r="1.5" fill="{LINE}"/>')
        else:
            marks.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}" '
                'stroke-width="1.5" stroke-linejoin="round" stroke-linecap="round"/>'
            )
    last = history[-1][1]
    if last is not None:
        x, y = point(len(history) - 1, last).split(",")
        marks.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{LATEST}"/>')
    return head + "".join(marks) + "</svg>"
