"""Every text colour and background colour that a page's stylesheets and inline styles set.

Read statically, without a browser: each `<style>` block's rules (inside `@media` too),
each `style="..."` attribute, and each SVG `<text>`'s `fill`. A rule or style that sets
both a text colour and a background is one pair. One that sets only a text colour is paired
with every background the page sets without a text colour of its own (and with the paper,
white), since its text may sit on any of them; one that sets only a background is paired
with every such text colour and with the page's default ink. SVG text outside an icon sits
on the chart's white ground; an icon's letters are checked from `mdc_icons.INK_PAIRS`, and
on the page as laid out by the browser test.
"""

from __future__ import annotations

import re
from html import unescape

from scorecard.render.contrast import parse_colour

PAPER, DEFAULT_INK = "#ffffff", "#000000"
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_INLINE = re.compile(r'<(\w+)[^>]*?\sstyle="([^"]*)"', re.I)
_SVG_TEXT = re.compile(r"<text\b([^>]*)>", re.I)
_ICON = re.compile(r'<svg class="sc-icon".*?</svg>', re.S)
_COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|rgba?\([^)]*\)|\b(?:white|black)\b", re.I)
Pair = tuple[str, str, str]  # where, text colour, background


def _declarations(body: str) -> tuple[str | None, str | None]:
    """The text colour and background colour a declaration block sets (None if not, or if
    the value is no colour a browser would accept)."""
    fg = bg = None
    for declaration in body.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.replace("!important", "").strip()
        if name == "color" and parse_colour(value) is not None:
            fg = value
        elif name in ("background-color", "background"):
            found = _COLOUR.search(value)
            if found is not None and parse_colour(found.group()) is not None:
                bg = found.group()
    return fg, bg


def styled(html: str) -> list[tuple[str, str | None, str | None]]:
    """(where, text colour, background) for every rule and inline style setting either."""
    out = []
    for block in _STYLE_BLOCK.findall(html):
        block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
        for selector, body in _RULE.findall(block):
            fg, bg = _declarations(body)
            if fg or bg:
                out.append((" ".join(selector.split())[-80:], fg, bg))
    for tag, style in _INLINE.findall(html):
        fg, bg = _declarations(unescape(style))
        if fg or bg:
            out.append((f"<{tag} style={style[:60]}>", fg, bg))
    for attributes in _SVG_TEXT.findall(_ICON.sub("", html)):
        fill = re.search(r'\bfill="([^"]+)"', attributes)
        out.append(("svg <text>", fill.group(1) if fill else DEFAULT_INK, PAPER))
    return out


def colour_pairs(html: str) -> list[Pair]:
    """Every (where, text colour, background) pair the page's styles can put together."""
    found = styled(html)
    inks = {fg for _, fg, bg in found if fg and not bg} | {DEFAULT_INK}
    grounds = {bg for _, fg, bg in found if bg and not fg} | {PAPER}
    pairs: list[Pair] = []
    for where, fg, bg in found:
        if fg and bg:
            pairs.append((where, fg, bg))
        elif fg:
            pairs += [(f"{where} on a background set elsewhere", fg, g) for g in sorted(grounds)]
        elif bg:
            pairs += [(f"text set elsewhere on {where}", i, bg) for i in sorted(inks)]
    return pairs
