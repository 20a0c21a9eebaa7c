"""Scorecard -> a full HTML page: the fragment, a title, and print CSS for A4 landscape.

Print: A4 landscape with narrow margins; a table row, a domain summary or an exception
entry is never split across pages; a heading is never the last thing on a page (it keeps
with what follows it); table headings repeat on each page that holds rows, but not above a
page holding only the notes after them (a flat table's notes print as a caption below it,
outside the rows); colours print as shown (`print-color-adjust: exact`), and every rating
is also written as text. The notes under a table flow on from its rows rather than moving
to a page of their own.
"""

from __future__ import annotations

from html import escape

from scorecard.model import Scorecard
from scorecard.render.html import render_html

PAGE_CSS = """\
@page { size: A4 landscape; margin: 10mm 10mm 12mm 10mm; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 16px; background: #FFFFFF; color: #231F20; }
@media print {
  body { margin: 0; }
  tr, .sc-exception, .sc-domains, .sc-summary, svg {
    break-inside: avoid; page-break-inside: avoid;
  }
  thead { display: table-header-group; }
  tfoot { display: table-caption; caption-side: bottom; }
  h1, h2, h3, h4, h5, h6, tr.gt_group_heading_row { break-after: avoid; page-break-after: avoid; }
  :is(h1, h2, h3, h4, h5, h6) + * { break-before: avoid; page-break-before: avoid; }
  :is(h1, h2, h3, h4, h5, h6) + p { break-after: avoid; page-break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def page_title(card: Scorecard) -> str:
    return f"{card.title}: {card.org_name} ({card.org_code}), {card.period.label()}"


def render_page(card: Scorecard, fragment: str | None = None) -> str:
    """The whole page as ASCII HTML (characters beyond ASCII as references); same bytes.

    `fragment` is the card's `render_html`, when the caller has it already (a build writes
    both, and renders the table once)."""
    body = render_html(card) if fragment is None else fragment
    title = escape(page_title(card)).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{title}</title>\n<style>\n{PAGE_CSS}</style>\n</head>\n<body>\n"
        f"{body}</body>\n</html>\n"
    )
