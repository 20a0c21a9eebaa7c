"""Scorecard -> a tidy table (one row per scorecard row and window) as CSV and Parquet.

Like every renderer this only lays out what the Scorecard holds: values arrive computed
and rated, and are copied unrounded next to their display form. The functions return
bytes; only `write_csv` (kept for callers that want a file) touches the disk.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import polars as pl

from scorecard.formatting import format_value, window_label, window_start
from scorecard.model import Cell, OverTime, Row, Scorecard
from scorecard.render.csv_text import csv_text

THRESHOLDS = "thresholds.toml"
# Column order is the CSV's column order; columns added later go at the end.
COLUMNS: dict[str, pl.DataType] = {
    "indicator_id": pl.String(),
    "indicator_name": pl.String(),
    "org_code": pl.String(),  # the organisation the row monitors
    "org_name": pl.String(),
    "period": pl.String(),  # YYYY-MM of the rated month
    "window": pl.String(),  # month, quarter, ytd
    "window_label": pl.String(),  # e.g. "Q2 2025/26 to date (Jul–Aug 2025)"
    "window_start": pl.String(),  # YYYY-MM
    "months_with_data": pl.Int64(),
    "unit": pl.String(),
    "direction": pl.String(),
    "numerator": pl.Float64(),
    "denominator": pl.Float64(),
    "value": pl.Float64(),  # unrounded, as rated
    "value_display": pl.String(),
    "standard": pl.Float64(),
    "lower_threshold": pl.Float64(),
    "rating": pl.String(),
    "rule": pl.String(),
    "domain": pl.String(),  # empty on a scorecard without domains; a matrix's title
    "scheme": pl.String(),  # standard, plan, four_band, yes_no, none
    "plan": pl.Float64(),  # the plan figure for the same window (scheme = plan)
    "previous_rating": pl.String(),  # the rated window's rating the period before
    "exception": pl.String(),  # why the row is in the exception report, if it is
    "comment": pl.String(),  # the analyst's commentary for the row's month
    "caveats": pl.String(),  # data caveats (revised, partial), joined by " "
    # Provenance: the published files behind the value, their SHA-256 and the rows used
    # (`file:2-4,9`), each list joined by "; "; the definition and the standard in force.
    "source_files": pl.String(),
    "source_sha256": pl.String(),
    "source_rows": pl.String(),
    "definition": pl.String(),  # e.g. indicators/ae.toml#ae_4hr_all_pct
    "definition_sha256": pl.String(),
    "standard_version": pl.String(),  # e.g. thresholds.toml#ae_4hr_all_pct from 2025-04
    "thresholds_sha256": pl.String(),
    # monthly, quarterly or annual: a quarterly row's months_with_data counts quarters
    "frequency": pl.String(),
    "rated_by": pl.String(),  # the window that rates the row (a board's rate_by)
}


def _provenance(card: Scorecard, row: Row, cell: Cell) -> dict[str, str | None]:
    ind, std = row.indicator, cell.rating.standard
    refs = card.provenance.get((ind.id, row.org_code, cell.value.window), ())
    config = {c.file: c.sha256 for c in card.config}
    defined = card.defined_in.get(ind.id)
    return {
        "source_files": "; ".join(r.file for r in refs) or None,
        "source_sha256": "; ".join(r.sha256 for r in refs) or None,
        "source_rows": "; ".join(f"{r.file}:{r.rows}" for r in refs if r.rows) or None,
        "definition": f"{defined}#{ind.id}" if defined else None,
        "definition_sha256": config.get(defined) if defined else None,
        "standard_version": f"{THRESHOLDS}#{ind.id} from {std.start.iso()}" if std else None,
        "thresholds_sha256": config.get(THRESHOLDS) if std else None,
    }


def _record(card: Scorecard, row: Row, cell: Cell, domain: str | None) -> dict[str, Any]:
    ind, v, std = row.indicator, cell.value, cell.rating.standard
    return {
        "indicator_id": ind.id,
        "indicator_name": ind.name,
        "org_code": row.org_code,
        "org_name": row.org_name,
        "period": row.period.iso(),
        "window": v.window.value,
        "window_label": window_label(
            v, position=ind.over_time is OverTime.LATEST, frequency=ind.frequency
        ),
        "window_start": window_start(v).iso(),
        "months_with_data": v.months,
        "unit": ind.unit.value,
        "direction": ind.direction.value,
        "numerator": v.numerator,
        "denominator": v.denominator,
        "value": v.value,
        "value_display": format_value(v.value, ind.unit),
        "standard": std.standard if std else None,
        "lower_threshold": std.lower_threshold if std else None,
        "rating": cell.rating.rating.value,
        "rule": cell.rating.rule,
        "domain": domain,
        "scheme": ind.scheme.value,
        "plan": v.plan,
        "previous_rating": row.previous.value if row.previous else None,
        "exception": row.exception,
        "comment": row.comment,
        "caveats": " ".join(row.caveats) or None,
        **_provenance(card, row, cell),
        "frequency": ind.frequency.value,
        "rated_by": row.rated_by.value,
    }


def scorecard_rows(card: Scorecard) -> pl.DataFrame:
    """Every row's cells for the windows the scorecard shows (card.windows).

    Sorted explicitly: domain order, then row order within it (scorecard order when there
    are no domains), then month, quarter, year to date; then each assurance matrix's
    answers (question by question, organisation by organisation), its title as the domain.
    """
    grouped: list[tuple[str | None, tuple[Row, ...]]] = [(d.name, d.rows) for d in card.domains]
    grouped += [(m.title, m.cells()) for m in card.matrices]  # an assurance matrix's answers
    records = [
        _record(card, row, row.cell(window), domain)
        for domain, rows in (grouped or [(None, card.rows)])
        for row in rows
        for window in card.windows
    ]
    return pl.DataFrame(records, schema=COLUMNS)


def csv_bytes(card: Scorecard, rows: pl.DataFrame | None = None) -> bytes:
    """UTF-8 (no BOM), LF line ends, full-precision values: same card, same bytes.

    Text a spreadsheet would run as a formula is neutralised (`csv_text`); numbers are not.
    `rows` is the card's `scorecard_rows`, when the caller has it already.
    """
    return csv_text(scorecard_rows(card) if rows is None else rows).encode("utf-8")


def parquet_bytes(card: Scorecard, rows: pl.DataFrame | None = None) -> bytes:
    """The same table as Parquet (zstd, statistics on): same card, same bytes.

    Text is kept exactly as it came (Parquet is typed; spreadsheets do not run it)."""
    buffer = io.BytesIO()
    (scorecard_rows(card) if rows is None else rows).write_parquet(buffer, compression="zstd")
    return buffer.getvalue()


def write_csv(card: Scorecard, path: Path) -> None:
    path.write_bytes(csv_bytes(card))
