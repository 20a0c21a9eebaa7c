"""A board scorecard (domains) rendered to HTML: snapshot, escaping, groups, trend, exceptions.

The snapshot test compares the fragment, with its `<style>` block stripped, to
tests/snapshots/board_fragment.html. After a deliberate change to the rendering, regenerate
the snapshot with `SCORECARD_UPDATE_SNAPSHOTS=1 pytest tests/test_board_render.py`, read the
diff, and commit it with the change; without the variable the test never writes the file.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from pathlib import Path

import pytest

from scorecard.model import (
    Cell,
    Direction,
    Domain,
    Formula,
    Indicator,
    Rating,
    RatingResult,
    Row,
    Scheme,
    Scorecard,
    Standard,
    Term,
    Unit,
    Value,
    Window,
)
from scorecard.periods import Month
from scorecard.render.cells import RAG_COLOURS, rating_class
from scorecard.render.commentary import commentary_html
from scorecard.render.html import board_id, render_html, table_id
from scorecard.render.page import render_page
from scorecard.render.sparkline import sparkline_svg

SNAPSHOT = Path(__file__).parent / "snapshots" / "board_fragment.html"
SEP = Month(2025, 9)
EVIL = "<script>alert(1)</script>"
COMMENT = (
    "Performance fell to **79.9%** after *half term*.\n"
    "Second line & more.\n\n"
    "- Extra triage nurse\n"
    "- Escalation " + EVIL
)


def _history(
    values: list[float | None], period: Month = SEP
) -> tuple[tuple[Month, float | None], ...]:
    return tuple((period.plus(i - len(values) + 1), v) for i, v in enumerate(values))


def _row(
    ind_id: str,
    name: str,
    rating: Rating,
    value: float | None,
    *,
    org: tuple[str, str] = ("ZA1", "Northgate Hospitals"),
    unit: Unit = Unit.PERCENT,
    scheme: Scheme = Scheme.STANDARD,
    standard: tuple[float, float | None] | None = (95.0, 78.0),
    history: list[float | None] | None = None,
    previous: Rating | None = None,
    comment: str | None = None,
    exception: str | None = None,
) -> Row:
    ind = Indicator(
        ind_id,
        name,
        "ae",
        unit,
        Direction.HIGHER,
        Formula((Term(1, "a"),)),
        Formula((Term(1, "b"),)) if unit is Unit.PERCENT else None,
        "basis",
        scheme=scheme,
        tolerance_pct=5.0 if scheme is Scheme.PLAN else None,
        expected=True if scheme is Scheme.YES_NO else None,
    )
    std = None
    if standard is not None:
        std = Standard(ind_id, Month(2024, 4), None, standard[0], standard[1], "Basis", "src")
    cells = []
    for window, months in ((Window.MONTH, 1), (Window.QUARTER, 3), (Window.YTD, 6)):
        plan = 100.0 if scheme is Scheme.PLAN else None
        v = Value(ind_id, org[0], SEP, window, 1.0, 2.0, value, months if value else 0, plan=plan)
        cells.append(Cell(v, RatingResult(rating, f"{rating.value} rule ({window.value})", std)))
    return Row(
        ind,
        org[0],
        org[1],
        SEP,
        cells[0],
        cells[1],
        cells[2],
        history=_history(history if history is not None else [value] * 13),
        previous=previous,
        comment=comment,
        exception=exception,
    )


def _domain(name: str, rows: tuple[Row, ...], rating: Rating, rule: str) -> Domain:
    order = list(RAG_COLOURS)
    counts = tuple((r, sum(row.month.rating.rating is r for row in rows)) for r in order)
    return Domain(name, rows, counts, rating, rule)


def board_card() -> Scorecard:
    """A small hand-built board: two domains, every kind of row the renderer must show."""
    ae = _row(
        "ae_4hr",
        "Four hours " + EVIL,
        Rating.AMBER,
        79.94,
        history=[81.0, 80.5, None, None, 79.0, 80.2, 80.9, 81.5, 82.0, 80.0, 79.0, 80.1, 79.94],
        previous=Rating.GREEN,
        comment=COMMENT,
        exception="Worse than Aug 25 (Green to Amber)",
    )
    cancer = _row(
        "cwt_62d",
        "Cancer 62 days",
        Rating.RED,
        70.25,
        org=("ZI1", "Northgate ICB " + EVIL),
        standard=(85.0, 75.0),
        exception="Red",
    )
    finance = _row(
        "finance",
        "Finance",
        Rating.GREEN,
        120.0,
        unit=Unit.COUNT,
        scheme=Scheme.PLAN,
        standard=None,
        comment="On plan.",
    )
    assured = _row(
        "assured", "Board assured", Rating.GREEN, 1.0, unit=Unit.COUNT, scheme=Scheme.YES_NO,
        standard=None,
    )  # fmt: skip
    empty = _row("dm01", "Diagnostics", Rating.NO_DATA, None, history=[None] * 13)
    first = (ae, cancer)
    second = (finance, assured, empty)
    domains = (
        _domain("Urgent care " + EVIL, first, Rating.RED, "Red: the worst rated row is Red"),
        _domain("Well led", second, Rating.GREEN, "Green: the worst rated row is Green"),
    )
    return Scorecard(
        title="Board report " + EVIL,
        org_code="ZA1",
        org_name="Northgate Hospitals",
        period=SEP,
        rows=first + second,
        sources=("Source: sample " + EVIL,),
        audience="Trust board " + EVIL,
        windows=(Window.MONTH, Window.YTD),
        domains=domains,
        exceptions=(ae, cancer),
    )


@pytest.fixture(scope="module")
def html() -> str:
    return render_html(board_card())


def _body(html: str) -> str:
    """The fragment without its `<style>` block (what the snapshot holds)."""
    return re.sub(r"<style>.*?</style>\n?", "", html, count=1, flags=re.S)


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def test_fragment_matches_snapshot(html: str) -> None:
    body = _body(html)
    if os.environ.get("SCORECARD_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(body, encoding="ascii", newline="\n")
    assert SNAPSHOT.is_file(), "no snapshot: run with SCORECARD_UPDATE_SNAPSHOTS=1 once"
    assert body == SNAPSHOT.read_text(encoding="ascii")


def test_same_card_same_bytes(html: str) -> None:
    assert render_html(board_card()) == html
    assert render_page(board_card()) == render_page(board_card())


def test_text_from_data_definitions_and_commentary_is_escaped(html: str) -> None:
    assert "<script" not in html
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<h2>Board report {escaped}</h2>" in html  # title
    assert f"Trust board {escaped}" in html  # audience
    assert f"Four hours {escaped}" in html  # indicator name
    assert f"Northgate ICB {escaped}<br>" in html  # organisation name
    assert f">Urgent care {escaped} &#8211; Red (1 Amber, 1 Red)<" in html  # row group
    assert f"<td>Urgent care {escaped}</td>" in html  # domain summary
    assert f"<li>Escalation {escaped}</li>" in html  # commentary
    assert f"Source: sample {escaped}" in html
    body = _body(html)
    assert re.search(r"&(?!amp;|lt;|gt;|quot;|#x27;|#39;|#\d+;)", body) is None


def test_no_external_resources(html: str) -> None:
    assert html.startswith(f'<div id="{board_id(board_card())}"') and html.endswith("</div>\n")
    assert html.isascii() and html.count("<style>") == 1
    for banned in ("http", "src=", "<link", "<script", "@import", "url(", "<html", "<body"):
        assert banned not in html, banned


def test_every_selector_is_scoped(html: str) -> None:
    card = board_card()
    css = _between(html, "<style>", "</style>")
    selectors = [s.strip() for rule in re.findall(r"([^{}]+)\{", css) for s in rule.split(",")]
    assert len(selectors) > 20
    ids = (board_id(card), table_id(card))
    assert all(re.match(rf"#({'|'.join(ids)})(?![\w-])", s) for s in selectors), selectors


def test_domains_are_row_groups_in_definition_order(html: str) -> None:
    groups = re.findall(r'<th class="gt_group_heading"[^>]*>([^<]*)</th>', html)
    assert groups == [
        "Urgent care &lt;script&gt;alert(1)&lt;/script&gt; &#8211; Red (1 Amber, 1 Red)",
        "Well led &#8211; Green (2 Green, 1 No data)",
    ]
    table = _between(html, '<tbody class="gt_table_body"', "</tbody>")
    names = re.findall(r'headers="[^"]*-indicator"[^>]*>([^<]*)', table)
    assert [n.split(" ")[0] for n in names] == ["Four", "Cancer", "Finance", "Board", "Diagnostics"]


def test_domain_summary_states_rating_counts_and_rule(html: str) -> None:
    summary = _between(html, "<h3>Domain summary</h3>", "</table>")
    assert "Rule that gave the rating" in summary
    assert "Red: the worst rated row is Red" in summary
    assert "Green: the worst rated row is Green" in summary
    assert ">2 Green, 1 No data<" in summary
    fill, text = RAG_COLOURS[Rating.RED]
    style = f'style="background-color: {fill}; color: {text};"'
    assert f'class="sc-rag {rating_class(Rating.RED)}" {style}>Red<' in summary


def test_executive_summary_and_coverage(html: str) -> None:
    summary = _between(html, "<h3>Executive summary</h3>", "</div>")
    assert "5 rows in 2 domains. Every row shows Sep 2025." in summary
    assert "Ratings for the latest month: 2 Green, 1 Amber, 1 Red, 1 No data." in summary
    assert "Domain ratings: Urgent care &lt;script&gt;" in summary
    assert "Well led (Green)." in summary
    exceptions = "2 rows (1 Red, 1 worse than the month before), 1 with commentary."
    assert f"Exception report: {exceptions}" in summary
    assert (
        "Covers 2 organisations: Northgate Hospitals (ZA1), 4 rows; "
        "Northgate ICB &lt;script&gt;alert(1)&lt;/script&gt; (ZI1), 1 row." in summary
    )


def test_only_the_cards_windows_are_columns(html: str) -> None:
    headings = re.findall(r'<th class="gt_col_heading[^>]*>([^<]*)</th>', html)
    assert headings == [
        "Indicator", "Organisation monitored", "Period", "Standard", "Lower threshold", "Month",
        "Year to date", "Trend", "Variation", "Assurance", "Rating (month)",
    ]  # fmt: skip
    assert "Quarter to date" not in html and "Q3 2025/26" not in html
    assert "<em>2025/26 YTD (Apr&#8211;Sep 2025)</em>" in html


def test_values_standards_and_schemes(html: str) -> None:
    table = _between(html, '<tbody class="gt_table_body"', "</tbody>")
    assert "79.9%<br><small><em>Sep 2025</em></small>" in table
    assert "&#8805; 95.0%" in table and ">78.0%<" in table
    assert "Plan 100<br><small><em>Amber within 5% of plan</em></small>" in table
    assert "120<br><small><em>Sep 2025; plan 100</em></small>" in table
    assert "Expected: Yes" in table and "Yes<br><small><em>Sep 2025</em></small>" in table
    assert "No data<br>" in table


def test_rating_is_colour_text_and_rule(html: str) -> None:
    cells = re.findall(r'<td style="([^"]*)"[^>]*><span title="([^"]*)">([^<]*)</span></td>', html)
    assert len(cells) == 5
    for style, title, word in cells:
        rating = Rating(word)
        fill, text = RAG_COLOURS[rating]
        assert f"background-color: {fill}" in style and f"color: {text}" in style
        assert title == f"{word} rule (month)"


def test_trend_is_an_inline_svg_with_gaps(html: str) -> None:
    table = _between(html, '<tbody class="gt_table_body"', "</tbody>")
    svgs = re.findall(r"<svg .*?</svg>", table, re.S)
    assert len(svgs) == 5
    assert all('width="120" height="28"' in s and "xmlns" not in s for s in svgs)
    gappy = svgs[0]  # two months missing: two separate lines
    assert gappy.count("<polyline") == 2
    assert "2 months without data" in gappy and "Sep 2024 to Sep 2025" in gappy
    assert "no data" in svgs[4] and "<polyline" not in svgs[4]


def test_sparkline_is_deterministic_and_sized() -> None:
    history = _history([1.0, None, 3.0, 2.0, None, 5.0])
    svg = sparkline_svg(history, str, width=60, height=20)
    assert svg == sparkline_svg(history, str, width=60, height=20)
    assert svg.startswith('<svg width="60" height="20" viewBox="0 0 60 20" role="img"')
    assert svg.count("<polyline") == 1  # 3.0, 2.0
    assert svg.count("<circle") == 3  # 1.0 and 5.0 alone, and the latest month
    flat = sparkline_svg(_history([4.0, 4.0]), str)
    assert 'points="3.0,14.0 117.0,14.0"' in flat


def test_exception_report_lists_red_and_worsened_rows_with_commentary(html: str) -> None:
    report = _between(html, "<h3>Exception report</h3>", "<h3>Commentary on other rows</h3>")
    entries = report.split('<div class="sc-exception"')[1:]
    assert len(entries) == 2
    worse, red = entries
    assert "Four hours" in worse and "Listed because: Worse than Aug 25 (Green to Amber)" in worse
    assert "Urgent care" in worse and "Amber rule (month)" in worse
    assert "<th>Sep 24</th>" in worse and "<td>81.0%</td>" in worse and "<td>No data</td>" in worse
    assert (
        "<p>Performance fell to <strong>79.9%</strong> after <em>half term</em>."
        "<br>Second line &amp; more.</p>"
        "<ul><li>Extra triage nurse</li><li>Escalation &lt;script&gt;alert(1)&lt;/script&gt;"
        "</li></ul>"
    ) in worse
    assert "Cancer 62 days" in red and "Listed because: Red" in red
    assert "No commentary for Sep 2025." in red
    others = html.split("<h3>Commentary on other rows</h3>", 1)[1]
    assert "Finance" in others and "<p>On plan.</p>" in others and "Listed because" not in others


def test_commented_rows_link_to_their_commentary(html: str) -> None:
    bid = board_id(board_card())
    assert html.count('class="sc-note"><a href="#') == 2
    assert f'<a href="#{bid}-row-1">commentary below</a>' in html
    assert f'<div class="sc-exception" id="{bid}-row-1">' in html
    assert f'<div class="sc-exception" id="{bid}-row-3">' in html


def test_no_exceptions_says_so() -> None:
    card = replace(board_card(), exceptions=())
    html = render_html(card)
    assert "No row is Red or worse than the month before." in html
    assert "Exception report: no row is Red or worse than the month before." in html


def test_a_card_without_domains_stays_the_flat_table() -> None:
    card = replace(board_card(), domains=(), exceptions=())
    html = render_html(card)
    assert html.startswith(f'<div id="{table_id(card)}"')
    assert "sc-board" not in html and "<svg" not in html and "Executive summary" not in html
    notes = re.findall(r'<td class="gt_sourcenote"[^>]*>(.*?)</td>', html)
    assert notes[0].startswith('<span class="gt_from_md">Green: at or better than the standard')
    assert "Against plan: Green at or better than the plan" in notes[1]  # schemes in use
    assert "Yes/no questions" in notes[2] and "pointer rests" not in html  # no tooltips here


def test_page_has_a4_landscape_print_css() -> None:
    page = render_page(board_card())
    assert page.startswith('<!doctype html>\n<html lang="en-GB">')
    assert "<title>Board report &lt;script&gt;alert(1)&lt;/script&gt;: Northgate Hospitals" in page
    assert "@page { size: A4 landscape;" in page
    assert "print-color-adjust: exact" in page
    assert re.search(r"@media print \{.*tr,[^{]*\{\s*break-inside: avoid", page, re.S)
    assert "thead { display: table-header-group; }" in page
    assert render_html(board_card()) in page and page.endswith("</html>\n")
    assert "<script" not in page and "http" not in page and "<link" not in page


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a < b & c", "<p>a &lt; b &amp; c</p>"),
        ("**bold** and *it*", "<p><strong>bold</strong> and <em>it</em></p>"),
        ("one\ntwo\n\nthree", "<p>one<br>two</p><p>three</p>"),
        ("- a\n- b", "<ul><li>a</li><li>b</li></ul>"),
        ("***both***", "<p><em><strong>both</strong></em></p>"),
        ("5 * 3 * 2", "<p>5 * 3 * 2</p>"),
        ("[x](http://e.org) <img src=x>", "<p>[x](http://e.org) &lt;img src=x&gt;</p>"),
        ("**a *b** c*", "<p><strong>a *b</strong> c*</p>"),
        ("", ""),
    ],
)
def test_limited_markdown(text: str, expected: str) -> None:
    assert commentary_html(text) == expected
