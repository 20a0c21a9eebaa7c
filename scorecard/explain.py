"""Pure: the plain-text account of one scorecard row, for `scorecard explain`."""

from __future__ import annotations

from collections.abc import Mapping

from scorecard.formatting import format_value, window_label
from scorecard.frequency import period_label, unit_word
from scorecard.model import Cell, Formula, Frequency, Indicator, OverTime, Row, Unit, Window

_NAMES = {"month": "Month", "quarter": "Quarter to date", "ytd": "Year to date"}
_VALUES = {
    OverTime.SUM: "Values (numerators and denominators added over each window):",
    OverTime.LATEST: "Values (month-end positions: a quarter or year shows its latest month):",
    OverTime.NONE: "Values (numerators and denominators added over each window):",
    OverTime.MEAN: (
        "Values (percentages entered without counts: a quarter or year is the average of its "
        "periods' values, or the local file's own figure for it, never a count):"
    ),
}


def _count(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,}"


def _formula_lines(label: str, formula: Formula, breakdown: Mapping[str, float]) -> list[str]:
    lines = [f"  {label} = {formula}"]
    width = max(len(t.measure) for t in formula.terms)
    for t in formula.terms:
        sign = "+" if t.sign > 0 else "-"
        shown = _count(breakdown.get(t.measure))
        lines.append(f"    {sign} {t.measure:<{width}}  {shown:>12}")
    return lines


def _cell_line(cell: Cell, ind: Indicator, position: bool) -> str:
    v, unit = cell.value, ind.unit
    name = _NAMES[v.window.value]
    if v.window is Window.MONTH and ind.frequency is not Frequency.MONTHLY:
        name = f"Latest {unit_word(ind.frequency)}"
    head = f"  {name}, {window_label(v, position=position, frequency=ind.frequency)}: "
    if v.value is None:
        return head + f"no data ({cell.rating.rating.value})"
    shown = format_value(v.value, unit)
    if v.denominator is not None:
        scale = "100 x " if unit is Unit.PERCENT else ""
        calc = f"{scale}{_count(v.numerator)} / {_count(v.denominator)}"
        return head + f"{calc} = {v.value!r} -> {shown}; {cell.rating.rating.value}"
    return head + f"{shown}; {cell.rating.rating.value}"


def explain_text(row: Row, breakdown: Mapping[str, float]) -> str:
    """Numbers, the standard in force and the rule that produced each rating."""
    ind = row.indicator
    shown = period_label(row.period, ind.frequency)
    frequency = ind.frequency
    lines = [
        f"{ind.id}: {ind.name}",
        f"Organisation: {row.org_code} {row.org_name}",
        f"Period: {shown}"
        + ("" if frequency is Frequency.MONTHLY else f" (stored at {row.period.label()})"),
        f"Unit: {ind.unit.value}; {ind.direction.value} is better",
        *([] if frequency is Frequency.MONTHLY else [f"Frequency: {frequency.value}"]),
        f"Basis: {ind.basis}",
        f"Stored measures for {shown}:",
    ]
    if ind.over_time is OverTime.MEAN:  # a percentage as entered: there are no counts
        lines += _formula_lines("value, as entered (no counts)", ind.numerator, breakdown)
    else:
        lines += _formula_lines("numerator", ind.numerator, breakdown)
    if ind.denominator is not None:
        lines += _formula_lines("denominator", ind.denominator, breakdown)
    position = ind.over_time is OverTime.LATEST
    lines.append(_VALUES[ind.over_time])
    lines += [_cell_line(c, ind, position) for c in map(row.cell, Window)]
    std = row.standard
    if std is None:
        lines.append(f"Standard: no national standard in force for {row.period.label()}")
    else:
        until = std.end.label() if std.end else "until further notice"
        lines.append(
            f"Standard in force for {row.period.label()}: {format_value(std.standard, ind.unit)} "
            f"(from {std.start.label()} to {until})"
        )
        lower = (
            format_value(std.lower_threshold, ind.unit)
            if std.lower_threshold is not None
            else "none (no Amber band)"
        )
        lines += [f"Lower threshold: {lower}", f"  Basis: {std.basis}", f"  Source: {std.source}"]
    lines.append("Rules that produced the ratings:")
    for cell in map(row.cell, Window):
        lines.append(f"  {_NAMES[cell.value.window.value]}: {cell.rating.rule}")
    lines += _spc_lines(row)
    return "\n".join(lines)


def _spc_lines(row: Row) -> list[str]:
    """Making Data Count: the limits of the last point's partition and both icons' reasons."""
    spc = row.spc
    if spc is None:
        return ["Making Data Count: not used for this indicator"]
    unit = row.indicator.unit
    points = [p for p in spc.points if p.value is not None]
    frequency = row.indicator.frequency
    n = len(points)
    over = f"{n} {unit_word(frequency, n)} to {period_label(row.period, frequency)}"
    lines = [f"Making Data Count (XmR over {over}):"]
    last = points[-1] if points else None
    if last is not None and last.centre is not None and last.upl is not None:
        lower = format_value(last.lpl, unit) if last.lpl is not None else "none"
        lines.append(
            f"  Centre {format_value(last.centre, unit)}; process limits "
            f"{lower} to {format_value(last.upl, unit)}"
        )
    lines += [
        f"  Variation ({spc.variation.value.replace('_', ' ')}): {spc.reason}",
        f"  Assurance ({spc.assurance.value.replace('_', ' ')}): {spc.assurance_reason}",
    ]
    return lines
