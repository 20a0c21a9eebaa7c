"""Which publication of a figure is the one a board sees: a declared order, never ingest order.

NHS England publishes some figures twice: the official monthly statistics file and a
provider-level workbook sheet, or the RTT Full CSV and its summary workbooks. They usually
agree, but not always (34 stored A&E figures differ over April-September 2025). For each
dataset, month and measure the store keeps every publication and uses the one that ranks
first by:

1. the publication: an official monthly statistics file over a provider-level extract, a
   monthly file over a summary of them (England's figures in a month's National sheet over
   the RTT overview time series, which repeats them), and a sheet listing every provider
   over one of the same publication that leaves some out (`PUBLICATION_RANK`; layouts
   not named rank equal);
2. the revision: a revised publication over a final one over a provisional one; then, of
   two time series of the same layout, the one reaching later months (`AmbSYS` to October
   over `AmbSYS` to September); then the higher version in the file name (`...-v2.0.csv`
   over `...-v1.csv` or none);
3. only then the ingest: of two equal files, the one ingested by a later command.

Two different files equal in 1 and 2 that differ on a figure of the same month, given in one
command, would leave the order of the command line to decide: that is refused
(see `scorecard.store.write`).
"""

from __future__ import annotations

import re

from scorecard.sources.extract import Extract
from scorecard.sources.naming import STATUSES, latest_status, status_from_name

# Layouts that publish the same figures as another, higher the first.
PUBLICATION_RANK: dict[str, int] = {
    "ae_monthly_csv": 2,  # the official monthly A&E statistics CSV
    "ae_provider_sheet": 1,  # the A&E-by-provider workbook's "Provider Level Data" sheet
    "rtt_full_csv": 2,  # the monthly RTT Full CSV data file
    "rtt_incomplete_sheet": 1,  # the RTT provider/commissioner summary workbooks
    "rtt_completed_sheet": 1,
    "rtt_national_sheet": 1,  # the workbooks' level sheets: each level's own monthly figures
    "rtt_region_sheet": 1,
    "rtt_area_team_sheet": 1,
    "rtt_overview_timeseries": 0,  # a summary of the monthly files: used where they are absent
    # One DM01 publication, two sheets: the Provider sheet lists every provider (zeros
    # included); the Provider by Test sheet leaves out those with nothing to report, so its
    # Total rows give the whole only where the Provider sheet is not stored.
    "dm01_provider_csv": 2,
    "dm01_provider_by_test_csv": 1,
}
DEFAULT_RANK = 1
# NHS England layouts that republish every month so far in each file: the file reaching
# the later month is the later publication. (An analyst's own multi-month file is not one:
# a corrected file may hold fewer months.)
TIME_SERIES = frozenset({"ambsys_csv", "rtt_overview_timeseries"})
PUBLICATION_NAME: dict[str, str] = {
    "ae_monthly_csv": "the official monthly A&E statistics file",
    "ae_provider_sheet": "a provider-level workbook sheet",
    "rtt_full_csv": "the official RTT Full CSV data file",
    "rtt_incomplete_sheet": "an RTT summary workbook",
    "rtt_completed_sheet": "an RTT summary workbook",
    "rtt_national_sheet": "an RTT monthly workbook's National sheet",
    "rtt_region_sheet": "an RTT monthly workbook's Region sheet",
    "rtt_area_team_sheet": "an RTT monthly workbook's Area Team sheet",
    "rtt_overview_timeseries": "the RTT overview time series",
    "dm01_provider_csv": "the DM01 Provider sheet, listing every provider,",
    "dm01_provider_by_test_csv": "the DM01 Provider by Test sheet",
}
# `v2`, `v2.0`, `V3` as a word of the file name (`August-2025-CSV-g5tyh-v2.0.csv`).
_VERSION = re.compile(r"(?:^|[-_ .])v(\d{1,3})(?:\.\d+)*(?=[-_ .]|$)", re.IGNORECASE)
_STATUS_RANK = {None: 1, "provisional": 0, "final": 1, "revised": 2}
_VERSION_SPAN = 1000
_REACH_SPAN = 100_000  # year * 12 + month of a file's last month is below this
assert set(STATUSES) <= set(_STATUS_RANK)


def publication_rank(fmt: str) -> int:
    """How far a layout's figures take precedence over another layout's (higher wins)."""
    return PUBLICATION_RANK.get(fmt, DEFAULT_RANK)


def revision_rank(file: str, status: str | None, reach: int = 0) -> int:
    """Status first (revised > final = unstated > provisional; the file's own word, or its
    name's), then how far the file reaches (of two time series, the one with later months is
    the later publication), then the version in its name. `reach` is year * 12 + month of
    the file's last month."""
    stem = file.rsplit(".", 1)[0] if file.lower().endswith((".csv", ".xls", ".xlsx")) else file
    versions = [int(v) for v in _VERSION.findall(stem)]
    version = min(max(versions) if versions else 1, _VERSION_SPAN - 1)
    said = latest_status(status, status_from_name(file))
    return (_STATUS_RANK.get(said, 1) * _REACH_SPAN + reach) * _VERSION_SPAN + version


def extract_revision(extract: Extract) -> int:
    """An extract's revision rank (`revision_rank`); a time series reaches its last month."""
    reach = 0
    if extract.format in TIME_SERIES:
        days = extract.observations["period"].to_list() + extract.orgs["period"].to_list()
        reach = max((d.year * 12 + d.month for d in days), default=0)
    return revision_rank(extract.file, extract.status, reach)


def _parts(rank: int) -> tuple[int, int, int]:
    """(status, reach, version) of a revision rank."""
    rest, version = divmod(rank, _VERSION_SPAN)
    status, reach = divmod(rest, _REACH_SPAN)
    return status, reach, version


def publication_name(fmt: str) -> str:
    return PUBLICATION_NAME.get(fmt, f"the {fmt} layout")


def why_first(winner_fmt: str, winner_rank: int, loser_fmt: str, loser_rank: int) -> str:
    """Plain words for why one publication's figures are used over another's."""
    if publication_rank(winner_fmt) != publication_rank(loser_fmt):
        return f"{publication_name(winner_fmt)} over {publication_name(loser_fmt)}"
    (status, reach, version), (status_b, reach_b, version_b) = (
        _parts(winner_rank),
        _parts(loser_rank),
    )
    if status != status_b:
        if status == _STATUS_RANK["revised"]:
            return "a revised publication over the one it revises"
        return "a final publication over a provisional one"
    if reach != reach_b:
        return "a later publication of the same time series, reaching later months"
    if version != version_b:
        return "a later version of the same publication, by the version in its name"
    return "the same publication, ingested by a later command"
