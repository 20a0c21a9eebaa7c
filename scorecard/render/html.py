"""Scorecard -> a self-contained great-tables HTML fragment for a board paper.

The fragment is one `<div>` with its own scoped `<style>`: no external fonts, scripts or
images, so it can be pasted into any document. Ratings are shown as colour and as text.
All text from data and configuration is HTML-escaped by great-tables; the tests check it.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import great_tables as gt
import polars as pl
from great_tables import loc, style

from scorecard.formatting import format_value, window_label
from scorecard.model import Cell, OverTime, Rating, Row, Scorecard

# NHS identity colours; text colour chosen for contrast on each.
RAG_COLOURS: dict[Rating, tuple[str, str]] = {
    Rating.GREEN: ("#009639", "#FFFFFF"),
    Rating.AMBER: ("#FFB81C", "#231F20"),
    Rating.RED: ("#DA291C", "#FFFFFF"),
    Rating.NOT_RATED: ("#E8EDEE", "#231F20"),
    Rating.NO_DATA: ("#E8EDEE", "#231F20"),
}
RULE_NOTE = (
    "Green: at or better than the standard. Amber: between the standard and the lower "
    "threshold. Red: worse than the lower threshold (or than the standard where there is no "
    "lower threshold). Values are compared unrounded and shown to one decimal place."
)
FONT = ["Arial", "Helvetica", "sans-serif"]


def table_id(card: Scorecard) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", card.org_code.lower()).strip("-") or "org"
    return f"scorecard-{slug}-{card.period.iso()}"


def _position(row: Row) -> bool:
    return row.indicator.over_time is OverTime.LATEST


def _cell_text(cell: Cell, row: Row) -> str:
    """The value, then (on its own line) the span it covers. Markdown: text we generate only."""
    shown = (
        "No data"
        if cell.value.value is None
        else format_value(cell.value.value, row.indicator.unit)
    )
    label = window_label(cell.value, position=_position(row))
    return f"{shown}  \n_{escape(label)}_"


def _frame(card: Scorecard) -> pl.DataFrame:
    records = []
    for row in card.rows:
        unit = row.indicator.unit
        std = row.standard
        records.append(
            {
                "indicator": row.indicator.name,
                "period": row.month.value.period.label(),
                "standard": format_value(std.standard, unit) if std else "No national standard",
                "lower": (
                    format_value(std.lower_threshold, unit)
                    if std and std.lower_threshold is not None
                    else "–"
                ),
                "month": _cell_text(row.month, row),
                "quarter": _cell_text(row.quarter, row),
                "ytd": _cell_text(row.ytd, row),
                "rating": row.month.rating.rating.value,
            }
        )
    return pl.DataFrame(records, schema=dict.fromkeys(_COLUMNS, pl.String))


_COLUMNS = ("indicator", "period", "standard", "lower", "month", "quarter", "ytd", "rating")
_LABELS: dict[str, Any] = {
    "indicator": "Indicator",
    "period": "Period",
    "standard": "Standard",
    "lower": "Lower threshold",
    "month": "Month",
    "quarter": "Quarter to date",
    "ytd": "Year to date",
    "rating": "Rating (month)",
}


def _notes(card: Scorecard) -> list[str]:
    notes = [RULE_NOTE]
    seen: set[str] = set()
    for row in card.rows:
        std = row.standard
        if std is not None and std.basis not in seen:
            seen.add(std.basis)
            notes.append(f"{row.indicator.name}: {std.basis.rstrip('.')}.")
        partial = [c for c in (row.quarter, row.ytd) if c.value.months > 0]
        for cell in partial:
            label = window_label(cell.value, position=_position(row))
            if "months with data" in label:
                notes.append(f"{row.indicator.name}: {label}.")
    return notes + list(card.sources)


def _table(card: Scorecard) -> gt.GT:
    frame = _frame(card)
    tid = table_id(card)
    table = (
        gt.GT(frame, id=tid)
        .tab_header(
            title=card.title,
            subtitle=f"{card.org_name} ({card.org_code}), {card.period.label()}",
        )
        .cols_label(cases=_LABELS)
        .fmt_markdown(columns=["month", "quarter", "ytd"])
        .cols_align(align="right", columns=["standard", "lower", "month", "quarter", "ytd"])
        .cols_align(align="center", columns=["rating"])
        .opt_table_font(font=FONT)
    )
    for rating, (fill, text) in RAG_COLOURS.items():
        rows = [i for i, r in enumerate(card.rows) if r.month.rating.rating is rating]
        if rows:
            table = table.tab_style(
                style=[style.fill(color=fill), style.text(color=text, weight="bold")],
                locations=loc.body(columns="rating", rows=rows),
            )
    for note in _notes(card):
        table = table.tab_source_note(note)
    return table


def scope_css(html: str, tid: str) -> str:
    """Scope every selector of the fragment's `<style>` block to the table's id.

    great-tables leaves a few selectors unscoped (`tr`, `tbody`, ...), which would restyle
    the host document's tables.
    """

    def scope_rule(match: re.Match[str]) -> str:
        selectors = [s.strip() for s in match.group(1).split(",")]
        scoped = [s if s.startswith(f"#{tid}") else f"#{tid} {s}" for s in selectors if s]
        return f"{', '.join(scoped)} {{{match.group(2)}}}"

    def scope_block(block: re.Match[str]) -> str:
        body = re.sub(r"([^{}]+)\{([^{}]*)\}", scope_rule, block.group(1))
        return f"<style>\n{body}\n</style>"

    return re.sub(r"<style>(.*?)</style>", scope_block, html, count=1, flags=re.S)


def render_html(card: Scorecard) -> str:
    """The scorecard as a self-contained HTML fragment; same card, same bytes."""
    tid = table_id(card)
    html = _table(card).as_raw_html(inline_css=False)
    return scope_css(html, tid).rstrip() + "\n"
