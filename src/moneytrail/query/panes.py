"""The explorer's three top-level panes as collected frames, for the UI's worker threads.

Contract: `pane_frame(ds, filters, pane)` runs the pane's query (the listing of the entity kind
the pane shows, `moneytrail.query.kinds`: sorted, precomputed aggregates used when no filter is
active) and returns the collected result, so the UI formats results and never builds or runs a
Polars plan itself. Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import KINDS, PANES, PaneName

__all__ = ["PaneName", "pane_aggregates", "pane_frame", "shown_share"]


def pane_frame(ds: Dataset, filters: Filters, pane: PaneName) -> pl.DataFrame:
    """Every row of one pane under `filters`, in the pane's order (collects).

    Raises:
        KeyError: `pane` is not one of ``donors``, ``committees``, ``races``.
    """
    return PANES[pane].listing(ds, filters).collect()


def shown_share(ds: Dataset, filters: Filters, pane: PaneName) -> float | None:
    """How much of the pane's headline money the filters leave: filtered over unfiltered.

    The headline figure is the pane's kind's (`figures.HEADLINE`: donors' totals, committees'
    receipts, races' raised money), summed over the pane. None without a filter, or when the
    unfiltered sum is not positive. A filtered view's header shows it (docs/figures.md).
    """
    if filters.is_default:
        return None
    kind = PANES[pane]
    column = kind.total_column
    filtered, whole = pl.collect_all(
        [
            kind.listing(ds, filters).select(pl.col(column).sum()),
            kind.listing(ds, Filters()).select(pl.col(column).sum()),
        ]
    )
    total = whole.item() or 0
    return (filtered.item() or 0) / total if total > 0 else None


def pane_aggregates(dataset: Dataset) -> Mapping[str, pl.LazyFrame | pl.DataFrame]:
    """The panes' unfiltered results, stored with a cache entry so first paint scans nothing.

    Handed to `moneytrail.data.open.open_dataset(aggregates=...)`: the stored frames are
    exactly what the pane queries compute with default `Filters` (the data layer stores them
    without knowing what they are).
    """
    everything = Filters()
    return {k.plural: k.listing(dataset, everything) for k in KINDS.values()}
