"""A board workbook's own sheets: Summary, Exceptions, and those for its assurance
matrices and risk register (render/excel.py makes the workbook and hands each sheet
function the book and its formats).

Summary: the executive summary, coverage, and the domain table (with each domain's
narrative and linked risks when the board has them). Exceptions: each row listed, with
the reason, rule, history and commentary as written.

Matrix: each matrix as a grid (answers and ratings in words, on the rating's colour), then
every answer a line: question, organisation, month, answer, rating, rule, comment. Risks:
the register by current score with bands (in words, on the band's colour), movement and
the register it is measured against, the risks closed since, and the heat map's counts.
Text is written as text, never as a formula.
"""

from __future__ import annotations

from typing import Any

from scorecard.frequency import short_label
from scorecard.model import Scorecard
from scorecard.render.cells import (
    WINDOW_HEADINGS,
    counts_text,
    period_text,
    show,
    standard_text,
    value_text,
)
from scorecard.render.matrix import cell_text
from scorecard.render.risks import movement_text
from scorecard.render.summary import coverage_note, executive_summary
from scorecard.render.xlsx_cells import heading, put
from scorecard.risks.types import SCALE, RiskRegister

Formats = dict[str, Any]


def summary_sheet(book: Any, card: Scorecard, fmt: Formats) -> None:
    sheet = book.add_worksheet("Summary")
    heading(sheet, card, fmt)
    sheet.set_column(0, 0, 32)
    sheet.set_column(1, 2, 22)
    sheet.set_column(3, 3, 60)
    lines = [*executive_summary(card), coverage_note(card)]
    for r, line in enumerate(lines, start=3):
        put(sheet, r, 0, line, fmt["plain"])
    top = len(lines) + 4
    rows_by = f"Rows by rating ({WINDOW_HEADINGS[card.rate_by].lower()})"
    for col, head in enumerate(("Domain", "Rating", rows_by, "Rule")):
        put(sheet, top, col, head, fmt["head"])
    for r, d in enumerate(card.domains, start=top + 1):
        put(sheet, r, 0, d.name, fmt["text"])
        put(sheet, r, 1, d.rating.value, fmt.get(d.rating.value, fmt["text"]))
        put(sheet, r, 2, counts_text(d.counts), fmt["text"])
        put(sheet, r, 3, d.rule, fmt["text"])
    domain_extras(sheet, top, card, fmt)


def exceptions_sheet(book: Any, card: Scorecard, fmt: Formats) -> None:
    sheet = book.add_worksheet("Exceptions")
    heads = ["Indicator", "Organisation monitored", "Code", "Period", "Rating", "Listed because"]
    heads += ["Rule", "History", "Commentary"]
    widths = (38, 30, 7, 10, 12, 30, 50, 60, 60)
    for col, (head, width) in enumerate(zip(heads, widths, strict=True)):
        sheet.set_column(col, col, width)
        put(sheet, 0, col, head, fmt["head"])
    sheet.freeze_panes(1, 1)
    for r, row in enumerate(card.exceptions, start=1):
        rating = row.rated.rating.rating
        frequency = row.indicator.frequency
        past = "; ".join(
            f"{short_label(m, frequency)} {show(v, row) if v is not None else 'No data'}"
            for m, v in row.history
        )
        line: list[Any] = [row.indicator.name, row.org_name, row.org_code, period_text(row)]
        line += [rating.value, row.exception, row.rated.rating.rule, past, row.comment]
        for col, value in enumerate(line):
            put(sheet, r, col, value, fmt.get(value, fmt["text"]) if col == 4 else fmt["text"])


def domain_extras(sheet: Any, top: int, card: Scorecard, fmt: Formats) -> None:
    """The Summary sheet's domain table gains each domain's narrative (as written) and its
    linked risks, when the board has narratives or a register."""
    if not card.narrated and card.risks is None:
        return
    sheet.set_column(4, 5, 60)
    put(sheet, top, 4, "Narrative", fmt["head"])
    put(sheet, top, 5, "Linked risks", fmt["head"])
    for r, d in enumerate(card.domains, start=top + 1):
        put(sheet, r, 4, d.narrative, fmt["text"])
        linked = [f"{x.risk.id} {x.risk.title} ({x.band.name} {x.risk.score})" for x in d.risks]
        put(sheet, r, 5, "\n".join(linked) or None, fmt["text"])


