"""NHS England's RTT monthly "Full CSV data file": provider x commissioner x specialty x part.

Columns: `Period` (`RTT-September-2025`), provider and commissioner codes and names,
`RTT Part Type` (Part_1A admitted completed, Part_1B non-admitted completed, Part_2
incomplete, Part_2A incomplete with a decision to admit, Part_3 new periods), `Treatment
Function Code`, weekly bands `Gt 00 To 01 Weeks SUM 1` ... `Gt 104 Weeks SUM 1`, `Total`,
`Patients with unknown clock start date` and `Total All`.

Only the all-specialties rows (`C_999`) are used, never the specialty rows added to them.
One month per file: a second Period is refused.
A provider's figures add its rows over commissioners (the provider basis). Incomplete
pathways: the bands add up to `Total All`; completed pathways: the bands add up to `Total`
(known clock start), `Total` + unknown = `Total All`, and the historic 18-week standards use
`Total` as denominator. `Total All` is always published; `Total` and the unknown column are
empty for incomplete pathways and new periods, and an empty band counts as 0.
"""

from __future__ import annotations

from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.periods import MONTH_NAMES
from scorecard.sources.base import Extract
from scorecard.sources.checks import Found, one_month, suppressed
from scorecard.sources.text import (
    ROW,
    ROWS,
    count_expr,
    decode,
    header_score,
    published_columns,
    read_table,
)
from scorecard.sources.tidy import joined_names, to_extract
from scorecard.sources.validation import BLANK_COUNT, count_column

ID_COLUMNS = {
    "period": "Period",
    "parent": "Provider Parent Org Code",
    "org_code": "Provider Org Code",
    "name": "Provider Org Name",
    "commissioner": "Commissioner Org Code",
    "part": "RTT Part Type",
    "tfc": "Treatment Function Code",
}
BANDS = {f"b{w:03d}": f"Gt {w:02d} To {w + 1:02d} Weeks SUM 1" for w in range(104)}
BANDS["b104"] = "Gt 104 Weeks SUM 1"
TAILS = {
    "known": "Total",
    "unknown": "Patients with unknown clock start date",
    "total_all": "Total All",
}
PUBLISHED = {**ID_COLUMNS, **BANDS, **TAILS}
ALL_SPECIALTIES = "C_999"
PARTS = ("Part_1A", "Part_1B", "Part_2", "Part_2A", "Part_3")
REQUIRED_COUNT = r"^([0-9]+|[0-9]{1,3}(,[0-9]{3})+)$"
WEEK_BANDS = "the 105 weekly bands"
_MONTHS = "|".join(m.upper() for m in MONTH_NAMES)
PERIOD_PATTERN = rf"^(?i:RTT)-(?i:{_MONTHS})-[0-9]{{4}}$"
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "period": pa.Column(
            str,
            pa.Check.str_matches(PERIOD_PATTERN, error="expected a period like RTT-April-2025"),
        ),
        "parent": pa.Column(str, nullable=True),
        "org_code": pa.Column(str),
        "name": pa.Column(str, nullable=True),
        "commissioner": pa.Column(str),
        "part": pa.Column(str, pa.Check.isin(PARTS, error=f"expected one of {', '.join(PARTS)}")),
        "tfc": pa.Column(str),
        # Empty bands mean none; Total and the unknown column are empty outside completed
        # pathways (refused empty in a completed-pathway row, by _refuse_blank_totals).
        **{k: count_column(nullable=True) for k in [*BANDS, "known", "unknown"]},
        # Every row states its pathways; an empty or '-' total would drop out of the sums.
        "total_all": pa.Column(
            str,
            pa.Check.str_matches(REQUIRED_COUNT, error="expected a non-negative whole number"),
        ),
    },
    unique=["period", "org_code", "commissioner", "part", "tfc"],
)
EXPECTED = {
    "multiple_fields_uniqueness": (
        "the same provider, commissioner, part and treatment function appear twice"
    )
}
WITHIN_18 = tuple(f"b{w:03d}" for w in range(18))


def _over(weeks: int) -> tuple[str, ...]:
    return tuple(f"b{w:03d}" for w in range(weeks, 105))


def _check_sum(
    file: str, frame: pl.DataFrame, total: str, parts: tuple[str, ...], what: str
) -> None:
    """Within each row a stated `total` must equal the sum of `parts` (empty counts as 0)."""
    bad = frame.filter(
        pl.col(total).is_not_null() & (pl.sum_horizontal(parts) != pl.col(total))
    ).sort(ROW)
    if bad.height:
        first = bad.row(0, named=True)
        got = sum(first[p] or 0 for p in parts)
        raise SourceError(
            file,
            f"{first[total]:,.0f} is not the sum of {what} ({got:,.0f})",
            column=PUBLISHED[total],
            row=int(first[ROW]),
            more=bad.height - 1,
        )


