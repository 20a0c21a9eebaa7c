"""Pure: the plain sentences at the top of a board scorecard, built only from the model.

The executive summary counts what the Scorecard holds (rows by rating, the domains'
ratings, the exception report); the coverage note names the organisations monitored; the
notes under the table state the rating schemes, each standard's basis and the sources.
Shared by the HTML and Excel renderers, so both say the same thing.
"""

from __future__ import annotations

from collections import Counter

from scorecard.frequency import period_label
from scorecard.model import Domain, Frequency, Rating, Row, Scheme, Scorecard, Window
from scorecard.render.cells import counts_text
from scorecard.render.section_text import matrix_lines, risk_lines

RULE_NOTE = (
    "Green: at or better than the standard; Amber: between the standard and the lower "
    "threshold; Red: worse than the lower threshold (or than the standard where there is no "
    "lower threshold). Values compared unrounded; percentages shown to one decimal place."
)
SCHEME_NOTES = {
    Scheme.STANDARD: RULE_NOTE,
    Scheme.FOUR_BAND: (
        "Four bands: Green at or better than the first cut, Amber/Green at or better than the "
        "second, Amber/Red at or better than the third, Red beyond it."
    ),
    Scheme.PLAN: (
        "Against plan: Green at or better than the plan, Amber worse than the plan by no more "
        "than the indicator's tolerance, Red beyond it."
    ),
    Scheme.YES_NO: "Yes/no questions: Green when the answer is the one expected, else Red.",
    Scheme.NONE: "Not rated: monitored only.",
}
TOOLTIP_NOTE = (
    "Each window's value carries its own rating, against the standard in force for the "
    "window's last month; the rating column is the one that rates the row (its heading says "
    "which window). The rule behind each rating shows when the pointer rests on it, and in "
    "the exception report."
)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def rating_counts(card: Scorecard) -> tuple[tuple[Rating, int], ...]:
    """Every row's month rating counted, in the domains' order of ratings (then any other)."""
    counts = Counter(row.rated.rating.rating for row in card.rows)
    order = [r for d in card.domains for r, _ in d.counts] + list(Rating)
    return tuple((r, counts[r]) for r in dict.fromkeys(order) if counts[r])


def domain_label(domain: Domain) -> str:
    """`Urgent and emergency care – Amber (3 Amber, 1 Not rated)`: a row group's heading."""
    return f"{domain.name} – {domain.rating.value} ({counts_text(domain.counts)})"


def months_sentence(card: Scorecard) -> str:
    """Which month each row shows: families publish on different lags."""
    by_month = Counter((row.period, row.indicator.frequency) for row in card.rows)
    if not by_month:
        return f"No rows for {card.period.label()}."
    if set(by_month) == {(card.period, Frequency.MONTHLY)}:
        return f"Every row shows {card.period.label()}."
    parts = [
        f"{_plural(by_month[(m, f)], 'row' if f is Frequency.MONTHLY else f'{f.value} row')} "
        f"at {period_label(m, f)}"
        for m, f in sorted(by_month, key=lambda k: (-k[0].index(), list(Frequency).index(k[1])))
    ]
    return (
        f"Each row shows its latest month with data up to {card.period.label()}: "
        + ", ".join(parts)
        + "."
    )


def _rated_words(card: Scorecard) -> str:
    """`latest month`, `quarter to date`, `year to date`: the window that rates the rows."""
    return {
        Window.MONTH: "latest month",
        Window.QUARTER: "quarter to date",
        Window.YTD: "year to date",
    }[card.rate_by]


def executive_summary(card: Scorecard) -> list[str]:
    """Plain sentences: rows and domains, ratings, domain ratings, the exception report."""
    lines = [
        f"{_plural(len(card.rows), 'row')} in {_plural(len(card.domains), 'domain')}. "
        + months_sentence(card),
        f"Ratings for the {_rated_words(card)}: {counts_text(rating_counts(card))}.",
    ]
    if card.domains:
        ratings = "; ".join(f"{d.name} ({d.rating.value})" for d in card.domains)
        lines.append(f"Domain ratings: {ratings}.")
    red = sum(row.rated.rating.rating is Rating.RED for row in card.exceptions)
    worse = len(card.exceptions) - red
    commented = sum(row.comment is not None for row in card.exceptions)
    before = "month" if card.rate_by is Window.MONTH else "period"
    if card.exceptions:
        lines.append(
            f"Exception report: {_plural(len(card.exceptions), 'row')} ({red} Red, "
            f"{worse} worse than the {before} before), {commented} with commentary."
        )
    else:
        lines.append(f"Exception report: no row is Red or worse than the {before} before.")
    return lines + matrix_lines(card) + risk_lines(card)


def organisations(card: Scorecard) -> list[tuple[str, str, int]]:
    """(code, name, rows) for each organisation monitored, in order of first appearance."""
    seen: dict[str, tuple[str, int]] = {}
    for row in card.rows:
        name, n = seen.get(row.org_code, (row.org_name, 0))
        seen[row.org_code] = (name, n + 1)
    return [(code, name, n) for code, (name, n) in seen.items()]


def coverage_note(card: Scorecard) -> str:
    """`Covers: NHS Northgate ... (ZI1), 9 rows; ...`: the organisations monitored."""
    orgs = organisations(card)
    if not orgs:
        return f"Covers no organisation: the scorecard for {card.org_name} has no rows."
    listed = "; ".join(f"{name} ({code}), {_plural(n, 'row')}" for code, name, n in orgs)
    return f"Covers {_plural(len(orgs), 'organisation')}: {listed}."


def commented_rows(card: Scorecard) -> list[Row]:
    """Rows with commentary that are not in the exception report, in scorecard order."""
    return [r for r in card.rows if r.comment is not None and r.exception is None]


def table_notes(card: Scorecard, first: list[str]) -> list[str]:
    """`first`; each standard's basis and each reason a value is not available, naming the
    indicators it applies to; then the card's sources."""
    bases: dict[str, list[str]] = {}
    unavailable: dict[str, list[str]] = {}
    for row in card.rows:
        name, std = row.indicator.name, row.standard
        if std is not None and std.basis:
            bases.setdefault(std.basis.rstrip("."), []).append(name)
        for cell in (row.cell(w) for w in card.windows):
            if cell.rating.rating is Rating.NOT_AVAILABLE:
                names = unavailable.setdefault(cell.rating.rule.rstrip("."), [])
                names += [] if name in names else [name]
    notes = list(first)
    notes += [f"Standard for {'; '.join(names)}: {basis}." for basis, names in bases.items()]
    notes += [f"{'; '.join(names)}: {rule}." for rule, names in unavailable.items()]
    return notes + list(card.sources)


def scorecard_notes(card: Scorecard) -> list[str]:
    """The notes under a scorecard's table: how each rating scheme in use rates (the
    standard scheme's rule always, first), the tooltip note on a board, then `table_notes`.
    """
    schemes = {row.indicator.scheme for row in card.rows} - {Scheme.STANDARD}
    first = [RULE_NOTE] + [SCHEME_NOTES[s] for s in Scheme if s in schemes]
    return table_notes(card, first + ([TOOLTIP_NOTE] if card.domains else []))
