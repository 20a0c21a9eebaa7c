"""Domain narratives: each domain's short self-assessment for a month, from the board's files.

A board names its narrative files (`narratives = "scorecards/trust-board/narratives.csv"`,
or a list of files; paths relative to the configuration folder). Each is a CSV file or the
first sheet of an .xlsx workbook with the header `Domain,Period,Narrative` (read like every
table a board names, scorecard.board_tables), a row per domain and month:

* `Domain`: a domain of the board, by its name or `id`.
* `Period`: the month, as a local-measures file writes it (`2025-09`, `Sep-25`, `September
  2025`).
* `Narrative`: the text, with the limited Markdown commentary allows (**bold**, *italic*,
  `- ` bullets, line breaks); everything else is shown as typed.

A domain has at most one narrative a month, over all the files. The board shows its month's
narrative under each domain's heading in the domain summary. Read when the board is built,
never stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandera.polars as pa
import polars as pl

from scorecard.board_tables import read_board_table
from scorecard.errors import Problem, SourceError
from scorecard.model import SourceRef
from scorecard.periods import Month
from scorecard.sources.checks import Found
from scorecard.sources.local_periods import PERIOD_EXPECTED, parse_period
from scorecard.sources.text import ROW

PUBLISHED = {"domain": "Domain", "period": "Period", "narrative": "Narrative"}
WHAT = "domain narrative file (Domain, Period, Narrative)"
Narratives = dict[tuple[str, Month], str]  # (domain name, month) -> narrative
_NAMED = pl.col("domain").str.replace_all(r"\s+", " ").str.strip_chars().str.to_lowercase()


def _month(text: str) -> str | None:
    """The month a narrative is for (a quarter's or year's narrative: its last month)."""
    parsed = parse_period(text)
    return parsed[0].iso() if parsed else None


def _schema(domains: Mapping[str, str | None], listed: str) -> pa.DataFrameSchema:
    known = sorted(k for k, name in domains.items() if name is not None)
    return pa.DataFrameSchema(
        {
            ROW: pa.Column(pl.Int64),
            "domain": pa.Column(
                str,
                pa.Check(
                    lambda d: d.lazyframe.select(_NAMED.is_in(known)),
                    error=f"expected a domain of the board ({listed})",
                ),
            ),
            "period": pa.Column(
                str,
                pa.Check(
                    lambda d: d.lazyframe.select(
                        pl.col("period").map_elements(_month, pl.String).is_not_null()
                    ),
                    error=PERIOD_EXPECTED,
                ),
            ),
            "narrative": pa.Column(str),
        }
    )


def parse_narratives(
    file: str, data: bytes, domains: Mapping[str, str | None], listed: str
) -> dict[tuple[str, Month], tuple[str, int]]:
    """Pure: one file's narratives, (domain name, month) -> (text, row). `domains` is
    board_tables.domain_names of the board, `listed` its domains as errors list them."""
    file, raw = read_board_table(file, data, PUBLISHED, WHAT)
    found = Found()
    good = found.valid_rows(file, raw, _schema(domains, listed), PUBLISHED)
    out: dict[tuple[str, Month], tuple[str, int]] = {}
    for row in good.iter_rows(named=True):
        name = domains[" ".join(row["domain"].split()).lower()]
        parsed = parse_period(row["period"])
        assert name is not None and parsed is not None  # the schema checked both
        month = parsed[0]
        key, at = (name, month), int(row[ROW])
        if key in out:
            found.problems.append(
                Problem(file, at, "Period", None, _twice(name, month, f"row {out[key][1]}"))
            )
            continue
        out[key] = (row["narrative"], at)
    found.raise_any()
    return out


def load_narratives(
    files: Sequence[tuple[str, Path]], domains: Mapping[str, str | None], listed: str
) -> tuple[Narratives, tuple[SourceRef, ...]]:
    """Every narrative of the board's files, and the files read (with their SHA-256); a
    domain and month given twice is refused."""
    every: dict[tuple[str, Month], tuple[str, str, int]] = {}
    refs = []
    for label, path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SourceError(label, f"cannot be read ({exc.strerror or exc})") from None
        refs.append(SourceRef(label, hashlib.sha256(data).hexdigest()))
        for key, (text, row) in parse_narratives(label, data, domains, listed).items():
            if key in every:
                _, first, at = every[key]
                raise SourceError(
                    label, _twice(*key, f"{first}, row {at}"), column="Period", row=row
                )
            every[key] = (text, label, row)
    return {key: text for key, (text, _, _) in every.items()}, tuple(refs)


def _twice(domain: str, month: Month, where: str) -> str:
    return f"a second narrative for {domain} in {month.label()} (the first is {where})"
