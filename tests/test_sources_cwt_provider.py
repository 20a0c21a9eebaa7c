"""The CWT provider data extract adapter, on small extracts written here in the published layout.

Every expected value is a hand sum of cells the test writes. The ALL CANCERS modality rows are
generated from the cancer-type rows (each cancer-type row names the modality its patients are
counted under), so they always repeat the same patients; every bad file must fail with one
line naming the file, the column, the row and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard.api import Query, catalogue, values
from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.measures import MEASURES
from scorecard.model import Window
from scorecard.periods import Month
from scorecard.sources import detect_format, read_extract
from scorecard.sources.base import Extract
from scorecard.sources.cwt.provider import CwtProviderExtract
from scorecard.sources.cwt.provider_frames import MEASURES as PARTS
from scorecard.store import Store

HEADER = [
    "PERIOD", "YEAR", "MONTH", "STANDARD", "ORG CODE", "STAGE/ROUTE", "TREATMENT MODALITY",
    "CANCER TYPE", "TOTAL TREATED", "WITHIN STANDARD", "BREACHES",
]  # fmt: skip
FDS, D31, D62 = "28-day FDS", "31-day Combined", "62-day Combined"
USC, BREAST_FDS = "URGENT SUSPECTED CANCER", "BREAST SYMPTOMATIC, CANCER NOT SUSPECTED"
ROUTE_USC = "Urgent Suspected Cancer"
SYMPTOMS = "Exhibited (non-cancer) breast symptoms - cancer not initially suspected"
FIRST, SUB = "First Treatment", "Subsequent Treatment"
SURGERY, DRUG, RADIO, OTHER = "Surgery", "Anti-cancer drug regimen", "Radiotherapy", "Other"
COMBINED = ((FDS, "cwt_fds_28d_pct"), (D31, "cwt_31d_combined_pct"), (D62, "cwt_62d_combined_pct"))
NAME = "CWT-CRS-Oct-2023-Data-Extract-Provider.csv"
runner = CliRunner()


class Row(NamedTuple):
    """A cancer-type row (any FDS row); `modality`: its patients' ALL CANCERS modality row."""

    month: str
    standard: str
    org: str
    route: str
    cancer: str
    total: float
    within: float
    modality: str = SURGERY


M = "2023-10"
DATA = [
    Row(M, FDS, "RAA", USC, "Suspected lung cancer", 40, 30),
    Row(M, FDS, "RAA", BREAST_FDS, SYMPTOMS, 12.5, 10.5),
    Row(M, FDS, "RBB", "NATIONAL SCREENING PROGRAMME", "Suspected breast cancer", 20, 15),
    Row(M, FDS, "RBB", USC, "Suspected skin cancer", 30.5, 25),
    Row(M, D31, "RAA", FIRST, "Lung", 10, 9, SURGERY),
    Row(M, D31, "RAA", FIRST, "Breast", 6.5, 6.5, DRUG),
    Row(M, D31, "RAA", SUB, "Breast", 4, 3, RADIO),
    Row(M, D31, "RAA", SUB, "Lung", 3.5, 3.5, SURGERY),
    Row(M, D31, "RAA", SUB, "Skin", 2, 1, DRUG),
    Row(M, D31, "RBB", FIRST, "Skin", 8, 7, SURGERY),
    Row(M, D31, "RBB", SUB, "Skin", 1, 1, OTHER),
    Row(M, D62, "RAA", ROUTE_USC, "Lung", 5.5, 3.5, SURGERY),
    Row(M, D62, "RAA", ROUTE_USC, "Breast", 7, 6, SURGERY),
    Row(M, D62, "RAA", "Screening", "Breast", 3, 2, RADIO),
    Row(M, D62, "RBB", "Consultant Upgrade", "Urological - Prostate", 2.5, 1.5, OTHER),
    Row(M, D62, "RBB", "Breast Symptomatic", "Breast", 4, 4, SURGERY),
    Row(M, D62, "RBB", ROUTE_USC, "Missing or Invalid", 1, 0, SURGERY),
]


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _cells(r: Row, cancer: str | None = None, modality: str | None = None) -> list[str]:
    month = Month.parse(r.month)
    mod = "" if r.standard == FDS else (modality or "ALL MODALITIES")
    return [
        f"{r.month}-01", month.fy_label(), month.label()[:3].upper(), r.standard, r.org,
        r.route, mod, cancer or r.cancer, _n(r.total), _n(r.within), _n(r.total - r.within),
    ]  # fmt: skip


