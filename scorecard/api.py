"""The library API the CLI is a thin layer over: ingest, values, build, explain, catalogue."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl

from scorecard.assemble import assemble, to_value
from scorecard.board import HISTORY, build_board
from scorecard.boards import board_files, load_board
from scorecard.compute import compute_values, measure_values
from scorecard.definitions import Catalogue, load_catalogue
from scorecard.errors import DefinitionError, UsageError
from scorecard.hierarchy import Hierarchy, Level
from scorecard.measures import DATASET_TITLES
from scorecard.model import ENGLAND, SELF, BoardSpec, Row, Scorecard, Window
from scorecard.periods import Month
from scorecard.rate import rate
from scorecard.render.chart import chart_svg
from scorecard.render.excel import render_xlsx
from scorecard.render.html import render_html
from scorecard.render.page import render_page
from scorecard.render.tables import csv_bytes, parquet_bytes
from scorecard.sources import Extract, read_extracts
from scorecard.store import IngestResult, Store

DEFAULT_DB = Path("scorecard.duckdb")
ROLLUP_LISTED = 12  # a roll-up note lists the codes it adds up to this many, else counts
TITLE = "NHS performance scorecard"
SAMPLE_NOTE = (
    "Built from the bundled synthetic sample (data/): fictional organisations in NHS "
    "England's published layout, not NHS data. Pass --db to use your own store."
)
_PACKAGE = Path(__file__).resolve().parent
VALUES_HEADER = (
    "indicator_id",
    "org_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "standard",
    "lower_threshold",
    "rating",
)


def find_config_dir(explicit: Path | None = None) -> Path:
    """The folder holding indicators/ and thresholds.toml.

    An explicit folder wins; otherwise the current folder, then the project the package was
    installed from, then the copy bundled inside the package.
    """
    candidates = [explicit] if explicit else [Path.cwd(), _PACKAGE.parent, _PACKAGE / "_bundled"]
    for cand in candidates:
        if (cand / "thresholds.toml").is_file() and (cand / "indicators").is_dir():
            return cand
    where = explicit or Path.cwd()
    raise UsageError(f"{where}: no thresholds.toml and indicators/ folder here; pass --config DIR")


def catalogue(config: Path | None = None) -> Catalogue:
    """The validated indicator catalogue and standards from the config folder."""
    return load_catalogue(find_config_dir(config))


def sample_files() -> list[Path]:
    """The bundled synthetic sample extracts (data/<family>/*.csv)."""
    for root in (_PACKAGE.parent / "data", _PACKAGE / "_bundled" / "data"):
        files = sorted(root.glob("*/*.csv"))
        if files:
            return files
    raise UsageError("the bundled sample data (data/*/*.csv) is not installed with this copy")


def parse_month(text: str | None, option: str = "--period") -> Month | None:
    if text is None:
        return None
    try:
        return Month.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def ingest(
    paths: Sequence[Path],
    db: Path,
    period_hint: str | None = None,
    skipped: list[str] | None = None,
) -> list[IngestResult]:
    """Parse and validate every file first, then store them all in one transaction.

    Workbook sheets not read are listed in `skipped`, when given.
    """
    parse_month(period_hint)
    extracts = [e for p in paths for e in read_extracts(p, period_hint, skipped)]
    with Store.open(db) as store:
        return store.ingest(extracts)


@contextmanager
def open_store(db: Path | None) -> Iterator[Store]:
    """The store at `db`; with None, ./scorecard.duckdb if present, else the bundled sample."""
    if db is None and DEFAULT_DB.exists():
        db = DEFAULT_DB
    if db is not None:
        with Store.open(db, read_only=True) as store:
            yield store
        return
    with Store.open(None) as store:
        store.ingest(list(_sample_extracts(tuple(sample_files()))))
        store.note = SAMPLE_NOTE
        yield store


@cache
def _sample_extracts(files: tuple[Path, ...]) -> tuple[Extract, ...]:
    """The bundled sample, parsed once per process (extracts are immutable)."""
    return tuple(e for p in files for e in read_extracts(p))


@dataclass(frozen=True)
class Query:
    """What to compute: the month, organisation and indicator (None = all)."""

    period: Month | None = None
    org: str | None = None
    indicator: str | None = None


def _indicators(catalogue: Catalogue, indicator: str | None) -> list[str]:
    if indicator is None:
        return list(catalogue.indicators)
    if indicator not in catalogue.indicators:
        known = ", ".join(catalogue.indicators)
        raise UsageError(f"--indicator: unknown indicator '{indicator}'; known: {known}")
    return [indicator]


def org_code(text: str) -> str:
    """ODS codes are upper case; accept `rj1` for `RJ1`."""
    return text.strip().upper()


def _check_org(store: Store, org: str | None) -> None:
    if org is not None and org not in store.org_names():
        raise UsageError(f"--org: no organisation '{org}' in the store (England is {ENGLAND})")


def values(store: Store, catalogue: Catalogue, query: Query, window: Window) -> pl.DataFrame:
    """Computed, rated values as a table with the columns `scorecard values` prints."""
    ids = _indicators(catalogue, query.indicator)
    _check_org(store, query.org)
    months = store.months()
    if not months:
        raise UsageError("the store is empty; run `scorecard ingest FILE...` first")
    first, last = (query.period, query.period) if query.period else (months[0], months[-1])
    inds = [catalogue.indicator(i) for i in ids]
    frame = compute_values(store, inds, first, last, query.org).filter(
        pl.col("window") == window.value
    )
    records = []
    for rec in frame.iter_rows(named=True):
        period = Month.from_date(rec["period"])
        ind = catalogue.indicator(rec["indicator_id"])
        value = to_value(rec, ind.id, rec["org_code"], period, window)
        standard = catalogue.standard_for(ind.id, period)
        result = rate(value, ind, standard)
        records.append(
            {
                "indicator_id": ind.id,
                "org_code": rec["org_code"],
                "period": period.iso(),
                "numerator": _plain(value.numerator),
                "denominator": _plain(value.denominator),
                "value": _plain(value.value),
                "standard": _plain(standard.standard if standard else None),
                "lower_threshold": _plain(standard.lower_threshold if standard else None),
                "rating": result.rating.value,
            }
        )
    order = {i: n for n, i in enumerate(ids)}
    records.sort(key=lambda r: (order[str(r["indicator_id"])], str(r["org_code"]), r["period"]))
    return pl.DataFrame(records, schema=dict.fromkeys(VALUES_HEADER, pl.String))


def _plain(x: float | None) -> str:
    """Full precision, integers without a trailing .0, empty for missing."""
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def scorecard_for(store: Store, catalogue: Catalogue, org: str, period: Month | None) -> Scorecard:
    """Assemble the scorecard of one organisation at one month (default: the latest stored)."""
    _check_org(store, org)
    month = period or store.latest_month()
    inds = list(catalogue.indicators.values())
    frame = compute_values(store, inds, store.months()[0], month, org)
    hierarchy = store.hierarchy()
    return assemble(
        catalogue,
        frame,
        org_code=org,
        org_name=hierarchy.names[org],
        period=month,
        title=TITLE if store.note is None else f"{TITLE} (synthetic sample data)",
        sources=[
            *source_lines(store, catalogue, month),
            *rollup_lines(store, hierarchy, org),
            *([store.note] if store.note else []),
        ],
    )


def board_specs(config: Path | None, catalogue: Catalogue) -> list[BoardSpec]:
    """Every scorecard definition in the config folder's scorecards/, validated."""
    return [load_board(p, catalogue) for p in board_files(find_config_dir(config))]


def board_spec(path: Path, catalogue: Catalogue) -> BoardSpec:
    """One scorecard definition file, validated."""
    return load_board(path, catalogue)


def board_for(
    store: Store, catalogue: Catalogue, spec: BoardSpec, period: Month | None
) -> Scorecard:
    """The board scorecard a definition describes, at `period` (default: the latest month)."""
    hierarchy = store.hierarchy()
    codes = {spec.org: "org"} | {
        r.org: f"{r.key}.org" for d in spec.domains for r in d.rows if r.org != SELF
    }
    for code, key in codes.items():
        if code not in hierarchy.names:
            raise DefinitionError(
                spec.file,
                key,
                f"unknown organisation '{code}': not in the store (build your own "
                "definitions with --scorecard FILE or --config DIR, or one organisation's "
                "card with --org CODE)",
            )
    month = period or store.latest_month()
    wanted = sorted({r.indicator_id for d in spec.domains for r in d.rows})
    inds = [catalogue.indicator(i) for i in wanted]
    values = compute_values(store, inds, store.months()[0], month)
    first = month.plus(-HISTORY)
    comments = {
        (str(c["indicator_id"]), code, Month.from_date(c["period"])): str(c["comment"])
        for code in codes
        for c in store.comments(code, first, month).iter_rows(named=True)
    }
    return build_board(
        spec,
        catalogue,
        values,
        org=spec.org,
        names=hierarchy.names,
        period=month,
        title=spec.title if store.note is None else f"{spec.title} (synthetic sample data)",
        sources=[
            *source_lines(store, catalogue, month),
            *([store.note] if store.note else []),
        ],
        comments=comments,
        revisions=store.revisions(),
    )


def rollup_lines(store: Store, hierarchy: Hierarchy, org: str) -> list[str]:
    """What an ICB, region or England figure adds up, and the lookup that says so."""
    level = hierarchy.levels.get(org, Level.ORGANISATION)
    below = [c for c in hierarchy.descendants(org) if hierarchy.levels[c] is Level.ORGANISATION]
    if level is Level.ORGANISATION or not below:
        return []
    lookup = ", ".join(store.reference_files()) or "the regions named in the files"
    who = ", ".join(below) if len(below) <= ROLLUP_LISTED else f"{len(below)} organisations"
    what = level.value[:1].upper() + level.value[1:]
    return [
        f"{what} figures add up the numerators and denominators of the organisations "
        f"below it ({who}; hierarchy from {lookup}), except where a figure is published for "
        f"{org} itself."
    ]


def source_lines(store: Store, catalogue: Catalogue, period: Month) -> list[str]:
    """One line per dataset: title, months used in the financial year, and the files."""
    families = {i.family for i in catalogue.indicators.values()}
    lines = []
    for ds in sorted(families):
        loads = [
            ld
            for ld in store.active_loads()
            if ld.dataset == ds and period.fy_start() <= ld.period <= period
        ]
        if not loads:
            continue
        span = f"{loads[0].period.label()} to {loads[-1].period.label()}"
        files = ", ".join(ld.file for ld in loads)
        lines.append(f"Source: {DATASET_TITLES.get(ds, ds)}, {span} ({files}).")
    return lines


def build(card: Scorecard, out: Path, name: str = "scorecard") -> list[Path]:
    """Write every output of one scorecard; return their paths.

    Files are named `<name>-<ORG>-<YYYY-MM>`; a definition's name is its file's stem:
    `.html` (the full page, with print CSS for A4 landscape), `.fragment.html` (the
    self-contained fragment to paste into a board paper), `.csv` and `.parquet` (the tidy
    rows), `.xlsx` (the Excel workbook). Each is rendered first, then written.
    """
    stem = f"{name}-{card.org_code}-{card.period.iso()}"
    outputs = {
        f"{stem}.html": render_page(card).encode("utf-8"),
        f"{stem}.fragment.html": render_html(card).encode("utf-8"),
        f"{stem}.csv": csv_bytes(card),
        f"{stem}.parquet": parquet_bytes(card),
        f"{stem}.xlsx": render_xlsx(card),
    }
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for file, data in outputs.items():
        path = out / file
        path.write_bytes(data)
        paths.append(path)
    return paths


def indicator_table(catalogue: Catalogue) -> pl.DataFrame:
    rows = [
        {
            "indicator_id": i.id,
            "name": i.name,
            "family": i.family,
            "unit": i.unit.value,
            "direction": f"{i.direction.value} is better",
            "standards": str(len(catalogue.standards.get(i.id, ()))),
        }
        for i in catalogue.indicators.values()
    ]
    return pl.DataFrame(rows)


def explain_row(
    store: Store, catalogue: Catalogue, indicator: str, org: str, period: Month | None
) -> tuple[Row, dict[str, float]]:
    """The scorecard row for one indicator, and the stored measures behind its month."""
    ind_id = _indicators(catalogue, indicator)[0]
    card = scorecard_for(store, catalogue, org, period)
    row = next(r for r in card.rows if r.indicator.id == ind_id)
    ind = row.indicator
    measures = ind.numerator.measures() + (ind.denominator.measures() if ind.denominator else ())
    return row, measure_values(store, ind.family, measures, org, card.period)


def chart(row: Row, out: Path) -> Path:
    """Write a row's Making Data Count SPC chart as a self-contained SVG; return its path."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"chart-{row.indicator.id}-{row.org_code}-{row.period.iso()}.svg"
    path.write_text(chart_svg(row), encoding="utf-8", newline="\n")
    return path
