"""The explorer's three top-level panes as collected frames, for the UI's worker threads.

Contract: `pane_frame(ds, filters, pane)` runs the pane's query (`donors.donors`,
`committees.committees`, `races.races`: sorted, precomputed aggregates used when no filter is
active) and returns the collected result, so the UI formats results and never builds or runs a
Polars plan itself. Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from moneytrail.query.races import races

PaneName = Literal["donors", "committees", "races"]

_QUERIES: dict[PaneName, Callable[[Dataset, Filters], pl.LazyFrame]] = {
    "donors": donors,
    "committees": committees,
    "races": races,
}


def pane_frame(
    ds: Dataset, filters: Filters, pane: PaneName, *, committee_donors: bool | None = None
) -> pl.DataFrame:
    """Every row of one pane under `filters`, in the pane's order (collects).

    Args:
        committee_donors: the donors pane's `include_committees` (None: the dataset's default).

    Raises:
        KeyError: `pane` is not one of ``donors``, ``committees``, ``races``.
    """
    if pane == "donors":
        return donors(ds, filters, include_committees=committee_donors).collect()
    return _QUERIES[pane](ds, filters).collect()
