"""NHS England's RTT monthly "Full CSV data file": provider x commissioner x specialty x part.

Columns: `Period` (`RTT-September-2025`), provider and commissioner codes and names,
`RTT Part Type` (Part_1A admitted completed, Part_1B non-admitted completed, Part_2
incomplete, Part_2A incomplete with a decision to admit, Part_3 new periods), `Treatment
Function Code`, weekly bands `Gt 00 To 01 Weeks SUM 1` ... `Gt 104 Weeks SUM 1`, `Total`,
`Patients with unknown clock start date` and `Total All`.

A provider's figures come from its all-specialties rows (`C_999`), never from the specialty
rows added up; the specialty rows of the parts stored (Part_1A, Part_1B, Part_2) are stored
beside them as the treatment-function parts (scorecard.sources.rtt_parts), added over
commissioners like the whole; Part_2A and Part_3 specialty rows are not read. The incomplete
pathways' median and 92nd percentile wait are worked out from the provider's Part_2 bands
added over commissioners (scorecard.rtt_percentiles, September 2025 convention), for the
whole and each specialty. One month per file: a second Period is refused.
A provider's figures add its rows over commissioners (the provider basis); it is named as
its first row in the file names it, should its rows spell its name differently. Incomplete
pathways: the bands add up to `Total All`; completed pathways: the bands add up to `Total`
(known clock start), `Total` + unknown = `Total All`, and the historic 18-week standards use
`Total` as denominator. `Total All` is always published; `Total` and the unknown column are
empty for incomplete pathways and new periods, and an empty band counts as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.periods import MONTH_NAMES
from scorecard.rtt_percentiles import SEPTEMBER_2025
from scorecard.sources.base import Extract
from scorecard.sources.checks import Found, one_month, suppressed
from scorecard.sources.fast_check import passes
from scorecard.sources.rtt_parts import (
    CENTILES,
    breakdowns,
    centile_names,
    parts_warning,
    with_centiles,
)
from scorecard.sources.text import (
    ROW,
    ROWS,
    count_exprs,
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
COUNTS = (*BANDS, *TAILS)
# RAW_SCHEMA with the counts read as numbers (read_table(typed=True)): a plain whole number
# or blank is what their text checks allow, so only their nullability is left to check.
NUMBERED_SCHEMA = RAW_SCHEMA.update_columns(
    {key: {"dtype": pl.UInt32, "checks": []} for key in COUNTS}
)
EXPECTED = {
    "multiple_fields_uniqueness": (
        "the same provider, commissioner, part and treatment function appear twice"
    )
}
WITHIN_18 = tuple(f"b{w:03d}" for w in range(18))


def _over(weeks: int) -> tuple[str, ...]:
    return tuple(f"b{w:03d}" for w in range(weeks, 105))


# (parts, total, cells, what): within each row of `parts` a stated `total` must equal the
# sum of `cells` (empty counts as 0).
SUM_RULES = (
    (("Part_2", "Part_2A"), "total_all", tuple(BANDS), WEEK_BANDS),
    (("Part_1A", "Part_1B"), "known", tuple(BANDS), WEEK_BANDS),
    (
        ("Part_1A", "Part_1B"),
        "total_all",
        ("known", "unknown"),
        "Total and Patients with unknown clock start date",
    ),
)


def _added(cells: tuple[str, ...]) -> pl.Expr:
    """The sum of `cells` as floats (as the counts are added everywhere), empty as 0."""
    return pl.sum_horizontal(pl.col(cells).cast(pl.Float64))


def _check_sums(file: str, found: Found, frame: pl.DataFrame) -> None:
    """Every rule of SUM_RULES, asked of every row in one pass (each sum worked out once);
    the rows that break one are reported as _check_sum reports them, rule by rule."""
    added = {cells: f"_sum{i}" for i, cells in enumerate({c: 0 for _, _, c, _ in SUM_RULES})}
    totals = sorted({total for _, total, _, _ in SUM_RULES})
    sums = frame.select("part", *totals, *(_added(c).alias(n) for c, n in added.items()))
    breaks = [
        pl.col("part").is_in(parts)
        & pl.col(total).is_not_null()
        & (pl.col(added[cells]) != pl.col(total))
        for parts, total, cells, _ in SUM_RULES
    ]
    if not sums.select(pl.any_horizontal(breaks).any()).item():
        return
    for parts, total, cells, what in SUM_RULES:
        with found.gather():
            _check_sum(file, frame, list(parts), total, cells, what)


def _check_sum(
    file: str, frame: pl.DataFrame, parts: list[str], total: str, cells: tuple[str, ...], what: str
) -> None:
    """Within each row of `parts` a stated `total` must equal the sum of `cells` (empty
    counts as 0)."""
    bad = frame.filter(
        pl.col("part").is_in(parts) & pl.col(total).is_not_null() & (_added(cells) != pl.col(total))
    ).sort(ROW)
    if bad.height:
        first = bad.row(0, named=True)
        got = sum(float(first[p] or 0) for p in cells)  # (the counts as floats)
        raise SourceError(
            file,
            f"{float(first[total]):,.0f} is not the sum of {what} ({got:,.0f})",
            column=PUBLISHED[total],
            row=int(first[ROW]),
            more=bad.height - 1,
        )


def _refuse_blank_totals(file: str, raw: pl.DataFrame) -> None:
    """A completed-pathway row (Part_1A, Part_1B) states its Total and its unknown-clock-start
    count: empty there, the measure would silently be 0 (incomplete parts leave them empty)."""
    completed = raw.select(ROW, "part", "known", "unknown").filter(
        pl.col("part").is_in(["Part_1A", "Part_1B"])
    )
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
    ("Part_1A", "rtt_admitted_over_52wk", _over(52)),
    ("Part_1B", "rtt_nonadmitted_over_52wk", _over(52)),
)
STORED_PARTS = sorted({part for part, _, _ in PART_MEASURES})  # their specialty rows are read


FIRST_ROW = "_first_row"  # the file's line of a provider's part's first row


def _per_part(typed: pl.DataFrame) -> pl.DataFrame:
    """One row per provider, treatment function, part and month: its rows added over
    commissioners (the counts as floats), with the first row's name and parent and line."""
    return typed.group_by("period", "org_code", "tfc", "part").agg(
        pl.col("name").first(),
        pl.col("parent").first(),
        pl.col(ROW).min().alias(FIRST_ROW),
        *(pl.col(k).cast(pl.Float64).sum() for k in COUNTS),
    )