def _modality_rows(rows: Sequence[Row]) -> list[list[str]]:
    """The ALL CANCERS rows: each stage/route's patients again, by modality."""
    sums: dict[tuple[str, str, str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for r in rows:
        if r.standard != FDS:
            pair = sums[(r.month, r.standard, r.org, r.route, r.modality)]
            pair[0] += r.total
            pair[1] += r.within
    return [
        _cells(Row(m, s, o, route, "", t, w), "ALL CANCERS", mod)
        for (m, s, o, route, mod), (t, w) in sums.items()
    ]


def _lines(rows: Sequence[Row] = DATA, all_cancers: bool = True) -> list[list[str]]:
    """Header first, then the cancer-type rows, then the ALL CANCERS rows."""
    return [HEADER, *(_cells(r) for r in rows), *(_modality_rows(rows) if all_cancers else [])]


def _write(tmp_path: Path, lines: Sequence[Sequence[str]], name: str = NAME) -> Path:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(lines)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def _set(lines: list[list[str]], row: int, column: str, value: str) -> list[list[str]]:
    """`lines` with one cell changed in file row `row` (the header is row 1)."""
    changed = [list(line) for line in lines]
    changed[row - 1][HEADER.index(column)] = value
    return changed


def _row_of(lines: list[list[str]], org: str, route: str, cancer: str | None = None) -> int:
    """The file row number of the first line of `org` and `route` (and `cancer`)."""
    for number, line in enumerate(lines, start=1):
        if line[4:6] == [org, route] and cancer in (None, line[7]):
            return number
    raise AssertionError((org, route, cancer))


def _error(path: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_extract(path)
    assert "\n" not in str(info.value)
    assert info.value.file == path.name
    return info.value


def _value(ex: Extract, org: str, measure: str) -> float:
    sel = ex.observations.filter((pl.col("org_code") == org) & (pl.col("measure") == measure))
    assert sel.height == 1, (org, measure)
    return float(sel["value"][0])


def _parts(ex: Extract, org: str, measure: str, dimension: str) -> dict[str, float]:
    assert ex.breakdowns is not None
    sel = ex.breakdowns.filter(
        (pl.col("org_code") == org)
        & (pl.col("measure") == measure)
        & (pl.col("dimension") == dimension)
    )
    return dict(zip(sel["breakdown"], sel["value"], strict=True))


def _part(ex: Extract, org: str, measure: str, dimension: str, key: str) -> float | None:
    return _parts(ex, org, measure, dimension).get(key)


def _hand(rows: Sequence[Row], org: str | None, standard: str, **match: str) -> tuple[float, float]:
    """(total, within) added over the cancer-type rows that match, by hand."""
    sel = [
        r
        for r in rows
        if r.standard == standard
        and (org is None or r.org == org)
        and all(getattr(r, k) == v for k, v in match.items())
    ]
    return sum(r.total for r in sel), sum(r.within for r in sel)


def test_cancer_type_rows_are_added_and_all_cancers_rows_never(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _lines()))
    assert (ex.format, ex.dataset, ex.scope, ex.basis) == (
        "cwt_provider_extract", "cwt", "provider", "provider",
    )  # fmt: skip
    for org in ("RAA", "RBB"):
        for std, (treated, within) in (
            (FDS, ("cwt_fds_told", "cwt_fds_told_within_28d")),
            (D31, ("cwt_31d_treated", "cwt_31d_within_31d")),
            (D62, ("cwt_62d_treated", "cwt_62d_within_62d")),
        ):
            total, inside = _hand(DATA, org, std)
            assert (_value(ex, org, treated), _value(ex, org, within)) == (total, inside)
    # The ALL CANCERS rows hold the same patients again: added, they would double the total.
    modality_rows = [r for r in _modality_rows(DATA) if r[4] == "RAA" and r[3] == D62]
    assert sum(float(r[8]) for r in modality_rows) == _value(ex, "RAA", "cwt_62d_treated")


def test_halves_are_stored_exactly(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _lines()))
    assert _value(ex, "RAA", "cwt_fds_told") == 52.5
    assert _value(ex, "RAA", "cwt_fds_told_within_28d") == 40.5
    assert _value(ex, "RAA", "cwt_62d_treated") == 15.5
    assert _value(ex, "RAA", "cwt_62d_usc_within_62d") == 9.5


def test_stages_routes_and_cancer_types(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _lines()))
    assert _value(ex, "RAA", "cwt_31d_first_treated") == _hand(DATA, "RAA", D31, route=FIRST)[0]
    assert _value(ex, "RAA", "cwt_31d_sub_within_31d") == _hand(DATA, "RAA", D31, route=SUB)[1]
    assert _value(ex, "RBB", "cwt_62d_upgrade_treated") == 2.5
    assert _value(ex, "RBB", "cwt_62d_breast_symptomatic_within_62d") == 4.0
    assert _value(ex, "RAA", "cwt_62d_upgrade_treated") == 0.0  # no row: nobody
    assert _part(ex, "RAA", "cwt_62d_treated", "cancer_type", "breast") == 10.0  # two routes
    assert _part(ex, "RAA", "cwt_62d_usc_treated", "cancer_type", "breast") == 7.0
    assert _part(ex, "RBB", "cwt_62d_within_62d", "cancer_type", "urology_prostate") == 1.5
    # "Missing or Invalid" is a part of its own, so the parts add up to the whole.
    assert _part(ex, "RBB", "cwt_62d_treated", "cancer_type", "missing") == 1.0
    for org in ("RAA", "RBB"):
        for measure in ("cwt_62d_treated", "cwt_31d_sub_within_31d", "cwt_fds_told"):
            for dimension in ("cancer_type", "modality", "route"):
                parts = _parts(ex, org, measure, dimension)
                if parts:
                    assert sum(parts.values()) == _value(ex, org, measure), (measure, dimension)


