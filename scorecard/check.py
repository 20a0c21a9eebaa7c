"""`scorecard check`: validate published files without storing them, listing every problem.

Each file is read exactly as `ingest` reads it (layout recognised, or insisted on with
--layout; --period for layouts whose month is not in the file) and nothing is stored. A
problem is one row of the report: file, row, column, value and the rule it breaks. Files that
pass are listed with their layouts, and with any warnings (cells not published, sheets
skipped). Pure apart from reading the files through scorecard.sources.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from scorecard.errors import Problem, SourceError, UsageError
from scorecard.periods import Month
from scorecard.sources import layout_named, read_extracts

COLUMNS = ("file", "row", "column", "value", "rule")
FORMATS = ("table", "json")


@dataclass(frozen=True)
class FileReport:
    """One file's outcome: its problems (none when it passed), layouts read and warnings."""

    path: str
    problems: tuple[Problem, ...] = ()
    layouts: tuple[str, ...] = ()
    status: str | None = None
    warnings: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Report:
    files: tuple[FileReport, ...]

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    @property
    def problems(self) -> list[Problem]:
        return [p for f in self.files for p in f.problems]


def check_files(
    paths: Sequence[Path], period_hint: str | None = None, layout: str | None = None
) -> Report:
    """Read and validate every file; a file's SourceError becomes its problems."""
    if period_hint is not None:
        try:
            Month.parse(period_hint)
        except ValueError as exc:
            raise UsageError(f"--period: {exc}") from None
    if layout is not None:
        layout_named(layout)
    return Report(tuple(_check_one(path, period_hint, layout) for path in paths))


def _check_one(path: Path, period_hint: str | None, layout: str | None) -> FileReport:
    skipped: list[str] = []
    try:
        extracts = read_extracts(path, period_hint, skipped, layout)
    except SourceError as exc:
        return FileReport(str(path), problems=exc.problems, skipped=tuple(skipped))
    statuses = {e.status for e in extracts if e.status}
    return FileReport(
        str(path),
        layouts=tuple(dict.fromkeys(e.format for e in extracts)),
        status=", ".join(sorted(statuses)) or None,
        warnings=tuple(w for e in extracts for w in e.warnings),
        skipped=tuple(skipped),
    )


def problem_records(report: Report) -> list[dict[str, str | int | None]]:
    """Every problem as a record with the keys file, row, column, value and rule."""
    return [
        {"file": p.file, "row": p.row, "column": p.column, "value": p.value, "rule": p.rule}
        for p in report.problems
    ]


def as_json(report: Report) -> str:
    """The problems as a JSON list of records (an empty list when every file is clean)."""
    return json.dumps(problem_records(report), indent=2, ensure_ascii=False) + "\n"


def as_table(report: Report) -> str:
    """The problems as an aligned text table, then the summary lines; or just the summary."""
    out = []
    if report.problems:
        cells = [list(COLUMNS)] + [
            ["" if r[k] is None else str(r[k]) for k in COLUMNS] for r in problem_records(report)
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS) - 1)]
        cells.insert(1, ["-" * len(c) for c in COLUMNS])
        for row in cells:
            padded = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
            out.append("  ".join([*padded, row[-1]]).rstrip())
        out.append("")
    out += summary(report)
    return "\n".join(out) + "\n"


def summary(report: Report) -> list[str]:
    """A line per file (passed, or its count of problems), its warnings and skipped sheets."""
    lines = []
    for f in report.files:
        if f.ok:
            status = f", {f.status}" if f.status else ""
            lines.append(f"ok: {f.path} ({', '.join(f.layouts)}{status})")
        else:
            n = len(f.problems)
            lines.append(f"failed: {f.path} ({n} problem{'s' if n != 1 else ''})")
        lines += [f"warning: {w}" for w in f.warnings]
        lines += [f"skipped: {s}" for s in f.skipped]
    passed = sum(f.ok for f in report.files)
    failed = len(report.files) - passed
    lines.append(
        f"{len(report.files)} file{'s' if len(report.files) != 1 else ''} checked: "
        f"{passed} passed, {failed} with problems"
    )
    return lines


def require_format(output: str) -> str:
    """`table` or `json`; another name is a usage error listing them."""
    if output not in FORMATS:
        raise UsageError(f"--format: expected one of {', '.join(FORMATS)}, got '{output}'")
    return output


def render(report: Report, output: str) -> str:
    """The report as `table` or `json` text."""
    return as_json(report) if require_format(output) == "json" else as_table(report)
