"""Pure: an analyst's commentary -> escaped HTML with a little Markdown.

Everything is HTML-escaped first. Then, and only then: `**bold**`, `*italic*`, lines
starting `- ` as a bulleted list, a blank line between paragraphs, and a single line break
kept as a line break. Nothing else is interpreted (no links, images, headings or raw HTML),
so commentary can never load anything or run a script.
"""

from __future__ import annotations

import re
from html import escape

_BOLD = re.compile(r"\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*")
# Italic text holds no tag except a whole bold span, so the tags always nest properly.
_ITALIC = re.compile(
    r"(?<!\*)\*(?=[^\s*])((?:<strong>[^<>]*</strong>|[^*<>])+?)(?<=[^\s*])\*(?!\*)"
)


def _inline(line: str) -> str:
    text = _BOLD.sub(r"<strong>\1</strong>", escape(line.strip()))
    return _ITALIC.sub(r"<em>\1</em>", text)


def _block(lines: list[str]) -> str:
    """One paragraph: runs of `- ` lines become a list, other lines join with `<br>`."""
    parts: list[str] = []
    text: list[str] = []
    items: list[str] = []
    for line in lines:
        if line.lstrip().startswith("- "):
            if text:
                parts.append("<p>" + "<br>".join(text) + "</p>")
                text = []
            items.append("<li>" + _inline(line.lstrip()[2:]) + "</li>")
        else:
            if items:
                parts.append("<ul>" + "".join(items) + "</ul>")
                items = []
            text.append(_inline(line))
    if text:
        parts.append("<p>" + "<br>".join(text) + "</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return "".join(parts)


def commentary_html(text: str) -> str:
    """The commentary as HTML: escaped, with **bold**, *italic*, `- ` bullets and breaks."""
    blocks: list[list[str]] = [[]]
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    return "".join(_block(b) for b in blocks if b)
