"""One root exception; the command line maps each kind to an exit status."""

from __future__ import annotations

from dataclasses import dataclass


class AnalyticsError(Exception):
    """Root of every error this package raises on purpose."""

    exit_status = 1


class UsageError(AnalyticsError):
    """The request itself is wrong: a bad week, a missing file, an unknown ledger (exit 2)."""

    exit_status = 2


class DatabaseBusyError(AnalyticsError):
    """Another program holds the database for writing and did not let go in time."""


@dataclass(frozen=True)
class RowError:
    """One rejected value: where it is, what it was and why it was refused."""

    file: str
    sheet: str | None
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def describe(self) -> str:
        where = self.file + (f" [{self.sheet}]" if self.sheet else "")
        if self.row is not None:
            where += f" 第{self.row}行"
        if self.column:
            where += f" 列「{self.column}」"
        value = "" if self.value is None else f" 值「{self.value}」"
        return f"{where}{value}：{self.reason}"


class IngestError(AnalyticsError):
    """A file could not be loaded; carries every row error found (exit 1)."""

    def __init__(self, message: str, row_errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.row_errors = row_errors or []


class AccessError(AnalyticsError):
    """Who the user is, or what they may see, stopped the request: a refused sign-in, a page or an
    export outside the user's scope. The message is safe to show; it never says which check failed
    beyond what the user may know (a wrong name and a wrong password read the same)."""
