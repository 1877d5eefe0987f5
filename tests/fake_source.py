"""A fake `Source` for tests that pin what happens around a reader (cache, CLI, plug-ins).

`DatasetSource` claims files by name (content is not its business here) and "reads" them as a
prepared `Dataset`, counting its reads; `rendezvous` makes readers in several processes wait
for each other, so their imports really overlap. `install` makes it the only registered source.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.progress import ProgressCallback
from moneytrail.data.sources import registry
from moneytrail.data.sources.base import CERTAIN, NOT_MINE, Option, SourceRead, dataset_read


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
        rendezvous: tuple[Path, int] | None = None,
    ) -> None:
        self.name = name
        self.make = make
        self.claims = claims
        self.delay_s = delay_s
        self.rendezvous = rendezvous
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
        if self.rendezvous is not None:
            self._meet(*self.rendezvous)
        return dataset_read(self.make())

    @staticmethod
    def _meet(folder: Path, parties: int) -> None:
        """Wait (up to 60 s) until `parties` readers, in any processes, are reading."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / str(os.getpid())).touch()
        deadline = time.monotonic() + 60
        while len(list(folder.iterdir())) < parties and time.monotonic() < deadline:
            time.sleep(0.01)


def install(monkeypatch: pytest.MonkeyPatch, *sources: object) -> None:
    """Make `sources` the only registered sources for this test."""
    monkeypatch.setattr(registry, "_load", lambda: (tuple(sources), ()))
