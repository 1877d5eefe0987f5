"""Import progress reporting: the callback type readers and the cache call while they work.

A reader (FEC importer, cache writer) calls `progress(stage, done, total)` as it goes: `stage` is a
short human label ("itcont.txt", "cache: transactions"), `done` and `total` count the stage's units
(rows when the reader knows them, else bytes) and `total` is 0 when unknown. Callers render it
however they like (a Rich bar in the CLI, a Textual widget in the app). This module is pure: no
Rich, no Textual, so the data layer can report progress without knowing who is listening.
"""

from __future__ import annotations

from collections.abc import Callable

#: `(stage, done, total)`; `total == 0` means "unknown". Must be cheap and must not raise.
ProgressCallback = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The callback used when nobody listens: does nothing."""


def report_stage(progress: ProgressCallback | None, stage: str, done: int, total: int) -> None:
    """Call `progress` if there is one (saves every caller the `None` check)."""
    if progress is not None:
        progress(stage, done, total)
