"""Your own organisations file (Code, Name, Parent, Kind): a CCG and its area team in 2013, a
place, a provider collaborative; validated in one pass, and followed by roll-ups, cards and
boards."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import SourceError
from scorecard.hierarchy import build_hierarchy
from scorecard.model import Level
from scorecard.sources import detect_format, read_extract
from scorecard.sources.organisations import OrganisationsCsv
from scorecard.store import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data"
runner = CliRunner()
CCG_2013 = """Code,Name,Parent,Kind
02H,NHS Wigan Borough CCG,Q46,CCG
Q46,Greater Manchester Area Team,Y54,Area team
Y54,North of England,,Region
"""
LOCAL_2013 = """Indicator,Org Code,Period,Value,Numerator,Denominator,Plan,Comment
mrsa_cases,02H,2013-04,1,,,,
vte_risk_assessed_pct,02H,2013-04,93.1,,,,
vte_risk_assessed_pct,02H,2013-05,94.2,,,,
vte_risk_assessed_pct,02H,2013-06,95.6,,,,
vte_risk_assessed_pct,02H,Q1 2013/14,94.4,,,,
"""


def _write(tmp_path: Path, text: str, name: str = "own-organisations.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_header_is_recognised_beside_nhs_englands_lookup() -> None:
    assert detect_format("x.csv", CCG_2013.encode()).name == "organisations_csv"
    mapping = (SAMPLE / "orgs" / "System-Mapping.csv").read_bytes()
    assert detect_format("System-Mapping.csv", mapping).name == "system_mapping_csv"


def test_a_2013_ccg_area_team_and_region_are_declared(tmp_path: Path) -> None:
    extract = read_extract(_write(tmp_path, CCG_2013))
    assert (extract.format, extract.dataset, extract.scope) == (
        "organisations_csv", "organisations", "own-organisations",
    )  # fmt: skip
    assert extract.links is not None
    hierarchy = build_hierarchy(_no_orgs(), extract.links)
    assert hierarchy.names["02H"] == "NHS Wigan Borough CCG"  # as written
    assert hierarchy.levels["02H"] is Level.ORGANISATION
    assert hierarchy.levels["Q46"] is Level.ICB and hierarchy.levels["Y54"] is Level.REGION
    assert hierarchy.kinds["Q46"] == "area_team"
    assert hierarchy.descendants("Y54") == ["02H", "Q46"]
    # England adds up organisations; a region's or an area team's own printed row (the RTT
    # Region and Area Team sheets) is never added in again.
    assert hierarchy.descendants("ENG") == ["02H"]


def _no_orgs() -> pl.DataFrame:
    return pl.DataFrame(schema={"org_code": pl.String, "org_name": pl.String,
                                "parent_name": pl.String})  # fmt: skip


BAD = """Code,Name,Parent,Kind
PLA,Place A,PLB,Place
PLB,Place B,PLA,Place
RX1,Trust one,NOPE,Trust
RX2,Trust two,RX1,Trust
RX2,Trust two again,,Trust
ENG,England,,Region
RX3,,PLA,Trust
RX4,Trust four,PLA,Hospital
CLA,Collaborative,RX4,Collaborative
"""


def test_every_bad_row_is_one_line_naming_row_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, BAD)
    db = tmp_path / "s.duckdb"
    result = runner.invoke(app, ["ingest", str(path), "--db", str(db)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    f = "error: own-organisations.csv"
    assert result.output.strip().splitlines() == [
        f"{f}, column 'Parent', row 2: expected the parents to reach the top; they go round in "
        "a circle: PLA -> PLB -> PLA, got 'PLB'",
        f"{f}, column 'Parent', row 4: unknown parent NOPE: expected a Code of this file, one "
        "of NHS England's region codes (Y56, Y58, Y59, Y60, Y61, Y62, Y63), ENG, or an empty "
        "cell, got 'NOPE'",
        f"{f}, column 'Parent', row 5: expected a parent at the level of RX2 (organisation) or "
        "above: RX1 is an organisation, and only a group, region or England adds organisations "
        "up, got 'RX1'",
        f"{f}, column 'Code', row 6: duplicate Code: RX2 is declared on row 5 too; expected "
        "once, got 'RX2'",
        f"{f}, column 'Code', row 7: expected a code of 3 to 6 letters and digits (not ENG, "
        "which is England), got 'ENG'",
        f"{f}, column 'Name', row 8: expected a name, got an empty cell",
        f"{f}, column 'Kind', row 9: expected a kind: one of provider, trust, commissioner, "
        "ccg, sub_icb, practice, organisation, icb, area_team, place, collaborative, "
        "provider_collaborative, system, group, region, got 'Hospital'",
        "error: 7 problems in 1 file",
    ]
    assert not db.exists() or _empty(db)


def _empty(db: Path) -> bool:
    with Store.open(db, read_only=True) as store:
        return store.links().height == 0


def test_a_group_in_a_group_is_allowed_but_not_under_an_organisation() -> None:
    text = "Code,Name,Parent,Kind\nPLA,Place A,ICA,place\nICA,An ICB,Y62,icb\n"
    assert OrganisationsCsv().parse("o.csv", text.encode(), None).links is not None
    bad = "Code,Name,Parent,Kind\nPLA,Place A,RX1,place\nRX1,Trust,,trust\n"
    with pytest.raises(SourceError) as err:
        OrganisationsCsv().parse("o.csv", bad.encode(), None)
    assert "expected a parent at the level of PLA (ICB) or above" in str(err.value)


def test_boards_cards_and_values_work_for_your_own_organisations(tmp_path: Path) -> None:
    db = tmp_path / "s.duckdb"
    files = [_write(tmp_path, CCG_2013), _write(tmp_path, LOCAL_2013, "ccg-2013.csv")]
    result = runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)])
    assert result.exit_code == 0, result.output
    values = runner.invoke(
        app, ["values", "--db", str(db), "--org", "02H", "--indicator", "vte_risk_assessed_pct",
              "--window", "quarter", "--period", "2013-06"],
    )  # fmt: skip
    assert values.output.splitlines()[1].startswith(
        'vte_risk_assessed_pct,02H,2013-06,"","",94.4,'
    )  # the file's own Q1 figure, no counts
    board = _write(tmp_path, BOARD, "governing-body.toml")
    out = tmp_path / "out"
    built = runner.invoke(app, ["build", "--db", str(db), "--scorecard", str(board),
                                "--out", str(out)])  # fmt: skip
    assert built.exit_code == 0, built.output
    page = (out / "governing-body-02H-2013-06.html").read_text(encoding="utf-8")
    assert "NHS Wigan Borough CCG (02H)" in page
    catalogue = api.catalogue()
    with api.open_store(db) as store:
        card = api.scorecard_for(store, catalogue, "02H", None)
        assert store.hierarchy().names["Q46"] == "Greater Manchester Area Team"
    assert {r.indicator.id for r in card.rows} == {"mrsa_cases", "vte_risk_assessed_pct"}


BOARD = """title = "Governing body performance report"
audience = "Governing body"
org = "02H"
rate_by = "quarter"

