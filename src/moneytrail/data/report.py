"""The load report: what each reader read, loaded and rejected, and what it had to create.

Invariant, per file and overall: rows_read == rows_loaded + rows_rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
