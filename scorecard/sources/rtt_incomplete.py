"""NHS England's RTT incomplete-pathways workbook sheets (provider or commissioner), as CSV.

Layout: organisation columns (`Region Code, Provider Code, Provider Name` or
`Area Team Code, CCG Code, CCG Name`), `Treatment Function Code`, `Treatment Function`, weekly
bands `>0-1` ... then `52 plus` (to 2016) or `104 plus` (later), `Total number of incomplete
pathways`, `Total within 18 weeks`, `% within 18 weeks`, median and 95th percentile.

Each organisation's figures come from its all-specialties row (`C_999`, or `IP999` before
2016), never from adding the specialty rows; the specialty rows are stored beside them as
the measures' treatment-function parts (scorecard.sources.rtt_parts). In every row the bands
are checked against the totals, the within-18-weeks total may not exceed all pathways, and
`% within 18 weeks` (a fraction, not stored) is checked for form and range (0 to 1). The
median and 92nd percentile wait are worked out from each row's bands (scorecard.rtt_percentiles,
with the convention of the sheet's era: `52 plus` or `104 plus`); the sheet's own median and
95th or 92nd percentile columns are not read. `*`, `-` or `.` for a count not published is
stored as missing, with a warning. The month is not in the sheet body: it comes from
--period or the file name. The workbooks' National, Region and Area Team sheets are this
layout with other id columns (rtt_levels): their parts are stored the same way, but their
median is the one printed (a level's own figure), never worked out here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

import pandera.polars as pa
import polars as pl

from scorecard.errors import SourceError
from scorecard.rtt_percentiles import convention_for
from scorecard.sources.base import LEVEL_SCOPE, Extract
from scorecard.sources.checks import Found, fraction_column, not_above, suppressed
from scorecard.sources.naming import period_from
from scorecard.sources.rtt_parts import (
    CENTILES,
    breakdowns,
    centile_names,
    is_total,
    parts_warning,
    with_centiles,
)
from scorecard.sources.text import ROW, count_expr, normalise, published_columns, read_table
from scorecard.sources.tidy import check_row_sums, to_extract
from scorecard.sources.validation import count_column

ORG_LAYOUTS = (
    ("Region Code", "Provider Code", "Provider Name"),
    ("Area Team Code", "CCG Code", "CCG Name"),
    ("Region Code", "Commissioner Code", "Commissioner Name"),
)
TFC = "Treatment Function Code"
TOTAL = "Total number of incomplete pathways"
WITHIN = "Total within 18 weeks"
PERCENT = "% within 18 weeks"  # a fraction; checked, not stored
ALL_SPECIALTIES = ("C_999", "IP999")
_BAND = re.compile(r"^>(\d+)-(\d+)$")
_OPEN = re.compile(r"^(\d+) plus$")
EXPECTED = {
    "field_uniqueness": "the same organisation and treatment function appear twice",
    "multiple_fields_uniqueness": "the same organisation and treatment function appear twice",
}


def _bands(header: list[str]) -> list[tuple[int, int, str]]:
    """(position, lower week, name) of each weekly band, the open-ended one last."""
    out = []
    for i, name in enumerate(header):
        if (m := _BAND.match(name.strip())) or (m := _OPEN.match(name.strip())):
            out.append((i, int(m.group(1)), name.strip()))
    return out


def _refuse_repeated_bands(file: str, bands: list[tuple[int, int, str]]) -> None:
    seen: dict[int, str] = {}
    for _, week, name in bands:
        if week in seen:
            raise SourceError(
                file,
                f"two weekly bands start at week {week} ('{seen[week]}' and '{name}'); "
                "expected each band once",
                column=name,
                row=1,
            )
        seen[week] = name


def refuse_cut_blocks(file: str, rows: pl.DataFrame, totals: Sequence[str]) -> None:
    """Each organisation's block of treatment-function rows ends with its all-specialties row
    (`totals`): an organisation with rows but none of those was cut short (a file truncated
    at a line break, or rows deleted), and its figures would silently be missing."""
    blocks = rows.group_by("org_code").agg(
        pl.col("tfc").is_in(list(totals)).any().alias("_whole"), pl.col(ROW).max().alias("_last")
    )
    cut = blocks.filter(~pl.col("_whole")).sort("_last")
    if cut.height:
        first = cut.row(0, named=True)
        raise SourceError(
            file,
            f"{first['org_code']} has treatment-function rows but no all-specialties row "
            f"({' or '.join(dict.fromkeys(totals))}) after them; each organisation's rows end "
            "with one, so the file looks cut short (truncated) or edited",
            column=TFC,
            row=int(first["_last"]),
        )


class RttIncompleteSheet:
    """RTT incomplete pathways by provider or commissioner and treatment function."""

    name = "rtt_incomplete_sheet"
    dataset = "rtt"
    description = "RTT incomplete-pathways workbook sheet saved as CSV (>0-1 ... weekly bands)"
    scope = ""  # a level's own sheet (rtt_levels) is a publication of that level

    def id_columns(self, header: list[str]) -> dict[str, str]:
        """The sheet's organisation columns as published: parent, org_code and name."""
        have = {normalise(h) for h in header}
        layout = next((o for o in ORG_LAYOUTS if normalise(o[1]) in have), ORG_LAYOUTS[0])
        return dict(zip(("parent", "org_code", "name"), layout, strict=True))

    def identify(self, raw: pl.DataFrame) -> pl.DataFrame:
        """The rows with every id column (a level's sheet supplies those it does not print)."""
        return raw

    def basis(self, file: str, named: dict[str, str]) -> str:
        return "provider" if named["org_code"] == ORG_LAYOUTS[0][1] else "commissioner"

    def works_out_centiles(self) -> bool:
        """Organisations' centiles come from their bands; a level's sheet (rtt_levels) stores
        the median it prints instead."""
        return not self.scope.startswith(LEVEL_SCOPE)

    def match(self, header: list[str]) -> float:
        have = {normalise(h) for h in header}
        if normalise(TOTAL) not in have or not _bands(header):
            return 0.0
        return 1.0 if any(normalise(o[1]) in have for o in ORG_LAYOUTS) else 0.6

    def parse(self, file: str, data: bytes, period_hint: str | None) -> Extract:
        header, body = read_table(file, data)
        positions = {normalise(h): i for i, h in enumerate(header)}
        named = self.id_columns(header)
        named |= {"tfc": TFC, "total": TOTAL, "within": WITHIN}
        if normalise(PERCENT) in positions:
            named["pct"] = PERCENT
        renames = published_columns(file, header, named, self.description)
        bands = _bands(header)
        _refuse_repeated_bands(file, bands)
        band_keys = {f"c{i}": f"b{week:03d}" for i, week, _ in bands}
        published = dict(named)
        published |= {f"b{week:03d}": name for _, week, name in bands}
        raw = self.identify(body.select(ROW, *renames, *band_keys).rename(renames | band_keys))
        refuse_cut_blocks(file, raw, ALL_SPECIALTIES)
        counts = ["total", "within", *band_keys.values()]
        schema = pa.DataFrameSchema(
            {
                ROW: pa.Column(pl.Int64),
                "org_code": pa.Column(str),
                "name": pa.Column(str),
                "parent": pa.Column(str, nullable=True),
                "tfc": pa.Column(str),
                **{k: count_column() for k in counts},
                **({"pct": fraction_column()} if "pct" in named else {}),
            },
            unique=["org_code", "tfc"],
        )
        found = Found()  # every problem of the file in one pass
        raw = found.valid_rows(file, raw, schema, published, EXPECTED)
        period = period_from(file, period_hint)
        wide = raw.with_columns(
            pl.lit(period.first_day()).alias("period"), *(count_expr(k) for k in counts)
        )
        weeks = [(week, f"b{week:03d}") for _, week, _ in bands]
        within = tuple(k for week, k in weeks if week < 18)
        with found.gather():
            not_above(file, wide, [("within", "total")], published)
        with found.gather():
            check_row_sums(
                file, wide, [("total", tuple(k for _, k in weeks)), ("within", within)], published
            )
        found.raise_any()
        sums: dict[str, tuple[str, ...]] = {
            "rtt_incomplete_total": ("total",),
            "rtt_incomplete_within_18wk": within,
        }
        last = weeks[-1][0]  # the open-ended band starts here
        for threshold in (52, 65, 78, 104):
            if threshold <= last:
                name = f"rtt_incomplete_over_{threshold}wk"
                sums[name] = tuple(k for week, k in weeks if week >= threshold)
        additive = dict(sums)
        if self.works_out_centiles():
            wide = with_centiles(wide, [k for _, k in weeks], convention_for(last))
            sums |= {name: (name,) for name in CENTILES}
            published |= centile_names(bands[0][2], bands[-1][2])
        whole = wide.filter(is_total())
        extract = to_extract(
            file, data, self.name, self.dataset, whole, sums, scope=self.scope,
            basis=self.basis(file, named), published=published,
        )  # fmt: skip
        parts = breakdowns(file, wide.filter(~is_total()), sums)
        named_sums = {m: extract.columns[m] for m in additive}
        notes = parts_warning(file, extract.observations, parts, named_sums)
        return replace(extract, breakdowns=parts, warnings=(*suppressed(file, raw, counts), *notes))
