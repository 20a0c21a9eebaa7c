"""Which publication of a figure is the one a board sees: a declared order, never ingest order.

NHS England publishes some figures twice: the official monthly statistics file and a
provider-level workbook sheet, or the RTT Full CSV and its summary workbooks. They usually
agree, but not always (29 A&E cells over April-September 2025). For each dataset, month and
measure the store keeps every publication and uses the one that ranks first by:

1. the publication: an official monthly statistics file over a provider-level extract
   (`PUBLICATION_RANK`; layouts not named rank equal);
2. the revision: a revised publication over a final one over a provisional one, then the
   higher version in the file name (`...-v2.0.csv` over `...-v1.csv` or none);
3. only then the ingest: of two equal files, the one ingested by a later command.

Two different files equal in 1 and 2 for the same month in one command would leave the
order of the command line to decide: that is refused (see `store_write`).
"""

from __future__ import annotations

import re

from scorecard.sources.naming import STATUSES, latest_status, status_from_name

# Layouts that publish the same figures as another, higher the first.
PUBLICATION_RANK: dict[str, int] = {
    "ae_monthly_csv": 2,  # the official monthly A&E statistics CSV
    "ae_provider_sheet": 1,  # the A&E-by-provider workbook's "Provider Level Data" sheet
    "rtt_full_csv": 2,  # the monthly RTT Full CSV data file
    "rtt_incomplete_sheet": 1,  # the RTT provider/commissioner summary workbooks
    "rtt_completed_sheet": 1,
}
DEFAULT_RANK = 1
PUBLICATION_NAME: dict[str, str] = {
    "ae_monthly_csv": "the official monthly A&E statistics file",
    "ae_provider_sheet": "a provider-level workbook sheet",
    "rtt_full_csv": "the official RTT Full CSV data file",
    "rtt_incomplete_sheet": "an RTT summary workbook",
    "rtt_completed_sheet": "an RTT summary workbook",
}
# `v2`, `v2.0`, `V3` as a word of the file name (`August-2025-CSV-g5tyh-v2.0.csv`).
_VERSION = re.compile(r"(?:^|[-_ .])v(\d{1,3})(?:\.\d+)*(?=[-_ .]|$)", re.IGNORECASE)
_STATUS_RANK = {None: 1, "provisional": 0, "final": 1, "revised": 2}
assert set(STATUSES) <= set(_STATUS_RANK)


def publication_rank(fmt: str) -> int:
    """How far a layout's figures take precedence over another layout's (higher wins)."""
    return PUBLICATION_RANK.get(fmt, DEFAULT_RANK)


def revision_rank(file: str, status: str | None) -> int:
    """Status first (revised > final = unstated > provisional; the file's own word, or its
    name's), then the name's version."""
    stem = file.rsplit(".", 1)[0] if file.lower().endswith((".csv", ".xls", ".xlsx")) else file
    versions = [int(v) for v in _VERSION.findall(stem)]
    version = max(versions) if versions else 1
    said = latest_status(status, status_from_name(file))
    return _STATUS_RANK.get(said, 1) * 1000 + min(version, 999)


def publication_name(fmt: str) -> str:
    return PUBLICATION_NAME.get(fmt, f"the {fmt} layout")


def why_first(winner_fmt: str, winner_rank: int, loser_fmt: str, loser_rank: int) -> str:
    """Plain words for why one publication's figures are used over another's."""
    if publication_rank(winner_fmt) != publication_rank(loser_fmt):
        return f"{publication_name(winner_fmt)} over {publication_name(loser_fmt)}"
    if winner_rank // 1000 != loser_rank // 1000:
        if winner_rank // 1000 == _STATUS_RANK["revised"]:
            return "a revised publication over the one it revises"
        return "a final publication over a provisional one"
    if winner_rank != loser_rank:
        return "a later version of the same publication, by the version in its name"
    return "the same publication, ingested by a later command"
