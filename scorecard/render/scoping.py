"""Pure CSS scoping: every selector of a fragment's `<style>` block is prefixed with an id.

great-tables leaves some selectors unscoped (` tr { ... }`, `#id thead, tbody, ...`), which
would restyle the host document's tables; at-rules that would load something from outside
the fragment (`@import`, `@font-face`) are dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

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


def scope_rules(css: str, tid: str) -> list[str]:
    """The rules of a style sheet (comments removed), each selector scoped to `#tid`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
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
            rules.append(f"{prelude} {{\n" + "\n".join(scope_rules(body, tid)) + "\n}")
        elif prelude.startswith(_EXTERNAL):
            continue
        elif prelude.startswith("@"):  # e.g. @keyframes: its inner "selectors" are offsets
            rules.append(f"{prelude} {{{body}}}")
        else:
            scoped = [s if is_scoped(s, tid) else f"#{tid} {s}" for s in _split_selectors(prelude)]
            rules.append(f"{', '.join(scoped)} {{ {body} }}")
    return rules


# Stands in for a table's id while its style sheet is scoped: every card of one layout has
# the same style sheet but for its id, so each layout's is scoped once (`_scoped_block`).
_ID = "scorecard-table-id"


@lru_cache(maxsize=32)
def _scoped_block(css: str) -> str:
    """A `<style>` block whose selectors name the table `_ID`, scoped to it."""
    return "<style>\n" + "\n".join(scope_rules(css, _ID)) + "\n</style>"


def _id_as(old: str, new: str, css: str) -> str:
    """`css` with every `#old` (the id itself, not `#old-title`) naming `#new` instead."""
    return re.sub(rf"#{re.escape(old)}(?![\w-])", lambda _: f"#{new}", css)


def scope_css(html: str, tid: str) -> str:
    """Scope every selector of the fragment's `<style>` block to the table's id.

    One rule per line in the output.
    """

    def scope_block(block: re.Match[str]) -> str:
        css = block.group(1)
        if _ID in css:  # the stand-in cannot stand in: scope the sheet as it is
            return "<style>\n" + "\n".join(scope_rules(css, tid)) + "\n</style>"
        return _id_as(_ID, tid, _scoped_block(_id_as(tid, _ID, css)))

    return re.sub(r"<style>(.*?)</style>", scope_block, html, count=1, flags=re.S)
