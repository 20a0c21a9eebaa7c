"""Domain narratives: the files a board names, validated; shown under each domain."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from sample_board import copy_config, trust_board
from typer.testing import CliRunner

from scorecard import api
from scorecard.cli import app
from scorecard.errors import DefinitionError, SourceError
from scorecard.model import Scorecard
from scorecard.narrative import load_narratives, parse_narratives
from scorecard.periods import Month
from scorecard.render.sections import domains_html

ROOT = Path(__file__).resolve().parents[1]
HEADER = "Domain,Period,Narrative\n"
DOMAINS: dict[str, str | None] = {"safe": "Safe care", "safe care": "Safe care"}
EVIL = "<script>alert(1)</script>"
runner = CliRunner()


def _parse(body: str) -> dict[tuple[str, Month], tuple[str, int]]:
    return parse_narratives("n.csv", (HEADER + body).encode(), DOMAINS, "safe (Safe care)")


def test_narratives_are_read_by_domain_and_month() -> None:
    found = _parse('safe,2025-09,"**Assured**\n- one"\nSAFE  CARE,Aug-25,Text & more\n')
    assert found == {
        ("Safe care", Month(2025, 9)): ("**Assured**\n- one", 2),
        ("Safe care", Month(2025, 8)): ("Text & more", 3),
    }


@pytest.mark.parametrize(
    ("body", "column", "row", "expected"),
    [
        ("Finance,2025-09,x\n", "Domain", 2, "expected a domain of the board (safe (Safe care))"),
        ("safe,09/2025,x\n", "Period", 2, "expected a month as YYYY-MM"),
        ("safe,2025-09,\n", "Narrative", 2, "expected a value, got an empty cell"),
        ("safe,2025-09,a\nSafe care,Sep 2025,b\n", "Period", 3,
         "a second narrative for Safe care in Sep 2025 (the first is row 2)"),
    ],
)  # fmt: skip
def test_a_bad_narrative_is_one_line_naming_file_row_and_column(
    body: str, column: str, row: int, expected: str
) -> None:
    with pytest.raises(SourceError) as err:
        _parse(body)
    [line] = err.value.lines()
    assert line.startswith(f"n.csv, column '{column}', row {row}: {expected}"), line


def test_a_missing_column_is_named_at_the_header() -> None:
    with pytest.raises(SourceError, match=r"^n.csv, column 'Narrative', row 1: missing column"):
        parse_narratives("n.csv", b"Domain,Period,Text\nsafe,2025-09,x\n", DOMAINS, "safe")


def test_one_domain_and_month_in_two_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(HEADER + "safe,2025-09,a\n")
    (tmp_path / "b.csv").write_text(HEADER + "safe,2025-08,b\nsafe,2025-09,c\n")
    files = [("a.csv", tmp_path / "a.csv"), ("b.csv", tmp_path / "b.csv")]
    with pytest.raises(SourceError) as err:
        load_narratives(files, DOMAINS, "safe")
    assert err.value.one_line() == (
        "b.csv, column 'Period', row 3: a second narrative for Safe care in Sep 2025 (the "
        "first is a.csv, row 2)"
    )


def test_the_definition_names_files_that_exist(tmp_path: Path) -> None:
    board = (ROOT / "scorecards" / "icb-board.toml").read_text()
    path = tmp_path / "board.toml"
    path.write_text(f'narratives = ["n.csv"]\n{board}')
    with pytest.raises(DefinitionError, match=r"key 'narratives': no file 'n\.csv'"):
        api.board_spec(path, api.catalogue(ROOT))
    path.write_text(f"narratives = 3\n{board}")
    with pytest.raises(DefinitionError, match="expected a file, or a list of files"):
        api.board_spec(path, api.catalogue(ROOT))


@pytest.fixture(scope="module")
def card() -> Scorecard:
    return trust_board()


def test_each_domain_shows_its_months_narrative_under_its_heading(card: Scorecard) -> None:
    assert all(d.narrative for d in card.domains)
    html = domains_html(card)
    safe = html.index("Safe: infection prevention and safeguarding")
    narrative = html.index("We are <strong>partially assured</strong>. No MRSA case")
    assert safe < narrative < html.index("Responsive: NHS Constitution standards")
    assert "<li>Ward 7 decanted for a deep clean</li>" in html
    assert "Risks linked to this domain:" in html


def test_a_missing_narrative_is_said_and_hostile_text_is_escaped(card: Scorecard) -> None:
    first, second, *rest = card.domains
    domains = (replace(first, narrative=None), replace(second, narrative=f"**{EVIL}** & x"), *rest)
    html = domains_html(replace(card, domains=domains))
    assert '<p class="sc-none">No narrative for Sep 2025.</p>' in html
    assert "<strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong> &amp; x" in html
    assert "<script>" not in html


def test_narratives_are_in_the_workbook_and_two_builds_are_byte_identical(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    board = str(config / "scorecards" / "trust-board.toml")
    out = tmp_path / "out"
    built = []
    for _ in range(2):  # into one folder: the manifest records the command, --out and all
        args = ["build", "--config", str(config), "--scorecard", board, "--out", str(out)]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        built.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert built[0] and built[0] == built[1]
    manifest = (out / "trust-board-ZA1-2025-09.manifest.json").read_text()
    assert '"file": "scorecards/trust-board/narratives.csv"' in manifest
    assert not re.search(r'"file": "/', manifest)  # no machine path
    book = CalamineWorkbook.from_path(str(out / "trust-board-ZA1-2025-09.xlsx"))
    summary = book.get_sheet_by_name("Summary").to_python()
    head = next(i for i, line in enumerate(summary) if line[0] == "Domain")
    assert summary[head][4:6] == ["Narrative", "Linked risks"]
    assert str(summary[head + 1][4]).startswith("We are **partially assured**.")
    assert str(summary[head + 1][5]).startswith("CR01 Registered nurse staffing")


def test_a_bad_narrative_file_stops_the_build_with_one_line(tmp_path: Path) -> None:
    config = copy_config(tmp_path)
    path = config / "scorecards" / "trust-board" / "narratives.csv"
    path.write_text(path.read_text().replace("caring,2025-08", "kind,2025-08"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["build", "--config", str(config), "--out", str(out)])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert result.output.startswith(
        "error: scorecards/trust-board/narratives.csv, column 'Domain', row 6: expected a "
        "domain of the board (safe (Safe: infection"
    )
    assert not out.exists() or not any(out.iterdir())