def test_drill_downs_by_route_and_modality(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _lines()))
    assert _parts(ex, "RAA", "cwt_fds_told", "route") == {"usc": 40.0, "breast_symptomatic": 12.5}
    assert _parts(ex, "RBB", "cwt_fds_told_within_28d", "cancer_type") == {
        "suspected_breast": 15.0, "suspected_skin": 25.0,
    }  # fmt: skip
    assert _parts(ex, "RAA", "cwt_62d_treated", "route") == {"usc": 12.5, "screening": 3.0}
    assert _parts(ex, "RAA", "cwt_31d_treated", "modality") == {
        "surgery": 13.5, "drug": 8.5, "radio": 4.0,
    }  # fmt: skip
    assert _parts(ex, "RBB", "cwt_31d_sub_treated", "modality") == {"other": 1.0}
    assert _parts(ex, "RBB", "cwt_62d_upgrade_within_62d", "modality") == {"other": 1.5}


def test_subsequent_treatments_by_modality_come_from_the_all_cancers_rows(tmp_path: Path) -> None:
    ex = read_extract(_write(tmp_path, _lines()))
    for key, modality in (("surgery", SURGERY), ("drug", DRUG), ("radio", RADIO)):
        for org in ("RAA", "RBB"):
            total, within = _hand(DATA, org, D31, route=SUB, modality=modality)
            assert _value(ex, org, f"cwt_31d_sub_{key}_treated") == total
            assert _value(ex, org, f"cwt_31d_sub_{key}_within_31d") == within
    assert _value(ex, "RAA", "cwt_31d_sub_surgery_treated") == 3.5
    assert _value(ex, "RBB", "cwt_31d_sub_surgery_treated") == 0.0  # its one is "Other"