def _refuse_blank_totals(file: str, raw: pl.DataFrame) -> None:
    """A completed-pathway row (Part_1A, Part_1B) states its Total and its unknown-clock-start
    count: empty there, the measure would silently be 0 (incomplete parts leave them empty)."""
    completed = raw.filter(pl.col("part").is_in(["Part_1A", "Part_1B"]))
    found = [
        Problem(file=file, row=int(row), column=PUBLISHED[key], value=None, rule=BLANK_COUNT)
        for key in ("known", "unknown")
        for row in completed.filter(pl.col(key).is_null())[ROW]
    ]
    if found:
        raise SourceError.of(sorted(found, key=lambda p: p.row or 0))


# (part, canonical measure, columns added)
PART_MEASURES = (
    ("Part_2", "rtt_incomplete_total", ("total_all",)),
    ("Part_2", "rtt_incomplete_within_18wk", WITHIN_18),
    ("Part_2", "rtt_incomplete_over_52wk", _over(52)),
    ("Part_2", "rtt_incomplete_over_65wk", _over(65)),
    ("Part_2", "rtt_incomplete_over_78wk", _over(78)),
    ("Part_2", "rtt_incomplete_over_104wk", _over(104)),
    ("Part_1A", "rtt_admitted_known", ("known",)),
    ("Part_1A", "rtt_admitted_within_18wk", WITHIN_18),
    ("Part_1B", "rtt_nonadmitted_known", ("known",)),
    ("Part_1B", "rtt_nonadmitted_within_18wk", WITHIN_18),
)


class RttFullCsv:
    """NHS England's RTT Full CSV data file."""

    name = "rtt_full_csv"
    dataset = "rtt"
    description = (
        "RTT Full CSV data file (Period, Provider Org Code, RTT Part Type, Gt 00 To 01 ...)"
    )

    def match(self, header: list[str]) -> float:
        return header_score(header, PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        # All specialties only (C_999): the specialty rows add up to them, never added again.
        header, body = read_table(file, decode(file, data), (PUBLISHED["tfc"], ALL_SPECIALTIES))
        renames = published_columns(file, header, PUBLISHED, self.description)
        raw = body.select(ROW, *renames).rename(renames)
        raw = raw.filter(pl.col("tfc") == ALL_SPECIALTIES)
        if raw.is_empty():
            raise SourceError(
                file, "no all-specialties rows (C_999); only those are read",
                column=PUBLISHED["tfc"],
            )  # fmt: skip
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, RAW_SCHEMA, PUBLISHED, EXPECTED)
        with found.gather():
            _refuse_blank_totals(file, raw)
        raw = found.without_problem_rows(raw)  # a row refused once is not checked again
        counts = [*BANDS, *TAILS]
        typed = raw.with_columns(
            *(count_expr(k) for k in counts),
            period=pl.col("period")
            .str.to_uppercase()
            .str.extract(r"-([A-Z]+-\d{4})$")
            .str.to_titlecase()
            .str.strptime(pl.Date, "%B-%Y"),
        )
        with found.gather():
            one_month(file, typed, PUBLISHED["period"])
        incomplete = typed.filter(pl.col("part").is_in(["Part_2", "Part_2A"]))
        completed = typed.filter(pl.col("part").is_in(["Part_1A", "Part_1B"]))
        for rows, total, parts, what in (
            (incomplete, "total_all", tuple(BANDS), WEEK_BANDS),
            (completed, "known", tuple(BANDS), WEEK_BANDS),
            (
                completed,
                "total_all",
                ("known", "unknown"),
                "Total and Patients with unknown clock start date",
            ),
        ):
            with found.gather():
                _check_sum(file, rows, total, parts, what)
        found.raise_any()
        # One wide row per provider and month: each part's measures added over commissioners.
        per_part = typed.group_by("period", "org_code", "part").agg(
            pl.col("name").first(),
            pl.col("parent").first(),
            *(pl.col(k).sum() for k in counts),
        )
        wide = (
            per_part.select("period", "org_code", "name", "parent")
            .unique(subset=["period", "org_code"], keep="first")
            .sort("period", "org_code")
        )
        for part, measure, columns in PART_MEASURES:
            wide = wide.join(
                per_part.filter(pl.col("part") == part).select(
                    "period", "org_code", pl.sum_horizontal(columns).alias(measure)
                ),
                on=["period", "org_code"],
                how="left",
            )
        lines = typed.group_by("period", "org_code").agg(pl.col(ROW).alias(ROWS))
        wide = wide.join(lines, on=["period", "org_code"], how="left")
        sums = {measure: (measure,) for _, measure, _ in PART_MEASURES}
        named = {
            measure: f"{joined_names([PUBLISHED[c] for c in columns])}, {part} rows"
            for part, measure, columns in PART_MEASURES
        }
        extract = to_extract(file, data, self.name, self.dataset, wide, sums, published=named)
        return replace(extract, warnings=suppressed(file, raw, counts))
