"""A fake `Source` for tests that pin what happens around a reader (cache, CLI, plug-ins).

`DatasetSource` claims files by name (content is not its business here) and "reads" them as a
prepared `Dataset`, counting its reads. `install` makes it the only registered source.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.sources import registry
from moneytrail.data.sources.base import CERTAIN, NOT_MINE, Option, SourceRead


class DatasetSource:
    """Reads any file named in `claims` as `make()`; `calls` records each read's root."""

    title = "fake files"
    options: tuple[Option, ...] = ()
    qualify_ids = False
    always_cache = True

    def __init__(
        self,
        make: Callable[[], Dataset],
        *,
        name: str = "fake",
        claims: tuple[str, ...] = ("itcont.txt",),
        delay_s: float = 0.0,
    ) -> None:
        self.name = name
        self.make = make
        self.claims = claims
        self.delay_s = delay_s
        self.calls: list[Path] = []

    def sniff(self, path: Path) -> float:
        return CERTAIN if path.name in self.claims else NOT_MINE

    def read(
        self,
        files: Sequence[Path],
        root: Path,
        options: Mapping[str, str],
        progress: ProgressCallback | None,
    ) -> SourceRead:
        self.calls.append(root)
        if self.delay_s:
            time.sleep(self.delay_s)
        ds = self.make()
        return SourceRead(
            transactions=ds.transactions,
            committees=ds.committees,
            candidates=ds.candidates,
            races=ds.races,
            rejects=ds.rejects,
            files=ds.report.files,
            warnings=ds.report.warnings,
            created=ds.report.created,
            synthetic=ds.synthetic,
            finalized=True,
        )


def install(monkeypatch: pytest.MonkeyPatch, *sources: object) -> None:
    """Make `sources` the only registered sources for this test."""
    monkeypatch.setattr(registry, "_load", lambda: (tuple(sources), ()))
