"""The local-measures file: an organisation's own figures, which NHS England does not publish.

Board scorecards carry measures analysts keep in a spreadsheet: infection counts, finance and
activity against plan, the Friends & Family Test, yes/no assurance questions. This is the one
layout read here that is not NHS England's: a CSV file, or a sheet of an .xlsx workbook, with
one row per indicator, organisation and period (a month, quarter or year) under the header

    Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment

(columns in any order, names compared without case, other columns ignored, empty lines skipped).

* `Indicator`: a local indicator's lower_snake_case id (`mrsa_cases`). `ingest` and `check`
  hold each row to the catalogue (--config; scorecard.sources.catalogued): an id no local
  indicator has is refused with the closest ids, as are figures the indicator does not read
  and a percentage's Numerator above its Denominator.
* `Org Code`: an ODS code, 3 to 6 letters and digits (upper-cased).
* `Period`: the month, `2025-04`; also `Apr-25`, `Apr 2025`, `April 2025` or an Excel date on
  the 1st (`2025-04-01`); a financial quarter, `2025-Q2` or `Q2 2025/26` (Q1 = April to June),
  for a quarterly indicator; a financial year, `2025/26`, for an annual one. Nothing else
  (`04/2025`, `Sept 25`, the 15th) is guessed at. A quarter or year is stored once, at its
  last month (scorecard.sources.local_periods); a quarter row beside an indicator's months is
  that quarter's own figure (a percentage entered as a percentage only).
* `Value`, or `Numerator` and `Denominator` (a percentage's parts, which add up over months and
  organisations): a row gives one or the other, never both, and an indicator the same one on
  every row. A yes/no answer is `Yes` or `No` in `Value`, stored as 1 or 0. Numbers may have
  thousands separators and decimals; `Value` and `Plan` may be negative (a deficit); a `£` or
  `%` sign is refused (write money in the indicator's unit, such as £000s, and a percentage
  as a plain number: `87.5` in Value for an indicator defined as a percentage entered as a
  percentage, or its numerator and denominator). A Numerator needs a Denominator above 0;
  neither is negative.
* `Plan`: optional, the month's plan or trajectory for the figure.
* `Comment`: optional free text, stored with the figures as written and never interpreted.

Figures are stored as measures named after the indicator (`<indicator>_value`, `_numerator`,
`_denominator`, `_plan`), dataset `local`, on a "provider" basis: a local return is per
organisation as reported, never re-attributed to commissioners. The file names no one, so each
organisation is named by its code (the store prefers a real name from another data file).

Months and scope: a file may hold many months; one publication is kept per dataset, scope and
month. A local file's scope is its own name without the extension (and with the sheet, for a
workbook sheet: `board [Finance]`). So a corrected `finance.csv` replaces the months it holds,
while `infections.csv` and `finance.csv` for the same months are both kept, rather than the
second silently replacing the first; and two files holding the same figure (indicator,
organisation, month) are refused by the store, naming both: one figure, one source. Keep a
file's name when you issue a new version of it.

Negative values: ObservationSchema's `value >= 0` is right for NHS England's counts and stays.
Local values and plans can be below zero, so this adapter checks its frame with
LocalObservationSchema (the same without that bound) and builds its Extract itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import pandera.polars as pa
import polars as pl

from scorecard.errors import Problem, SourceError
from scorecard.measures import LOCAL, LOCAL_PARTS
from scorecard.sources.base import (
    CommentSchema,
    Extract,
    MeasureRowsSchema,
    ObservationSchema,
    OrgSchema,
    empty_frame,
)
from scorecard.sources.catalogued import rows_frame
from scorecard.sources.checks import Found
from scorecard.sources.encoding import sha256
from scorecard.sources.local_periods import (
    OWN_PART,
    PERIOD_EXPECTED,
    check_own_rows,
    own_rows,
    with_periods,
)
from scorecard.sources.text import ROW, header_score, published_columns, read_table
from scorecard.sources.tidy import row_ranges
from scorecard.sources.validation import check_result

HEADER = ("Indicator", "Org Code", "Period", "Value", "Numerator", "Denominator", "Plan", "Comment")
PUBLISHED = {name.lower().replace(" ", "_"): name for name in HEADER}  # org_code: Org Code
NAMES = {**PUBLISHED, "month": "Period", "form": "Period"}  # parsed: reported as its column
_NUMBER = r"-?([0-9]+|[0-9]{1,3}(,[0-9]{3})+)(\.[0-9]+)?([eE][-+]?[0-9]+)?"
_YES_NO = r"(?i)^(yes|no)$"
_SIGN = r"[£%$€]"


def _rule(test: Callable[[pl.Expr], pl.Expr], error: str) -> pa.Check:
    """A check of a cell (and, through pl.col, of its row); a null result passes."""
    return pa.Check(lambda d: d.lazyframe.select(test(pl.col(d.key))), error=error)


def _parsed(column: pl.Expr) -> pl.Expr:
    """A number cell as a float (thousands separators removed), Yes 1 and No 0; else null."""
    yes_no = column.str.contains(_YES_NO)
    number = column.str.replace_all(",", "").cast(pl.Float64, strict=False)
    return (
        pl.when(yes_no)
        .then((column.str.to_lowercase() == "yes").cast(pl.Float64))
        .otherwise(number)
    )


def _number(pattern: str, error: str, *rules: pa.Check) -> pa.Column:
    """An optional number cell: a £ or % sign is reported as such, other bad shapes as `error`."""
    sign = _rule(lambda c: ~c.str.contains(_SIGN), "expected a plain number, without a £ or % sign")
    shape = _rule(lambda c: c.str.contains(_SIGN) | c.str.contains(f"^({pattern})$"), error)
    return pa.Column(str, checks=[sign, shape, *rules], nullable=True)


_NUM, _DEN = pl.col("numerator"), pl.col("denominator")
_UNSIGNED, _UNSIGNED_EXPECTED = _NUMBER.removeprefix("-?"), "expected a number, not negative"
_EITHER = "expected a Value, or a Numerator and Denominator"
RAW_SCHEMA = pa.DataFrameSchema(
    {
        ROW: pa.Column(pl.Int64),
        "indicator": pa.Column(
            str, pa.Check.str_matches(r"^[a-z][a-z0-9_]*$", error="expected an id like mrsa_cases")
        ),
        "org_code": pa.Column(
            str, pa.Check.str_matches(r"^[A-Z0-9]{3,6}$", error="expected an ODS code")
        ),
        "period": pa.Column(
            str, _rule(lambda c: c.is_null() | pl.col("month").is_not_null(), PERIOD_EXPECTED)
        ),
        "month": pa.Column(pl.Date, nullable=True),
        "form": pa.Column(str, nullable=True),
        "value": _number(
            f"{_NUMBER}|(?i:yes|no)",
            "expected a number (like -1,234.5) or Yes/No",
            _rule(
                lambda c: c.is_null() | (_NUM.is_null() & _DEN.is_null()), f"{_EITHER}, not both"
            ),
            _rule(lambda c: c.is_not_null() | _NUM.is_not_null() | _DEN.is_not_null(), _EITHER),
        ),
        "numerator": _number(
            _UNSIGNED,
            _UNSIGNED_EXPECTED,
            _rule(
                lambda c: c.is_not_null() | _DEN.is_null(),
                "expected a Numerator: the row gives a Denominator",
            ),
        ),
        "denominator": _number(
            _UNSIGNED,
            _UNSIGNED_EXPECTED,
            _rule(
                lambda c: c.is_not_null() | _NUM.is_null(),
                "expected a Denominator: the row gives a Numerator",
            ),
            _rule(lambda c: _parsed(c) != 0, "expected a Denominator above 0"),
        ),
        "plan": _number(_NUMBER, "expected a number (like -1,234.5)"),
        "comment": pa.Column(str, nullable=True),
    },
    unique=["indicator", "org_code", "month", "form"],
)
_DUPLICATE = "duplicate row: the Indicator, Org Code and Period of a row above"
EXPECTED = {"multiple_fields_uniqueness": _DUPLICATE}


def read_monthly_rows(
    file: str, data: bytes, published: Mapping[str, str], layout: str
) -> pl.DataFrame:
    """A file of one row per indicator, organisation and period, as text, before validation.

    Org codes are upper-cased and `Period` is parsed into a `month` date, the period's last
    month, and its `form` (month, quarter or year; both null when it is no period, for the
    schema to report: scorecard.sources.local_periods). Shared with the commentary file.
    """
    header, body = read_table(file, data)
    renames = published_columns(file, header, published, layout)
    if not body.height:
        raise SourceError(file, "no rows below the header", row=2)
    raw = body.select(ROW, *renames).rename(renames)
    return with_periods(raw.with_columns(pl.col("org_code").str.to_uppercase()))


class LocalObservationSchema(ObservationSchema):
    """ObservationSchema for dataset `local`: a value may be negative (a deficit, its plan)."""

    value: pl.Float64 = pa.Field(nullable=False)


def _scope(file: str) -> str:
    """The file's own name without its extension, keeping a workbook sheet: `board [Finance]`."""
    name, bracket, sheet = file.partition(" [")
    return Path(name).stem + (bracket + sheet if bracket else "")


