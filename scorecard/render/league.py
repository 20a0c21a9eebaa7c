"""Pure: a league table as a self-contained HTML page (or a fragment to embed) and as CSV.

Sorted by rank; a click on a column heading sorts by that column (a few lines of inline
script, no data in it; without script the table reads as ranked). Every name is escaped;
each rating is written as text as well as coloured; the same league gives the same bytes.
"""

from __future__ import annotations

from html import escape

import polars as pl

from scorecard.benchmark.league import League
from scorecard.benchmark.nof import LABEL as NOF_LABEL
from scorecard.formatting import format_value, plain_number
from scorecard.model import Unit
from scorecard.render.cells import colours
from scorecard.render.csv_text import csv_text
from scorecard.render.mdc_icons import assurance_svg, variation_svg

_CSS = """
.sc-league { font-family: Arial, Helvetica, sans-serif; color: #231F20; font-size: 13px; }
.sc-league h2 { font-size: 18px; color: #005EB8; margin: 0 0 4px 0; }
.sc-league p { margin: 4px 0; }
.sc-league table { border-collapse: collapse; margin: 8px 0; }
.sc-league th, .sc-league td { border: 1px solid #D8DDE0; padding: 3px 8px; text-align: left; }
.sc-league th { background: #F0F4F5; cursor: pointer; }
.sc-league td.num { text-align: right; white-space: nowrap; }
.sc-league tr.sc-me td { font-weight: bold; border-top: 2px solid #231F20;
  border-bottom: 2px solid #231F20; }
.sc-league .sc-rag { display: inline-block; padding: 1px 6px; border-radius: 3px;
  font-weight: bold; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
"""
_SCRIPT = """
document.querySelectorAll('table.sc-sortable').forEach(function (t) {
  t.querySelectorAll('th').forEach(function (th, i) {
    th.addEventListener('click', function () {
      var body = t.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var up = th.getAttribute('data-dir') !== 'up';
      th.setAttribute('data-dir', up ? 'up' : 'down');
      rows.sort(function (a, b) {
        var x = a.cells[i].getAttribute('data-key'), y = b.cells[i].getAttribute('data-key');
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (isNaN(nx) || isNaN(ny)) ? x.localeCompare(y) : nx - ny;
        return up ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""
HEADINGS = (
    "Rank", "Organisation", "Value", "Numerator", "Denominator", "Quartile", "Rating",
    "Variation", "Assurance", "Funnel", "NOF metric score",
)  # fmt: skip


def title(lg: League) -> str:
    window = {"month": "", "quarter": ", quarter to date", "ytd": ", year to date"}
    return (
        f"{lg.indicator.name}: league table, {lg.period.label()}"
        f"{window[lg.window.value]} ({lg.peer_group} peers)"
    )


def league_fragment(lg: League, highlight: str | None = None) -> str:
    """The table and its notes in one `<div>` with its own style (and sort script)."""
    unit = lg.indicator.unit
    rows = [_row(lg, e_index, highlight) for e_index in range(len(lg.entries))]
    spread = (
        f"Peer median {format_value(lg.median, unit)}, lower quartile "
        f"{format_value(lg.lower_quartile, unit)}, upper quartile "
        f"{format_value(lg.upper_quartile, unit)}; England {format_value(lg.england, unit)}."
    )
    notes = [
        spread,
        f"{len(lg.entries)} peers: {_peers_text(lg)}. Rank 1 is the best "
        f"({lg.indicator.direction.value} is better); tied values share a rank. Quartile 1 is "
        "the best quarter of the ranks.",
    ]
    if lg.nof is not None:
        notes.append(f"{NOF_LABEL}. {lg.nof.metric_id}: {lg.nof.basis} ({lg.nof.confidence}).")
    head = "".join(f"<th>{escape(h)}</th>" for h in HEADINGS)
    return (
        f'<div class="sc-league">\n<style>{_CSS}</style>\n<h2>{escape(title(lg))}</h2>\n'
        f'<table class="sc-sortable">\n<thead><tr>{head}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n"
        + "".join(f"<p>{escape(n)}</p>\n" for n in notes)
        + f"<script>{_SCRIPT}</script>\n</div>\n"
    )


def _peers_text(lg: League) -> str:
    if lg.peer_group == "default":
        return "organisations of the same level with a value for the indicator in the window"
    return f"the members of peer group '{lg.peer_group}' with a value"


def _row(lg: League, i: int, highlight: str | None) -> str:
    e = lg.entries[i]
    unit = lg.indicator.unit
    rating = e.row.month.rating.rating
    fill, text = colours(rating)
    spc = e.row.spc
    cells = [
        (e.rank_text, str(e.rank), "num"),
        (f"{e.row.org_name} ({e.row.org_code})", e.row.org_name, ""),
        (format_value(e.value, unit), plain_number(e.value), "num"),
        (format_value(e.numerator, Unit.COUNT), plain_number(e.numerator), "num"),
        (format_value(e.denominator, Unit.COUNT), plain_number(e.denominator), "num"),
        (str(e.quartile), str(e.quartile), "num"),
    ]
    out = [
        f'<td class="{cls}" data-key="{escape(key)}">{escape(shown)}</td>'
        for shown, key, cls in cells
    ]
    out.append(
        f'<td data-key="{escape(rating.value)}"><span class="sc-rag" style="background:{fill};'
        f'color:{text}">{escape(rating.value)}</span></td>'
    )
    if spc is None:
        out += ['<td data-key=""></td>', '<td data-key=""></td>']
    else:
        out.append(f'<td data-key="{spc.variation.value}">{variation_svg(spc.variation)}</td>')
        out.append(f'<td data-key="{spc.assurance.value}">{assurance_svg(spc.assurance)}</td>')
    out.append(f'<td data-key="{escape(e.funnel or "")}">{escape(e.funnel or "")}</td>')
    score = "" if e.nof_score is None else f"{e.nof_score:.2f}"
    out.append(f'<td class="num" data-key="{score}">{score}</td>')
    me = ' class="sc-me"' if highlight is not None and e.row.org_code == highlight else ""
    return f"<tr{me}>" + "".join(out) + "</tr>"


def league_page(lg: League, highlight: str | None = None) -> str:
    """The whole page, ASCII (characters beyond as references)."""
    body = league_fragment(lg, highlight).encode("ascii", "xmlcharrefreplace").decode("ascii")
    name = escape(title(lg)).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return (
        '<!doctype html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )


def league_csv(lg: League) -> str:
    """One line per peer, unrounded, by rank."""
    records = [
        {
            "rank": str(e.rank),
            "rank_text": e.rank_text,
            "org_code": e.row.org_code,
            "org_name": e.row.org_name,
            "value": plain_number(e.value),
            "numerator": plain_number(e.numerator),
            "denominator": plain_number(e.denominator),
            "quartile": str(e.quartile),
            "rating": e.row.month.rating.rating.value,
            "variation": "" if e.row.spc is None else e.row.spc.variation.value,
            "assurance": "" if e.row.spc is None else e.row.spc.assurance.value,
            "funnel": e.funnel or "",
            "nof_score": "" if e.nof_score is None else f"{e.nof_score:.2f}",
        }
        for e in lg.entries
    ]
    columns = (
        "rank", "rank_text", "org_code", "org_name", "value", "numerator", "denominator",
        "quartile", "rating", "variation", "assurance", "funnel", "nof_score",
    )  # fmt: skip
    return csv_text(pl.DataFrame(records, schema=dict.fromkeys(columns, pl.String)))
