"""Scorecard -> a self-contained great-tables HTML fragment for a board paper.

The fragment is one `<div>` with its own `<style>`, every selector scoped to the table's id,
and no external fonts, scripts or images, so it can be pasted into any document. Ratings are
shown as colour and as text.

Escaping: great-tables escapes plain strings (title, subtitle, body cells, source notes), so
text from data and configuration goes in as plain strings. The value cells are the one place
we hand great-tables HTML (value, line break, window label); they are built here from
escaped text. The tests check that `<script>` and `&` from data only appear escaped.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

import great_tables as gt
import polars as pl
from great_tables import loc, style

from scorecard.formatting import format_threshold, format_value, window_label
from scorecard.model import Cell, OverTime, Rating, Row, Scorecard

# NHS identity colours (fill, text); text colour chosen for contrast on each fill.
RAG_COLOURS: dict[Rating, tuple[str, str]] = {
    Rating.GREEN: ("#009639", "#FFFFFF"),
    Rating.AMBER_GREEN: ("#78BE20", "#231F20"),
    Rating.AMBER_RED: ("#ED8B00", "#231F20"),
    Rating.AMBER: ("#FFB81C", "#231F20"),
    Rating.RED: ("#DA291C", "#FFFFFF"),
    Rating.NOT_RATED: ("#E8EDEE", "#231F20"),
    Rating.NO_DATA: ("#E8EDEE", "#231F20"),
    Rating.NOT_AVAILABLE: ("#E8EDEE", "#231F20"),
}
GREY = ("#E8EDEE", "#231F20")  # any rating added to the model later, until it gets a colour
RULE_NOTE = (
    "Green: at or better than the standard; Amber: between the standard and the lower "
    "threshold; Red: worse than the lower threshold (or than the standard where there is no "
    "lower threshold). Values compared unrounded; percentages shown to one decimal place."
)
FONT = ["Arial", "Helvetica", "sans-serif"]
NO_STANDARD = "No national standard"
_COLUMNS = ("indicator", "period", "standard", "lower", "month", "quarter", "ytd", "rating")
_VALUE_COLUMNS = ["month", "quarter", "ytd"]
_LABELS: dict[str, Any] = {
    "indicator": "Indicator",
    "period": "Period",
    "standard": "Standard",
    "lower": "Lower threshold",
    "month": "Month",
    "quarter": "Quarter to date",
    "ytd": "Year to date",
    "rating": "Rating (month)",
}


def table_id(card: Scorecard) -> str:
    """`scorecard-<org>-<YYYY-MM>`: fixed, so the same card renders to the same bytes."""
    slug = re.sub(r"[^a-z0-9]+", "-", card.org_code.lower()).strip("-") or "org"
    return f"scorecard-{slug}-{card.period.iso()}"


def _value_html(cell: Cell, row: Row) -> str:
    """The value, then on its own line the span it covers (the HTML we build; all escaped)."""
    v = cell.value
    if v.value is not None:
        shown = format_value(v.value, row.indicator.unit)
    else:
        shown = "Not available" if cell.rating.rating is Rating.NOT_AVAILABLE else "No data"
    label = window_label(v, position=row.indicator.over_time is OverTime.LATEST)
    return f"{escape(shown)}<br><small><em>{escape(label)}</em></small>"


def _frame(card: Scorecard) -> pl.DataFrame:
    records = []
    for row in card.rows:
        unit, std = row.indicator.unit, row.standard
        records.append(
            {
                "indicator": row.indicator.name,
                "period": row.month.value.period.label(),
                "standard": (
                    format_threshold(std.standard, unit, row.indicator.direction)
                    if std
                    else NO_STANDARD
                ),
                "lower": format_threshold(std.lower_threshold if std else None, unit),
                "month": _value_html(row.month, row),
                "quarter": _value_html(row.quarter, row),
                "ytd": _value_html(row.ytd, row),
                "rating": row.month.rating.rating.value,
            }
        )
    return pl.DataFrame(records, schema=dict.fromkeys(_COLUMNS, pl.String))


def _notes(card: Scorecard) -> list[str]:
    """The rating rule; each standard's basis and each reason a value is not available,
    naming the indicators it applies to; then the card's sources."""
    bases: dict[str, list[str]] = {}
    unavailable: dict[str, list[str]] = {}
    for row in card.rows:
        name, std = row.indicator.name, row.standard
        if std is not None and std.basis:
            bases.setdefault(std.basis.rstrip("."), []).append(name)
        for cell in (row.month, row.quarter, row.ytd):
            if cell.rating.rating is Rating.NOT_AVAILABLE:
                names = unavailable.setdefault(cell.rating.rule.rstrip("."), [])
                names += [] if name in names else [name]
    notes = [RULE_NOTE]
    notes += [f"Standard for {'; '.join(names)}: {basis}." for basis, names in bases.items()]
    notes += [f"{'; '.join(names)}: {rule}." for rule, names in unavailable.items()]
    return notes + list(card.sources)