def _check_forms(file: str, raw: pl.DataFrame) -> None:
    """An indicator gives its figures one way on every row (a number, Yes/No, or a ratio)."""
    form = (
        pl.when(pl.col("value").is_null())
        .then(pl.lit("a Numerator and Denominator"))
        .when(pl.col("value").str.contains(_YES_NO))
        .then(pl.lit("Yes or No in Value"))
        .otherwise(pl.lit("a number in Value"))
    )
    framed = raw.with_columns(form=form).with_columns(
        first=pl.col("form").first().over("indicator"),
        first_row=pl.col(ROW).first().over("indicator"),
    )
    problems = [
        Problem(
            file,
            int(row[ROW]),
            "Value" if row["value"] is not None else "Numerator",
            None,
            f"expected {row['first']}, as on row {row['first_row']} for {row['indicator']}; "
            "an indicator gives its figures the same way on every row",
        )
        for row in framed.filter(pl.col("form") != pl.col("first")).iter_rows(named=True)
    ]
    if problems:
        raise SourceError.of(problems)


class LocalMeasures:
    """The organisation's own figures, one row per indicator, organisation and month."""

    name = "local_measures"
    dataset = LOCAL
    description = "local measures file (Indicator, Org Code, Period, Value, Numerator, ...)"

    def match(self, header: list[str]) -> float:
        return header_score(header, PUBLISHED)

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        """The file names its own months: --period (and a workbook's title) is not used."""
        raw = read_monthly_rows(file, data, PUBLISHED, self.description)
        found = Found()  # every problem of the file in one pass
        raw = own_rows(found.valid_rows(file, raw, RAW_SCHEMA, NAMES, EXPECTED))
        with found.gather():
            _check_forms(file, raw)
        with found.gather():
            check_own_rows(file, raw)
        checkable = rows_frame(
            raw.with_columns(
                _parsed(pl.col(p)).alias(p) for p in ("value", "numerator", "denominator")
            )
        )
        try:
            found.raise_any()
        except SourceError as exc:  # the rows without problems, for the catalogue's checks
            exc.partial = (_rows_only(file, self.name, data, checkable),)
            raise
        figures = raw.select(
            pl.col("month").alias("period"),
            "org_code",
            "indicator",
            ROW,
            "own",
            "form",
            *(_parsed(pl.col(part)).alias(part) for part in LOCAL_PARTS),
        )
        long = (
            figures.unpivot(
                index=["period", "org_code", "indicator", ROW, "own", "form"],
                variable_name="part",
                value_name="x",
            )
            .drop_nulls("x")
            .with_columns(  # a window's own figure: <id>_quarter_value (local_periods)
                part=pl.when(pl.col("own"))
                .then(pl.col("form").replace_strict(OWN_PART, default=None))
                .otherwise(pl.col("part"))
            )
            .with_columns(measure=pl.col("indicator") + "_" + pl.col("part"))
            .sort("period", "org_code", "measure")
        )
        obs = long.select("period", "org_code", "measure", value=pl.col("x"))
        # Each measure's own line (one row per indicator, organisation and month), so a
        # figure names the row it came from rather than every row of its organisation.
        lines = long.select("period", "org_code", "measure", rows=pl.col(ROW).cast(pl.String))
        orgs = (
            raw.group_by(pl.col("month").alias("period"), "org_code")
            .agg(pl.col(ROW))
            .select(
                "period",
                "org_code",
                org_name=pl.col("org_code"),
                parent_name=pl.lit(None, pl.String),
                rows=pl.col(ROW).map_elements(lambda r: row_ranges(list(r)), pl.String),
            )
            .sort("period", "org_code")
        )
        comments = (  # a month's and its quarter's (year's) own comments, in row order
            raw.filter(pl.col("comment").is_not_null())
            .sort(ROW)
            .group_by(pl.col("month").alias("period"), "org_code", "indicator", maintain_order=True)
            .agg(pl.col("comment").str.join("\n\n"))
            .rename({"indicator": "indicator_id"})
            .sort("period", "org_code", "indicator_id")
        )
        return Extract(
            file=file,
            format=self.name,
            dataset=self.dataset,
            sha256=sha256(data),
            observations=check_result(file, obs, LocalObservationSchema),
            orgs=check_result(file, orgs, OrgSchema),
            scope=_scope(file),
            basis="provider",
            comments=check_result(file, comments, CommentSchema),
            indicator_rows=checkable,
            measure_rows=check_result(file, lines, MeasureRowsSchema),
        )


def _rows_only(file: str, fmt: str, data: bytes, rows: pl.DataFrame) -> Extract:
    """An extract holding only a file's indicator rows (no figures stored from it)."""
    return Extract(
        file=file,
        format=fmt,
        dataset=LOCAL,
        sha256=sha256(data),
        observations=empty_frame(ObservationSchema),
        orgs=empty_frame(OrgSchema),
        indicator_rows=rows,
    )
