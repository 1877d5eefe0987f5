"""The explorer's three top-level panes as collected frames, for the UI's worker threads.

Contract: `pane_frame(ds, filters, pane)` runs the pane's query (the listing of the entity kind
the pane shows, `moneytrail.query.kinds`: sorted, precomputed aggregates used when no filter is
active) and returns the collected result, so the UI formats results and never builds or runs a
Polars plan itself. The explorer does not hold a whole pane (a cycle has ~10M donors): it asks
`pane_window` for a window of rows (offset, limit) of the listing in the order and under the
`/` word shown, with the listing's row count, and fetches the next window as the grid scrolls;
an export streams `pane_listing` to its file. Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from moneytrail.data.cache import PerPart
from moneytrail.data.dataset import Dataset
from moneytrail.query import cycles
from moneytrail.query.committees import (
    committee_receipts,
    committees_from_receipts,
    summed_receipts,
)
from moneytrail.query.details import (
    detail_aggregate_names,
    detail_aggregates,
    sliced_detail_aggregate,
)
from moneytrail.query.entity_stats import headline_money
from moneytrail.query.figures import shown_share_of
from moneytrail.query.filters import Filters
from moneytrail.query.kinds import KINDS, PANES, EntityName, PaneName
from moneytrail.query.search import text_match
from moneytrail.query.selection import IE_ROWS, IS_IE, ROW_ORDER, counted
from moneytrail.query.trace_graph import DONOR_EDGES, trace_aggregates, trace_donor_edges

__all__ = [
    "PaneName",
    "PaneWindow",
    "pane_aggregates",
    "pane_frame",
    "pane_listing",
    "pane_window",
    "shown_share",
]


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


@dataclass(frozen=True, slots=True)
class PaneWindow:
    """Rows `offset` … `offset + rows.height` of a pane's listing, and how many it has."""

    rows: pl.DataFrame
    offset: int
    total: int


def pane_listing(
    ds: Dataset,
    filters: Filters,
    pane: PaneName,
    *,
    sort: tuple[str, bool] | None = None,
    search: str = "",
    hidden: tuple[str, ...] = (),
    committee_donors: bool | None = None,
) -> pl.LazyFrame:
    """A pane's listing (not read): sorted by `(column, descending)` when `sort` is given,
    keeping the pane's order among equal values (nulls last), and restricted to the rows
    where `search` is a whole word of a text column not in `hidden` (`search.text_match`, the
    grid's `/` rule: list columns are joined with ``; ``, a ``year`` counts as text).
    """
    options = {"include_committees": committee_donors} if pane == "donors" else {}
    listing = PANES[pane].listing(ds, filters, **options)
    if search.strip():
        texts: list[pl.Expr] = []
        for name, dtype in listing.collect_schema().items():
            if name in hidden:
                continue
            if dtype == pl.String():
                texts.append(pl.col(name))
            elif isinstance(dtype, pl.List):
                texts.append(pl.col(name).cast(pl.List(pl.String)).list.join("; "))
            elif name == "year":
                texts.append(pl.col(name).cast(pl.String))
        listing = listing.filter(text_match(texts, search.strip()))
    if sort is not None:
        listing = listing.sort(sort[0], descending=sort[1], nulls_last=True, maintain_order=True)
    return listing


def pane_window(
    ds: Dataset,
    filters: Filters,
    pane: PaneName,
    *,
    offset: int,
    limit: int,
    sort: tuple[str, bool] | None = None,
    search: str = "",
    hidden: tuple[str, ...] = (),
    committee_donors: bool | None = None,
) -> PaneWindow:
    """`limit` rows of `pane_listing` from `offset`, and the listing's row count (collects).

    Only the window is materialised: with no filter the listing is a stored aggregate and the
    window a slice of it; a sort is a top-k.
    """
    listing = pane_listing(
        ds,
        filters,
        pane,
        sort=sort,
        search=search,
        hidden=hidden,
        committee_donors=committee_donors,
    )
    # Two queries, not one `collect_all`: together they share the sorted listing as one
    # subplan, which then sorts every row (4.5 GB and 7 s for 14M donors at 60M rows) where
    # the window alone is a top-k (0.4 GB, 0.7 s) and the count needs no sort.
    rows = listing.slice(offset, limit).collect()
    count = listing.select(pl.len()).collect()
    return PaneWindow(rows=rows, offset=offset, total=int(count.item()))


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
    if entity_id is None:
        plans = [kind.listing(ds, f).select(pl.col(column).sum()) for f in (filters, Filters())]
    else:
        # One entity: its own rows only, never the kind's whole listing (the unfiltered figure
        # is its stored pane row when the cache holds one).
        whole = (
            kind.listing(ds, Filters())
            .filter(pl.col(kind.id_column) == entity_id)
            .select(pl.col(column).sum())
            if kind.plural in ds.aggregates
            else headline_money(ds, Filters(), kind.name, entity_id)
        )
        plans = [headline_money(ds, filters, kind.name, entity_id), whole]
    filtered, whole_now = pl.collect_all(plans)
    return shown_share_of(filtered.item() or 0, whole_now.item() or 0)


