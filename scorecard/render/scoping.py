"""Pure CSS scoping: every selector of a fragment's `<style>` block is prefixed with an id.

great-tables leaves some selectors unscoped (` tr { ... }`, `#id thead, tbody, ...`), which
would restyle the host document's tables; at-rules that would load something from outside
the fragment (`@import`, `@font-face`) are dropped.
"""

from __future__ import annotations

import re

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


def scope_css(html: str, tid: str) -> str:
    """Scope every selector of the fragment's `<style>` block to the table's id.

    One rule per line in the output.
    """

    def scope_block(block: re.Match[str]) -> str:
        return "<style>\n" + "\n".join(scope_rules(block.group(1), tid)) + "\n</style>"

    return re.sub(r"<style>(.*?)</style>", scope_block, html, count=1, flags=re.S)