def _raw(html: str) -> str:
    """great-tables inserts what a `fmt` function returns as HTML: used for `_value_html`."""
    return html


def _table(card: Scorecard) -> gt.GT:
    table = (
        gt.GT(_frame(card), id=table_id(card))
        .tab_header(
            title=card.title,
            subtitle=f"{card.org_name} ({card.org_code}), {card.period.label()}",
        )
        .cols_label(cases=_LABELS)
        .fmt(_raw, columns=_VALUE_COLUMNS)
        .cols_align(align="right", columns=["standard", "lower", *_VALUE_COLUMNS])
        .cols_align(align="center", columns=["rating"])
        .opt_table_font(font=FONT)
    )
    for rating in Rating:
        fill, text = RAG_COLOURS.get(rating, GREY)
        rows = [i for i, r in enumerate(card.rows) if r.month.rating.rating is rating]
        if rows:
            table = table.tab_style(
                style=[style.fill(color=fill), style.text(color=text, weight="bold")],
                locations=loc.body(columns="rating", rows=rows),
            )
    for note in _notes(card):
        table = table.tab_source_note(note)
    return table


# At-rules that would load something from outside the fragment: dropped.
_EXTERNAL = ("@import", "@font-face", "@namespace")
_NESTED = ("@media", "@supports", "@container", "@layer")
_RULE_END = re.compile(r"[{;]")


def _split_selectors(prelude: str) -> list[str]:
    """Split a selector list on commas outside brackets (`:is(a, b)` stays whole)."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(prelude):
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            parts.append(prelude[start:i])
            start = i + 1
    parts.append(prelude[start:])
    return [p.strip() for p in parts if p.strip()]


def is_scoped(selector: str, tid: str) -> bool:
    """`#tid`, `#tid .x`, `#tid:hover`; not `#tid-title` (another element's id)."""
    return re.match(rf"#{re.escape(tid)}(?![\w-])", selector) is not None


def _matching_brace(css: str, open_at: int) -> int:
    depth = 0
    for i in range(open_at, len(css)):
        depth += {"{": 1, "}": -1}.get(css[i], 0)
        if depth == 0:
            return i
    raise ValueError("unbalanced braces in the table's CSS")


def _scope_rules(css: str, tid: str) -> list[str]:
    rules: list[str] = []
    i = 0
    while (m := _RULE_END.search(css, i)) is not None:
        prelude = css[i : m.start()].strip()
        if m.group() == ";":  # a statement at-rule such as @import or @charset
            if prelude and not prelude.startswith(_EXTERNAL):
                rules.append(f"{prelude};")
            i = m.end()
            continue
        close = _matching_brace(css, m.start())
        body = css[m.end() : close].strip()
        i = close + 1
        if prelude.startswith(_NESTED):
            rules.append(f"{prelude} {{\n" + "\n".join(_scope_rules(body, tid)) + "\n}")
        elif prelude.startswith(_EXTERNAL):
            continue
        elif prelude.startswith("@"):  # e.g. @keyframes: its inner "selectors" are offsets
            rules.append(f"{prelude} {{{body}}}")
        else:
            scoped = [s if is_scoped(s, tid) else f"#{tid} {s}" for s in _split_selectors(prelude)]
            rules.append(f"{', '.join(scoped)} {{ {body} }}")
    return rules


def scope_css(html: str, tid: str) -> str:
    """Scope every selector of the fragment's `<style>` block to the table's id.

    great-tables leaves some selectors unscoped (` tr { ... }`, `#id thead, tbody, ...`),
    which would restyle the host document's tables. One rule per line in the output.
    """

    def scope_block(block: re.Match[str]) -> str:
        css = re.sub(r"/\*.*?\*/", "", block.group(1), flags=re.S)
        return "<style>\n" + "\n".join(_scope_rules(css, tid)) + "\n</style>"

    return re.sub(r"<style>(.*?)</style>", scope_block, html, count=1, flags=re.S)


def render_html(card: Scorecard) -> str:
    """The scorecard as a self-contained HTML fragment; same card, same bytes.

    The fragment is pure ASCII (`–` becomes `&#8211;`): it has no `<meta charset>` of its
    own, so it reads the same pasted into a document of any encoding or opened as a file.
    """
    html = scope_css(_table(card).as_raw_html(inline_css=False), table_id(card))
    return html.strip().encode("ascii", "xmlcharrefreplace").decode("ascii") + "\n"
