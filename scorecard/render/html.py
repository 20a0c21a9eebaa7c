"""Scorecard -> a self-contained great-tables HTML fragment for a board paper.

The fragment is one `<div>` with its own `<style>`, every selector scoped to the fragment's
id, and no external fonts, scripts or images, so it can be pasted into any document. Ratings
are shown as colour and as text.

A board scorecard (one with domains) is a heading, an executive summary and coverage note,
a domain summary (with each domain's narrative and linked risks, when the board has them),
the table with one row group per domain (each with a trend sparkline and the rule behind its
rating as a tooltip), any assurance matrices and risk register, and the exception report.
A flat scorecard (no domains) is the table alone.

Escaping: great-tables escapes plain strings (title, subtitle, group labels, body cells,
source notes), so text from data and configuration goes in as plain strings. The cells we
hand great-tables as HTML (values with their window label, standards, the board's columns)
are built from escaped text in `cells`, `sections` and `sparkline`. The tests check that
`<script>` and `&` from data only appear escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import great_tables as gt
import polars as pl
from great_tables import loc, style

from scorecard.frequency import trend_words
from scorecard.model import Cell, Rating, Row, Scorecard, Window
from scorecard.render.cells import (
    RAG_COLOURS,
    WINDOW_HEADINGS,
    colours,
    lower_text,
    period_text,
    rating_heading,
    show,
    standard_html,
    value_html,
)
from scorecard.render.drills import drills_html
from scorecard.render.gt_quick import QuickGT
from scorecard.render.matrix import matrices_html
from scorecard.render.mdc_icons import (
    SPC_COLUMNS,
    SPC_NOTE,
    legend_html,
    readings_html,
    spc_cells,
    spc_notes,
)
from scorecard.render.risks import risks_html
from scorecard.render.scoping import scope_css
from scorecard.render.sections import (
    badge,
    board_css,
    domains_html,
    exceptions_html,
    footnote_marks,
    footnotes_html,
    header_html,
    notes_html,
    row_anchor,
    summary_html,
)
from scorecard.render.sparkline import sparkline_svg
from scorecard.render.summary import (
    RULE_NOTE,
    domain_label,
    scorecard_notes,
)

__all__ = ["RAG_COLOURS", "RULE_NOTE", "board_id", "render_html", "table_id"]

FONT = ["Arial", "Helvetica", "sans-serif"]
_COLUMNS = (
    "indicator", "period", "standard", "lower", "month", "quarter", "ytd", "variation",
    "assurance", "rating",
)  # fmt: skip
_LABELS: dict[str, Any] = {
    "indicator": "Indicator",
    "org": "Organisation monitored",
    "period": "Period",
    "standard": "Standard",
    "lower": "Lower threshold",
    **{w.value: WINDOW_HEADINGS[w] for w in Window},
    "variation": "Variation",
    "assurance": "Assurance",
    "rating": "Rating (month)",
    "peers": "Among peers (month)",
    "trend": "Trend",
}


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "org"


def table_id(card: Scorecard) -> str:
    """`scorecard-<org>-<YYYY-MM>`: fixed, so the same card renders to the same bytes."""
    return f"scorecard-{_slug(card.org_code)}-{card.period.iso()}"


def board_id(card: Scorecard) -> str:
    """`board-<org>-<YYYY-MM>`: the id of a board fragment's outer `<div>`."""
    return f"board-{_slug(card.org_code)}-{card.period.iso()}"


def _raw(html: str) -> str:
    """great-tables inserts what a `fmt` function returns as HTML: used for our cells."""
    return html


def _window_html(cell: Cell, row: Row) -> str:
    """A window's value, the span it covers, and its own rating (text and colour)."""
    return f"{value_html(cell, row)}<br>{badge(cell.rating.rating, cell.rating.rule)}"


def _styled(table: gt.GT, rows: list[Row], notes: list[str]) -> gt.GT:
    """Fill each rating cell with its colour (the text stays), then add the notes."""
    for rating in Rating:
        fill, text = colours(rating)
        hits = [i for i, r in enumerate(rows) if r.rated.rating.rating is rating]
        if hits:
            table = table.tab_style(
                style=[style.fill(color=fill), style.text(color=text, weight="bold")],
                locations=loc.body(columns="rating", rows=hits),
            )
    for note in notes:
        table = table.tab_source_note(note)
    return table


def _nowrap(table: gt.GT, columns: tuple[str, ...]) -> gt.GT:
    """Cells that never wrap: "No data / Mar 2026" stays on two lines, never four."""
    return table.tab_style(style=style.text(whitespace="nowrap"), locations=loc.body(list(columns)))


def _flat_frame(card: Scorecard) -> pl.DataFrame:
    records = [
        {
            "indicator": row.indicator.name,
            "period": period_text(row),
            "standard": standard_html(row),
            "lower": lower_text(row),
            "month": _window_html(row.month, row),
            "quarter": _window_html(row.quarter, row),
            "ytd": _window_html(row.ytd, row),
            **spc_cells(row),
            "rating": row.rated.rating.rating.value,
        }
        for row in card.rows
    ]
    return pl.DataFrame(records, schema=dict.fromkeys(_COLUMNS, pl.String))


