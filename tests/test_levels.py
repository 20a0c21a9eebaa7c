"""Figures exist only where NHS England publishes them (issue 13, point 4).

Ambulance figures are published for ambulance trusts, regions and England, never for an ICB;
a region's or England's figure is its own published row, never rebuilt from trusts; a figure
that cannot be added up (a centile) is never added up anywhere; an ICB board monitors its
declared ambulance trust. Small synthetic AmbSYS files in the published layout.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import polars as pl
import pytest
from stores import Ingested
from typer.testing import CliRunner

from scorecard import api
from scorecard.boards import load_board, monitored
from scorecard.cli import app
from scorecard.compute import compute_values, measure_values, reporting_orgs
from scorecard.definitions import Catalogue, load_catalogue
from scorecard.errors import DefinitionError, SourceError
from scorecard.hierarchy import build_hierarchy
from scorecard.measures import NON_ADDITIVE
from scorecard.model import ENGLAND, Level, OverTime, Rollup
from scorecard.periods import Month
from scorecard.sources import read_extract
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
HEADER = (
    "Year,Month,Region,Org Code,Org Name,A0,A1,A7,A8,A9,A10,A11,A12,A24,A26,A27,A29,A30,A32,A33,"
    "A35,A36,A38,A2,A114,A17,A53,A54,A55"
)
ADDITIVE = ("A0", "A1", "A7", "A8", "A9", "A10", "A11", "A12", "A24", "A27", "A30", "A33", "A36",
            "A2", "A17", "A53", "A54", "A55")  # fmt: skip
# Three trusts: two in the South East (Y59), one in the North West (Y62).
TRUSTS = {
    "RT1": ("Y59", "ISLAND AMBULANCE NHS TRUST"),
    "RT2": ("Y59", "SOUTHERN AMBULANCE SERVICE NHS TRUST"),
    "RT3": ("Y62", "NORTHERN AMBULANCE SERVICE NHS TRUST"),
}
REGION_NAMES = {"Y59": "South East", "Y62": "North West"}
# Each trust's figures for April 2025 (counts, total seconds and published centiles).
_FIGURE_FIELDS = ("A0", "A1", "A7", "A8", "A9", "A10", "A11", "A12", "A24", "A26", "A27", "A29",
                  "A30", "A32", "A33", "A35", "A36", "A38", "A2", "A114", "A17", "A53", "A54",
                  "A55")  # fmt: skip
_TRUST_FIGURES = {
    "RT1": (500, 600, 450, 100, 60, 400, 150, 20, 62_000, 1_050, 40_000, 1_200, 720_000, 3_900,
            900_000, 14_000, 200_000, 21_000, 1_800, 5, 80, 200, 20, 150),
    "RT2": (4_000, 5_000, 4_200, 900, 500, 3_600, 1_300, 150, 430_000, 860, 330_000, 1_100,
            5_400_000, 3_200, 8_000_000, 12_500, 1_400_000, 18_000, 20_000, 8, 700, 2_000, 200,
            1_300),
    "RT3": (3_000, 3_800, 3_100, 700, 400, 2_800, 1_000, 110, 320_000, 820, 260_000, 1_000,
            3_900_000, 2_800, 6_100_000, 11_800, 1_000_000, 16_500, 11_400, 6, 500, 1_500, 150,
            950),
}  # fmt: skip
FIGURES = {c: dict(zip(_FIGURE_FIELDS, v, strict=True)) for c, v in _TRUST_FIGURES.items()}
# Published centiles of the region and England rows: not derivable from the trusts'.
PUBLISHED_P90 = {"Y59": {"A26": 874, "A29": 1_150, "A32": 3_260, "A35": 12_700, "A38": 18_300,
                         "A114": 7},
                 "Y62": {"A26": 820, "A29": 1_000, "A32": 2_800, "A35": 11_800, "A38": 16_500,
                         "A114": 6},
                 "Eng": {"A26": 851, "A29": 1_090, "A32": 3_050, "A35": 12_300,
                         "A38": 17_600, "A114": 7}}  # fmt: skip
MAPPING = (
    "Code,Name,ICB Code,ICB Name,Region Name\n"
    "RT1,Island Ambulance NHS Trust,QA1,NHS Island And Downs ICB,South East Commissioning Region\n"
    "RT2,Southern Ambulance Service NHS Trust,QB1,NHS Downs ICB,South East Commissioning Region\n"
    "RT3,Northern Ambulance Service NHS Trust,QC1,NHS Fells ICB,North West Commissioning Region\n"
)
FIELDS = HEADER.split(",")[5:]
AMBULANCE_LEVELS = {Level.ORGANISATION, Level.REGION, Level.ENGLAND}


def _row(year: int, month: int, region: str, code: str, name: str, cells: dict[str, int]) -> str:
    values = [str(cells[f]) if f in cells else "." for f in FIELDS]
    return ",".join([str(year), str(month), region, code, name, *values])


def _sum(trusts: dict[str, dict[str, int]], codes: list[str], org: str) -> dict[str, int]:
    """A region's or England's row: its trusts' counts and totals, its published centiles."""
    return {f: sum(trusts[c][f] for c in codes) for f in ADDITIVE} | PUBLISHED_P90[org]


