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
from moneytrail.query.figures import shown_share_of
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import KINDS, PANES, EntityName, PaneName
from moneytrail.query.trace_graph import trace_aggregates

__all__ = ["PaneName", "pane_aggregates", "pane_frame", "shown_share"]


def pane_frame(
    ds: Dataset, filters: Filters, pane: PaneName, *, committee_donors: bool | None = None
) -> pl.DataFrame:
    """Every row of one pane under `filters`, in the pane's order (collects).

    Args:
        committee_donors: the donors pane's `include_committees` (None: the dataset's default).

    Raises:
        KeyError: `pane` is not one of ``donors``, ``committees``, ``races``.
    """
    # The donors pane's one option (the UI's committee toggle); other panes take none.
    options = {"include_committees": committee_donors} if pane == "donors" else {}
    return PANES[pane].listing(ds, filters, **options).collect()


def shown_share(
    ds: Dataset, filters: Filters, of: PaneName | EntityName, entity_id: str | None = None
) -> float | None:
    """How much of a view's headline money the filters leave: filtered over unfiltered.

    `of` names a pane (``donors``) or an entity kind (``candidate``); the headline figure is
    the kind's (`figures.HEADLINE`: donors' totals, committees' receipts, races' and
    candidates' raised money). Without `entity_id` it is summed over the whole listing (a
    pane's header); with it, it is that one entity's (a detail's header). None without a
    filter, or when the unfiltered figure is not positive (`figures.shown_share_of`). Every
    filtered pane and detail header shows it (docs/figures.md, "Filters").
    """
    if filters.is_default:
        return None
    kind = PANES[of] if of in PANES else KINDS[of]  # type: ignore[index]
    column = kind.total_column

    def headline(f: Filters) -> pl.LazyFrame:
        listing = kind.listing(ds, f)
        if entity_id is not None:
            listing = listing.filter(pl.col(kind.id_column) == entity_id)
        return listing.select(pl.col(column).sum())

    filtered, whole = pl.collect_all([headline(filters), headline(Filters())])
    return shown_share_of(filtered.item() or 0, whole.item() or 0)


def pane_aggregates(dataset: Dataset) -> Mapping[str, pl.LazyFrame | pl.DataFrame]:
    """The panes' unfiltered results, stored with a cache entry so first paint scans nothing,
    and the committee graph's parts, so a trace reads a small graph instead of every row.

    Handed to `moneytrail.data.open.open_dataset(aggregates=...)`: the stored frames are
    exactly what the pane queries compute with default `Filters` (the data layer stores them
    without knowing what they are); the graph's parts are `trace_graph.trace_aggregates`.
    """
    everything = Filters()
    panes = {k.plural: k.listing(dataset, everything) for k in KINDS.values()}
    return {**panes, **trace_aggregates(dataset)}