def _measures(per_part: pl.DataFrame, keys: tuple[str, ...]) -> pl.DataFrame:
    """One row per provider (and `keys`) and month, from _per_part's rows: each part's
    measures, and the centiles of the Part_2 bands."""
    by = ["period", "org_code", *keys]
    # Named as the provider's first row names it, whichever part that row is of (its parts
    # may spell it differently; _per_part's rows come in no fixed order).
    wide = (
        per_part.select(*by, "name", "parent", FIRST_ROW)
        .sort(FIRST_ROW)
        .unique(subset=by, keep="first", maintain_order=True)
        .sort(by)
        .drop(FIRST_ROW)
    )
    for part in STORED_PARTS:  # one join a part, with each of its measures
        wide = wide.join(
            per_part.filter(pl.col("part") == part).select(
                *by,
                *(pl.sum_horizontal(c).alias(m) for p, m, c in PART_MEASURES if p == part),
            ),
            on=by,
            how="left",
        )
    wide = wide.select(*by, "name", "parent", *(m for _, m, _ in PART_MEASURES))
    waiting = with_centiles(
        per_part.filter(pl.col("part") == "Part_2"), list(BANDS), SEPTEMBER_2025
    )
    return wide.join(waiting.select(*by, *CENTILES), on=by, how="left")


def _by_specialty(
    file: str, per_part: pl.DataFrame, measured: Mapping[str, tuple[str, ...]]
) -> pl.DataFrame | None:
    """The treatment-function parts (rtt_parts.breakdowns) from _per_part's specialty rows,
    or None when the file has none."""
    specialties = per_part.filter(pl.col("tfc") != ALL_SPECIALTIES)
    if not specialties.height:
        return None
    return breakdowns(file, _measures(specialties, ("tfc",)), measured)


def _period(frame: pl.DataFrame) -> pl.Expr:
    """`RTT-September-2025` as the month's first day (worked out once for each period text
    of `frame`, the same in every row of a month's file)."""
    texts = frame.get_column("period").unique()
    dates = texts.to_frame().select(
        pl.col("period")
        .str.to_uppercase()
        .str.extract(r"-([A-Z]+-\d{4})$")
        .str.to_titlecase()
        .str.strptime(pl.Date, "%B-%Y")
    )
    return pl.col("period").replace_strict(texts, dates.to_series(), return_dtype=pl.Date)