def test_without_all_cancers_rows_totals_stand_and_modalities_are_not_stored(
    tmp_path: Path,
) -> None:
    ex = read_extract(_write(tmp_path, _lines(all_cancers=False)))
    assert _value(ex, "RAA", "cwt_31d_treated") == _hand(DATA, "RAA", D31)[0]
    assert not ex.observations.filter(
        pl.col("measure").str.starts_with("cwt_31d_sub_surgery")
    ).height


def test_all_cancers_rows_that_disagree_are_rejected(tmp_path: Path) -> None:
    lines = _lines()
    row = _row_of(lines, "RAA", "Screening", "ALL CANCERS")
    bumped = _set(_set(lines, row, "TOTAL TREATED", "4"), row, "BREACHES", "2")
    err = _error(_write(tmp_path, bumped))
    assert (err.column, err.row) == ("TOTAL TREATED", row)
    assert err.problem == (
        "the ALL CANCERS rows of RAA, 62-day Combined, Screening, 2023-10 add up to 4 but the "
        "cancer-type rows add up to 3; the file may be truncated or edited"
    )
    moved = _set(_set(lines, row, "WITHIN STANDARD", "1"), row, "BREACHES", "2")
    err = _error(_write(tmp_path, moved))
    assert (err.column, err.row) == ("WITHIN STANDARD", row)


def test_all_cancers_rows_without_their_cancer_type_rows_are_rejected(tmp_path: Path) -> None:
    lines = _lines()
    gone = _row_of(lines, "RBB", "Consultant Upgrade")
    lines = [*lines[: gone - 1], *lines[gone:]]
    row = _row_of(lines, "RBB", "Consultant Upgrade")
    err = _error(_write(tmp_path, lines))
    assert (err.column, err.row) == ("TOTAL TREATED", row)
    assert "add up to 2.5 but the cancer-type rows add up to 0" in err.problem


@pytest.mark.parametrize("column", ["BREACHES", "STAGE/ROUTE", "PERIOD"])
def test_missing_column(tmp_path: Path, column: str) -> None:
    i = HEADER.index(column)
    err = _error(_write(tmp_path, [line[:i] + line[i + 1 :] for line in _lines()]))
    assert (err.column, err.row) == (column, 1)
    assert err.problem.startswith("missing column")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("STANDARD", "62-day GP referral", "expected one of 28-day FDS, 31-day Combined"),
        ("STAGE/ROUTE", "Screening", "expected a 28-day FDS stage/route"),  # a 62-day route
        ("STAGE/ROUTE", "Upgrade", "got 'Upgrade'"),
    ],
)
def test_unknown_standard_or_route(tmp_path: Path, column: str, value: str, expected: str) -> None:
    err = _error(_write(tmp_path, _set(_lines(), 3, column, value)))
    assert (err.column, err.row) == (column, 3)
    assert expected in err.problem


@pytest.mark.parametrize("bad", ["-3", "n/a", "", "1/2"])
def test_negative_or_non_number_count(tmp_path: Path, bad: str) -> None:
    err = _error(_write(tmp_path, _set(_lines(), 4, "WITHIN STANDARD", bad)))
    assert (err.column, err.row) == ("WITHIN STANDARD", 4)
    assert "non-negative number" in err.problem or "expected a value" in err.problem


def test_total_must_be_within_plus_breaches(tmp_path: Path) -> None:
    err = _error(_write(tmp_path, _set(_lines(), 3, "BREACHES", "3")))
    assert (err.column, err.row) == ("TOTAL TREATED", 3)
    assert err.problem == "12.5 is not WITHIN STANDARD + BREACHES (13.5)"


def test_duplicate_row(tmp_path: Path) -> None:
    lines = _lines()
    err = _error(_write(tmp_path, [*lines[:6], lines[5], *lines[6:]]))
    assert (err.column, err.row) == ("CANCER TYPE", 7)
    assert "duplicate row" in err.problem


