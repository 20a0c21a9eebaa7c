"""The risk register: bands, register files (CSV and .xlsx), movement, heat map, rendering."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from pathlib import Path

import pytest
import xlsxwriter  # type: ignore[import-untyped]
from sample_board import copy_config, trust_board
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import DefinitionError, SourceError
from scorecard.model import Scorecard
from scorecard.periods import Month
from scorecard.render.html import render_html
from scorecard.render.risks import risks_html
from scorecard.risks.read import parse_register
from scorecard.risks.register import build_register, register_files
from scorecard.risks.types import SCORES, Movement, Risk, RiskBand, RiskSpec

ROOT = Path(__file__).resolve().parents[1]
HEADER = (
    "ID,Title,Domain,Owner,Likelihood,Impact,Target Likelihood,Target Impact,Controls,"
    "Actions,Review Date\n"
)
DOMAINS: dict[str, str | None] = {"safe": "Safe care", "safe care": "Safe care"}
EVIL = "<script>alert(1)</script>"
BANDS = (
    RiskBand("Extreme", 15, 25, "Red"),
    RiskBand("High", 8, 12, "Amber/Red"),
    RiskBand("Medium", 4, 6, "Amber"),
    RiskBand("Low", 1, 3, "Green"),
)
runner = CliRunner()


def _spec(folder: Path = Path("risks")) -> RiskSpec:
    return RiskSpec(folder, "risks", None, BANDS)


def _parse(body: str, file: str = "risks/2025-09.csv") -> tuple[Risk, ...]:
    return parse_register(file, (HEADER + body).encode(), DOMAINS, "safe (Safe care)")


def _line(rid: str, lk: int | str = 3, im: int | str = 4, domain: str = "safe") -> str:
    return f"{rid},Title {rid},{domain},Owner,{lk},{im},1,2,Controls,Actions,2025-10-31\n"


def test_a_register_is_read_with_its_domains_and_scores() -> None:
    [risk, other] = _parse(_line("CR1") + "CR2,T & t,,Owner,5,5,2,2,,,31/12/2025\n")
    assert risk.domain == "Safe care" and risk.score == 12 and risk.target_score == 2
    assert other.domain is None and other.review is not None
    assert other.review.isoformat() == "2025-12-31" and other.controls == "" and other.row == 3


@pytest.mark.parametrize(
    ("body", "column", "expected"),
    [
        (_line("CR1", lk=0), "Likelihood", "expected a whole number from 1 to 5, got '0'"),
        (_line("CR1", im=6), "Impact", "expected a whole number from 1 to 5, got '6'"),
        (_line("CR1", lk="2.5"), "Likelihood", "expected a whole number from 1 to 5, got '2.5'"),
        (_line("CR1", lk="three"), "Likelihood", "expected a whole number"),
        (_line("CR1", lk=""), "Likelihood", "expected a value, got an empty cell"),
        (_line("CR1", domain="Finance"), "Domain", "expected a domain of the board (safe"),
        (_line("CR1") + _line("CR1"), "ID", "a second risk with the ID of a row above"),
        ("CR1,,safe,Owner,1,1,1,1,,,\n", "Title", "expected a value, got an empty cell"),
        ("CR1,T,safe,Owner,1,1,1,1,,,next week\n", "Review Date", "expected a date as YYYY-MM-DD"),
    ],
)
def test_each_bad_cell_is_one_line_naming_file_row_and_column(
    body: str, column: str, expected: str
) -> None:
    with pytest.raises(SourceError) as err:
        _parse(body)
    [line] = err.value.lines()
    row = body.count("\n") + 1  # the last line of the body
    assert line.startswith(f"risks/2025-09.csv, column '{column}', row {row}: "), line
    assert expected in line


def test_a_missing_column_is_named_at_the_header() -> None:
    data = HEADER.replace(",Owner", "").encode() + b"CR1,T,safe,1,1,1,1,,,\n"
    with pytest.raises(SourceError) as err:
        parse_register("risks/2025-09.csv", data, DOMAINS, "safe")
    assert err.value.one_line().startswith("risks/2025-09.csv, column 'Owner', row 1: missing")


def test_every_problem_of_a_file_is_reported_together() -> None:
    with pytest.raises(SourceError) as err:
        _parse(_line("CR1", lk=0) + _line("CR2") + _line("CR3", im=9, domain="x"))
    lines = err.value.lines()
    assert [re.findall(r"row (\d+)", x)[0] for x in lines[:-1]] == ["2", "4", "4"]
    assert lines[-1] == "3 problems in 1 file"


def _workbook(rows: list[list[str | int]], sheet: str = "Register") -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    other = book.add_worksheet("Notes")
    other.write_string(0, 0, "Not this sheet")
    page = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, int):
                page.write_number(r, c, value)
            else:
                page.write_string(r, c, str(value))
    book.close()
    return buffer.getvalue()


def test_a_workbook_sheet_is_read_below_its_title_and_rows_are_the_sheets() -> None:
    head: list[str | int] = list(HEADER.strip().split(","))
    good: list[str | int] = ["CR1", "Title", "safe", "Owner", 2, 3, 1, 1, "", "", "2025-10-31"]
    bad: list[str | int] = ["CR2", "Title", "safe", "Owner", 7, 3, 1, 1, "", "", ""]
    data = _workbook([["Corporate risk register"], [], head, good])
    [risk] = parse_register("r/2025-09.xlsx", data, DOMAINS, "safe", "Register")
    assert (risk.score, risk.row) == (6, 4)
    with pytest.raises(SourceError) as err:
        parse_register(
            "r/2025-09.xlsx", _workbook([["Title"], head, good, bad]), DOMAINS, "", "Register"
        )
    assert err.value.one_line().startswith("r/2025-09.xlsx [Register], column 'Likelihood', row 4:")
    with pytest.raises(SourceError, match="no sheet 'Risks': the sheets are Notes, Register"):
        parse_register("r/2025-09.xlsx", data, DOMAINS, "safe", "Risks")
    no_owner = [h for h in head if h != "Owner"]
    with pytest.raises(SourceError) as err:
        parse_register("r/2025-09.xlsx", _workbook([["Title"], no_owner]), DOMAINS, "", "Register")
    said = err.value.one_line()
    assert said.startswith("r/2025-09.xlsx [Register], column 'Owner', row 2: missing")


def test_movement_closed_risks_order_and_heat_map() -> None:
    before = _parse(_line("CR2", 2, 2) + _line("CR10", 3, 3) + _line("CR3", 4, 4) + _line("CR9"))
    now = _parse(
        _line("CR10", 4, 4) + _line("CR2", 2, 2) + _line("CR3", 3, 3) + _line("CR11", 4, 4)
    )
    reg = build_register(
        _spec(),
        ("risks/2025-09.csv", "b", Month(2025, 9), now),
        ("risks/2025-08.csv", "a", Month(2025, 8), before),
    )
    assert [(r.risk.id, r.movement, r.previous_score) for r in reg.risks] == [
        ("CR10", Movement.UP, 9),  # 16, then by ID: CR10 before CR11 (numbers compare as such)
        ("CR11", Movement.NEW, None),
        ("CR3", Movement.DOWN, 16),
        ("CR2", Movement.SAME, 4),
    ]
    assert [r.band.name for r in reg.risks] == ["Extreme", "Extreme", "High", "Medium"]
    assert [r.id for r in reg.closed] == ["CR9"]
    assert sum(map(sum, reg.heat)) == len(reg.risks)
    for i, likelihood in enumerate(range(5, 0, -1)):
        for j, impact in enumerate(range(1, 6)):
            count = sum(
                r.risk.likelihood == likelihood and r.risk.impact == impact for r in reg.risks
            )
            assert reg.heat[i][j] == count
    first = build_register(_spec(), ("risks/2025-09.csv", "b", Month(2025, 9), now), None)
    assert {r.movement for r in first.risks} == {None} and first.closed == ()


def test_register_files_are_named_for_their_month(tmp_path: Path) -> None:
    (tmp_path / "2025-08.csv").write_text(HEADER)
    (tmp_path / "corporate-2025-09.xlsx").write_bytes(b"")
    (tmp_path / "~$2025-09.xlsx").write_bytes(b"")  # Excel's lock file
    (tmp_path / "README.md").write_text("notes")
    found = register_files(_spec(tmp_path))
    assert sorted(m.iso() for m in found) == ["2025-08", "2025-09"]
    (tmp_path / "September.csv").write_text(HEADER)
    with pytest.raises(SourceError, match=r"^risks/September.csv: expected a name ending"):
        register_files(_spec(tmp_path))
    (tmp_path / "September.csv").unlink()
    (tmp_path / "2025-08.xlsx").write_bytes(b"")
    with pytest.raises(SourceError, match="a second register for Aug 2025"):
        register_files(_spec(tmp_path))


BOARD = """title = "Board"
audience = "Trust board"
org = "ZA1"

