"""Files keyed by indicator id (local measures, commentary), checked against the catalogue.

An adapter has no catalogue, so a local-measures or commentary row naming `ae_4hrs` would be
stored and then never shown. At ingest and check, each such row is held to the catalogue in
force (--config): its id must be one an indicator has (for local measures, a local
indicator's), and its figures must be the ones that indicator reads: a Value for a count, a
Numerator and Denominator for a percentage, the Numerator no more than the Denominator it is
a part of. Each problem names the file, row, column and value. Pure.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence

import polars as pl

from scorecard.errors import Problem
from scorecard.measures import LOCAL
from scorecard.model import Frequency, Indicator, Unit, Window
from scorecard.own_windows import own_windows
from scorecard.sources.extract import Extract
from scorecard.sources.local_periods import MONTH, QUARTER, YEAR
from scorecard.sources.plausible import PERCENT_RANGE, number
from scorecard.sources.text import ROW

KEYED = {"local_measures": "a local indicator", "commentary": "an indicator"}


def closest(name: str, known: Sequence[str], others: Sequence[str] = ()) -> str:
    """`closest: a, b` (up to three near spellings, from `known`, else from `others`), or
    where to find the ids."""
    for pool, note in ((known, ""), (others, " (not one of these)")):
        near = difflib.get_close_matches(name, pool, n=3, cutoff=0.5)
        stem = name[: max(3, len(name) - 2)]
        near = near or [k for k in sorted(pool) if k.startswith(stem)][:3]
        if near:
            return f"closest{note}: " + ", ".join(near)
    return "none is close; `scorecard indicators` lists them"


def against_catalogue(extract: Extract, indicators: Mapping[str, Indicator]) -> list[Problem]:
    """Every row of a keyed file naming an unknown indicator, or figures it does not read."""
    rows = extract.indicator_rows
    what = KEYED.get(extract.format)
    if rows is None or what is None or not rows.height:
        return []
    local = extract.format == "local_measures"
    valid = {i.id: i for i in indicators.values() if not local or i.family == LOCAL}
    found: list[Problem] = []
    for row in rows.sort(ROW).iter_rows(named=True):
        name = row["indicator_id"]
        indicator = valid.get(name)
        if indicator is not None:
            found += _figures(extract.file, row, indicator) if local else []
            continue
        if name in indicators:
            family = indicators[name].family
            rule = (
                f"expected a local indicator id: {name} is read from NHS England's {family} files"
            )
        else:
            near = closest(name, sorted(valid), sorted(set(indicators) - set(valid)))
            rule = f"expected the id of {what} in the catalogue ({near})"
        found.append(Problem(extract.file, row[ROW], "Indicator", name, rule))
    return found


def _number(row: Mapping[str, object], key: str) -> float | None:
    cell = row[key]
    return float(cell) if isinstance(cell, int | float) else None


def _period(file: str, row: Mapping[str, object], indicator: Indicator) -> list[Problem]:
    """A local row's period is one of its indicator's own (a month of a monthly indicator, a
    quarter of a quarterly one, a year of an annual one), or a window's own figure of a
    percentage entered as a percentage (a quarter row beside its months)."""
    form, own = row.get("form"), bool(row.get("own"))
    if form is None:
        return []
    at, text = int(str(row[ROW])), str(row.get("period_text"))
    frequency = indicator.frequency
    if own:
        window = Window.QUARTER if form == QUARTER else Window.YTD
        if window in own_windows(indicator):
            return []
        rule = (
            f"expected {_FORM_OF[frequency]}: {indicator.id} is {frequency.value}, and a "
            f"{form}'s own figure beside its {_PLURAL[frequency]} is for a percentage entered "
            "as a percentage only (its other figures add up)"
        )
        return [Problem(file, at, "Period", text, rule)]
    if form == _FORM[frequency]:
        return []
    rule = f"expected {_FORM_OF[frequency]}: {indicator.id} is {frequency.value}"
    if frequency is Frequency.MONTHLY:
        rule += ' (declare frequency = "quarterly" or "annual" in its definition)'
    return [Problem(file, at, "Period", text, rule)]


_FORM = {Frequency.MONTHLY: MONTH, Frequency.QUARTERLY: QUARTER, Frequency.ANNUAL: YEAR}
_FORM_OF = {
    Frequency.MONTHLY: "a month (2025-04)",
    Frequency.QUARTERLY: "a quarter (2025-Q2 or Q2 2025/26)",
    Frequency.ANNUAL: "a financial year (2025/26)",
}
_PLURAL = {Frequency.MONTHLY: "months", Frequency.QUARTERLY: "quarters", Frequency.ANNUAL: "years"}


def _figures(file: str, row: Mapping[str, object], indicator: Indicator) -> list[Problem]:
    """A local row gives the figures its indicator reads, within their bounds."""
    at = int(str(row[ROW]))
    period = _period(file, row, indicator)
    if period:
        return period
    value, num, den = (_number(row, k) for k in ("value", "numerator", "denominator"))
    percent = indicator.unit is Unit.PERCENT
    if indicator.is_ratio() and value is not None:
        rule = f"expected a Numerator and Denominator: {indicator.id} is a ratio of them"
        return [Problem(file, at, "Value", number(value), rule)]
    if not indicator.is_ratio() and num is not None:
        rule = f"expected a Value: {indicator.id} reads one figure, not a Numerator"
        return [Problem(file, at, "Numerator", number(num), rule)]
    if percent and num is not None and den is not None and num > den:
        rule = (
            f"expected no more than the Denominator ({number(den)}): {indicator.id} is a "
            "percentage, its Numerator a part of its Denominator"
        )
        return [Problem(file, at, "Numerator", number(num), rule)]
    low, high = PERCENT_RANGE
    if percent and value is not None and not low <= value <= high:
        rule = f"expected a percentage from {low:g} to {high:g} for {indicator.id}"
        return [Problem(file, at, "Value", number(value), rule)]
    return []


def rows_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """A keyed file's validated rows as Extract.indicator_rows: `_row`, `indicator_id`,
    `period` (the first day of the period's last month), and `value`, `numerator`,
    `denominator` as numbers (null where not given); `period_text` as written, its `form`
    (month, quarter, year) and `own` (a window's own figure: local_periods). `frame` has
    those columns already parsed."""
    columns = {
        "value": pl.Float64,
        "numerator": pl.Float64,
        "denominator": pl.Float64,
        "form": pl.String,
        "own": pl.Boolean,
    }
    return frame.select(
        pl.col(ROW).cast(pl.Int64),
        pl.col("indicator").alias("indicator_id"),
        pl.col("month").alias("period"),
        *(
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in columns.items()
        ),
        pl.col("period").alias("period_text"),
    )
