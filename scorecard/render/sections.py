"""Pure: the HTML around a board scorecard's table (escaped text, scoped CSS).

The heading, the executive summary and coverage note, the domain summary, and the
exception report with each row's history and commentary. Every piece of text from data,
definitions or commentary goes through `escape` (commentary through `commentary_html`).
"""

from __future__ import annotations

from html import escape

from scorecard.frequency import short_label, unit_word
from scorecard.matrix import matrix_of
from scorecard.model import Domain, Rating, Row, Scorecard, Window
from scorecard.render.cells import (
    WINDOW_HEADINGS,
    colours,
    counts_text,
    period_text,
    rating_class,
    show,
)
from scorecard.render.commentary import commentary_html
from scorecard.render.mdc_icons import LEGEND_CSS, reading_html
from scorecard.render.risks import risk_line
from scorecard.render.scoping import scope_rules
from scorecard.render.summary import commented_rows, coverage_note, executive_summary

_CSS = """
{ font-family: Arial, Helvetica, sans-serif; color: #231F20; font-size: 13px; }
h2 { font-size: 20px; margin: 0 0 2px 0; color: #005EB8; }
h3 { font-size: 16px; margin: 18px 0 6px 0; color: #005EB8; }
h4 { font-size: 14px; margin: 0 0 4px 0; }
p { margin: 4px 0; }
.sc-meta { color: #425563; margin-bottom: 10px; }
.sc-summary ul { margin: 4px 0; padding-left: 20px; }
.sc-coverage { color: #425563; }
table.sc-plain { border-collapse: collapse; margin: 4px 0 12px 0; font-size: 13px; }
table.sc-plain th, table.sc-plain td {
  border: 1px solid #D8DDE0; padding: 3px 8px; text-align: left; vertical-align: top;
}
table.sc-plain th { background-color: #F0F4F5; }
table.sc-history td, table.sc-history th { text-align: right; white-space: nowrap; }
.sc-rag {
  display: inline-block; padding: 1px 6px; border-radius: 3px; font-weight: bold;
  white-space: nowrap;
}
.sc-rag, td { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.sc-exception {
  border-left: 4px solid #005EB8; padding: 4px 0 4px 10px; margin: 0 0 14px 0;
  break-inside: avoid; page-break-inside: avoid;
}
.sc-rule { color: #425563; font-size: 12px; }
.sc-comment { background-color: #F0F4F5; padding: 4px 8px; margin-top: 6px; }
.sc-comment ul { margin: 2px 0; padding-left: 20px; }
.sc-none { color: #425563; font-style: italic; }
.sc-note { font-size: 11px; font-style: italic; }
.sc-notes { font-size: 11px; color: #425563; margin-top: 6px; }
.sc-notes p { margin: 2px 0; }
.sc-detail td { background-color: #FFFFFF; }
.sc-narrative p { margin: 2px 0; }
.sc-narrative ul, .sc-linked ul { margin: 2px 0; padding-left: 20px; }
.sc-linked { margin-top: 4px; }
.sc-cell-comment { font-size: 11px; margin-top: 3px; max-width: 260px; }
.sc-cell-comment p { margin: 0; }
table.sc-heat td { text-align: center; min-width: 64px; }
table.sc-heat, table.sc-grid tr, table.sc-register tr {
  break-inside: avoid; page-break-inside: avoid;
}
.sc-matrix, .sc-risks { margin-top: 12px; }
.sc-risks h4 { margin-top: 10px; }
"""


def board_css(bid: str) -> list[str]:
    """The board's own rules, one per line, every selector under `#bid`.

    Rating colours are inline on each badge and cell, so they survive a paste into a
    document that drops `<style>`.
    """
    return scope_rules(f"#{bid} " + (_CSS + LEGEND_CSS).strip(), bid)


