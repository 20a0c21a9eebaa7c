"""Writing a scorecard's files: every output rendered first, then all written as one set,
with a build manifest (JSON) that records the inputs, the definitions, the versions of the
software and the command, and the SHA-256 of every output.

The set is written all or none (scorecard.writing): each file to a hidden temporary file
beside it, then all renamed into place, the manifest last, so a reader never sees half a
file and a failed build leaves the previous output whole and no file of its own.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

from scorecard import pretty_json
from scorecard.build_info import BuildInfo as BuildInfo
from scorecard.model import Scorecard, SourceRef
from scorecard.provenance import manifest_inputs
from scorecard.render.excel import render_xlsx
from scorecard.render.html import render_html
from scorecard.render.page import render_page
from scorecard.render.tables import csv_bytes, parquet_bytes, scorecard_rows
from scorecard.writing import write_atomic as write_atomic
from scorecard.writing import write_set

PACKAGES = (
    "scorecard",
    "duckdb",
    "great-tables",
    "pandera",
    "polars",
    "pyarrow",
    "python-calamine",
    "typer",
    "xlsxwriter",
)


def render_all(card: Scorecard, stem: str) -> dict[str, bytes]:
    """Every output of one scorecard, by file name, rendered in memory: the fragment once
    (the page wraps it), the tidy table once (CSV, Parquet and the workbook's Data sheet)."""
    fragment = render_html(card)
    rows = scorecard_rows(card)
    return {
        f"{stem}.html": render_page(card, fragment).encode("utf-8"),
        f"{stem}.fragment.html": fragment.encode("utf-8"),
        f"{stem}.csv": csv_bytes(card, rows),
        f"{stem}.parquet": parquet_bytes(card, rows),
        f"{stem}.xlsx": render_xlsx(card, rows),
    }


def manifest_bytes(card: Scorecard, info: BuildInfo, outputs: Mapping[str, bytes]) -> bytes:
    """The build manifest: the same inputs and command give the same bytes."""
    doc = {
        "command": info.command,
        "as_of": info.as_of.isoformat() if info.as_of else None,
        "organisation": card.org_code,
        "period": card.period.iso(),
        "definition": _ref(info.definition) if info.definition else None,
        "config": [_ref(c) for c in card.config],
        "inputs": manifest_inputs(card, info.inputs_by_month),
        "references": [_ref(r) for r in info.references],
        "software": {p: _version(p) for p in PACKAGES},
        "outputs": [
            {"file": name, "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in sorted(outputs.items())
        ],
    }
    return (pretty_json.dumps(doc) + "\n").encode("utf-8")


def _ref(ref: SourceRef) -> dict[str, str]:
    return {"file": ref.file, "sha256": ref.sha256}


@cache
def _version(package: str) -> str | None:
    """An installed package's version (read once per process: it cannot change mid-build)."""
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def render_set(
    card: Scorecard, stem: str, info: BuildInfo | None = None
) -> list[tuple[str, bytes]]:
    """Every output of one scorecard and, given `info`, its manifest (last), in the order
    they are written."""
    outputs = render_all(card, stem)
    files = list(outputs.items())
    if info is not None:
        files.append((f"{stem}.manifest.json", manifest_bytes(card, info, outputs)))
    return files


def write_outputs(
    card: Scorecard, out: Path, stem: str, info: BuildInfo | None = None
) -> list[Path]:
    """Render every output, then write them as one set (all or none), the manifest last;
    their paths. A failure (disk full, a folder that cannot be written) is one line."""
    return write_set(out, render_set(card, stem, info))