def matrix_sheet(book: Any, card: Scorecard, fmt: Formats) -> None:
    if not card.matrices:
        return
    sheet = book.add_worksheet("Matrix")
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 12, 24)
    r = 0
    for m in card.matrices:
        put(sheet, r, 0, m.title, fmt["title"])
        heads = ["Question", "Expected", *(f"{name} ({code})" for code, name in m.orgs)]
        for col, head in enumerate(heads):
            put(sheet, r + 1, col, head, fmt["head"])
        r += 2
        for cells in m.rows:
            put(sheet, r, 0, cells[0].indicator.name, fmt["text"])
            put(sheet, r, 1, standard_text(cells[0])[0], fmt["text"])
            for col, cell in enumerate(cells, start=2):
                word = cell.month.rating.rating.value
                put(sheet, r, col, cell_text(cell), fmt.get(word, fmt["text"]))
            r += 1
        r += 1
        heads = ["Question", "Organisation", "Code", "Month", "Answer", "Rating", "Rule"]
        for col, head in enumerate([*heads, "Comment"]):
            put(sheet, r, col, head, fmt["head"])
        r += 1
        for cell in m.cells():
            rating = cell.month.rating
            line: list[Any] = [cell.indicator.name, cell.org_name, cell.org_code]
            line += [cell.period.label(), value_text(cell.month, cell), rating.rating.value]
            line += [rating.rule, cell.comment]
            for col, value in enumerate(line):
                put(sheet, r, col, value, fmt.get(value, fmt["text"]) if col == 5 else fmt["text"])
            r += 1
        r += 1


REGISTER_HEADS = (
    "ID", "Title", "Domain", "Owner", "Likelihood", "Impact", "Score", "Band",
    "Target likelihood", "Target impact", "Target score", "Target band", "Movement",
    "Previous score", "Controls", "Actions", "Review date",
)  # fmt: skip


def risks_sheet(book: Any, card: Scorecard, fmt: Formats) -> None:
    reg = card.risks
    if reg is None:
        return
    sheet = book.add_worksheet("Risks")
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, 3, 30)
    sheet.set_column(4, 13, 11)
    sheet.set_column(14, 15, 40)
    sheet.set_column(16, 16, 12)
    put(sheet, 0, 0, f"Risk register, {reg.period.label()}: {reg.file}", fmt["title"])
    since = (
        f"Movement since {reg.previous_period.label()}: {reg.previous_file}"
        if reg.previous_period
        else "No register before it: no movement"
    )
    put(sheet, 1, 0, since, fmt["meta"])
    for col, head in enumerate(REGISTER_HEADS):
        put(sheet, 3, col, head, fmt["head"])
    sheet.freeze_panes(4, 2)
    r = 4
    for rated in reg.risks:
        k = rated.risk
        line: list[Any] = [k.id, k.title, k.domain, k.owner, k.likelihood, k.impact, k.score]
        line += [rated.band.name, k.target_likelihood, k.target_impact, k.target_score]
        line += [rated.target_band.name, movement_text(rated) or None, rated.previous_score]
        line += [k.controls, k.actions, k.review.isoformat() if k.review else None]
        for col, value in enumerate(line):
            colour = {7: rated.band.colour, 11: rated.target_band.colour}.get(col)
            put(sheet, r, col, value, fmt[colour] if colour else fmt["text"])
        r += 1
    if reg.closed and reg.previous_period is not None:
        r += 1
        put(sheet, r, 0, f"Closed since {reg.previous_period.label()}", fmt["head"])
        for k in reg.closed:
            r += 1
            for col, value in enumerate((k.id, k.title, k.domain, k.owner, k.likelihood)):
                put(sheet, r, col, value, fmt["text"])
            put(sheet, r, 5, k.impact, fmt["text"])
            put(sheet, r, 6, k.score, fmt["text"])
    _heat(sheet, r + 2, reg, fmt)


def _heat(sheet: Any, top: int, reg: RiskRegister, fmt: Formats) -> None:
    """The heat map: risks counted by likelihood (5 first) and impact, on the bands' colours."""
    put(sheet, top, 0, "Heat map: risks by likelihood (rows) and impact (columns)", fmt["head"])
    put(sheet, top + 1, 0, "Likelihood \\ Impact", fmt["head"])
    for col, impact in enumerate(SCALE, start=1):
        put(sheet, top + 1, col, impact, fmt["head"])
    for i, (likelihood, counts) in enumerate(zip(reversed(SCALE), reg.heat, strict=True)):
        put(sheet, top + 2 + i, 0, likelihood, fmt["head"])
        for col, (impact, count) in enumerate(zip(SCALE, counts, strict=True), start=1):
            band = next(b for b in reg.bands if b.holds(likelihood * impact))
            put(sheet, top + 2 + i, col, count, fmt[band.colour])
