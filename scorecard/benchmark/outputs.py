"""Writing benchmarking outputs: a league table (HTML page or fragment, and CSV)."""

from __future__ import annotations

from pathlib import Path

from scorecard.benchmark.league import league
from scorecard.benchmark.peers import MIN_PEERS, PeerGroup
from scorecard.coverage import ANY, default_month
from scorecard.definitions import Catalogue
from scorecard.errors import UsageError
from scorecard.model import Window
from scorecard.periods import Month
from scorecard.render.league import league_csv, league_fragment, league_page
from scorecard.store import Store
from scorecard.writing import write_set


def write_league(
    store: Store,
    catalogue: Catalogue,
    indicator_id: str,
    period: Month | None,
    out: Path,
    *,
    window: Window = Window.MONTH,
    group: PeerGroup | None = None,
    highlight: str | None = None,
    fragment: bool = False,
) -> list[Path]:
    """league-<id>-<YYYY-MM>.html (a fragment with `fragment`) and .csv, written together."""
    month = period or default_month(store, catalogue, {ANY: [indicator_id]}, indicator_id)
    table = league(store, catalogue, indicator_id, month, window, group)
    if not table.entries:
        raise UsageError(
            f"league: fewer than {MIN_PEERS} peers have a {window.value} value for "
            f"{indicator_id} in {month.label()}, so there is no league (try another --period, "
            "--window or --peers)"
        )
    if highlight is not None and highlight not in {e.row.org_code for e in table.entries}:
        raise UsageError(f"--org: {highlight} is not among the peers ranked for {month.label()}")
    stem = f"league-{indicator_id}-{month.iso()}"
    if window is not Window.MONTH:
        stem += f"-{window.value}"
    html = league_fragment(table, highlight) if fragment else league_page(table, highlight)
    files = [
        (f"{stem}.html", html.encode("utf-8")),
        (f"{stem}.csv", league_csv(table).encode("utf-8")),
    ]
    return write_set(out, files)