def badge(rating: Rating, title: str | None = None) -> str:
    tip = f' title="{escape(title)}"' if title else ""
    fill, text = colours(rating)
    style = f"background-color: {fill}; color: {text};"
    return (
        f'<span class="sc-rag {rating_class(rating)}" style="{style}"{tip}>'
        f"{escape(rating.value)}</span>"
    )


def header_html(card: Scorecard) -> str:
    meta = f"{card.org_name} ({card.org_code}), {card.period.label()}"
    if card.audience:
        meta = f"{card.audience}: {meta}"
    return f'<h2>{escape(card.title)}</h2>\n<p class="sc-meta">{escape(meta)}</p>'


def summary_html(card: Scorecard) -> str:
    items = "".join(f"<li>{escape(line)}</li>" for line in executive_summary(card))
    return (
        '<div class="sc-summary">\n<h3>Executive summary</h3>\n'
        f"<ul>{items}</ul>\n"
        f'<p class="sc-coverage">{escape(coverage_note(card))}</p>\n</div>'
    )


def _domain_row(card: Scorecard, domain: Domain) -> str:
    row = (
        f"<tr><td>{escape(domain.name)}</td><td>{badge(domain.rating)}</td>"
        f"<td>{escape(counts_text(domain.counts))}</td><td>{escape(domain.rule)}</td></tr>"
    )
    detail = []
    if domain.narrative is not None and domain.narrative.strip():
        detail.append(f'<div class="sc-narrative">{commentary_html(domain.narrative)}</div>')
    elif card.narrated:
        none = f"No narrative for {card.period.label()}."
        detail.append(f'<p class="sc-none">{escape(none)}</p>')
    if domain.risks:
        items = "".join(risk_line(r) for r in domain.risks)
        detail.append(f'<div class="sc-linked">Risks linked to this domain:<ul>{items}</ul></div>')
    if not detail:
        return row
    return f'{row}\n<tr class="sc-detail"><td colspan="4">{"".join(detail)}</td></tr>'


def domains_html(card: Scorecard) -> str:
    rows = "\n".join(_domain_row(card, d) for d in card.domains)
    window = escape(WINDOW_HEADINGS[card.rate_by].lower())
    return (
        '<div class="sc-domains">\n<h3>Domain summary</h3>\n<table class="sc-plain">\n'
        f"<thead><tr><th>Domain</th><th>Rating</th><th>Rows by rating ({window})</th>"
        "<th>Rule that gave the rating</th></tr></thead>\n"
        f"<tbody>\n{rows}\n</tbody>\n</table>\n</div>"
    )


def notes_html(notes: list[str]) -> str:
    """The notes under the table: rating schemes, standards' bases, sources.

    Paragraphs after the table rather than a table footer, so print can split them over
    pages (Chromium keeps a `<tfoot>` whole).
    """
    lines = "\n".join(f"<p>{escape(note)}</p>" for note in notes)
    return f'<div class="sc-notes">\n{lines}\n</div>'


def footnotes(card: Scorecard) -> list[tuple[int, Row, str]]:
    """Every row's data caveats, numbered in row order: (number, row, caveat)."""
    numbered = [(row, text) for row in card.rows for text in row.caveats]
    return [(i, row, text) for i, (row, text) in enumerate(numbered, start=1)]


def footnote_marks(card: Scorecard, row: Row) -> str:
    """The row's footnote numbers, as superscripts after its indicator name."""
    marks = [str(i) for i, r, _ in footnotes(card) if r is row]
    return f"<sup>{escape(','.join(marks))}</sup>" if marks else ""


def footnotes_html(card: Scorecard) -> str:
    """The data caveats under the table (revised figures, partial windows), one a line."""
    lines = [
        f"<p><sup>{i}</sup> {escape(row.indicator.name)} ({escape(row.org_code)}): "
        f"{escape(text)}</p>"
        for i, row, text in footnotes(card)
    ]
    if not lines:
        return ""
    return '<div class="sc-notes sc-footnotes">\n' + "\n".join(lines) + "\n</div>"