def ambsys_text(
    months: Sequence[tuple[int, int]] = ((2025, 4),),
    regions: Sequence[str] = ("Y59", "Y62"),
    edit: dict[tuple[str, str], str] | None = None,
) -> str:
    """A small AmbSYS time series: England, the trusts, then the region rows asked for.

    Each later month scales the counts and totals by its position. `edit` replaces cells
    ((org code, field) -> text) after the sums are taken.
    """
    lines = [HEADER]
    for n, (year, month) in enumerate(months, start=1):
        trusts = {
            code: {f: v * n if f in ADDITIVE else v for f, v in FIGURES[code].items()}
            for code in TRUSTS
        }

        rows = {"Eng": ("Eng", "Eng", "England", _sum(trusts, list(trusts), "Eng"))}
        for code, (region, name) in TRUSTS.items():
            rows[code] = (region, code, name, trusts[code])
        for region in regions:
            mine = [c for c, (r, _) in TRUSTS.items() if r == region]
            name = REGION_NAMES[region]
            rows[region] = (name, region, name, _sum(trusts, mine, region))
        for (org, field), text in (edit or {}).items():
            cells = dict(rows[org][3])
            cells.pop(field, None)
            rows[org] = (*rows[org][:3], cells)
            if text != ".":
                cells[field] = int(text)
        lines.extend(_row(year, month, *cells) for cells in rows.values())
    return "\n".join(lines) + "\n"


def _store(tmp_path: Path, text: str) -> Store:
    (tmp_path / "AmbSYS-to-Apr-2025.csv").write_text(text, encoding="utf-8")
    (tmp_path / "System-Mapping.csv").write_text(MAPPING, encoding="utf-8")
    store = Store.open(None)
    store.ingest(
        [
            read_extract(tmp_path / "AmbSYS-to-Apr-2025.csv"),
            read_extract(tmp_path / "System-Mapping.csv"),
        ]
    )
    return store


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return load_catalogue(ROOT)


def _ambulance(cat: Catalogue) -> list[str]:
    return [i for i, ind in cat.indicators.items() if ind.family == "ambsys"]


APRIL = Month(2025, 4)


def _values(store: Store, cat: Catalogue, last: Month = APRIL) -> pl.DataFrame:
    inds = [cat.indicator(i) for i in _ambulance(cat)]
    return compute_values(store, inds, APRIL, last)


def _one(frame: pl.DataFrame, ind: str, org: str, window: str = "month") -> dict[str, object]:
    rows = frame.filter(
        (pl.col("indicator_id") == ind) & (pl.col("org_code") == org) & (pl.col("window") == window)
    )
    assert rows.height == 1, (ind, org, window, rows)
    return rows.row(0, named=True)


# --- where ambulance figures exist -------------------------------------------------------


def test_no_icb_ever_gets_an_ambulance_figure(tmp_path: Path, cat: Catalogue) -> None:
    store = _store(tmp_path, ambsys_text())
    frame = _values(store, cat)
    assert store.hierarchy().levels["QA1"] is Level.ICB  # the trusts are in ICBs...
    # ...but only trusts, regions and England have figures, for every ambulance indicator.
    for ind in _ambulance(cat):
        orgs = set(frame.filter(pl.col("indicator_id") == ind)["org_code"])
        assert orgs == {"RT1", "RT2", "RT3", "Y59", "Y62", ENGLAND}, ind
    assert measure_values(store, "ambsys", ["amb_c1_count"], "QA1", Month(2025, 4)) == {
        "amb_c1_count": 100.0
    }  # what a roll-up would add...
    assert (
        measure_values(store, "ambsys", ["amb_c1_count"], "QA1", Month(2025, 4), adds_up=False)
        == {}
    )  # ...is not what explain shows for a published-only indicator


