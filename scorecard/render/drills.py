"""Pure: a board's drill-down tables (a row's worst parts for the month), as escaped HTML.

Uses the board's `table.sc-plain` style; every name comes from data or definitions and is
escaped.
"""

from __future__ import annotations

from html import escape

from scorecard.formatting import format_value
from scorecard.model import Direction, Drill, Scorecard


def drills_html(card: Scorecard) -> str:
    """Every drill-down of the card, or nothing when it has none."""
    if not card.drills:
        return ""
    parts = ['<div class="sc-drills">\n<h3>Drill-downs</h3>']
    parts += [_table(d) for d in card.drills]
    return "\n".join(parts) + "\n</div>"


def _table(d: Drill) -> str:
    worst = "highest" if d.direction is Direction.LOWER else "lowest"
    shown = len(d.parts)
    caption = (
        f"{d.row_name}, {d.org_name} ({d.org_code}), {d.period.label()}: by "
        f"{d.dimension.lower()}, the {shown} of {d.of} with the {worst} values"
    )
    body = [
        f"<tr><td>{escape(name)}</td><td>{escape(format_value(value, d.unit))}</td></tr>"
        for name, value in d.parts
    ]
    if not body:
        body = ['<tr><td colspan="2">No part has a figure for this month.</td></tr>']
    whole = escape(format_value(d.whole, d.unit))
    body.append(f"<tr><th>All (the published total)</th><th>{whole}</th></tr>")
    return (
        f'<table class="sc-plain sc-drill">\n<caption>{escape(caption)}</caption>\n'
        f"<tr><th>{escape(d.dimension)}</th><th>Value</th></tr>\n" + "\n".join(body) + "\n</table>"
    )
