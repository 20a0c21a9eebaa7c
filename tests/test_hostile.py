"""Safe output: hostile text from every place text comes from (a published file's
organisation and ICB names, commentary, a local-measures comment, indicator names and a
scorecard definition's title, audience and domain names) is escaped in every HTML and SVG
output, built end to end through the CLI.

The check parses each output: no element or attribute may come from the hostile text (no
`<script>`, no `<img>`, no `on...=` handler), and the text itself must still be there,
escaped, for the reader to see.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scorecard.cli import app

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "' onmouseover='alert(3)",
    "</table><iframe src=javascript:alert(4)>",
    "&lt;b&gt; & &amp; ]]> {{7*7}}",
)
EVIL = " ".join(HOSTILE)
runner = CliRunner()


class _Tags(HTMLParser):
    """Every tag and attribute name in a document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.attributes: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.attributes.update(name for name, _ in attrs)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _toml(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def _edit_csv(path: Path, edit: dict[str, str], where: tuple[str, str]) -> None:
    """Set columns of the rows whose column where[0] equals where[1]."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    header = list(rows[0])
    for row in rows:
        if row[where[0]] == where[1]:
            row.update(edit)
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    base = tmp_path_factory.mktemp("hostile")
    config = base / "config"
    for part in ("indicators", "scorecards"):
        shutil.copytree(ROOT / part, config / part)
    shutil.copy(ROOT / "thresholds.toml", config)
    ae = config / "indicators" / "ae.toml"
    ae.write_text(
        ae.read_text().replace(
            'name = "A&E: seen within 4 hours, all types"', f"name = {_toml('A&E ' + EVIL)}"
        )
    )
    board = config / "scorecards" / "trust-board.toml"
    text = board.read_text()
    for old in (
        'title = "Northgate Hospitals NHS Foundation Trust: integrated performance report"',
        'audience = "Trust board, public session"',
        'name = "Safe: infection prevention and safeguarding"',
    ):
        key = old.split(" = ")[0]
        assert old in text
        text = text.replace(old, f"{key} = {_toml(EVIL)}")
    board.write_text(text)
    data = base / "data"
    shutil.copytree(ROOT / "data" / "ae", data / "ae")
    for path in (data / "ae").glob("*.csv"):
        _edit_csv(path, {"Org name": EVIL}, ("Org Code", "ZA1"))
    for folder in ("commentary", "local", "orgs"):
        shutil.copytree(ROOT / "data" / folder, data / folder)
    _edit_csv(next((data / "commentary").glob("*.csv")), {"Commentary": EVIL}, ("Org Code", "ZA1"))
    _edit_csv(data / "local" / "local-measures.csv", {"Comment": EVIL}, ("Org Code", "ZA1"))
    _edit_csv(data / "orgs" / "System-Mapping.csv", {"ICB Name": EVIL}, ("ICB Code", "ZI1"))
    db = base / "store.duckdb"
    files = [str(p) for p in sorted(data.glob("*/*.csv"))]
    out = base / "out"
    for args in (
        ["ingest", *files, "--db", str(db)],
        ["build", "--db", str(db), "--config", str(config), "--out", str(out)],
        ["build", "--db", str(db), "--config", str(config), "--org", "ZA1", "--out", str(out)],
        ["chart", "ae_4hr_all_pct", "--org", "ZA1", "--db", str(db), "--config", str(config),
         "--out", str(out)],
    ):  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    return sorted(p for p in out.iterdir() if p.suffix in (".html", ".svg"))


def test_no_hostile_markup_reaches_any_output(outputs: list[Path]) -> None:
    assert {p.suffix for p in outputs} == {".html", ".svg"} and len(outputs) >= 5
    for path in outputs:
        parsed = _Tags()
        parsed.feed(path.read_text(encoding="utf-8"))
        assert not parsed.tags & {"script", "img", "iframe"}, path.name
        assert not {a for a in parsed.attributes if a.startswith("on")}, path.name


def test_the_hostile_text_is_shown_as_text(outputs: list[Path]) -> None:
    page = next(p for p in outputs if p.name == "trust-board-ZA1-2025-09.html")
    parsed = _Tags()
    parsed.feed(page.read_text(encoding="utf-8"))
    shown = "".join(parsed.text)
    for text in HOSTILE:
        assert text in shown  # title, domain, audience, names, commentary: as typed
    card = next(p for p in outputs if p.name == "scorecard-ZA1-2025-09.html")
    assert "A&E " + HOSTILE[0] in card.read_text(encoding="utf-8").replace("&lt;", "<").replace(
        "&gt;", ">"
    ).replace("&amp;", "&")
