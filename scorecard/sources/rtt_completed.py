"""NHS England's RTT completed-pathways workbook sheets (Admitted or Non-Admitted), as CSV.

Layout: organisation columns as in the incomplete-pathways sheets (`Region Code, Provider
Code, Provider Name` or a commissioner pair), `Treatment Function Code`, `Treatment
Function`, weekly bands `>0-1` ... then `52 plus` (to 2016) or `104 plus` (later),
`Patients with unknown clock start date`, `Total number of completed pathways (all)`,
`Total number of completed pathways (with a known clock start)`, median and 95th percentile
(not read), and in later files `Total 52 plus weeks`, `Total 78 plus weeks`, `Total 65 plus
weeks` (earlier ones: `Total (with a known clock start) within 18 weeks`, `% within 18 weeks`).

The sheet does not say whether it is admitted or non-admitted (the workbook's title block
does, and it is not in the CSV), so the file name must. Each organisation's figures come from
its all-specialties row (`C_999`; before 2016 `AP999` admitted, `NP999` non-admitted, `IP999`
incomplete); its specialty rows are stored beside them as the treatment-function parts
(scorecard.sources.rtt_parts). Within each row the bands add up to the known-clock-start
total, known + unknown = all, and the stated long-wait and within-18-weeks totals equal their
bands. The historic 18-week measure is bands >0-1 ... >17-18 over the known-clock-start
total; the pathways that had waited over 52 weeks are the bands from >52-53 (or the `52 plus`
band) up, which the later sheets state as `Total 52 plus weeks`.
`% within 18 weeks` (pre-2016; a fraction, not stored) is checked for form and range (0 to 1).
`*`, `-` or `.` for a count not published is stored as missing, with a warning. The month
comes from --period or the file name (`2025-09`, `September-2025` or NHS England's `Sep25`).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.periods import Month
from scorecard.sources.base import Extract
from scorecard.sources.checks import Found, fraction_column, suppressed
from scorecard.sources.naming import period_from
from scorecard.sources.rtt_incomplete import (
    ALL_SPECIALTIES,
    EXPECTED,
    ORG_LAYOUTS,
    TFC,
    refuse_cut_blocks,
)
from scorecard.sources.rtt_parts import breakdowns, is_total, parts_warning
from scorecard.sources.text import ROW, count_expr, normalise, published_columns, read_table
from scorecard.sources.tidy import to_extract
from scorecard.sources.validation import count_column

KNOWN = "Total number of completed pathways (with a known clock start)"
ALL = "Total number of completed pathways (all)"
UNKNOWN = "Patients with unknown clock start date"
WITHIN = "Total (with a known clock start) within 18 weeks"  # pre-2016 sheets only
PERCENT = "% within 18 weeks"  # pre-2016 sheets only: a fraction, checked, not stored
OVER = {52: "Total 52 plus weeks", 65: "Total 65 plus weeks", 78: "Total 78 plus weeks"}
TOTALS = ("C_999", "AP999", "NP999", *ALL_SPECIALTIES)
# (scope and measure prefix, file-name pattern): non-admitted is looked for first.
KINDS = (
    ("nonadmitted", re.compile(r"non[-_ ]?admitted", re.IGNORECASE)),
    ("admitted", re.compile(r"admitted", re.IGNORECASE)),
)
_ADJUSTED = re.compile(r"(?<!un)adjusted", re.IGNORECASE)
_SHORT_MONTH = re.compile(r"(?<![A-Za-z])([A-Za-z]{3})(\d{2})(?!\d)")  # Sep25


def kind_from(file: str) -> str:
    """`admitted` or `nonadmitted`, from the file name."""
    if _ADJUSTED.search(file):
        raise SourceError(
            file, "adjusted admitted figures are not read; use the unadjusted sheet"
        )  # fmt: skip
    for kind, pattern in KINDS:
        if pattern.search(file):
            return kind
    raise SourceError(
        file,
        "an RTT completed-pathways sheet does not say whether it is admitted or "
        'non-admitted; keep "Admitted" or "NonAdmitted" in the file name '
        "(like NonAdmitted-Provider-Sep25.csv)",
    )


def month_from(file: str, period_hint: str | None) -> Month:
    """--period, else the file name as period_from reads it, else NHS England's `Sep25`."""
    try:
        return period_from(file, period_hint)
    except SourceError:
        if period_hint is None:
            for name, year in _SHORT_MONTH.findall(file):
                if (month := Month.from_name(name, 2000 + int(year))) is not None:
                    return month
        raise


def band_names(file: str, have: set[str]) -> list[str]:
    """The weekly band columns the layout must have: to `52 plus` or to `104 plus`."""
    for last in (104, 52):
        if normalise(f"{last} plus") in have:
            return [f">{w}-{w + 1}" for w in range(last)] + [f"{last} plus"]
    raise SourceError(
        file, "missing column; expected the open-ended band '104 plus' (or '52 plus' before "
        "2016) in the RTT completed-pathways sheet", column="104 plus", row=1,
    )  # fmt: skip


