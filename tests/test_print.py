"""Every sample board, printed: text contrast in every stylesheet, and, in a real headless
Chromium (skipped with the reason where there is none), the printed PDF and the page as laid
out for print: no heading ends a page, no table header repeats above a page without rows,
no table cell's text overflows, no month cell's text wraps, every SVG has a text
alternative, and every text and background pair reaches WCAG AA (4.5:1).

One build for the module (the boards of scorecards/*.toml and one organisation's flat
catalogue card, on the bundled sample), then one PDF and one DOM dump per page: about
3 seconds a page in Chromium.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import browser
import pytest
from styles import colour_pairs
from typer.testing import CliRunner

from scorecard.cli import app
from scorecard.render.contrast import AA_TEXT, contrast_ratio, parse_colour

ROOT = Path(__file__).resolve().parents[1]
BOARDS = sorted(p.stem for p in (ROOT / "scorecards").glob("*.toml"))
SEP = "2025-09"


def _run(*args: str) -> None:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    _run("build", "--out", str(out))
    _run("build", "--org", "ZA1", "--period", SEP, "--out", str(out))
    _run("league", "ae_4hr_all_pct", "--period", SEP, "--org", "ZA1", "--out", str(out))
    _run("funnel", "ae_4hr_all_pct", "--period", SEP, "--org", "ZA1", "--out", str(out))
    _run("chart", "ae_4hr_all_pct", "--org", "ZA1", "--period", SEP, "--out", str(out))
    return out


def _pages(out: Path) -> list[Path]:
    """The full HTML page of every board and of the flat card."""
    pages = [p for p in out.glob("*.html") if not p.name.endswith(".fragment.html")]
    boards = [p for p in pages if p.name.startswith(tuple(f"{b}-" for b in BOARDS))]
    assert len(boards) == len(BOARDS), f"one page per board: {sorted(p.name for p in pages)}"
    return sorted(p for p in pages if not p.name.startswith("league-"))


def _weak(pairs: list[tuple[str, str, str]]) -> list[str]:
    out = []
    for where, fg, bg in pairs:
        text, ground = parse_colour(fg), parse_colour(bg)
        assert text is not None and ground is not None, f"{where}: {fg} on {bg}"
        ratio = contrast_ratio(text, ground)
        if ratio < AA_TEXT:
            out.append(f"{where}: {fg} on {bg} is {ratio:.2f}:1")
    return sorted(set(out))


def test_every_colour_pair_in_the_stylesheets_reaches_aa(built: Path) -> None:
    files = [*built.glob("*.html"), *built.glob("*.svg")]
    assert {f.name.split("-")[0] for f in files} >= {"league", "funnel", "chart", "scorecard"}
    for file in files:
        pairs = colour_pairs(file.read_text(encoding="utf-8"))
        assert pairs, f"{file.name}: no colours found"
        assert _weak(pairs) == [], file.name


def _stranded(pages: list[list[str]], headings: list[str]) -> list[str]:
    """Pages (but the last) whose last line is a heading, or the end of one."""
    out = []
    for number, lines in enumerate(pages[:-1], start=1):
        last = lines[-1] if lines else ""
        if any(h == last or (len(last) >= 12 and h.endswith(" " + last)) for h in headings):
            out.append(f"page {number} ends with the heading {last!r}")
    return out


def _bare_headers(pdf: Path, tables: list[dict[str, Any]]) -> list[str]:
    """Pages where a table's header is repeated with none of its rows after it (for each
    table whose header no other table shares, so that the header names one table)."""
    text = browser.pdf_text(pdf)
    heads = Counter(str(t["head"]) for t in tables)
    out = []
    for table in tables:
        head, rows = str(table["head"]), [str(r)[:20] for r in table["rows"]]
        if len(head.split()) < 3 or not rows or heads[head] > 1:
            continue
        for number, page in enumerate(text, start=1):
            at = page.find(head)
            if at >= 0 and not any(r in page[at + len(head) : at + len(head) + 160] for r in rows):
                out.append(f"page {number}: the header of {head[:40]!r}... with no row after it")
    return out


def test_each_board_prints_cleanly(built: Path, tmp_path: Path) -> None:
    reason = browser.why_not()
    if reason is not None:
        pytest.skip(reason)
    problems: list[str] = []
    for page in _pages(built):
        pdf = tmp_path / f"{page.stem}.pdf"
        browser.print_pdf(page, pdf, tmp_path / "profile")
        found = browser.audit(page, tmp_path, tmp_path / "profile")
        lines = browser.pdf_pages(pdf)
        assert len(lines) >= 2, f"{page.name}: {len(lines)} printed page(s)"
        name = page.name
        problems += [f"{name}: {p}" for p in _stranded(lines, found["headings"])]
        problems += [f"{name}: {p}" for p in _bare_headers(pdf, found["tables"])]
        problems += [f"{name}: text overflows {cell}" for cell in found["overflow"]]
        problems += [f"{name}: month cell wraps {text!r}" for text in found["wrapped"]]
        problems += [f"{name}: an SVG with no text alternative: {s}" for s in found["unlabelled"]]
        problems += [f"{name}: {p}" for p in _weak([tuple(p) for p in found["pairs"]])]
        assert len(found["pairs"]) > 100, f"{name}: the audit saw almost no text"
    assert problems == []
