"""Import progress reporting: the callback type readers and the cache call while they work.

A reader (FEC importer, cache writer) calls `progress(stage, done, total)` as it goes, or
`progress(stage, done, total, rows)` when it knows how many rows it has read so far; `stage` is
a short human label. Two kinds of stage exist, told apart by the label:

* reading stages (any label not starting with one of `STEP_STAGE_PREFIXES`, e.g.
  `indiv16.zip:itcont.txt`): `done`/`total` count *bytes* of (uncompressed) input, the only unit
  a reader knows up front, and `rows` the lines read so far from that input;
* step stages (`"fec: counting once"`, `"cache: transactions"`, ...): named steps after the
  reading; `done`/`total` count steps of that work, or are both 0 when the step has no measure
  (it is still shown by name, with its running time, so a long step never looks stuck).

`total` is 0 when unknown. Callers render it however they like (a Rich bar in the CLI, a Textual
widget in the app), both through `moneytrail.present.progress`, which turns reports over time
into rows, MB/s and an ETA. This module is pure: no Rich, no Textual, so the data layer can
report progress without knowing who is listening.
"""

from __future__ import annotations

from typing import Protocol

#: Label prefix of the cache writer's stages (which count steps, not bytes).
CACHE_STAGE_PREFIX = "cache:"
#: Label prefix of the FEC importer's steps after reading (counting once, clustering, ...).
FEC_STAGE_PREFIX = "fec:"
#: Stages whose label starts with one of these count steps (or nothing), not bytes.
STEP_STAGE_PREFIXES: tuple[str, ...] = (CACHE_STAGE_PREFIX, FEC_STAGE_PREFIX)


class ImportCancelled(BaseException):
    """Raised by a progress callback to stop the import that called it (the app raises it once
    the user has cancelled). Readers and the cache writer let it through, and the cache writer
    removes its temp dir on the way out, so nothing partial is left; the import stops at its
    next report. A `BaseException`, as `KeyboardInterrupt` is, so that no `except Exception`
    on the way takes it for a reading error."""


class ProgressCallback(Protocol):
    """`(stage, done, total[, rows])`; `total == 0` means "unknown"; `rows` is given only by
    reading stages that count lines. Must be cheap and must raise nothing but
    `ImportCancelled`."""

    def __call__(self, stage: str, done: int, total: int, rows: int | None = None, /) -> None:
        """Report that `stage` reached `done` of `total` (and `rows` rows read, if known)."""


def no_progress(stage: str, done: int, total: int, rows: int | None = None, /) -> None:
    """The callback used when nobody listens: does nothing."""


def counts_bytes(stage: str) -> bool:
    """True when `stage`'s `done`/`total` are bytes of input (a reading stage)."""
    return not stage.startswith(STEP_STAGE_PREFIXES)


def report_stage(
    progress: ProgressCallback | None,
    stage: str,
    done: int,
    total: int,
    rows: int | None = None,
) -> None:
    """Call `progress` if there is one (saves every caller the `None` check).

    `rows` is passed on only when known, so a listener that takes `(stage, done, total)` keeps
    working for every stage that does not count rows.
    """
    if progress is None:
        return
    if rows is None:
        progress(stage, done, total)
    else:
        progress(stage, done, total, rows)
