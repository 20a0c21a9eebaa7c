"""render/html.py and render/tables.py on hand-built scorecards: escaping, scoping, bytes."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from scorecard.formatting import format_value, window_label
from scorecard.model import (
    Cell,
    Direction,
    Formula,
    Indicator,
    Rating,
    RatingResult,
    Row,
    Scorecard,
    Standard,
    Term,
    Unit,
    Value,
    Window,
)
from scorecard.periods import Month
from scorecard.render.html import RAG_COLOURS, render_html, table_id
from scorecard.render.tables import scorecard_rows, write_csv

PERIOD = Month(2025, 9)
EVIL = "<script>alert('x')</script> & Co"


def _row(name: str, rating: Rating, value: float | None, unit: Unit = Unit.PERCENT) -> Row:
    ind = Indicator(
        name.lower().replace(" ", "_")[:20] or "x",
        name,
        "ae",
        unit,
        Direction.HIGHER,
        Formula((Term(1, "ae_att_type1"),)),
        Formula((Term(1, "ae_att_type1"),)) if unit is Unit.PERCENT else None,
        "basis",
    )
    std = Standard(ind.id, Month(2025, 4), None, 95.0, 78.0, f"basis {EVIL}", "source")
    cells = []
    for window, months in ((Window.MONTH, 1), (Window.QUARTER, 2), (Window.YTD, 6)):
        v = Value(ind.id, "R1", PERIOD, window, 1.0, 2.0, value, months if value else 0)
        cells.append(Cell(v, RatingResult(rating, f"rule for {rating.value}", std)))
    return Row(ind, "R1", EVIL, PERIOD, cells[0], cells[1], cells[2])


def _card() -> Scorecard:
    rows = (
        _row("Four hours " + EVIL, Rating.GREEN, 96.04),
        _row("Type one", Rating.AMBER, 80.0),
        _row("Red one", Rating.RED, 70.25),
        _row("Count one", Rating.NOT_RATED, 44881.0, Unit.COUNT),
        _row("Empty one", Rating.NO_DATA, None),
    )
    return Scorecard("Board scorecard " + EVIL, "R1", EVIL, PERIOD, rows, ("Source: " + EVIL,))


def test_text_from_data_and_config_is_escaped() -> None:
    html = render_html(_card())
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    body = html.split("</style>", 1)[1]
    assert re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;|#39;|#\d+;)", body) is None


def test_every_css_selector_is_scoped_to_the_table() -> None:
    card = _card()
    html = render_html(card)
    css = html.split("<style>", 1)[1].split("</style>", 1)[0]
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", css) for s in rule.split(",")]
    assert selectors
    assert all(s.startswith(f"#{table_id(card)}") for s in selectors), selectors


def test_self_contained_fragment() -> None:
    html = render_html(_card())
    assert html.startswith("<div") and html.rstrip().endswith("</div>")
    assert "<html" not in html and "<script" not in html
    assert "http://" not in html and "https://" not in html and "@import" not in html


def test_same_card_same_bytes() -> None:
    assert render_html(_card()) == render_html(_card())


def test_rating_is_colour_and_text() -> None:
    html = render_html(_card())
    for rating in (Rating.GREEN, Rating.AMBER, Rating.RED, Rating.NOT_RATED):
        fill, _ = RAG_COLOURS[rating]
        cell = re.search(rf'<td style="background-color: {fill}[^>]*>([^<]*)</td>', html, re.I)
        assert cell is not None and cell.group(1) == rating.value


def test_values_are_shown_rounded_with_their_window() -> None:
    html = render_html(_card())
    assert "96.0%" in html and "70.3%" in html and "44,881" in html
    assert ">Month<" in html and "<em>Sep 2025</em>" in html
    assert "Q2 2025/26" in html and "2025/26 YTD" in html


def test_partial_windows_are_footnoted() -> None:
    html = render_html(_card())
    assert "2 of 3 months with data" in html
    assert "6 of 6" not in html


def test_tidy_csv(tmp_path: Path) -> None:
    card = _card()
    frame = scorecard_rows(card)
    assert frame.height == 3 * len(card.rows)
    assert frame["window"].to_list()[:3] == ["month", "quarter", "ytd"]
    first = frame.row(0, named=True)
    assert first["value"] == 96.04 and first["value_display"] == "96.0%"
    assert first["rating"] == "Green" and first["standard"] == 95.0
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_csv(card, a)
    write_csv(card, b)
    assert a.read_bytes() == b.read_bytes()
    assert b"\r\n" not in a.read_bytes()
    assert pl.read_csv(a).columns == frame.columns


def test_format_value() -> None:
    assert format_value(74.85, Unit.PERCENT) == "74.9%"  # half away from zero, not to even
    assert format_value(74.95, Unit.PERCENT) == "75.0%"
    assert format_value(2.25, Unit.PERCENT) == "2.3%"
    assert format_value(44881.0, Unit.COUNT) == "44,881"
    assert format_value(1467.0, Unit.SECONDS) == "24:27"
    assert format_value(3725.0, Unit.SECONDS) == "1:02:05"
    assert format_value(None, Unit.PERCENT) == "–"


def test_window_labels() -> None:
    def v(window: Window, months: int, period: Month = PERIOD) -> Value:
        return Value("x", "R1", period, window, 1, 1, 1, months)

    assert window_label(v(Window.MONTH, 1)) == "Sep 2025"
    assert window_label(v(Window.QUARTER, 3)) == "Q2 2025/26 (Jul–Sep 2025)"
    assert window_label(v(Window.QUARTER, 1, Month(2025, 8))) == (
        "Q2 2025/26 to date (Jul–Aug 2025), 1 of 2 months with data"
    )
    assert window_label(v(Window.YTD, 10, Month(2026, 1))) == "2025/26 YTD (Apr 2025–Jan 2026)"
