"""Pure: a board's assurance matrices as escaped HTML, questions down and organisations across.

Each cell says its answer and rating in words on the rating's colour (`No (Red)`, `1 (Red)`),
the month when it is not the board's, and the analyst's comment (escaped, limited Markdown),
so it reads the same printed in greyscale. A Red cell links to its entry in the exception
report.
"""

from __future__ import annotations

from html import escape

from scorecard.model import Matrix, Rating, Row, Scorecard
from scorecard.render.cells import colours, rating_class, standard_text, value_text
from scorecard.render.commentary import commentary_html
from scorecard.render.sections import row_anchor


def cell_text(row: Row) -> str:
    """`No (Red)`, `0 (Green)`, `No data`: a cell's answer and its rating in words."""
    rating = row.month.rating.rating
    shown = value_text(row.month, row)
    return shown if rating.value == shown else f"{shown} ({rating.value})"


def _cell(card: Scorecard, row: Row, bid: str) -> str:
    rating = row.month.rating
    fill, text = colours(rating.rating)
    style = f"background-color: {fill}; color: {text};"
    parts = [
        f'<span class="sc-rag {rating_class(rating.rating)}" style="{style}" '
        f'title="{escape(rating.rule)}">{escape(cell_text(row))}</span>'
    ]
    if row.period != card.period and row.month.value.value is not None:
        parts.append(f"<br><small>{escape(row.period.label())}</small>")
    listed = next((e for e in card.exceptions if _key(e) == _key(row)), None)
    if rating.rating is Rating.RED and listed is not None:
        href = row_anchor(card, listed, bid)
        parts.append(f'<br><small class="sc-note"><a href="#{href}">exception report</a></small>')
    if row.comment is not None and row.comment.strip():
        parts.append(f'<div class="sc-cell-comment">{commentary_html(row.comment)}</div>')
    return f"<td>{''.join(parts)}</td>"


def _matrix(card: Scorecard, matrix: Matrix, bid: str) -> str:
    orgs = "".join(
        f'<th scope="col">{escape(name)}<br><small>{escape(code)}</small></th>'
        for code, name in matrix.orgs
    )
    body = []
    for cells in matrix.rows:
        first = cells[0]
        main, detail = standard_text(first)
        expected = escape(main) + (f"<br><small>{escape(detail)}</small>" if detail else "")
        body.append(
            f'<tr><th scope="row">{escape(first.indicator.name)}</th><td>{expected}</td>'
            + "".join(_cell(card, c, bid) for c in cells)
            + "</tr>"
        )
    note = (
        f"Each question asked of each organisation, at its latest month with an answer up "
        f"to {card.period.label()}; each answer is rated, and a Red one is in the exception "
        "report."
    )
    return (
        f'<div class="sc-matrix">\n<h3>{escape(matrix.title)}</h3>\n<p>{escape(note)}</p>\n'
        f'<table class="sc-plain sc-grid">\n<thead><tr><th scope="col">Question</th>'
        f'<th scope="col">Expected</th>{orgs}</tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + "\n</tbody>\n</table>\n</div>"
    )


def _key(row: Row) -> tuple[str, str, str]:
    return row.indicator.id, row.org_code, row.period.iso()


def matrices_html(card: Scorecard, bid: str) -> str:
    """Every matrix of the card, or nothing when it has none."""
    return "\n".join(_matrix(card, m, bid) for m in card.matrices)
