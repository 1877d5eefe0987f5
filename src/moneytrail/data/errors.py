"""Errors the data layer raises for input the user must fix.

A `DataError` is a whole-input problem (missing path, unreadable file, an invalid table such as a
missing required column). Single malformed rows are *not* errors: they go to the rejects table.
`str(error)` is the one line the CLI prints: `file:line: column: reason` with absent parts left out.
"""

from __future__ import annotations


class DataError(Exception):
    """A problem with the user's input, reported as one line naming the file."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        self.reason = reason
        self.path = path
        self.line = line
        self.column = column
        super().__init__(self.format())

    def format(self) -> str:
        """`file:line: column: reason`, leaving out the parts that are not known."""
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
        parts = [p for p in (where, self.column) if p]
        return ": ".join([*parts, self.reason])
