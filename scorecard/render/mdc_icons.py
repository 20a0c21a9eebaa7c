"""Making Data Count icons as small inline SVGs drawn here, each with a text alternative.

Variation: grey for common cause, blue for special cause improvement, orange for concern,
purple where neither direction is better; the letter H or L and an arrow say whether the
last point is high or low. Assurance: blue P (consistently passes the target), orange F
(consistently fails), grey ? (hit or miss). Colours follow NHS England's Making Data Count
palette; the letter and the text alternative carry the meaning without colour.
"""

from __future__ import annotations

from html import escape

from scorecard.model import Row
from scorecard.spc.icons import Assurance, Variation

GREY, BLUE, ORANGE, PURPLE = "#a6a6a6", "#00b0f0", "#e46c0a", "#490092"
SIZE = 28

VARIATION_TEXT = {
    Variation.COMMON_CAUSE: "Common cause variation",
    Variation.IMPROVEMENT_HIGH: "Special cause improvement (high)",
    Variation.IMPROVEMENT_LOW: "Special cause improvement (low)",
    Variation.CONCERN_HIGH: "Special cause concern (high)",
    Variation.CONCERN_LOW: "Special cause concern (low)",
    Variation.NEITHER_HIGH: "Special cause, neither improvement nor concern (high)",
    Variation.NEITHER_LOW: "Special cause, neither improvement nor concern (low)",
    Variation.NONE: "No SPC: too few points",
}
ASSURANCE_TEXT = {
    Assurance.PASS: "Consistently passes the target",
    Assurance.FAIL: "Consistently fails the target",
    Assurance.HIT_OR_MISS: "Hit and miss: the target is within the process limits",
    Assurance.NONE: "No assurance: no target, or no improvement direction",
}
_VARIATION_LOOK = {
    Variation.COMMON_CAUSE: (GREY, "", ""),
    Variation.IMPROVEMENT_HIGH: (BLUE, "H", "up"),
    Variation.IMPROVEMENT_LOW: (BLUE, "L", "down"),
    Variation.CONCERN_HIGH: (ORANGE, "H", "up"),
    Variation.CONCERN_LOW: (ORANGE, "L", "down"),
    Variation.NEITHER_HIGH: (PURPLE, "H", "up"),
    Variation.NEITHER_LOW: (PURPLE, "L", "down"),
}
_ASSURANCE_LOOK = {
    Assurance.PASS: (BLUE, "P"),
    Assurance.FAIL: (ORANGE, "F"),
    Assurance.HIT_OR_MISS: (GREY, "?"),
}


def _svg(label: str, body: str) -> str:
    text = escape(label)
    return (
        f'<svg width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 28 28" role="img" aria-label="{text}"><title>{text}</title>{body}</svg>'
    )


def variation_svg(variation: Variation, reason: str = "") -> str:
    """The variation icon; its text alternative is the meaning and, if given, the reason."""
    label = VARIATION_TEXT[variation] + (f": {reason}" if reason else "")
    if variation is Variation.NONE:
        return _svg(label, '<circle cx="14" cy="14" r="12" fill="none" stroke="#a6a6a6" '
                    'stroke-dasharray="3 2" stroke-width="2"/>')  # fmt: skip
    colour, letter, way = _VARIATION_LOOK[variation]
    ring = f'<circle cx="14" cy="14" r="12" fill="#ffffff" stroke="{colour}" stroke-width="2.5"/>'
    if not letter:  # common cause: a flat, wavy line
        line = (
            f'<path d="M6 14 q2 -4 4 0 t4 0 t4 0 t4 0" fill="none" stroke="{colour}" '
            'stroke-width="2"/>'
        )
        return _svg(label, ring + line)
    arrow = "M20 9 l3 4 h-6 z" if way == "up" else "M20 19 l3 -4 h-6 z"
    glyph = (
        f'<text x="11" y="18.5" font-family="Arial, sans-serif" font-size="12" '
        f'font-weight="bold" text-anchor="middle" fill="{colour}">{letter}</text>'
        f'<path d="{arrow}" fill="{colour}"/>'
    )
    return _svg(label, ring + glyph)


def assurance_svg(assurance: Assurance, reason: str = "") -> str:
    """The assurance icon; its text alternative is the meaning and, if given, the reason."""
    label = ASSURANCE_TEXT[assurance] + (f": {reason}" if reason else "")
    if assurance is Assurance.NONE:
        return _svg(label, '<circle cx="14" cy="14" r="12" fill="none" stroke="#a6a6a6" '
                    'stroke-dasharray="3 2" stroke-width="2"/>')  # fmt: skip
    colour, letter = _ASSURANCE_LOOK[assurance]
    return _svg(
        label,
        f'<circle cx="14" cy="14" r="12" fill="{colour}"/>'
        f'<text x="14" y="18.5" font-family="Arial, sans-serif" font-size="13" '
        f'font-weight="bold" text-anchor="middle" fill="#ffffff">{letter}</text>',
    )


def legend_html() -> str:
    """A key to every icon, for under the scorecard."""
    items = [
        *(f"<li>{variation_svg(v)} {escape(t)}</li>" for v, t in VARIATION_TEXT.items()),
        *(f"<li>{assurance_svg(a)} {escape(t)}</li>" for a, t in ASSURANCE_TEXT.items()),
    ]
    return (
        '<div class="sc-legend"><h3>Making Data Count icons</h3>'
        "<p>Variation: is the latest month special cause (a point beyond the limits, 7 points "
        "one side of the mean, a 7-point trend, or 2 of 3 points beyond 2 sigma) or common "
        "cause? Assurance: do the process limits show the target will be met consistently, "
        "missed consistently, or hit and miss?</p>"
        f'<ul class="sc-legend-list">{"".join(items)}</ul></div>'
    )


SPC_COLUMNS = ("variation", "assurance")
SPC_NOTE = (
    "Variation and assurance: NHS England's Making Data Count icons over up to 24 months "
    "(XmR limits; at least 15 points). Variation: grey common cause, blue H/L special cause "
    "improvement, orange H/L concern. Assurance: blue P passes, orange F fails, grey ? hit "
    "and miss. Each icon's text gives its reason."
)


def spc_cells(row: Row) -> dict[str, str]:
    """A row's variation and assurance icons as table cells (empty when no SPC applies)."""
    if row.spc is None:
        return dict.fromkeys(SPC_COLUMNS, "")
    return {
        "variation": variation_svg(row.spc.variation, row.spc.reason),
        "assurance": assurance_svg(row.spc.assurance, row.spc.assurance_reason),
    }
