"""The load report: what each reader read, loaded and rejected, and what it had to create.

Invariant, per file and overall: rows_read == rows_loaded + rows_rejected.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class FileReport:
    """What happened to one input file (or one zip member)."""

    path: str
    kind: str  # e.g. "transactions", "committees", "fec:itcont", "fec:cm"
    rows_read: int
    rows_loaded: int
    rejected: dict[str, int] = field(default_factory=dict)  # reason -> count
    bytes_replaced: int = 0  # invalid UTF-8 bytes replaced by U+FFFD while decoding

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())


@dataclass(frozen=True, slots=True)
class LoadReport:
    """The whole dataset's load report."""

    files: tuple[FileReport, ...] = ()
    #: Entities referenced by rows but not listed, created from what the rows say:
    #: {"committees": n, "candidates": n, "races": n}.
    created: dict[str, int] = field(default_factory=dict)
    #: Non-fatal notes for the user (e.g. "cache directory read-only: working in memory").
    warnings: tuple[str, ...] = ()
    #: True when the dataset was served from the Parquet cache.
    from_cache: bool = False

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(f.rows_loaded for f in self.files)

    @property
    def rows_rejected(self) -> int:
        return sum(f.rows_rejected for f in self.files)

    @property
    def bytes_replaced(self) -> int:
        return sum(f.bytes_replaced for f in self.files)


def file_report_to_json(report: FileReport) -> dict[str, Any]:
    """`report` as plain JSON values (the cache's manifest stores them)."""
    return {
        "path": report.path,
        "kind": report.kind,
        "rows_read": report.rows_read,
        "rows_loaded": report.rows_loaded,
        "rejected": dict(report.rejected),
        "bytes_replaced": report.bytes_replaced,
    }


def file_report_from_json(data: Mapping[str, Any]) -> FileReport:
    """The `FileReport` `file_report_to_json` wrote (KeyError/TypeError/ValueError if not)."""
    return FileReport(
        path=str(data["path"]),
        kind=str(data["kind"]),
        rows_read=int(data["rows_read"]),
        rows_loaded=int(data["rows_loaded"]),
        rejected={str(k): int(v) for k, v in data["rejected"].items()},
        bytes_replaced=int(data["bytes_replaced"]),
    )
