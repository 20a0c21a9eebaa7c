"""Errors a user can cause. Each prints as one line; the CLI turns them into exit code 1."""

from __future__ import annotations


class ScorecardError(Exception):
    """Base class for every error caused by input, configuration or usage (not a bug)."""

    def one_line(self) -> str:
        """The message on a single line, as the CLI prints it."""
        return " ".join(str(self).split())


class DefinitionError(ScorecardError):
    """An indicator definition or thresholds file is invalid."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        self.file, self.key, self.problem = file, key, problem
        super().__init__(f"{file}: key '{key}': {problem}")


class SourceError(ScorecardError):
    """A published extract cannot be read or fails validation.

    `row` is the line number in the file as a spreadsheet shows it (the header is row 1).
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        column: str | None = None,
        row: int | None = None,
        more: int = 0,
    ) -> None:
        self.file, self.problem, self.column, self.row, self.more = file, problem, column, row, more
        parts = [file]
        if column is not None:
            parts.append(f"column '{column}'")
        if row is not None:
            parts.append(f"row {row}")
        message = ": ".join([", ".join(parts), problem])
        if more:
            message += f" (and {more} more problem{'s' if more != 1 else ''})"
        super().__init__(message)


class StoreError(ScorecardError):
    """The store cannot be opened or written."""


class UsageError(ScorecardError):
    """A command was asked for something that cannot be done (unknown org, period, indicator)."""
