"""render/html.py and render/tables.py on hand-built Scorecards.

Escaping, CSS scoping, determinism, colour-and-text ratings, labels and the tidy CSV.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from html import unescape
from pathlib import Path

import polars as pl
import pytest

from scorecard.model import (
    Cell,
    Direction,
    Formula,
    Indicator,
    OverTime,
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
from scorecard.render.html import RAG_COLOURS, RULE_NOTE, render_html
from scorecard.render.scoping import is_scoped, scope_css, scope_rules
from scorecard.render.tables import COLUMNS, scorecard_rows, write_csv

SEP = Month(2025, 9)
UNAVAILABLE = "Not available: a 90th centile cannot be combined across months."
EVIL = "<script>alert('x')</script> & Sons"


def make_row(
    ind_id: str,
    name: str,
    rating: Rating,
    value: float | None,
    *,
    unit: Unit = Unit.PERCENT,
    direction: Direction = Direction.HIGHER,
    standard: tuple[float, float | None] | None = (95.0, 78.0),
    basis: str = "NHS Constitution 95%",
    period: Month = SEP,
    quarter_months: int | None = None,
    over_time: OverTime = OverTime.SUM,
    org_name: str = "Anytown Hospitals",
    month_only: bool = False,
) -> Row:
    """A rated row whose three windows all carry `value` (renderers never recompute it)."""
    ind = Indicator(
        ind_id,
        name,
        "ae",
        unit,
        direction,
        Formula((Term(1, "a"),)),
        Formula((Term(1, "b"),)) if unit is Unit.PERCENT else None,
        "basis of computation",
        over_time=over_time,
    )
    std = None
    if standard is not None:
        std = Standard(ind_id, Month(2024, 4), None, standard[0], standard[1], basis, "src")
    months = {
        Window.MONTH: 1,
        Window.QUARTER: period.index() - period.quarter_start().index() + 1,
        Window.YTD: period.index() - period.fy_start().index() + 1,
    }
    if quarter_months is not None:
        months[Window.QUARTER] = quarter_months
    cells = []
    for window in Window:
        v = Value(ind_id, "R1", period, window, 1.0, 2.0, value, months[window] if value else 0)
        result = RatingResult(rating, f"{rating.value} rule for {window}", std)
        if month_only and window is not Window.MONTH:
            v = replace(v, numerator=None, denominator=None, value=None, months=0)
            result = RatingResult(Rating.NOT_AVAILABLE, UNAVAILABLE, std)
        cells.append(Cell(v, result))
    return Row(ind, "R1", org_name, period, cells[0], cells[1], cells[2])


def make_card(org_name: str = "Anytown Hospitals", title: str = "Board scorecard") -> Scorecard:
    rows: tuple[Row, ...] = (
        make_row("ae_4hr", "Four-hour " + EVIL, Rating.GREEN, 96.04, basis="Basis " + EVIL),
        make_row("ae_type1", "Type 1 four-hour", Rating.AMBER, 80.0, quarter_months=2),
        make_row("ae_12hr", "Twelve-hour waits", Rating.RED, 74.85, standard=(98.0, None)),
        make_row(
            "ae_att", "Attendances", Rating.NOT_RATED, 44881.0, unit=Unit.COUNT, standard=None
        ),
        make_row(
            "amb_c2",
            "Category 2 mean",
            Rating.RED,
            1467.0,
            unit=Unit.SECONDS,
            direction=Direction.LOWER,
            standard=(1080.0, 1800.0),
            basis="30 minutes planning target",
        ),
        make_row("dm01_6wk", "Diagnostics 6 weeks", Rating.NO_DATA, None, period=Month(2025, 7)),
        make_row(
            "rtt_list",
            "RTT waiting list",
            Rating.NOT_RATED,
            7500.0,
            unit=Unit.COUNT,
            standard=None,
            over_time=OverTime.LATEST,
            quarter_months=1,
        ),
        make_row(
            "amb_c2_p90",
            "Category 2 90th centile",
            Rating.AMBER,
            3725.0,
            unit=Unit.SECONDS,
            direction=Direction.LOWER,
            standard=(2400.0, 4200.0),
            basis="30 minutes planning target",
            over_time=OverTime.NONE,
            month_only=True,
        ),
    )
    rows = tuple(replace(r, org_name=org_name) for r in rows)
    sources = ("NHS England, A&E Attendances and Emergency Admissions " + EVIL, "Second source")
    return Scorecard(title, "R1", org_name, SEP, rows, sources)


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(make_card(org_name="Anytown " + EVIL, title="Scorecard " + EVIL))


def _css(html: str) -> str:
    assert html.count("<style>") == 1
    return html.split("<style>", 1)[1].split("</style>", 1)[0]


def _rows(html: str) -> list[str]:
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>(.*?)</tr>", body, re.S)


# Escaping ---------------------------------------------------------------------------


def test_great_tables_escapes_text_from_data(html: str) -> None:
    assert "<script" not in html
    assert "alert(&#x27;x&#x27;)" in html or "alert(&#39;x&#39;)" in html
    escaped = "&lt;script&gt;alert("
    assert f'-title">Scorecard {escaped}' in html
    assert f'-subtitle">Anytown {escaped}' in html
    assert f'gt_left">Four-hour {escaped}' in html  # indicator name
    assert f"Basis {escaped}" in html  # standard basis (config)
    assert f"Emergency Admissions {escaped}" in html  # source line
    body = html.split("</style>", 1)[1]
    assert re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;|#39;|#\d+;)", body) is None
    assert "&amp; Sons" in body and "& Sons" not in body


# Scoped, self-contained fragment ------------------------------------------------------


def test_every_css_selector_is_scoped_to_the_table(html: str) -> None:
    tid = "scorecard-r1-2025-09"
    assert html.startswith(f'<div id="{tid}"')
    selectors = [
        s.strip() for rule in re.findall(r"([^{}]+)\{", _css(html)) for s in rule.split(",")
    ]
    assert len(selectors) > 20
    assert all(re.match(rf"#{tid}(?![\w-])", s) for s in selectors), selectors
    assert "#scorecard-r1-2025-09 tr { background-color: transparent; }" in _css(html)


def test_scope_css_handles_what_great_tables_might_emit() -> None:
    css = (
        "/* note { x } */ @import url('https://fonts.example/x.css');"
        " tr { background-color: transparent; }"
        "#t thead, tbody, tfoot { border-style: none; }"
        "#t-title { color: red; } #t:hover p { margin: 0; }"
        ":is(td, th) { padding: 0; }"
        "@media print { tr { color: black; } }"
        "@font-face { font-family: X; src: url(https://x/y.woff); }"
    )
    out = scope_css(f"<div id='t'><style>{css}</style><table></table></div>", "t")
    style = _css(out)
    assert "@import" not in style and "@font-face" not in style and "url(" not in style
    assert "note" not in style
    assert "#t tr { background-color: transparent; }" in style
    assert "#t thead, #t tbody, #t tfoot { border-style: none; }" in style
    assert "#t #t-title { color: red; }" in style  # another element's id is not the scope
    assert "#t:hover p { margin: 0; }" in style
    assert "#t :is(td, th) { padding: 0; }" in style
    assert "@media print {\n#t tr { color: black; }\n}" in style
    assert out.endswith("<table></table></div>")
    assert is_scoped("#t", "t") and is_scoped("#t .x", "t") and not is_scoped("#t-x", "t")


@pytest.mark.parametrize("tid", ["t", "fff", "scorecard-za1-2025-09", "board-x"])
def test_a_layouts_style_sheet_is_scoped_once_and_named_for_each_table(tid: str) -> None:
    """Scoping is cached per layout, the id stood in for: the same rules as scoping each."""
    css = (
        f"#{tid} .gt_table {{ color: #fff; }} #{tid}-title {{ margin: 0; }} tr {{ x: 1; }}"
        f"#{tid}_x, #{tid}:hover p {{ y: 2; }} @media print {{ #{tid} td {{ z: 3; }} }}"
    )
    expected = "<style>\n" + "\n".join(scope_rules(css, tid)) + "\n</style>"
    for _ in range(2):  # the second time from the cache
        assert scope_css(f"<style>{css}</style><table></table>", tid) == (
            expected + "<table></table>"
        )


def test_self_contained_fragment(html: str) -> None:
    assert html.isascii() and "&#8211;" in html and "&#8805; 95.0%" in html
    assert html.rstrip().endswith("</div>") and html.endswith("\n")
    for banned in ("<html", "<head", "<body", "<script", "<link", "@import", "url(", "http"):
        assert banned not in html, banned


def test_same_card_same_bytes_and_no_build_date() -> None:
    first, second = render_html(make_card()), render_html(make_card())
    assert first == second
    today = dt.date.today()
    for stamp in (today.isoformat(), today.strftime("%d/%m/%Y"), today.strftime("%d %B %Y")):
        assert stamp not in first


def test_empty_scorecard_renders() -> None:
    card = replace(make_card(), rows=())
    html = render_html(card)
    assert "<tbody" in html and RULE_NOTE in html


# Content -------------------------------------------------------------------------------


def test_title_subtitle_and_headings(html: str) -> None:
    assert "Scorecard &lt;script&gt;" in html
    assert re.search(
        r'id="scorecard-r1-2025-09-subtitle">Anytown &lt;script.*\(R1\), Sep 2025<', html
    )
    headings = re.findall(r'<th class="gt_col_heading[^>]*>([^<]*)</th>', html)
    assert headings == [
        "Indicator",
        "Period",
        "Standard",
        "Lower threshold",
        "Month",
        "Quarter to date",
        "Year to date",
        "Variation",
        "Assurance",
        "Rating (month)",
    ]


def test_one_row_per_indicator_in_card_order(html: str) -> None:
    names = [re.findall(r'gt_left">([^<]*)</td>', r)[0] for r in _rows(html)]
    assert [n.split(" ")[0] for n in names] == [
        "Four-hour", "Type", "Twelve-hour", "Attendances", "Category", "Diagnostics", "RTT",
        "Category",
    ]  # fmt: skip


@pytest.mark.parametrize(
    "rating", [Rating.GREEN, Rating.AMBER, Rating.RED, Rating.NOT_RATED, Rating.NO_DATA]
)
def test_rating_is_colour_and_text(html: str, rating: Rating) -> None:
    fill, text = RAG_COLOURS[rating]
    cells = re.findall(r'<td style="([^"]*)"[^>]*>([^<]*)</td>', html)
    assert any(
        f"background-color: {fill}" in s and f"color: {text}" in s and word == rating.value
        for s, word in cells
    ), rating


def test_nhs_identity_colours() -> None:
    assert RAG_COLOURS[Rating.GREEN] == ("#006747", "#FFFFFF")  # NHS Dark Green: 6.9:1
    assert RAG_COLOURS[Rating.AMBER] == ("#FFB81C", "#231F20")
    assert RAG_COLOURS[Rating.RED] == ("#DA291C", "#FFFFFF")
    greys = {r: RAG_COLOURS[r] for r in (Rating.NOT_RATED, Rating.NO_DATA, Rating.NOT_AVAILABLE)}
    assert set(greys.values()) == {("#E8EDEE", "#231F20")}
    assert set(RAG_COLOURS) == set(Rating)  # a new rating needs a deliberate colour


def test_values_standards_and_window_labels(html: str) -> None:
    rows = [unescape(r) for r in _rows(html)]  # the fragment is ASCII: `–` is `&#8211;`
    green, amber, red, count, seconds, nodata, position, centile = rows
    assert "96.0%<br><small><em>Sep 2025</em></small>" in green
    assert "≥ 95.0%" in green and ">78.0%<" in green
    assert "<em>Q2 2025/26 (Jul–Sep 2025), 2 of 3 months with data</em>" in amber
    assert "<em>2025/26 YTD (Apr–Sep 2025)</em>" in amber
    assert "74.9%" in red and ">–<" in red  # half away from zero; no lower threshold
    assert "44,881" in count and "No national standard" in count
    assert "24:27" in seconds and "≤ 18:00" in seconds and ">30:00<" in seconds
    assert ">Jul 2025<" in nodata and "No data<br>" in nodata
    assert "<em>Q2 2025/26 to date (Jul 2025)</em>" in nodata
    assert "<em>Q2 2025/26: position at Sep 2025</em>" in position
    assert "1:02:05<br>" in centile and centile.count("Not available<br>") == 2


def test_footnotes_rule_bases_and_sources(html: str) -> None:
    notes = re.findall(r'<td class="gt_sourcenote"[^>]*>(.*?)</td>', html)
    assert RULE_NOTE in notes[0]
    assert "Standard for Four-hour &lt;script&gt;" in notes[1] and "Basis &lt;script" in notes[1]
    assert sum("NHS Constitution 95%" in n for n in notes) == 1  # one note per basis
    assert "Standard for Category 2 mean; Category 2 90th centile: 30 minutes" in html
    assert sum(UNAVAILABLE in n for n in notes) == 1
    assert "Second source" in notes[-1] and "Emergency Admissions &lt;script" in notes[-2]


# Tidy table and CSV ----------------------------------------------------------------------


def test_tidy_rows_columns_and_order() -> None:
    card = make_card()
    frame = scorecard_rows(card)
    assert frame.columns == list(COLUMNS)
    for required in (
        "indicator_id", "indicator_name", "org_code", "org_name", "period", "window",
        "window_start", "months_with_data", "unit", "direction", "numerator", "denominator",
        "value", "value_display", "standard", "lower_threshold", "rating", "rule",
    ):  # fmt: skip
        assert required in frame.columns
    assert frame.height == 3 * len(card.rows)
    ids = [r.indicator.id for r in card.rows for _ in range(3)]
    assert frame["indicator_id"].to_list() == ids
    assert frame["window"].to_list() == ["month", "quarter", "ytd"] * len(card.rows)
    red = frame.filter(pl.col("indicator_id") == "ae_12hr").row(0, named=True)
    assert red["value"] == 74.85 and red["value_display"] == "74.9%"
    assert red["standard"] == 98.0 and red["lower_threshold"] is None
    assert red["rating"] == "Red" and red["rule"] == "Red rule for month"
    assert red["period"] == "2025-09" and red["window_start"] == "2025-09"
    dm01 = frame.filter(pl.col("indicator_id") == "dm01_6wk").to_dicts()
    assert [d["window_start"] for d in dm01] == ["2025-07", "2025-07", "2025-04"]
    assert dm01[0]["period"] == "2025-07" and dm01[0]["value"] is None
    assert dm01[0]["value_display"] == "–" and dm01[0]["months_with_data"] == 0
    p90 = frame.filter(pl.col("indicator_id") == "amb_c2_p90").to_dicts()
    assert [d["rating"] for d in p90] == ["Amber", "Not available", "Not available"]
    assert [d["value_display"] for d in p90] == ["1:02:05", "–", "–"]


def test_csv_bytes_are_deterministic_utf8_lf(tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    write_csv(make_card(), a)
    write_csv(make_card(), b)
    data = a.read_bytes()
    assert data == b.read_bytes()
    assert b"\r" not in data and not data.startswith(b"\xef\xbb\xbf")
    assert "Jul–Sep 2025".encode() in data
    assert data.splitlines()[0].decode() == ",".join(COLUMNS)
    back = pl.read_csv(a)
    assert back.height == 24 and back["value"][0] == 96.04


def test_csv_of_an_empty_card_is_its_header(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    write_csv(replace(make_card(), rows=()), path)
    assert path.read_text(encoding="utf-8") == ",".join(COLUMNS) + "\n"
