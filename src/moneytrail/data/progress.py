"""Import progress reporting: the callback type readers and the cache call while they work.

A reader (FEC importer, cache writer) calls `progress(stage, done, total)` as it goes: `stage` is a
short human label. Two kinds of stage exist, told apart by the label:

* reading stages (any label not starting with `CACHE_STAGE_PREFIX`, e.g. `indiv16.zip:itcont.txt`):
  `done`/`total` count *bytes* of (uncompressed) input, the only unit a reader knows up front;
* cache stages (`"cache: transactions"`, ...): `done`/`total` count steps of the cache write.

`total` is 0 when unknown. Callers render it however they like (a Rich bar in the CLI, a Textual
widget in the app). This module is pure: no Rich, no Textual, so the data layer can report
progress without knowing who is listening.
"""

from __future__ import annotations

from collections.abc import Callable

#: Label prefix of the cache writer's stages (which count steps, not bytes).
CACHE_STAGE_PREFIX = "cache:"

#: `(stage, done, total)`; `total == 0` means "unknown". Must be cheap and must not raise.
ProgressCallback = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The callback used when nobody listens: does nothing."""


def counts_bytes(stage: str) -> bool:
    """True when `stage`'s `done`/`total` are bytes of input (a reading stage)."""
    return not stage.startswith(CACHE_STAGE_PREFIX)


def report_stage(progress: ProgressCallback | None, stage: str, done: int, total: int) -> None:
    """Call `progress` if there is one (saves every caller the `None` check)."""
    if progress is not None:
        progress(stage, done, total)