def test_region_and_england_figures_are_their_published_rows(
    tmp_path: Path, cat: Catalogue
) -> None:
    store = _store(tmp_path, ambsys_text())
    frame = _values(store, cat)
    for org in ("Y59", "Y62", "Eng"):
        code = ENGLAND if org == "Eng" else org
        for ind, field in (("amb_c1_p90", "A26"), ("amb_c2_p90", "A32"), ("amb_c4_p90", "A38")):
            assert _one(frame, ind, code)["value"] == PUBLISHED_P90[org][field], (org, ind)
    y59 = _one(frame, "amb_c1_mean", "Y59")
    assert (y59["numerator"], y59["denominator"]) == (62_000 + 430_000, 100 + 900)


def test_a_region_without_a_published_row_has_no_figure(tmp_path: Path, cat: Catalogue) -> None:
    """Its trusts are there, but nothing is rebuilt from them: mean or centile."""
    store = _store(tmp_path, ambsys_text(regions=("Y59",)))
    frame = _values(store, cat)
    assert "Y62" not in set(frame["org_code"])
    assert {"RT3", "Y59", ENGLAND} <= set(frame["org_code"])


def test_a_region_row_counts_only_the_trusts_that_reported(tmp_path: Path, cat: Catalogue) -> None:
    """As NHS England publishes it: a trust's `.` leaves it out of the region's sum."""
    text = ambsys_text(edit={("RT1", "A8"): ".", ("Y59", "A8"): "900", ("Eng", "A8"): "1600"})
    frame = _values(_store(tmp_path, text), cat)
    assert _one(frame, "amb_c1_mean", "Y59")["denominator"] == 900
    assert _one(frame, "amb_c1_mean", ENGLAND)["denominator"] == 1600
    assert "RT1" not in set(frame.filter(pl.col("indicator_id") == "amb_c1_mean")["org_code"])


def test_means_add_up_over_months_from_published_rows_centiles_never(
    tmp_path: Path, cat: Catalogue
) -> None:
    store = _store(tmp_path, ambsys_text(months=((2025, 4), (2025, 5))))
    frame = _values(store, cat, Month(2025, 5))
    q = frame.filter(pl.col("period") == Month(2025, 5).first_day())
    quarter = _one(q, "amb_c1_mean", "Y59", "quarter")
    assert (quarter["numerator"], quarter["denominator"]) == (492_000 * 3, 1_000 * 3)
    assert quarter["months"] == 2
    assert (
        q.filter(
            pl.col("indicator_id").str.ends_with("_p90") & (pl.col("window") != "month")
        ).height
        == 0
    )


# --- reading the file ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("edit", "column", "says"),
    [
        ({("Y59", "A8"): "1001"}, "A8", "the region row for Y59 says 1,001 but its trusts "
         "(RT1, RT2) add up to 1,000"),
        ({("Y62", "A36"): "5"}, "A36", "the region row for Y62 says 5"),
        ({("Eng", "A30"): "1"}, "A30", "the national total row says 1"),
    ],
)  # fmt: skip
def test_region_and_england_rows_must_equal_their_trusts(
    tmp_path: Path, edit: dict[tuple[str, str], str], column: str, says: str
) -> None:
    path = tmp_path / "AmbSYS.csv"
    path.write_text(ambsys_text(edit=edit), encoding="utf-8")
    with pytest.raises(SourceError) as err:
        read_extract(path)
    message = err.value.one_line()
    assert "\n" not in message and "AmbSYS.csv" in message
    assert f"column '{column}'" in message and says in message
    org = next(iter(edit))[0]
    lines = ambsys_text().splitlines()
    row = next(n for n, line in enumerate(lines, start=1) if line.split(",")[3] == org)
    assert f"row {row}" in message


def test_an_unknown_region_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "AmbSYS.csv"
    path.write_text(ambsys_text().replace(",Y62,North West,", ",Y99,North West,"), "utf-8")
    with pytest.raises(SourceError) as err:
        read_extract(path)
    message = err.value.one_line()
    assert "column 'Org Code'" in message and "'Y99' is not an NHS England region" in message