class RttFullCsv:
    """NHS England's RTT Full CSV data file."""

    name = "rtt_full_csv"
    dataset = "rtt"
    description = (
        "RTT Full CSV data file (Period, Provider Org Code, RTT Part Type, Gt 00 To 01 ...)"
    )

    def match(self, header: list[str]) -> float:
        return header_score(header, PUBLISHED)

    def _rows(self, file: str, data: bytes, *, typed: bool) -> pl.DataFrame:
        """The all-specialties rows (C_999) and the specialty rows of the parts stored; with
        `typed`, the counts read as numbers when they all can be (read_table)."""
        keep = [(PUBLISHED["tfc"], [ALL_SPECIALTIES]), (PUBLISHED["part"], STORED_PARTS)]
        counts = [PUBLISHED[c] for c in COUNTS]
        header, body = read_table(file, data, keep, counts, typed=typed, only=PUBLISHED.values())
        renames = published_columns(file, header, PUBLISHED, self.description)
        # (the header has both columns, so read_table kept only the rows named)
        raw = body.select(ROW, *renames).rename(renames)
        if not raw.select((pl.col("tfc") == ALL_SPECIALTIES).any()).item():
            raise SourceError(
                file, "no all-specialties rows (C_999), which the figures come from",
                column=PUBLISHED["tfc"],
            )  # fmt: skip
        return raw

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        counts = list(COUNTS)
        found = Found()  # every problem of the file in one pass
        raw = self._rows(file, data, typed=True)
        dtypes = raw.schema  # (built anew at each call)
        numbered = [dtypes[c] == pl.UInt32 for c in counts]
        if all(numbered) and passes(raw, NUMBERED_SCHEMA):
            # Every count cell read as a plain whole number and every other rule met, so
            # nothing is suppressed (no *, - or .): the counts are added as floats as they
            # are (_per_part, _added), not cast here.
            counted = []
        else:
            if any(numbered):  # a rule not met: the rows checked as text, for the report
                raw = self._rows(file, data, typed=False)
            raw = found.valid_rows(file, raw, RAW_SCHEMA, PUBLISHED, EXPECTED)
            counted = count_exprs(raw, counts)
        with found.gather():
            _refuse_blank_totals(file, raw)
        raw = found.without_problem_rows(raw)  # a row refused once is not checked again
        typed = raw.with_columns(*counted, period=_period(raw))
        with found.gather():
            one_month(file, typed, PUBLISHED["period"])
        _check_sums(file, found, typed)
        found.raise_any()
        per_part = _per_part(typed)
        sums = {measure: (measure,) for _, measure, _ in PART_MEASURES}
        measured = {**sums, **{m: (m,) for m in CENTILES}}
        named = {
            measure: f"{joined_names([PUBLISHED[c] for c in columns])}, {part} rows"
            for part, measure, columns in PART_MEASURES
        }
        first, last = BANDS["b000"], BANDS["b104"]
        named |= {m: f"{text}, Part_2 rows" for m, text in centile_names(first, last).items()}
        # The specialty breakdowns are worked out beside the providers' figures (polars lets
        # go of the interpreter lock): each is one core's work for much of its time.
        with ThreadPoolExecutor(1) as pool:
            beside = pool.submit(_by_specialty, file, per_part, measured)
            wide = _measures(per_part.filter(pl.col("tfc") == ALL_SPECIALTIES), ())
            lines = (
                typed.lazy()
                .filter(pl.col("tfc") == ALL_SPECIALTIES)
                .group_by("period", "org_code")
                .agg(pl.col(ROW).alias(ROWS))
                .collect()
            )
            wide = wide.join(lines, on=["period", "org_code"], how="left")
            extract = to_extract(
                file, data, self.name, self.dataset, wide, measured, published=named
            )
            by_part = beside.result()
        notes = parts_warning(file, extract.observations, by_part, {m: named[m] for m in sums})
        warnings = (*suppressed(file, raw, counts), *notes)
        return replace(extract, breakdowns=by_part, warnings=warnings)
