"""The RTT levels NHS England prints, read from its real files (skipped when ../shared is absent).

March 2015, commissioner basis. The workbook's National, Region and Area Team sheets are
stored as printed: England 2,800,845 of 3,006,877 within 18 weeks (93.15%), region Y54
94.1%, area team Q46 94.6%. The national file alone (the National sheet saved as CSV, no
organisation columns) gives England the same figures.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.model import ENGLAND, Level
from scorecard.sources import read_extract, read_extracts
from scorecard.store import Store

REAL = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "rtt"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/data/real is absent")
XLS = REAL / "original_xls" / "Incomplete-Commissioner-Mar15-revised-XLS-2357K.xls"
NATIONAL = REAL / "RTT-Incomplete-National-2015-03.csv"
COMMISSIONER = REAL / "RTT-Incomplete-Commissioner-2015-03.csv"
runner = CliRunner()


def _ingest(path: Path, *files: Path) -> Path:
    result = runner.invoke(app, ["ingest", *map(str, files), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _ingest(tmp_path_factory.mktemp("rttlev") / "rtt.duckdb", XLS)


def _value(db: Path, org: str, indicator: str = "rtt_incomplete_18wk_pct") -> dict[str, str]:
    args = ["values", "--db", str(db), "--org", org, "--indicator", indicator]
    result = runner.invoke(app, [*args, "--period", "2015-03"])
    assert result.exit_code == 0, result.output
    (row,) = csv.DictReader(io.StringIO(result.stdout))
    return row


@pytest.fixture(scope="module")
def every_org(db: Path) -> dict[str, dict[str, str]]:
    """Every organisation's March 2015 row of `rtt_incomplete_18wk_pct`, from one
    `scorecard values` (each the row `values --org ORG` gives, as the acceptance test holds)."""
    args = ["values", "--db", str(db), "--indicator", "rtt_incomplete_18wk_pct"]
    result = runner.invoke(app, [*args, "--period", "2015-03"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    by_org = {r["org_code"]: r for r in rows}
    assert len(by_org) == len(rows)
    return by_org


def _printed(sheet: str) -> dict[str, tuple[float, float, float]]:
    """Each level's IP999 row as the sheet prints it: (total, within 18 weeks, fraction)."""
    cells = CalamineWorkbook.from_path(str(XLS)).get_sheet_by_name(sheet)
    rows = [[str(c).strip() for c in r] for r in cells.to_python(skip_empty_area=False)]
    header = rows[13]
    at = {name: header.index(name) for name in header if name}
    code = at.get("Region Code", at.get("Area Team Code"))
    return {
        (r[code] if code is not None else ENGLAND): (
            float(r[at["Total number of incomplete pathways"]]),
            float(r[at["Total within 18 weeks"]]),
            float(r[at["% within 18 weeks"]]),
        )
        for r in rows[14:]
        if r[at["Treatment Function Code"]] == "IP999"
    }


def test_acceptance_region_y54_and_area_team_q46(
    db: Path, every_org: dict[str, dict[str, str]]
) -> None:
    y54, q46 = _value(db, "Y54"), _value(db, "Q46")
    assert (y54, q46) == (every_org["Y54"], every_org["Q46"])
    assert (y54["numerator"], y54["denominator"]) == ("803068", "853039")
    assert f"{float(y54['value']):.1f}" == "94.1"
    assert (q46["numerator"], q46["denominator"]) == ("136143", "143971")
    assert f"{float(q46['value']):.1f}" == "94.6"


def test_england_is_the_national_sheet_as_printed(db: Path) -> None:
    row = _value(db, ENGLAND)
    assert (row["numerator"], row["denominator"]) == ("2800845", "3006877")
    assert f"{float(row['value']):.2f}" == "93.15"
    median = _value(db, ENGLAND, "rtt_incomplete_median_wk")
    assert f"{float(median['value']):.2f}" == "5.56"


@pytest.mark.parametrize("sheet", ["National", "Region", "Area Team"])
def test_every_level_row_equals_the_sheet(every_org: dict[str, dict[str, str]], sheet: str) -> None:
    """Every region's and area team's figure is its printed row: the counts exactly, the
    percentage to the full precision of the sheet's own fraction."""
    printed = _printed(sheet)
    assert len(printed) == {"National": 1, "Region": 4, "Area Team": 25}[sheet]
    for code, (total, within, fraction) in printed.items():
        row = every_org[code]
        assert (float(row["numerator"]), float(row["denominator"])) == (within, total), code
        assert float(row["value"]) == pytest.approx(100 * fraction, rel=1e-12), code


def test_levels_sit_in_the_hierarchy_without_being_added_up(db: Path) -> None:
    with Store.open(db, read_only=True) as store:
        hierarchy = store.hierarchy()
    assert hierarchy.levels["Y54"] is Level.REGION
    assert hierarchy.names["Y54"] == "North of England Commissioning Region"
    assert hierarchy.levels["Q46"] is Level.ICB
    assert hierarchy.levels["00T"] is Level.ORGANISATION  # NHS Bolton CCG, in Q46
    assert "00T" in hierarchy.descendants("Q46")
    england = hierarchy.descendants(ENGLAND)
    assert "00T" in england and "X24" in england  # the commissioning hub is no region
    assert not {"Y54", "Y56", "Q46", "Q71"} & set(england)


def test_the_national_file_is_its_own_layout() -> None:
    extract = read_extract(NATIONAL)
    assert (extract.format, extract.scope) == ("rtt_national_sheet", "level:england")
    assert extract.orgs["org_code"].to_list() == [ENGLAND]
    got = dict(extract.observations.select("measure", "value").iter_rows())
    assert got["rtt_incomplete_total"] == 3_006_877
    assert got["rtt_incomplete_within_18wk"] == 2_800_845
    assert got["rtt_incomplete_over_52wk"] == 475  # the open-ended `52 plus` band
    assert round(got["rtt_incomplete_median_wk"], 2) == 5.56


def test_national_and_commissioner_files_are_both_in_use(tmp_path: Path) -> None:
    db = _ingest(tmp_path / "two.duckdb", NATIONAL, COMMISSIONER)
    assert _value(db, ENGLAND)["denominator"] == "3006877"
    assert _value(db, "00T")["denominator"] == "14929"
    assert _value(db, "Q46")["denominator"] == "143971"  # its CCGs added up: none printed


def test_each_sheet_names_its_rows() -> None:
    extracts = {e.file.rpartition("[")[2].rstrip("]"): e for e in read_extracts(XLS)}
    rows = dict(extracts["Area Team"].orgs.select("org_code", "rows").iter_rows())
    assert rows["Q46"] == "74"  # the area team's all-specialties (IP999) row
    national = extracts["National"].orgs.select("org_code", "rows").iter_rows()
    assert dict(national) == {ENGLAND: "34"}