def test_a_region_row_is_a_region_not_part_of_england(tmp_path: Path) -> None:
    orgs = pl.DataFrame(
        {
            "org_code": ["RT1", "Y59", ENGLAND],
            "org_name": ["ISLAND", "South East", "England"],
            "parent_name": ["Y59", "South East", "Eng"],
        }
    )
    columns = ("org_code", "org_name", "parent_code", "parent_name", "parent_level")
    hierarchy = build_hierarchy(orgs, pl.DataFrame(schema=dict.fromkeys(columns, pl.String)))
    assert hierarchy.levels["Y59"] is Level.REGION
    assert hierarchy.names["Y59"] == "NHS England South East"
    assert sorted(hierarchy.ancestors.iter_rows()) == [("RT1", ENGLAND), ("RT1", "Y59")]


# --- the catalogue: every non-additive figure is published-only --------------------------


def test_every_indicator_declares_where_it_exists(cat: Catalogue) -> None:
    """The audit of indicators/*.toml: a centile, median or ambulance figure is read as
    published for each level; everything added up is made of additive counts."""
    for ind in cat.indicators.values():
        measures = set(ind.numerator.measures())
        if ind.denominator is not None:
            measures |= set(ind.denominator.measures())
        if measures & NON_ADDITIVE or ind.over_time is OverTime.NONE:
            assert ind.rollup is Rollup.PUBLISHED and ind.over_time is OverTime.NONE, ind.id
        if ind.family == "ambsys":
            assert ind.rollup is Rollup.PUBLISHED, ind.id
            assert ind.levels == AMBULANCE_LEVELS, ind.id
        if ind.rollup is Rollup.SUM:
            assert not measures & NON_ADDITIVE, ind.id
            assert ind.levels == frozenset(Level), ind.id


@pytest.fixture
def config(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "indicators", tmp_path / "indicators")
    shutil.copy(ROOT / "thresholds.toml", tmp_path / "thresholds.toml")
    return tmp_path


P90 = (
    '[indicators.amb_c1_p90]\nname = "Ambulance: category 1 90th centile"\nunit = "seconds"\n'
    'direction = "lower"\nrollup = '
)


@pytest.mark.parametrize(
    ("file", "old", "new", "key", "problem"),
    [
        ("ambulance.toml", P90 + '"published"', P90 + '"sum"', "indicators.amb_c1_p90.rollup",
         "never added up: use 'published'"),
        ("ambulance.toml", 'over_time = "none"\nnumerator = "amb_c1_p90_s"',
         'over_time = "sum"\nnumerator = "amb_c1_p90_s"', "indicators.amb_c1_p90.over_time",
         "amb_c1_p90_s cannot be combined over months"),
        ("ambulance.toml", 'levels = ["organisation", "region", "england"]\nnumerator = '
         '"amb_c1_total_s"', 'levels = ["trust", "region"]\nnumerator = "amb_c1_total_s"',
         "indicators.amb_c1_mean.levels", "expected one of organisation, icb, region, england, "
         "got 'trust'"),
        ("ambulance.toml", 'levels = ["organisation", "region", "england"]\nnumerator = '
         '"amb_c1_total_s"', 'levels = []\nnumerator = "amb_c1_total_s"',
         "indicators.amb_c1_mean.levels", "expected a list of levels"),
        ("ambulance.toml", 'rollup = "published"\nlevels = ["organisation", "region", '
         '"england"]\nnumerator = "amb_c1_total_s"', 'rollup = "averaged"\nnumerator = '
         '"amb_c1_total_s"', "indicators.amb_c1_mean.rollup", "expected one of sum, published"),
        ("local.toml", 'numerator = "mrsa_cases_value"', 'numerator = "mrsa_cases_value"\n'
         'rollup = "sum"', "indicators.mrsa_cases.rollup", "local return belongs to its "
         "organisation"),
    ],
)  # fmt: skip
def test_a_figure_that_cannot_be_added_up_cannot_be_declared_so(
    config: Path, file: str, old: str, new: str, key: str, problem: str
) -> None:
    path = config / "indicators" / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(DefinitionError) as err:
        load_catalogue(config)
    assert err.value.key == key
    assert problem in str(err.value) and "\n" not in str(err.value)


