"""Errors a user can cause. Each prints as one line; the CLI turns them into exit code 1."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class ScorecardError(Exception):
    """Base class for every error caused by input, configuration or usage (not a bug)."""

    def one_line(self) -> str:
        """The message on a single line, as the CLI prints it."""
        return " ".join(str(self).split())

    def lines(self) -> list[str]:
        """What the CLI prints, a line each: the message, or (SourceError) every problem."""
        return [self.one_line()]


class DefinitionError(ScorecardError):
    """An indicator definition or thresholds file is invalid."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: key '{key}': {problem}")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a published file: where it is, the cell's value and the rule.

    `row` is the line number in the file as a spreadsheet shows it (the header is row 1);
    `rule` says what was expected, in the layout's own words; `more` counts the further
    rows that break the same rule in the same column, not listed one by one.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    rule: str
    more: int = 0

    def one_line(self) -> str:
        """The problem as SourceError prints it: `file, column 'C', row N: rule, got 'V'`,
        then `(and M more rows)` when it has `more`."""
        parts = [self.file]
        if self.column is not None:
            parts.append(f"column '{self.column}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        got = f", got '{self.value}'" if self.value is not None else ""
        return ": ".join([", ".join(parts), self.rule + got + and_more(self.more, "row")])


def and_more(count: int, noun: str) -> str:
    """` (and 3 more rows)`: what a message adds for `count` more of `noun`; "" for none."""
    return f" (and {count} more {noun}{'s' if count != 1 else ''})" if count else ""


def counted(problems: Sequence[Problem]) -> int:
    """How many problems `problems` stand for: each one, and the rows each has `more` of."""
    return sum(1 + p.more for p in problems)


class SourceError(ScorecardError):
    """A published extract cannot be read or fails validation.

    `row` is the line number in the file as a spreadsheet shows it (the header is row 1).
    `problems` holds every problem found (the first is the one the message names); an error
    raised for one problem holds just that one.
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        column: str | None = None,
        row: int | None = None,
        more: int | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        if more is None:
            more = max(counted(problems) - 1, 0)
        self.file, self.problem, self.column, self.row, self.more = file, problem, column, row, more
        self.problems: tuple[Problem, ...] = tuple(problems) or (
            Problem(file=file, row=row, column=column, value=None, rule=problem, more=more),
        )
        # What could still be read of the file (its rows without problems), so the checks
        # that come after reading (the indicator catalogue, say) report on them too.
        self.partial: tuple[object, ...] = ()
        parts = [file]
        if column is not None:
            parts.append(f"column '{column}'")
        if row is not None:
            parts.append(f"row {row}")
        message = ": ".join([", ".join(parts), problem])
        message += and_more(more, "problem")
        super().__init__(message)

    def lines(self) -> list[str]:
        """One line per problem (every file's), then their count; or the one message."""
        if len(self.problems) < 2:
            return [self.one_line()]
        files = len({p.file for p in self.problems})
        count = f"{counted(self.problems)} problems in {files} file{'s' if files != 1 else ''}"
        return [" ".join(p.one_line().split()) for p in self.problems] + [count]

    @classmethod
    def of(cls, problems: Sequence[Problem]) -> SourceError:
        """An error for every problem in `problems` (at least one), the first in its message."""
        first = problems[0]
        got = f", got '{first.value}'" if first.value is not None else ""
        return cls(
            first.file,
            first.rule + got,
            column=first.column,
            row=first.row,
            problems=problems,
        )


class StoreError(ScorecardError):
    """The store cannot be opened or written."""


class OutputError(ScorecardError):
    """An output (a build's files, a chart) cannot be written: the folder, the disk, the OS."""


class UsageError(ScorecardError):
    """A command was asked for something that cannot be done (unknown org, period, indicator)."""


class FunnelError(ScorecardError):
    """A funnel plot cannot be drawn from the units given (bad counts, nothing to centre on)."""