@pytest.mark.parametrize(
    ("row", "column", "value", "expected"),
    [
        (2, "TREATMENT MODALITY", "Surgery", "blank modality in a 28-day FDS row"),
        (2, "CANCER TYPE", "ALL CANCERS", "not ALL CANCERS, in a 28-day FDS row"),
        (6, "TREATMENT MODALITY", "Surgery", "ALL MODALITIES in a cancer-type row"),
        (-1, "TREATMENT MODALITY", "ALL MODALITIES", "in an ALL CANCERS row"),
    ],
)
def test_modality_and_cancer_type_rules(
    tmp_path: Path, row: int, column: str, value: str, expected: str
) -> None:
    lines = _lines()
    row = row if row > 0 else len(lines)
    err = _error(_write(tmp_path, _set(lines, row, column, value)))
    assert (err.column, err.row) == (column, row)
    assert expected in err.problem


def test_months_come_from_period_and_other_spellings_are_read(tmp_path: Path) -> None:
    """Two months in one file; `TOTAL` for TOTAL TREATED; columns reordered; 01/10/2023."""
    rows = [*DATA, *(r._replace(month="2023-11", total=r.total + 1) for r in DATA)]
    lines = [[*line[8:], *line[:8]] for line in _lines(rows)]
    lines[0][0] = "TOTAL"
    lines = [lines[0], *([*c[:3], "/".join(reversed(c[3].split("-"))), *c[4:]] for c in lines[1:])]
    path = _write(tmp_path, lines, "CWT-CRS-Jan-2020-Data-Extract-Provider.csv")
    assert isinstance(detect_format(path.name, path.read_bytes()), CwtProviderExtract)
    ex = read_extract(path, "2021-05")  # neither the name nor --period decides the month
    months = sorted({d.isoformat() for d in ex.observations["period"].to_list()})
    assert months == ["2023-10-01", "2023-11-01"]
    november = ex.observations.filter(pl.col("period").dt.month() == 11)
    nov = november.filter((pl.col("org_code") == "RBB") & (pl.col("measure") == "cwt_62d_treated"))
    assert float(nov["value"][0]) == _hand(DATA, "RBB", D62)[0] + 3  # three rows, one more each
    assert ex.orgs["org_name"].to_list() == ["RAA", "RBB", "RAA", "RBB"]  # named by code


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("MONTH", "NOV", "expected the month of PERIOD 2023-10-01, got 'NOV'"),
        ("YEAR", "2024/25", "expected 2023/24, the financial year of PERIOD 2023-10-01"),
        ("PERIOD", "2023-02-30", "not a date: '2023-02-30'"),
        ("PERIOD", "October 2023", "expected a date such as 2023-10-01"),
    ],
)
def test_period_year_and_month_must_agree(
    tmp_path: Path, column: str, value: str, expected: str
) -> None:
    err = _error(_write(tmp_path, _set(_lines(), 5, column, value)))
    assert (err.column, err.row) == (column, 5)
    assert expected in err.problem


def _cli_values(db: Path, org: str, period: str) -> dict[str, dict[str, str]]:
    result = runner.invoke(app, ["values", "--db", str(db), "--org", org, "--period", period])
    assert result.exit_code == 0, result.output
    return {r["indicator_id"]: r for r in csv.DictReader(io.StringIO(result.stdout))}


def test_values_for_a_provider_and_for_england_are_the_hand_sums(tmp_path: Path) -> None:
    db = tmp_path / "cwt.duckdb"
    path = _write(tmp_path, _lines())
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    for org in ("RAA", "ENG"):
        rows = _cli_values(db, org, M)
        for std, indicator in COMBINED:
            total, within = _hand(DATA, None if org == "ENG" else org, std)
            row = rows[indicator]
            assert (float(row["numerator"]), float(row["denominator"])) == (within, total)
            assert float(row["value"]) == pytest.approx(100 * within / total)
        assert rows["cwt_31d_sub_radio_pct"]["rating"] == "Not rated"  # retired in Sep 2023
    with Store.open(db, read_only=True) as store:
        table = values(store, catalogue(), Query(Month(2023, 10), "RBB"), Window.MONTH)
    by_id = {r["indicator_id"]: r for r in table.iter_rows(named=True)}
    assert float(by_id["cwt_62d_combined_pct"]["denominator"]) == _hand(DATA, "RBB", D62)[0]