# --- an ICB board monitors its ambulance service ------------------------------------------

BOARD = """title = "ICB board"
audience = "ICB board"
org = "QA1"
{service}
[[domains]]
name = "Urgent care"

[[domains.rows]]
indicator = "amb_c1_mean"
{org}
[[domains.rows]]
indicator = "amb_c1_p90"
org = "Y59"
"""


def test_an_icb_board_row_monitors_the_declared_ambulance_trust(
    tmp_path: Path, cat: Catalogue
) -> None:
    store = _store(tmp_path, ambsys_text())
    spec = load_board(_write(tmp_path, 'ambulance_service = "RT1"'), cat)
    card = api.board_for(store, cat, spec, Month(2025, 4))
    c1, p90 = card.rows
    assert (c1.org_code, c1.org_name) == ("RT1", "Island Ambulance NHS Trust")
    assert c1.month.value.value == pytest.approx(620.0)  # RT1's own 62,000 s / 100
    assert (p90.org_code, p90.month.value.value) == ("Y59", 874)  # the published region row


def _write(tmp_path: Path, service: str = "", org: str = "") -> Path:
    path = tmp_path / "icb.toml"
    path.write_text(BOARD.format(service=service, org=org), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("service", "org", "key", "problem"),
    [
        ("", "", "domains[1].rows[1]", "amb_c1_mean is published for organisations, regions "
         "and England only, not for QA1, an ICB"),
        ("", 'org = "QB1"', "domains[1].rows[1].org", "not for QB1, an ICB"),
        ('ambulance_service = "QB1"', "", "ambulance_service", "QB1 (NHS Downs ICB) has no "
         "ambulance figures in the store: expected an ambulance trust (RT1, RT2, RT3)"),
        ('ambulance_service = "ZZ9"', "", "ambulance_service", "unknown organisation 'ZZ9'"),
    ],
)  # fmt: skip
def test_an_ambulance_row_for_an_icb_is_refused_naming_the_row(
    tmp_path: Path, cat: Catalogue, service: str, org: str, key: str, problem: str
) -> None:
    store = _store(tmp_path, ambsys_text())
    spec = load_board(_write(tmp_path, service, org), cat)
    with pytest.raises(DefinitionError) as err:
        monitored(spec, cat, store.hierarchy(), reporting_orgs(store, "ambsys"))
    assert err.value.key == key
    assert problem in str(err.value) and "\n" not in str(err.value)


@pytest.fixture(scope="module")
def cli_store(ingested: Ingested, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file of the synthetic AmbSYS file and mapping, ingested through the CLI (once:
    the commands of the tests that take it only read it)."""
    data = tmp_path_factory.mktemp("data")
    (data / "AmbSYS-to-Apr-2025.csv").write_text(ambsys_text(), encoding="utf-8")
    (data / "System-Mapping.csv").write_text(MAPPING, encoding="utf-8")
    return ingested(*sorted(data.iterdir()))


def test_the_cli_refuses_an_icb_ambulance_row_in_one_line(tmp_path: Path, cli_store: Path) -> None:
    db = cli_store
    board = _write(tmp_path)
    args = ["build", "--db", str(db), "--scorecard", str(board), "--out", str(tmp_path / "o")]
    result = runner.invoke(app, [*args, "--period", "2025-04"])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert "icb.toml" in line and "domains[1].rows[1]" in line and "ambulance_service" in line
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize(
    "args",
    [
        ["values", "--org", "QA1", "--indicator", "amb_c2_mean"],
        ["values", "--org", "QA1", "--indicator", "amb_c2_mean", "--period", "2025-04"],
        ["explain", "amb_c2_mean", "--org", "QA1"],
        ["chart", "amb_c2_mean", "--org", "QA1"],
        ["history", "amb_c2_mean", "--org", "QA1"],
    ],
)
def test_asking_for_an_icb_ambulance_figure_says_where_it_is_published(
    tmp_path: Path, cli_store: Path, args: list[str]
) -> None:
    db = cli_store
    out = ["--out", str(tmp_path / "o")] if args[0] == "chart" else []
    result = runner.invoke(app, [*args, "--db", str(db), *out])
    assert result.exit_code == 1
    (line,) = result.output.strip().splitlines()
    assert "published for organisations, regions and England only, not for an ICB (QA1)" in line
