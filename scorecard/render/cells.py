"""Pure display pieces shared by the HTML and Excel renderers: colours, labels, cell text.

Text functions return plain text; `*_html` functions return HTML built from escaped text.
Nothing here computes a value: each piece shows what the Scorecard holds.
"""

from __future__ import annotations

from html import escape

from scorecard.formatting import MISSING, format_threshold, format_value, window_label
from scorecard.frequency import period_label
from scorecard.model import Cell, OverTime, Rating, Row, Scheme, Scorecard, Window

# NHS identity colours (fill, text), each pair at least WCAG AA's 4.5:1 (tests check every
# pair): white on NHS Dark Green 6.9:1 (white on NHS Green #009639 is only 3.9:1), white
# on NHS Red 4.9:1, NHS Black on the ambers and greys 6.4:1 to 13.8:1. The rating's name is
# always shown as well, so a greyscale print or a colour-blind reader loses nothing.
RAG_COLOURS: dict[Rating, tuple[str, str]] = {
    Rating.GREEN: ("#006747", "#FFFFFF"),
    Rating.AMBER_GREEN: ("#78BE20", "#231F20"),
    Rating.AMBER_RED: ("#ED8B00", "#231F20"),
    Rating.AMBER: ("#FFB81C", "#231F20"),
    Rating.RED: ("#DA291C", "#FFFFFF"),
    Rating.NOT_RATED: ("#E8EDEE", "#231F20"),
    Rating.NO_DATA: ("#E8EDEE", "#231F20"),
    Rating.NOT_AVAILABLE: ("#E8EDEE", "#231F20"),
}
GREY = ("#E8EDEE", "#231F20")  # any rating added to the model later, until it gets a colour
NO_STANDARD = "No national standard"
WINDOW_HEADINGS = {
    Window.MONTH: "Month",
    Window.QUARTER: "Quarter to date",
    Window.YTD: "Year to date",
}
ANSWERS = {True: "Yes", False: "No"}


def colours(rating: Rating) -> tuple[str, str]:
    return RAG_COLOURS.get(rating, GREY)


def rating_class(rating: Rating) -> str:
    """`sc-rag-amber-green` for Amber/Green: a CSS class name for each rating."""
    return "sc-rag-" + rating.value.lower().replace("/", "-").replace(" ", "-")


def show(value: float | None, row: Row) -> str:
    """A value as the board reads it: `Yes`/`No` for an assurance question, else formatted."""
    if value is not None and row.indicator.scheme is Scheme.YES_NO:
        return ANSWERS[value != 0]
    return format_value(value, row.indicator.unit)


def rating_heading(card: Scorecard) -> str:
    """`Rating (month)`, `Rating (quarter to date)`: the window that rates the rows."""
    return f"Rating ({WINDOW_HEADINGS[card.rate_by].lower()})"


def period_text(row: Row) -> str:
    """The period a row shows: `Sep 2025`, or a quarterly indicator's `Q2 2025/26`."""
    return period_label(row.period, row.indicator.frequency)


def value_text(cell: Cell, row: Row) -> str:
    if cell.value.value is not None:
        return show(cell.value.value, row)
    return "Not available" if cell.rating.rating is Rating.NOT_AVAILABLE else "No data"


def span_text(cell: Cell, row: Row) -> str:
    """What period the value covers (`Sep 2025`, `Q2 2025/26 (Jul–Sep 2025)`), with its plan."""
    ind = row.indicator
    label = window_label(
        cell.value, position=ind.over_time is OverTime.LATEST, frequency=ind.frequency
    )
    if row.indicator.scheme is Scheme.PLAN and cell.value.plan is not None:
        label += f"; plan {format_value(cell.value.plan, row.indicator.unit)}"
    return label


def value_html(cell: Cell, row: Row) -> str:
    """The value, then on its own line the span it covers (all escaped)."""
    span = escape(span_text(cell, row))
    return f"{escape(value_text(cell, row))}<br><small><em>{span}</em></small>"


def standard_text(row: Row) -> tuple[str, str]:
    """The standard column as (main text, detail): what a row is rated against."""
    ind, std = row.indicator, row.standard
    unit, direction = ind.unit, ind.direction
    if ind.scheme is Scheme.NONE:
        return "Not rated", "monitored only"
    if ind.scheme is Scheme.YES_NO:
        return f"Expected: {ANSWERS[bool(ind.expected)]}", "yes/no question"
    if ind.scheme is Scheme.PLAN:
        plan = row.month.value.plan
        shown = f"Plan {format_value(plan, unit)}" if plan is not None else "No plan"
        return shown, f"Amber within {ind.tolerance_pct or 0:g}% of plan"
    if std is None:
        return NO_STANDARD, ""
    main = format_threshold(std.standard, unit, direction)
    if std.cuts is None:
        return main, ""
    cuts = ", ".join(
        f"{band} {format_threshold(cut, unit, direction)}"
        for band, cut in zip(("Amber/Green", "Amber/Red"), std.cuts[1:], strict=True)
    )
    return main, f"four bands: {cuts}"


def standard_html(row: Row) -> str:
    main, detail = standard_text(row)
    return escape(main) + (f"<br><small><em>{escape(detail)}</em></small>" if detail else "")


def lower_text(row: Row) -> str:
    if row.indicator.scheme in (Scheme.NONE, Scheme.YES_NO, Scheme.PLAN):
        return MISSING
    std = row.standard
    return format_threshold(std.lower_threshold if std else None, row.indicator.unit)


def counts_text(counts: tuple[tuple[Rating, int], ...]) -> str:
    """`3 Amber, 1 Not rated`: the non-zero counts in the order given; `no rows` if none."""
    return ", ".join(f"{n} {rating.value}" for rating, n in counts if n) or "no rows"