def _flat_table(card: Scorecard) -> gt.GT:
    values = ["month", "quarter", "ytd"]
    table: gt.GT = (
        QuickGT(_flat_frame(card), id=table_id(card))
        .tab_header(
            title=card.title,
            subtitle=f"{card.org_name} ({card.org_code}), {card.period.label()}",
        )
        .cols_label(cases={k: v for k, v in _LABELS.items() if k in _COLUMNS})
        .fmt(_raw, columns=["standard", *values, *SPC_COLUMNS])
        .cols_align(align="right", columns=["standard", "lower", *values])
        .cols_align(align="center", columns=[*SPC_COLUMNS, "rating"])
        .opt_table_font(font=FONT)
    )
    notes = scorecard_notes(card)
    if any(row.spc is not None for row in card.rows):
        notes = [*notes[:1], SPC_NOTE, *notes[1:], *spc_notes(card)]
    table = _nowrap(table, ("period", "month"))
    return _styled(table, list(card.rows), notes)


def _board_frame(card: Scorecard, bid: str) -> pl.DataFrame:
    records = []
    for domain in card.domains:
        for row in domain.rows:
            name = row.indicator.name
            note = ""
            if row.comment is not None:
                href = row_anchor(card, row, bid)
                note = f'<br><small class="sc-note"><a href="#{href}">commentary below</a></small>'
            note += footnote_marks(card, row)
            rating = row.rated.rating
            records.append(
                {
                    "domain": domain_label(domain),
                    "indicator": escape(name) + note,
                    "org": f"{escape(row.org_name)}<br><small>{escape(row.org_code)}</small>",
                    "period": period_text(row),
                    "standard": standard_html(row),
                    "lower": lower_text(row),
                    **{w.value: _window_html(row.cell(w), row) for w in card.windows},
                    "trend": _trend(row),
                    **spc_cells(row),
                    "rating": f'<span title="{escape(rating.rule)}">{escape(rating.rating)}</span>',
                    "peers": escape(row.standing or ""),
                }
            )
    columns = ["domain", "indicator", "org", "period", "standard", "lower"]
    columns += [w.value for w in card.windows] + ["trend", "variation", "assurance", "rating"]
    if any(row.standing is not None for row in card.rows):
        columns.append("peers")
    return pl.DataFrame(records, schema=dict.fromkeys(columns, pl.String)).select(columns)


def _trend(row: Row) -> str:
    """The row's sparkline, labelled with its frequency: `monthly, 13 months`."""

    def shown(value: float) -> str:
        return show(value, row)

    frequency = row.indicator.frequency
    words = trend_words(frequency, len(row.history))
    svg = sparkline_svg(row.history, shown, frequency=frequency)
    return f"{svg}<br><small>{escape(words)}</small>" if row.history else svg


def _board_table(card: Scorecard, bid: str) -> gt.GT:
    values = [w.value for w in card.windows]
    frame = _board_frame(card, bid)
    columns = set(frame.columns)
    table: gt.GT = (
        QuickGT(frame, id=table_id(card), groupname_col="domain")
        .cols_label(
            cases={k: v for k, v in _LABELS.items() if k in columns}
            | {"rating": rating_heading(card)}
        )
        .fmt(
            _raw,
            columns=["indicator", "org", "standard", *values, "trend", *SPC_COLUMNS, "rating"],
        )
        .cols_align(align="right", columns=["standard", "lower", *values])
        .cols_align(align="center", columns=["trend", *SPC_COLUMNS, "rating"])
        .opt_table_font(font=FONT)
        .tab_options(
            table_width="100%",
            table_font_size="12px",
            row_group_font_weight="bold",
            row_group_background_color="#E8EDEE",
            source_notes_font_size="11px",
        )
    )
    table = _nowrap(table, ("period", "month"))
    return _styled(table, [row for d in card.domains for row in d.rows], [])


def _board_fragment(card: Scorecard) -> str:
    bid, tid = board_id(card), table_id(card)
    table = scope_css(_board_table(card, bid).as_raw_html(inline_css=False), tid)
    style_block = re.search(r"<style>\n(.*?)\n</style>\n?", table, re.S)
    assert style_block is not None, "great-tables emitted no <style> block"
    table = (table[: style_block.start()] + table[style_block.end() :]).strip()
    css = "\n".join([*board_css(bid), style_block.group(1)])
    parts = [
        f'<div id="{bid}" class="sc-board">',
        f"<style>\n{css}\n</style>",
        header_html(card),
        summary_html(card),
        domains_html(card),
        "<h3>Scorecard</h3>",
        table,
        drills_html(card),
        footnotes_html(card),
        notes_html(scorecard_notes(card)),
        legend_html(),
        readings_html(card),
        matrices_html(card, bid),
        risks_html(card),
        exceptions_html(card, bid),
        "</div>",
    ]
    return "\n".join(part for part in parts if part)


def render_html(card: Scorecard) -> str:
    """The scorecard as a self-contained HTML fragment; same card, same bytes.

    The fragment is pure ASCII (`–` becomes `&#8211;`): it has no `<meta charset>` of its
    own, so it reads the same pasted into a document of any encoding or opened as a file.
    """
    if card.domains:
        html = _board_fragment(card)
    else:
        html = scope_css(_flat_table(card).as_raw_html(inline_css=False), table_id(card))
    return html.strip().encode("ascii", "xmlcharrefreplace").decode("ascii") + "\n"