def row_anchor(card: Scorecard, row: Row, bid: str) -> str:
    """A fixed id for a row's entry in the exception report or commentary list."""
    cells = [c for m in card.matrices for c in m.cells()]
    at = next((i for i, c in enumerate(cells, start=1) if c is row), None)
    if at is not None:
        return f"{bid}-cell-{at}"
    return f"{bid}-row-{card.rows.index(row) + 1}" if row in card.rows else f"{bid}-row"


def _history(row: Row) -> str:
    frequency = row.indicator.frequency
    heads = "".join(f"<th>{escape(short_label(m, frequency))}</th>" for m, _ in row.history)
    values = "".join(
        f"<td>{escape(show(v, row) if v is not None else 'No data')}</td>" for _, v in row.history
    )
    return (
        f'<table class="sc-plain sc-history"><thead><tr><th>{unit_word(frequency).title()}</th>'
        f"{heads}</tr></thead><tbody><tr><th>Value</th>{values}</tr></tbody></table>"
    )


def _comment(row: Row) -> str:
    if row.comment is None or not row.comment.strip():
        return f'<p class="sc-none">No commentary for {escape(row.period.label())}.</p>'
    text = commentary_html(row.comment)
    return f'<div class="sc-comment"><strong>Commentary</strong>{text}</div>'


def _entry(card: Scorecard, row: Row, bid: str, reason: str | None) -> str:
    rating = row.rated.rating
    where = f"{row.org_name} ({row.org_code}), {period_text(row)}"
    if row.rated_by is not Window.MONTH:
        where += f", {WINDOW_HEADINGS[row.rated_by].lower()}"
    matrix = matrix_of(card, row)
    domain = next((d.name for d in card.domains if row in d.rows), None)
    domain = f"{matrix.title} (assurance matrix)" if matrix else domain
    where = f"{domain}: {where}" if domain else where
    lines = [
        f'<div class="sc-exception" id="{row_anchor(card, row, bid)}">',
        f"<h4>{escape(row.indicator.name)}</h4>",
        f"<p>{badge(rating.rating)} {escape(where)}"
        + (f". Listed because: {escape(reason)}" if reason else "")
        + "</p>",
        f'<p class="sc-rule">{escape(rating.rule)}</p>',
        reading_html(row),
        _history(row) if row.history else "",
        _comment(row),
        "</div>",
    ]
    return "\n".join(line for line in lines if line)


def exception_intro(card: Scorecard) -> str:
    """What the exception report lists: by the month, or by the board's `rate_by` window."""
    if card.rate_by is Window.MONTH:
        return (
            "Every Red row, and every row rated worse than the month before, with its last "
            "months and the analyst's commentary."
        )
    window = WINDOW_HEADINGS[card.rate_by].lower()
    return (
        f"Every row Red for the {window}, and every row whose {window} rating is worse than "
        "it was the period before, with its last months and the analyst's commentary."
    )


def exceptions_html(card: Scorecard, bid: str) -> str:
    """Every exception with its reason, history, rule and commentary; then other commentary."""
    parts = [
        '<div class="sc-exceptions">\n<h3>Exception report</h3>',
        f"<p>{escape(exception_intro(card))}</p>",
    ]
    if not card.exceptions:
        none = "No row is Red or worse than the month before."
        if card.rate_by is not Window.MONTH:
            window = WINDOW_HEADINGS[card.rate_by].lower()
            none = f"No row is Red, or worse than the period before, for the {window}."
        parts.append(f'<p class="sc-none">{escape(none)}</p>')
    parts += [_entry(card, row, bid, row.exception or "") for row in card.exceptions]
    others = commented_rows(card)
    if others:
        parts.append("<h3>Commentary on other rows</h3>")
        parts += [_entry(card, row, bid, None) for row in others]
    return "\n".join(parts) + "\n</div>"
