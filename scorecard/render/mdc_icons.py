"""Making Data Count icons as small inline SVGs drawn here, each with a text alternative.

Colours follow NHS England's Making Data Count palette (grey common cause, blue
improvement, orange concern, purple neither), and every icon also reads without colour,
on paper or in greyscale:

- shape: a filled circle for improvement (and for "passes"), a filled diamond for concern
  (and for "fails"), a filled rounded square where neither direction is better; an outline
  circle for common cause and for hit and miss; a dashed circle where there is no icon;
- MDC's letters: H or L (the last point high or low) with an arrow above (high) or below
  (low); P, F or ? for assurance;
- a glyph for the rest: a wave for common cause, three dots for "too few points", a bar for
  "no assurance".

Letters are dark ink on the blue, orange and grey fills and white on purple, each at least
4.5:1 (`INK_PAIRS`). Each icon's reason also prints: in the key under the table and in the
exception report (`readings_html`, `reading_html`), since a tooltip does not print.
"""

from __future__ import annotations

from html import escape

from scorecard.model import Row, Scorecard
from scorecard.spc.icons import Assurance, Variation

GREY, BLUE, ORANGE, PURPLE = "#a6a6a6", "#00b0f0", "#e46c0a", "#490092"
INK, WHITE, OUTLINE = "#231F20", "#ffffff", "#768692"
SIZE = 28
INK_PAIRS = ((INK, BLUE), (INK, ORANGE), (WHITE, PURPLE), (INK, WHITE))  # (text, fill)

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
_CIRCLE, _DIAMOND, _SQUARE = "circle", "diamond", "square"
_SPECIAL = {  # shape, fill, ink, letter
    Variation.IMPROVEMENT_HIGH: (_CIRCLE, BLUE, INK, "H"),
    Variation.IMPROVEMENT_LOW: (_CIRCLE, BLUE, INK, "L"),
    Variation.CONCERN_HIGH: (_DIAMOND, ORANGE, INK, "H"),
    Variation.CONCERN_LOW: (_DIAMOND, ORANGE, INK, "L"),
    Variation.NEITHER_HIGH: (_SQUARE, PURPLE, WHITE, "H"),
    Variation.NEITHER_LOW: (_SQUARE, PURPLE, WHITE, "L"),
}
_ASSURED = {Assurance.PASS: (_CIRCLE, BLUE, "P"), Assurance.FAIL: (_DIAMOND, ORANGE, "F")}


def _svg(label: str, body: str) -> str:
    text = escape(label)
    return (
        f'<svg class="sc-icon" width="{SIZE}" height="{SIZE}" viewBox="0 0 28 28" role="img" '
        f'aria-label="{text}"><title>{text}</title>{body}</svg>'
    )


def _shape(shape: str, fill: str) -> str:
    if shape == _DIAMOND:
        return f'<path d="M14 1 L27 14 L14 27 L1 14 Z" fill="{fill}" stroke="{INK}"/>'
    if shape == _SQUARE:
        return f'<rect x="2" y="2" width="24" height="24" rx="5" fill="{fill}" stroke="{INK}"/>'
    return f'<circle cx="14" cy="14" r="12.5" fill="{fill}" stroke="{INK}"/>'


def _ring(dashed: bool = False) -> str:
    dash = ' stroke-dasharray="3 2"' if dashed else ""
    return (
        f'<circle cx="14" cy="14" r="12" fill="{WHITE}" stroke="{OUTLINE}" stroke-width="2"{dash}/>'
    )


def _letter(letter: str, ink: str, y: float, size: int = 12) -> str:
    return (
        f'<text x="14" y="{y:g}" font-family="Arial, sans-serif" font-size="{size}" '
        f'font-weight="bold" text-anchor="middle" fill="{ink}">{letter}</text>'
    )


def variation_svg(variation: Variation, reason: str = "") -> str:
    """The variation icon; its text alternative is the meaning and, if given, the reason."""
    label = VARIATION_TEXT[variation] + (f": {reason}" if reason else "")
    if variation is Variation.NONE:  # three dots: too few points for limits
        dots = "".join(f'<circle cx="{x}" cy="14" r="1.8" fill="{INK}"/>' for x in (9, 14, 19))
        return _svg(label, _ring(dashed=True) + dots)
    if variation is Variation.COMMON_CAUSE:  # an outline with a wave: nothing special
        wave = f'<path d="M6 14 q2 -4 4 0 t4 0 t4 0 t4 0" fill="none" stroke="{INK}" '
        wave += 'stroke-width="2"/>'
        return _svg(label, _ring() + wave)
    shape, fill, ink, letter = _SPECIAL[variation]
    high = letter == "H"
    arrow = "M14 4.5 L17.5 9 L10.5 9 Z" if high else "M14 23.5 L17.5 19 L10.5 19 Z"
    return _svg(
        label,
        _shape(shape, fill) + _letter(letter, ink, 20 if high else 16, 11)
        + f'<path d="{arrow}" fill="{ink}"/>',
    )  # fmt: skip


