"""`scorecard check`: validate published files without storing them, listing every problem.

Each file is read exactly as `ingest` reads it (layout recognised, or insisted on with
--layout; --period for layouts whose month is not in the file) and nothing is stored. A
problem is one row of the report: file, row, column, value and the rule it breaks. Files that
pass are listed with their layouts, and with any warnings (cells not published, sheets
skipped). Beyond its layout, each file is held to the plausibility bounds
(scorecard.sources.plausible: counts, response times, parts within wholes, months from the
series' start to the month of the check) and, for files keyed by indicator id, to the
catalogue (scorecard.sources.catalogued). `ingest` reads its files through read_all here, so
both commands report every problem of every file. Pure apart from reading the files through
scorecard.sources and the date `today` (which reaches no output but the problems).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from scorecard import (
    parallel,
    sources,  # its layouts are imported when a file is first read
)
from scorecard.errors import Problem, SourceError, UsageError, and_more, counted
from scorecard.model import Indicator
from scorecard.periods import Month
from scorecard.sources.catalogued import against_catalogue
from scorecard.sources.extract import Extract
from scorecard.sources.naming import period_from
from scorecard.sources.plausible import MonthSource, bounds, months

COLUMNS = ("file", "row", "column", "value", "rule")
PARALLEL_FILES = 24  # files read in worker processes from this many (each worker starts in ~1 s)
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
    extracts: tuple[Extract, ...] = field(default=(), compare=False, repr=False)

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


@dataclass(frozen=True)
class Rules:
    """What files are held to beyond their layouts: no month after `today`'s, and (when
    given) the catalogue's indicators for files keyed by indicator id."""

    today: Month
    indicators: Mapping[str, Indicator] | None = None


def rules(indicators: Mapping[str, Indicator] | None, today: dt.date | None = None) -> Rules:
    """The rules of a check or ingest run now (or on `today`)."""
    return Rules(Month.from_date(today or dt.date.today()), indicators)


def check_files(
    paths: Sequence[Path],
    period_hint: str | None = None,
    layout: str | None = None,
    rules_: Rules | None = None,
) -> Report:
    """Read and validate every file; a file's SourceError becomes its problems."""
    hint = _hint(period_hint)
    if layout is not None:
        sources.layout_named(layout)
    held = rules_ or rules(None)
    one = partial(_check_one, hint=hint, period_hint=period_hint, layout=layout, held=held)
    return Report(tuple(parallel.run(one, list(paths), minimum=PARALLEL_FILES)))


def read_all(
    paths: Sequence[Path],
    period_hint: str | None,
    skipped: list[str] | None,
    layout: str | None,
    rules_: Rules,
) -> list[Extract]:
    """Every file's extracts, or a SourceError holding every problem of every file."""
    report = check_files(paths, period_hint, layout, rules_)
    if skipped is not None:
        skipped.extend(s for f in report.files for s in f.skipped)
    if not report.ok:
        raise SourceError.of(report.problems)
    return [e for f in report.files for e in f.extracts]


def _hint(period_hint: str | None) -> Month | None:
    if period_hint is None:
        return None
    try:
        return Month.parse(period_hint)
    except ValueError as exc:
        raise UsageError(f"--period: {exc}") from None


def _check_one(
    path: Path, hint: Month | None, period_hint: str | None, layout: str | None, held: Rules
) -> FileReport:
    skipped: list[str] = []
    try:
        extracts = sources.read_extracts(path, period_hint, skipped, layout)
    except SourceError as exc:
        # What could be read of the file is still held to the later checks, so one pass
        # reports every kind of problem (a misspelt id beside a bad number, say).
        later = [
            p
            for e in exc.partial
            if isinstance(e, Extract)
            for p in _plausible(path, e, hint, held)
        ]
        found = sorted({*exc.problems, *later}, key=lambda p: (p.row or 0, str(p.column)))
        return FileReport(str(path), problems=tuple(found), skipped=tuple(skipped))
    problems = [p for e in extracts for p in _plausible(path, e, hint, held)]
    problems.sort(key=lambda p: (p.file, p.row or 0))
    statuses = {e.status for e in extracts if e.status}
    return FileReport(
        str(path),
        problems=tuple(problems),
        layouts=tuple(dict.fromkeys(e.format for e in extracts)),
        status=", ".join(sorted(statuses)) or None,
        warnings=tuple(w for e in extracts for w in e.warnings),
        skipped=tuple(skipped),
        extracts=tuple(extracts),
    )


def _plausible(path: Path, extract: Extract, hint: Month | None, held: Rules) -> list[Problem]:
    """The extract's figures and months against their bounds, and its ids against the
    catalogue."""
    try:
        named: Month | None = period_from(path.name, None)
    except SourceError:
        named = None
    source = MonthSource(hint, named, workbook=extract.file != path.name)
    found = months(extract, held.today, source) + bounds(extract)
    if held.indicators is not None:
        found += against_catalogue(extract, held.indicators)
    return found


def problem_records(report: Report) -> list[dict[str, str | int | None]]:
    """Every problem as a record with the keys file, row, column, value, rule and more (the
    further rows breaking the same rule in the same column, not listed one by one)."""
    return [
        {
            "file": p.file,
            "row": p.row,
            "column": p.column,
            "value": p.value,
            "rule": p.rule,
            "more": p.more,
        }
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
            ["" if r[k] is None else str(r[k]) for k in COLUMNS[:-1]] + [_rule(r)]
            for r in problem_records(report)
        ]
        widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS) - 1)]
        cells.insert(1, ["-" * len(c) for c in COLUMNS])
        for row in cells:
            padded = [c.ljust(w) for c, w in zip(row, widths, strict=False)]
            out.append("  ".join([*padded, row[-1]]).rstrip())
        out.append("")
    out += summary(report)
    return "\n".join(out) + "\n"


def _rule(record: dict[str, str | int | None]) -> str:
    """A record's rule, and the further rows that break it, as the table shows them."""
    return f"{record['rule']}{and_more(int(record['more'] or 0), 'row')}"


def summary(report: Report) -> list[str]:
    """A line per file (passed, or its count of problems), its warnings and skipped sheets."""
    lines = []
    for f in report.files:
        if f.ok:
            status = f", {f.status}" if f.status else ""
            lines.append(f"ok: {f.path} ({', '.join(f.layouts)}{status})")
        else:
            n = counted(f.problems)
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