[[domains]]
name = "Quality"

[[domains.rows]]
indicator = "vte_risk_assessed_pct"

[[domains.rows]]
indicator = "mrsa_cases"
"""


def test_a_place_adds_up_its_providers_beside_nhs_englands_lookup(tmp_path: Path) -> None:
    trust = "Code,Name,Parent,Kind\nZA1,Northgate Hospitals,ZP1,trust\nZP1,Northgate place,,place\n"
    db = tmp_path / "s.duckdb"
    ae = sorted((SAMPLE / "ae").glob("*.csv"))[-2:]
    files = [*ae, SAMPLE / "orgs" / "System-Mapping.csv", _write(tmp_path, trust, "trust.csv")]
    result = runner.invoke(app, ["ingest", *map(str, files), "--db", str(db)])
    assert result.exit_code == 0, result.output
    args = ["values", "--db", str(db), "--indicator", "ae_4hr_all_pct", "--period", "2025-09"]
    place_line = runner.invoke(app, [*args, "--org", "ZP1"]).output.splitlines()[1]
    trust_line = runner.invoke(app, [*args, "--org", "ZA1"]).output.splitlines()[1]
    assert place_line.split(",")[3:6] == trust_line.split(",")[3:6]  # the place is its trust
    with api.open_store(db) as store:
        hierarchy = store.hierarchy()
    assert {"ZI1", "ZP1", "ENG"} <= set(
        hierarchy.ancestors.filter(hierarchy.ancestors["org_code"] == "ZA1")["ancestor"]
    )  # its ICB from NHS England's lookup, and the place of your own
