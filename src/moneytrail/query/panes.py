"""The explorer's three top-level panes as collected frames, for the UI's worker threads.

Contract: `pane_frame(ds, filters, pane)` runs the pane's query (`donors.donors`,
`committees.committees`, `races.races`: sorted, precomputed aggregates used when no filter is
active) and returns the collected result, so the UI formats results and never builds or runs a
Polars plan itself. Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from moneytrail.query.races import candidates, races

PaneName = Literal["donors", "committees", "races"]

_QUERIES: dict[PaneName, Callable[[Dataset, Filters], pl.LazyFrame]] = {
    "donors": donors,
    "committees": committees,
    "races": races,
}


def pane_frame(ds: Dataset, filters: Filters, pane: PaneName) -> pl.DataFrame:
    """Every row of one pane under `filters`, in the pane's order (collects).

    Raises:
        KeyError: `pane` is not one of ``donors``, ``committees``, ``races``.
    """
    return _QUERIES[pane](ds, filters).collect()


def pane_aggregates(dataset: Dataset) -> Mapping[str, pl.LazyFrame | pl.DataFrame]:
    """The panes' unfiltered results, stored with a cache entry so first paint scans nothing.

    Handed to `moneytrail.data.open.open_dataset(aggregates=...)`: the stored frames are
    exactly what the pane queries compute with default `Filters` (the data layer stores them
    without knowing what they are).
    """
    everything = Filters()
    return {
        "donors": donors(dataset, everything),
        "committees": committees(dataset, everything),
        "candidates": candidates(dataset, everything),
        "races": races(dataset, everything),
    }