def assurance_svg(assurance: Assurance, reason: str = "") -> str:
    """The assurance icon; its text alternative is the meaning and, if given, the reason."""
    label = ASSURANCE_TEXT[assurance] + (f": {reason}" if reason else "")
    if assurance is Assurance.NONE:  # a bar: no target to be assured against
        bar = f'<path d="M8.5 14 H19.5" stroke="{INK}" stroke-width="2.5"/>'
        return _svg(label, _ring(dashed=True) + bar)
    if assurance is Assurance.HIT_OR_MISS:
        return _svg(label, _ring() + _letter("?", INK, 18.5, 13))
    shape, fill, letter = _ASSURED[assurance]
    return _svg(label, _shape(shape, fill) + _letter(letter, INK, 18.5, 13))


LEGEND_CSS = """
.sc-legend-list { columns: 2; list-style: none; padding-left: 0; margin: 4px 0 8px 0; }
.sc-legend-list li { break-inside: avoid; margin: 0 0 2px 0; display: flex; align-items: center; }
.sc-legend-list li svg { flex: none; margin-right: 6px; }
.sc-icon { vertical-align: middle; }
table.sc-readings td { font-size: 11px; }
table.sc-readings td:first-child { min-width: 180px; }
.sc-spc { font-size: 12px; }
"""


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
        "missed consistently, or hit and miss? Filled circle: improvement or passes; filled "
        "diamond: concern or fails; square: neither; outline: common cause or hit and miss; "
        "dashed: no icon. H or L with its arrow: the latest point is high or low.</p>"
        f'<ul class="sc-legend-list">{"".join(items)}</ul></div>'
    )


def reading_html(row: Row) -> str:
    """A row's two icons with their reasons, as printed text (empty when no SPC applies)."""
    if row.spc is None:
        return ""
    spc = row.spc
    return (
        f'<p class="sc-spc">{variation_svg(spc.variation, spc.reason)} '
        f"Variation: {escape(spc.reason)}<br>"
        f"{assurance_svg(spc.assurance, spc.assurance_reason)} "
        f"Assurance: {escape(spc.assurance_reason)}</p>"
    )


def readings_html(card: Scorecard) -> str:
    """Every row's variation and assurance reasons, printed: the key to the table's icons."""
    lines = [
        f"<tr><td>{escape(row.indicator.name)} ({escape(row.org_code)})</td>"
        f"<td>{variation_svg(row.spc.variation)} {escape(row.spc.reason)}</td>"
        f"<td>{assurance_svg(row.spc.assurance)} {escape(row.spc.assurance_reason)}</td></tr>"
        for row in card.rows
        if row.spc is not None
    ]
    if not lines:
        return ""
    return (
        '<div class="sc-readings"><h3>Making Data Count: why each row has its icons</h3>\n'
        '<table class="sc-plain sc-readings"><thead><tr><th>Indicator</th><th>Variation</th>'
        "<th>Assurance</th></tr></thead>\n<tbody>\n" + "\n".join(lines) + "\n</tbody></table></div>"
    )


SPC_COLUMNS = ("variation", "assurance")
SPC_NOTE = (
    "Variation and assurance: NHS England's Making Data Count icons over up to 24 months "
    "(XmR limits; at least 15 points). Variation: outline with a wave, common cause; filled "
    "circle H/L, special cause improvement; filled diamond H/L, concern; square H/L, neither; "
    "dashed with dots, too few points. Assurance: circle P passes, diamond F fails, outline ? "
    "hit and miss, dashed with a bar, none. Each icon's text gives its reason."
)


def spc_notes(card: Scorecard) -> list[str]:
    """The flat table's printed key: each row's variation and assurance reasons, one a row."""
    return [
        f"Making Data Count, {row.indicator.name}: {row.spc.reason}. {row.spc.assurance_reason}."
        for row in card.rows
        if row.spc is not None
    ]


def spc_cells(row: Row) -> dict[str, str]:
    """A row's variation and assurance icons as table cells (empty when no SPC applies)."""
    if row.spc is None:
        return dict.fromkeys(SPC_COLUMNS, "")
    return {
        "variation": variation_svg(row.spc.variation, row.spc.reason),
        "assurance": assurance_svg(row.spc.assurance, row.spc.assurance_reason),
    }