def _check_sum(
    file: str, wide: pl.DataFrame, total: str, parts: list[str], what: str, column: str
) -> None:
    """Within each row a stated `total` must equal the sum of `parts` ('-' counts as 0)."""
    bad = wide.filter(pl.col(total).is_not_null() & (pl.sum_horizontal(parts) != pl.col(total)))
    if bad.height:
        first = bad.sort(ROW).row(0, named=True)
        got = sum(first[p] or 0 for p in parts)
        raise SourceError(
            file, f"{first[total]:,.0f} is not the sum of {what} ({got:,.0f})",
            column=column, row=int(first[ROW]), more=bad.height - 1,
        )  # fmt: skip


class RttCompletedSheet:
    """RTT completed pathways (admitted or non-admitted) by organisation and specialty."""

    name = "rtt_completed_sheet"
    dataset = "rtt"
    description = "RTT completed-pathways (Admitted, NonAdmitted) workbook sheet saved as CSV"

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if not {normalise(KNOWN), normalise(ALL), normalise(">0-1")} <= have:
            return 0.0
        return 1.0 if any(normalise(o[1]) in have for o in ORG_LAYOUTS) else 0.6

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        kind = kind_from(file)
        header, body = read_table(file, data)
        positions = {normalise(h): i for i, h in enumerate(header)}
        layout = next((o for o in ORG_LAYOUTS if normalise(o[1]) in positions), ORG_LAYOUTS[0])
        published = dict(zip(("parent", "org_code", "name"), layout, strict=True))
        published |= {"tfc": TFC, "known": KNOWN, "unknown": UNKNOWN, "all": ALL}
        bands = {f"b{w:03d}": name for w, name in enumerate(band_names(file, set(positions)))}
        published |= bands
        optional = {f"over{t}": c for t, c in OVER.items() if t < len(bands)}
        optional["within"] = WITHIN
        optional["pct"] = PERCENT
        published |= {k: c for k, c in optional.items() if normalise(c) in positions}
        renames = published_columns(file, header, published, self.description)
        raw = body.select(ROW, *renames).rename(renames)
        refuse_cut_blocks(file, raw, TOTALS)
        if not raw.filter(pl.col("tfc").is_in(TOTALS)).height:
            raise SourceError(
                file, f"no all-specialties rows ({', '.join(TOTALS)}); only those are read",
                column=TFC,
            )  # fmt: skip
        counts = [k for k in published if k not in ("parent", "org_code", "name", "tfc", "pct")]
        schema = pa.DataFrameSchema(
            {
                ROW: pa.Column(pl.Int64),
                "org_code": pa.Column(str),
                "name": pa.Column(str),
                "parent": pa.Column(str, nullable=True),
                "tfc": pa.Column(str),
                **{k: count_column() for k in counts},
                **({"pct": fraction_column()} if "pct" in published else {}),
            },
            unique=["org_code", "tfc"],
        )
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, schema, published, EXPECTED)
        period = month_from(file, period_hint)
        wide = raw.with_columns(
            pl.lit(period.first_day()).alias("period"), *(count_expr(k) for k in counts)
        )
        keys = list(bands)
        first, last = bands[keys[0]], bands[keys[-1]]
        within = keys[:18]
        longs = [t for t in OVER if t < len(keys)]
        rules = [
            ("known", keys, f"the weekly bands {first} ... {last}"),
            ("all", ["known", "unknown"], f"the known-clock-start total and {UNKNOWN}"),
            *((f"over{t}", keys[t:], f"the bands {bands[keys[t]]} ... {last}") for t in longs),
            ("within", within, f"the bands {first} ... {bands[within[-1]]}"),
        ]
        for total, parts, what in rules:
            if total in wide.columns:
                with found.gather():
                    _check_sum(file, wide, total, parts, what, published[total])
        found.raise_any()
        sums = {
            f"rtt_{kind}_known": ("known",),
            f"rtt_{kind}_within_18wk": tuple(within),
            f"rtt_{kind}_over_52wk": tuple(keys[52:]),
        }
        basis = "provider" if layout is ORG_LAYOUTS[0] else "commissioner"
        extract = to_extract(
            file, data, self.name, self.dataset, wide.filter(is_total()), sums, scope=kind,
            basis=basis, published=published,
        )  # fmt: skip
        by_part = breakdowns(file, wide.filter(~is_total()), sums)
        notes = parts_warning(file, extract.observations, by_part, extract.columns)
        warnings = (*suppressed(file, raw, counts), *notes)
        return replace(extract, breakdowns=by_part, warnings=warnings)