def test_retired_subsequent_standards_are_rated_before_october_2023(tmp_path: Path) -> None:
    db = tmp_path / "sep.duckdb"
    rows = [r._replace(month="2023-09") for r in DATA]
    path = _write(tmp_path, _lines(rows), "CWT-CRS-Sep-2023-Data-Extract-Provider.csv")
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    row = _cli_values(db, "ENG", "2023-09")["cwt_31d_sub_surgery_pct"]
    assert (row["numerator"], row["denominator"], row["standard"]) == ("3.5", "3.5", "94")
    assert row["rating"] == "Green"
    drug = _cli_values(db, "ENG", "2023-09")["cwt_31d_sub_drug_pct"]
    assert (drug["numerator"], drug["denominator"], drug["standard"]) == ("1", "2", "98")


def _split(total: float, within: float, weights: Sequence[int]) -> list[tuple[float, float]]:
    """`total` and `within` shared out by weight in halves; the last part takes the rest."""
    parts, scale = [], sum(weights)
    for weight in weights[:-1]:
        t = int(total * weight / scale * 2) / 2
        parts.append((t, min(t, int(within * weight / scale * 2) / 2)))
    rest = (total - sum(p[0] for p in parts), within - sum(p[1] for p in parts))
    assert 0 <= rest[1] <= rest[0]
    return [*parts, rest]


def test_october_2023_national_figures_come_from_the_summing_rule(tmp_path: Path) -> None:
    """standards.md 2.3: the published October 2023 totals, split over providers and cancer
    types; England must add the cancer-type rows once and never the ALL CANCERS rows."""
    published = {
        FDS: (271_402, 192_880, "71.07"),
        D31: (52_449, 46_911, "89.44"),
        D62: (24_371.5, 15_375.5, "63.09"),
    }
    cells = {
        FDS: [
            (USC, "Suspected lung cancer"),
            (BREAST_FDS, SYMPTOMS),
            (USC, "Suspected skin cancer"),
        ],
        D31: [(FIRST, "Lung"), (SUB, "Breast"), (FIRST, "Skin")],
        D62: [(ROUTE_USC, "Lung"), ("Screening", "Breast"), ("Consultant Upgrade", "Skin")],
    }
    orgs, modalities = ("RAA", "RBB", "RCC"), (SURGERY, DRUG, RADIO)
    rows = []
    for std, (total, within, _) in published.items():
        by_org = _split(total, within, (5, 3, 2))
        for org, (t, w) in zip(orgs, by_org, strict=True):
            for (route, cancer), (tt, ww), mod in zip(
                cells[std], _split(t, w, (4, 3, 1)), modalities, strict=True
            ):
                rows.append(Row("2023-10", std, org, route, cancer, tt, ww, mod))
    for std, (total, within, _) in published.items():  # the split keeps the totals
        assert _hand(rows, None, std) == (total, within)
    db = tmp_path / "oct.duckdb"
    path = _write(tmp_path, _lines(rows))
    assert runner.invoke(app, ["ingest", str(path), "--db", str(db)]).exit_code == 0
    england = _cli_values(db, "ENG", "2023-10")
    for std, indicator in COMBINED:
        total, within, pct = published[std]
        row = england[indicator]
        assert (float(row["numerator"]), float(row["denominator"])) == (within, total)
        assert f"{float(row['value']):.2f}" == pct


def test_every_stored_measure_is_a_known_cwt_measure(tmp_path: Path) -> None:
    known = set(MEASURES["cwt"])
    assert {m for pair in PARTS.values() for m in pair} <= known
    stored = set(read_extract(_write(tmp_path, _lines())).observations["measure"])
    assert stored == {m for pair in PARTS.values() for m in pair}
