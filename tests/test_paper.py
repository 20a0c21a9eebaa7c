"""Paper and greyscale, piece by piece: contrast, icons without colour, printed reasons,
names as NHS England spells them, chart titles that fit, and the print rules."""

from __future__ import annotations

import re
from dataclasses import replace
from html import unescape

import pytest

from scorecard import api
from scorecard.hierarchy import display_name, spellings
from scorecard.model import Row
from scorecard.render.cells import GREY, RAG_COLOURS
from scorecard.render.chart import WIDTH, chart_svg
from scorecard.render.contrast import (
    AA_TEXT,
    contrast_ratio,
    parse_colour,
    relative_luminance,
)
from scorecard.render.mdc_icons import (
    ASSURANCE_TEXT,
    INK_PAIRS,
    VARIATION_TEXT,
    assurance_svg,
    reading_html,
    variation_svg,
)
from scorecard.render.page import PAGE_CSS
from scorecard.spc.icons import Assurance, Variation

# --- contrast ------------------------------------------------------------------------------


def test_contrast_ratio_follows_wcag() -> None:
    assert contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21)
    assert contrast_ratio("#000", "#000000") == pytest.approx(1)
    assert contrast_ratio("#009639", "#FFFFFF") == pytest.approx(3.87, abs=0.005)  # the old
    assert contrast_ratio("rgb(255, 255, 255)", "white") == pytest.approx(1)
    assert relative_luminance("#00b0f0") == pytest.approx(0.373, abs=0.001)  # the issue's
    assert relative_luminance("#a6a6a6") == pytest.approx(0.381, abs=0.001)  # figures
    assert parse_colour("rgba(0, 0, 0, 0)") is None and parse_colour("font-color(#FFF)") is None
    assert parse_colour("#ffffff80") is None and parse_colour("#fffa") is None


@pytest.mark.parametrize("pair", [*RAG_COLOURS.values(), GREY, *((b, a) for a, b in INK_PAIRS)])
def test_every_rating_and_icon_colour_pair_reaches_aa(pair: tuple[str, str]) -> None:
    fill, text = pair
    assert contrast_ratio(text, fill) >= AA_TEXT, f"{text} on {fill}"


# --- icons -----------------------------------------------------------------------------------


def _without_colour(svg: str) -> str:
    """The icon as it prints in greyscale, ignoring its text alternative: every colour one."""
    svg = re.sub(r'aria-label="[^"]*"|<title>.*?</title>', "", svg)
    return re.sub(r"#[0-9a-fA-F]{3,8}\b", "#000", svg)


def test_every_icon_differs_from_every_other_without_colour() -> None:
    icons = {f"variation {v}": variation_svg(v) for v in Variation}
    icons |= {f"assurance {a}": assurance_svg(a) for a in Assurance}
    shapes: dict[str, str] = {}
    for name, svg in icons.items():
        same = shapes.setdefault(_without_colour(svg), name)
        assert same == name, f"{name} looks like {same} without colour"


def test_improvement_and_concern_of_one_direction_differ_in_shape() -> None:
    for up, down in ((Variation.IMPROVEMENT_HIGH, Variation.CONCERN_HIGH),
                     (Variation.IMPROVEMENT_LOW, Variation.CONCERN_LOW)):  # fmt: skip
        assert "<circle" in variation_svg(up) and "<circle" not in variation_svg(down)


def test_every_icon_has_a_text_alternative_with_its_reason() -> None:
    for variation, text in VARIATION_TEXT.items():
        svg = variation_svg(variation, "why <this>")
        assert f'role="img" aria-label="{text}: why &lt;this&gt;"' in svg
        assert f"<title>{text}: why &lt;this&gt;</title>" in svg
    for assurance, text in ASSURANCE_TEXT.items():
        assert f"<title>{text}</title>" in assurance_svg(assurance)


@pytest.fixture(scope="module")
def row() -> Row:
    with api.open_store(None) as store:
        found, _ = api.explain_row(store, api.catalogue(), "ae_4hr_all_pct", "ZA1", None)
    assert found.spc is not None
    return found


def test_a_rows_reasons_print_as_text_not_only_as_tooltips(row: Row) -> None:
    assert row.spc is not None
    printed = re.sub(r"<title>.*?</title>|<[^>]+>", " ", reading_html(row))
    assert f"Variation: {row.spc.reason}" in unescape(printed)
    assert f"Assurance: {row.spc.assurance_reason}" in unescape(printed)
    assert reading_html(replace(row, spc=None)) == ""


# --- organisation names ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "shown"),
    [
        ("NHS WIGAN BOROUGH CCG", "NHS Wigan Borough CCG"),
        ("HAMPSHIRE AND ISLE OF WIGHT HEALTHCARE NHS FOUNDATION TRUST",
         "Hampshire and Isle of Wight Healthcare NHS Foundation Trust"),
        ("GUY'S AND ST THOMAS' NHS FOUNDATION TRUST", "Guy's and St Thomas' NHS Foundation Trust"),
        ("ROSSENDALE MIU & OOH", "Rossendale MIU & OOH"),
        ("NHS NORTH WEST (WALK-IN) CENTRE", "NHS North West (Walk-in) Centre"),
        ("Barking Hospital Utc", "Barking Hospital UTC"),  # a workbook's title-cased acronym
        ("First Community Health And Care Cic", "First Community Health And Care CIC"),
        ("  NHS England  London ", "NHS England London"),
    ],
)  # fmt: skip
def test_names_print_as_nhs_england_spells_them(published: str, shown: str) -> None:
    assert display_name(published) == shown


def test_a_mixed_case_spelling_of_the_same_name_wins_over_capitals() -> None:
    known = spellings(["Wrightington, Wigan And Leigh NHS Foundation Trust", "NEMS UTC"])
    assert display_name("WRIGHTINGTON, WIGAN AND LEIGH NHS FOUNDATION TRUST", known) == (
        "Wrightington, Wigan And Leigh NHS Foundation Trust"
    )
    assert display_name("NHS WIGAN BOROUGH CCG", known) == "NHS Wigan Borough CCG"
    assert "nems utc" not in known  # a name in capitals is no spelling to copy


# --- charts and print CSS --------------------------------------------------------------------


def test_a_long_chart_title_wraps_inside_the_chart(row: Row) -> None:
    name = "Wrightington, Wigan And Leigh Teaching Hospitals NHS Foundation Trust " * 2
    svg = chart_svg(replace(row, org_name=name.strip()))
    assert f"<title>{row.indicator.name}: {name.strip()}" in unescape(svg)
    for size, text in re.findall(r'font-size="(\d+)" font-weight="bold">([^<]*)<', svg):
        assert len(unescape(text)) * int(size) * 0.62 <= WIDTH - 90, text  # fits 670 px
    lines = re.findall(r'<text x="70" y="(\d+)" font-size="11">([^<]*)<', svg)
    assert len(lines) >= 2 and all(len(unescape(t)) * 11 * 0.56 <= WIDTH - 90 for _, t in lines)
    height = int(re.search(r'height="(\d+)"', svg).group(1))  # type: ignore[union-attr]
    assert max(int(y) for y, _ in lines) < height


def test_print_css_keeps_headings_with_what_follows_and_notes_outside_the_rows() -> None:
    css = " ".join(PAGE_CSS.split())
    assert "h4, h5, h6, tr.gt_group_heading_row { break-after: avoid;" in css
    assert ":is(h1, h2, h3, h4, h5, h6) + * { break-before: avoid;" in css
    assert "tfoot { display: table-caption; caption-side: bottom; }" in css