[[domains]]
name = "Safe care"
id = "safe"

[[domains.rows]]
indicator = "mrsa_cases"

[risks]
folder = "risks"
"""
BAND = '\n[[risks.bands]]\nname = "{0}"\nfrom = {1}\nto = {2}\ncolour = "{3}"\n'
GOOD_BANDS = "".join(
    BAND.format(*b) for b in (("Extreme", 15, 25, "Red"), ("High", 8, 12, "Amber/Red"),
                              ("Medium", 4, 6, "amber"), ("Low", 1, 3, "Green"))
)  # fmt: skip


def _board(tmp_path: Path, bands: str = GOOD_BANDS, extra: str = "") -> Path:
    (tmp_path / "risks").mkdir(exist_ok=True)
    path = tmp_path / "board.toml"
    path.write_text(BOARD + extra + bands, encoding="utf-8")
    return path


def test_declared_bands_are_read_highest_first(tmp_path: Path) -> None:
    spec = api.board_spec(_board(tmp_path), api.catalogue(ROOT))
    assert spec.risks is not None
    assert [(b.name, b.low, b.high, b.colour) for b in spec.risks.bands][-2:] == [
        ("Medium", 4, 6, "Amber"),
        ("Low", 1, 3, "Green"),
    ]
    assert all(sum(b.holds(s) for b in spec.risks.bands) == 1 for s in SCORES)


@pytest.mark.parametrize(
    ("bands", "key", "problem"),
    [
        (GOOD_BANDS.replace("from = 8", "from = 6"), "risks.bands[3]",
         "scores 4-6 overlap band 'High' (risks.bands[2], 6-12)"),
        (GOOD_BANDS.replace("from = 8", "from = 9"), "risks.bands", "no band holds score 8"),
        (GOOD_BANDS.replace("to = 3", "to = 2"), "risks.bands", "no band holds score 3"),
        (GOOD_BANDS.replace("to = 25", "to = 26"), "risks.bands[1].to",
         "expected a whole number from 1 to 25, got 26"),
        (GOOD_BANDS.replace("from = 15", "from = 0"), "risks.bands[1].from", "from 1 to 25"),
        (GOOD_BANDS.replace("from = 1\n", "from = 4\n"), "risks.bands[4].to",
         "expected 3 to be 4 or more"),
        (GOOD_BANDS.replace('"Green"', '"Blue"'), "risks.bands[4].colour",
         "expected one of Green, Amber/Green, Amber, Amber/Red, Red, got 'Blue'"),
        (GOOD_BANDS.replace('"Low"', '"high"'), "risks.bands[4].name", "names risks.bands[2]"),
        (GOOD_BANDS.replace("colour", "color", 1), "risks.bands[1].color", "unknown key"),
        ("", "risks.bands", "missing required field"),
    ],
)  # fmt: skip
def test_bad_bands_fail_by_key(tmp_path: Path, bands: str, key: str, problem: str) -> None:
    with pytest.raises(DefinitionError) as err:
        api.board_spec(_board(tmp_path, bands), api.catalogue(ROOT))
    assert err.value.one_line().startswith(f"board.toml: key '{key}': "), err.value.one_line()
    assert problem in err.value.one_line()


def test_a_missing_folder_and_a_clashing_domain_id_fail_by_key(tmp_path: Path) -> None:
    path = _board(tmp_path)
    path.write_text(path.read_text().replace('folder = "risks"', 'folder = "nowhere"'))
    with pytest.raises(DefinitionError, match=r"key 'risks\.folder': no folder 'nowhere'"):
        api.board_spec(path, api.catalogue(ROOT))
    twice = '\n[[domains]]\nname = "Other"\nid = "Safe care"\n\n[[domains.rows]]\n'
    twice += 'indicator = "cdiff_cases"\n'
    path.write_text(BOARD.replace("\n[risks]", twice + "\n[risks]") + GOOD_BANDS)
    with pytest.raises(DefinitionError, match=r"key 'domains\[2\].id': 'Safe care' also names"):
        api.board_spec(path, api.catalogue(ROOT))


@pytest.fixture(scope="module")
def sample_card() -> Scorecard:
    return trust_board()


def test_the_sample_board_shows_its_register(sample_card: Scorecard) -> None:
    reg = sample_card.risks
    assert (
        reg is not None and reg.period == Month(2025, 9) and reg.previous_period == Month(2025, 8)
    )
    moved = {r.risk.id: r.movement for r in reg.risks}
    assert moved["CR01"] is Movement.UP and moved["CR02"] is Movement.DOWN
    assert moved["CR08"] is Movement.NEW and [r.id for r in reg.closed] == ["CR09"]
    scores = [r.risk.score for r in reg.risks]
    assert scores == sorted(scores, reverse=True)
    safe = sample_card.domains[0]
    assert [r.risk.id for r in safe.risks] == ["CR01", "CR06"]
    html = render_html(sample_card)
    assert "<h3>Risk register</h3>" in html and "CR01 Registered nurse staffing" in html
    files = {c.file for c in sample_card.config}
    assert {
        "scorecards/trust-board/risks/2025-09.csv",
        "scorecards/trust-board/risks/2025-08.csv",
    } <= files


def test_the_heat_map_counts_equal_the_register(sample_card: Scorecard) -> None:
    reg = sample_card.risks
    assert reg is not None
    html = risks_html(sample_card)
    heat = html[html.index('<table class="sc-plain sc-heat">') :]
    counts = [int(n) for n in re.findall(r"<td [^>]*><strong>(\d+)</strong>", heat)]
    assert len(counts) == 25 and sum(counts) == len(reg.risks)
    assert "<strong>2</strong><br><small>Extreme 16</small>" in heat  # CR01 and CR08: 4 x 4
    assert "<small>Low 1</small>" in heat  # every cell names its band and score in words


def test_movement_is_an_arrow_and_a_word(sample_card: Scorecard) -> None:
    html = risks_html(sample_card)
    assert '<span aria-hidden="true">&#8593;</span> Up from 12' in html
    assert '<span aria-hidden="true">&#8595;</span> Down from 16' in html
    assert "<td>New</td>" in html and "No change" in html
    assert "Closed since Aug 2025: CR09" in html


def test_hostile_register_text_is_escaped(sample_card: Scorecard) -> None:
    reg = sample_card.risks
    assert reg is not None
    first = reg.risks[0]
    evil = replace(first, risk=replace(first.risk, title=EVIL, owner="A & B", controls=EVIL))
    card = replace(sample_card, risks=replace(reg, risks=(evil, *reg.risks[1:])))
    html = risks_html(card)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "A &amp; B" in html


def test_a_bad_register_stops_the_build_with_one_line_and_writes_nothing(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    path = config / "scorecards" / "trust-board" / "risks" / "2025-09.csv"
    path.write_text(path.read_text().replace("CR03,Elective recovery", "CR01,Elective recovery"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 1
    assert result.output == (
        "error: scorecards/trust-board/risks/2025-09.csv, column 'ID', row 4: a second risk "
        "with the ID of a row above\n"
    )
    assert not out.exists() or not any(out.iterdir())


def test_a_board_before_its_first_register_says_so(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    board = config / "scorecards" / "trust-board.toml"
    catalogue = api.catalogue(config)
    spec = api.board_spec(board, catalogue)
    with api.open_store(None) as store:
        card = api.board_for(store, catalogue, spec, Month(2025, 7))
    assert card.risks is None
    assert "No risk register in scorecards/trust-board/risks for Jul 2025 or earlier." in (
        risks_html(card)
    )
    assert all(d.risks == () for d in card.domains)
