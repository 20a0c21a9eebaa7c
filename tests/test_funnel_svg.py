"""scorecard.render.funnel_svg: valid, escaped, self-contained and the same bytes every time."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest

from scorecard.benchmark.dispersion import Method
from scorecard.benchmark.funnel import Flag, UnitCount, funnel
from scorecard.render.funnel_svg import FunnelLabels, funnel_svg

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "Trust"'


def _units() -> list[UnitCount]:
    """80 organisations around 80% with real differences between them (so some fall
    outside each limit), and one with no denominator."""
    rng = random.Random(303)
    units = []
    for i in range(80):
        n = rng.randint(16_000, 103_000)
        p = min(0.99, max(0.5, rng.gauss(0.8, 0.03)))
        units.append(UnitCount(f"P{i:02d}", round(p * n), n))
    return [*units, UnitCount("ZERO", 0, 0)]


def _labels(highlight: str | None = "P03") -> FunnelLabels:
    return FunnelLabels(
        title="A&E: seen within 4 hours <all types>",
        indicator="Seen within 4 hours",
        period="March 2026",
        unit="Attendances",
        highlight=highlight,
        names={"P03": HOSTILE, "ZERO": "Empty <b>Trust</b>"},
    )


@pytest.mark.parametrize("method", ["normal", "arcsine", "exact"])
def test_valid_xml_with_title_desc_and_every_part(method: Method) -> None:
    result = funnel(_units(), method=method)
    svg = funnel_svg(result, _labels())
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    assert root.get("aria-labelledby") == "funnel-title funnel-desc"
    desc = root.findtext(f"{SVG}desc") or ""
    assert "Funnel plot of Seen within 4 hours, March 2026: 80 organisations" in desc
    assert result.describe() in desc
    paths = root.findall(f".//{SVG}path")
    assert {p.get("stroke-dasharray") for p in paths} == {"6 4", "2 3"}  # 95% and 99.8%
    assert len(paths) == 4
    markers = root.findall(f".//{SVG}g/{SVG}title")
    assert len(markers) == 80  # one tooltip per drawn organisation, none for ZERO
    text = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "over-dispersion): Empty <b>Trust</b> (ZERO)." in text
    assert f"{HOSTILE} (P03)" in text  # the highlighted label, as text
    assert "99.8% and 95% limits" in text


def test_hostile_names_are_escaped() -> None:
    svg = funnel_svg(funnel(_units()), _labels())
    assert "<script" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Trust&quot;" in svg
    assert "A&amp;E: seen within 4 hours &lt;all types&gt;" in svg
    ET.fromstring(svg)


def test_self_contained() -> None:
    svg = funnel_svg(funnel(_units()), _labels())
    assert "script" not in svg.replace("&lt;script&gt;", "").replace("&lt;/script&gt;", "")
    assert "href" not in svg and "<image" not in svg and "@import" not in svg
    assert re.findall(r"https?://[^\"]+", svg) == ["http://www.w3.org/2000/svg"]
    assert re.findall(r"url\(([^)]*)\)", svg) == ["#funnel-plot-area"]


def test_same_bytes_every_time() -> None:
    first = funnel_svg(funnel(_units()), _labels())
    second = funnel_svg(funnel(list(_units())), _labels())
    assert first == second
    assert first.encode() == second.encode()


def test_outliers_by_shape_and_fill() -> None:
    result = funnel(_units(), dispersion="none")
    svg = funnel_svg(result, _labels(highlight=None))
    root = ET.fromstring(svg)
    groups = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    flags = {p.code: p.flag for p in result.points}
    for g in groups:
        title = g.findtext(f"{SVG}title") or ""
        code = re.sub(r".*\((P\d\d)\)$", r"\1", title.split(":")[0])
        flag = flags[code]
        assert flag.value in title
        if flag is Flag.NOT_SIGNIFICANT:
            assert g.find(f"{SVG}circle") is not None and g.find(f"{SVG}polygon") is None
        else:
            polygon = g.find(f"{SVG}polygon")
            assert polygon is not None
            filled = polygon.get("fill") != "#ffffff"
            assert filled == (flag in (Flag.HIGH_998, Flag.LOW_998))
            ys = [float(p.split(",")[1]) for p in (polygon.get("points") or "").split()]
            pointing_up = ys[0] < ys[1]
            assert pointing_up == (flag in (Flag.HIGH_95, Flag.HIGH_998))
    assert sum(f.outlier for f in flags.values()) > 10


def test_highlight_ring_and_none() -> None:
    svg = funnel_svg(funnel(_units()), _labels())
    assert svg.count('r="8" fill="none"') == 2  # the point's ring and the legend's
    plain = funnel_svg(funnel(_units()), _labels(highlight=None))
    assert 'r="8" fill="none"' not in plain


def test_degenerate_results_still_render() -> None:
    only_zero = funnel([UnitCount("Z", 0, 0)], target=0.5)
    ET.fromstring(funnel_svg(only_zero, _labels(highlight="Z")))
    two = funnel([UnitCount("A", 3, 10), UnitCount("B", 5, 10)])
    svg = funnel_svg(two, _labels(highlight="A"))
    ET.fromstring(svg)
    assert "fewer than 3 units" in svg
    nothing = funnel([UnitCount(c, 0, n) for c, n in (("A", 10), ("B", 20), ("C", 30))])
    ET.fromstring(funnel_svg(nothing, _labels()))