def _detail_per_part(name: str) -> PerPart:
    """A large committee's or race's stored detail figure `name`, computed over one part of
    the rows clustered by recipient, and the part of a committee with millions of receipts
    in slices of its donors when the figure groups them by donor."""
    sliced = sliced_detail_aggregate(name)
    partial, combine = sliced if sliced is not None else (None, None)
    return PerPart(
        lambda part: detail_aggregates(part)[name],
        by="recipient_committee_id",
        split_by=None if sliced is None else "donor_key",
        partial=partial,
        combine=combine,
    )


class _PaneAggregates:
    """The panes' unfiltered results, stored with a cache entry so first paint scans nothing.

    Handed to `moneytrail.data.open.open_dataset(aggregates=...)`: called with a dataset, it
    returns exactly what the pane queries compute with default `Filters` (the data layer
    stores them without knowing what they are). Beside them: the rows per cycle
    (`cycles.cycle_counts`), so the cycles a dataset holds are known without a scan;
    `selection.IE_ROWS`, every independent-expenditure row (every column): rows, not figures,
    so any filter applies to them, and a race's or candidate's outside money is read from it
    instead of from row groups all over the transactions; the detail figures of the large
    committees and races (`details.detail_aggregates`); and the committee graph's parts, so a
    trace reads a small graph instead of every row (`trace_graph.trace_aggregates`).

    `per_part` names the results the cache may compute one clustered part at a time
    (`moneytrail.data.cache.PerPart`) on a large import: the donors listing, the one listing
    as long as the rows are many (every donor's rows are in one part), stored in part order
    and sorted when read (`donors.donors`); and the large committees' and races' detail
    figures, the trace graph's donor edges and the committees' receipt figures (distinct
    donors per committee), each
    computed over one part of the rows clustered by recipient (a committee's receipts, and a
    race's, are in one part), so no step holds every large entity's rows or every (committee,
    donor) pair at once.
    """

    per_part: Mapping[str, PerPart] = {
        "donors": PerPart(lambda part: KINDS["donor"].listing(part, Filters())),
        **{name: _detail_per_part(name) for name in detail_aggregate_names()},
        DONOR_EDGES: PerPart(
            trace_donor_edges,
            by="recipient_committee_id",
            split_by="donor_key",
        ),
        "committees": PerPart(
            lambda part: committee_receipts(counted(part, Filters())),
            by="recipient_committee_id",
            finish=lambda receipts, ds: committees_from_receipts(ds, receipts),
            split_by="donor_key",
            combine=lambda partials, _part: summed_receipts(partials),
        ),
    }

    def __call__(self, dataset: Dataset) -> Mapping[str, pl.LazyFrame | pl.DataFrame]:
        everything = Filters()
        stored: dict[str, pl.LazyFrame | pl.DataFrame] = {
            k.plural: k.listing(dataset, everything) for k in KINDS.values()
        }
        stored.update(detail_aggregates(dataset))
        stored[cycles.AGGREGATE] = cycles.cycle_counts(dataset.transactions)
        stored[IE_ROWS] = dataset.transactions.filter(IS_IE).sort(
            "candidate_id", *ROW_ORDER, nulls_last=True
        )
        stored.update(trace_aggregates(dataset))
        return stored


pane_aggregates = _PaneAggregates()
