"""Peer groups: who an organisation is compared with.

By default an organisation's peers for an indicator are the organisations of the same level
(providers, ICBs, regions) with a value for it in the window, less those an indicator's
`peer_measure` excludes: an A&E indicator compares providers with a type 1 department
(`peer_measure = "ae_att_type1"`: only organisations with that measure above 0 that month).

A user names groups of their own in the configuration folder's `peers/` (one CSV per group,
`peers/shelford.csv`: a `code` column, optionally `name`), and a board, `values`, `funnel`
or `league` can name the group (`--peers shelford`). A group needs at least 3 members, and
every code must be an organisation in the store; a member with no value that month is left
out and said so.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection
from pathlib import Path

from scorecard.errors import SourceError, UsageError
from scorecard.model import PeerGroup as PeerGroup

MIN_PEERS = 3
PEERS_DIR = "peers"
_CODE = re.compile(r"^[A-Z0-9]{2,8}$")


def group_names(config_dir: Path) -> list[str]:
    return sorted(p.stem for p in (config_dir / PEERS_DIR).glob("*.csv"))


def load_group(config_dir: Path, name: str) -> PeerGroup:
    """The group `name` from the configuration folder; one line when there is none."""
    path = config_dir / PEERS_DIR / f"{name}.csv"
    if not path.is_file():
        known = ", ".join(group_names(config_dir)) or f"none: add {PEERS_DIR}/{name}.csv"
        raise UsageError(f"--peers: no peer group '{name}' (known: {known})")
    return read_group(f"{PEERS_DIR}/{path.name}", path.read_bytes(), name)


def read_group(file: str, data: bytes, name: str) -> PeerGroup:
    """Parse and check a peer group file: a `code` column, codes unique, at least 3."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(file, "expected UTF-8 text") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise SourceError(file, "the file is empty; expected a header row with 'code'", row=1)
    header = [h.strip().lower() for h in rows[0]]
    if "code" not in header:
        raise SourceError(file, "expected a 'code' column (and optionally 'name')", row=1)
    at = header.index("code")
    codes: list[str] = []
    lines: list[int] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        code = row[at].strip().upper() if at < len(row) else ""
        if not _CODE.match(code):
            raise SourceError(file, "expected an organisation code (ODS)", column="code", row=line)
        if code in codes:
            first = lines[codes.index(code)]
            raise SourceError(
                file, f"'{code}' is listed twice (first on row {first})", column="code", row=line
            )
        codes.append(code)
        lines.append(line)
    if len(codes) < MIN_PEERS:
        raise SourceError(
            file, f"a peer group needs at least {MIN_PEERS} organisations, got {len(codes)}"
        )
    return PeerGroup(name, file, tuple(codes), tuple(lines))


def check_members(group: PeerGroup, known: Collection[str]) -> None:
    """Every member must be an organisation in the store: one line naming the first not."""
    for code, line in zip(group.codes, group.rows, strict=True):
        if code not in known:
            raise SourceError(
                group.file, f"'{code}' is not an organisation in the store", column="code",
                row=line,
            )  # fmt: skip
