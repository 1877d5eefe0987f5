"""The committees (PACs) pane: every listed committee with its money in and out.

Over counted rows (see `moneytrail.query.selection`):

* **receipts** = contributions whose ``recipient_committee_id`` is the committee:
  ``receipts_cents`` (net: refunds subtract), ``receipts_count`` (rows) and ``donors`` (distinct
  ``donor_key``);
* **disbursements** = every row the committee paid (``source_kind == "committee"`` and
  ``source_id`` is the committee), split by kind: ``transfers_out_cents`` (contributions to other
  committees), ``ie_support_cents`` / ``ie_oppose_cents`` (independent expenditures by
  ``support_oppose``), ``expenditures_cents`` (other spending). ``disbursements_cents`` is the sum
  of all of them (an independent expenditure without ``S``/``O`` is in it but in neither IE column).

Every committee in ``ds.committees`` appears, with zeros rather than nulls when nothing is counted.
Rows are sorted by ``receipts_cents`` descending, then ``name``, then ``committee_id``. When no
filter is active and ``ds.aggregates["committees"]`` exists (exactly this result for
``Filters()``), it is used instead of scanning the transactions.
"""

from __future__ import annotations

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.search import apply_search
from moneytrail.query.selection import IS_CONTRIBUTION, IS_IE, counted

SORT_BY: list[str] = ["receipts_cents", "name", "committee_id"]
DESCENDING: list[bool] = [True, False, False]

MONEY_COLUMNS: tuple[str, ...] = (
    "receipts_cents",
    "receipts_count",
    "donors",
    "transfers_out_cents",
    "ie_support_cents",
    "ie_oppose_cents",
    "expenditures_cents",
    "disbursements_cents",
)


#: A committee row with money under the filters: receipt rows, or disbursements. Scripts (`summary`)
#: list only these when a filter is active; the pane lists every committee.
HAS_MONEY: pl.Expr = (pl.col("receipts_count") > 0) | (pl.col("disbursements_cents") != 0)


def _sum_where(cond: pl.Expr) -> pl.Expr:
    return pl.col("amount_cents").filter(cond).sum()


def committee_receipts(rows: pl.LazyFrame) -> pl.LazyFrame:
    """Each committee's receipts over counted `rows`: ``committee_id``, ``receipts_cents``,
    ``receipts_count``, ``donors`` (distinct donor keys)."""
    return (
        rows.filter(IS_CONTRIBUTION & pl.col("recipient_committee_id").is_not_null())
        .group_by(pl.col("recipient_committee_id").alias("committee_id"))
        .agg(
            receipts_cents=pl.col("amount_cents").sum(),
            receipts_count=pl.len(),
            donors=pl.col("donor_key").n_unique(),
        )
    )


def summed_receipts(partials: pl.LazyFrame) -> pl.LazyFrame:
    """`committee_receipts` of rows from its results over slices of them that split no donor
    (so each donor is counted in one slice)."""
    return partials.group_by("committee_id").agg(
        pl.col("receipts_cents").sum(),
        pl.col("receipts_count").sum().cast(pl.UInt32),
        pl.col("donors").sum().cast(pl.UInt32),
    )


def committee_table(
    committees: pl.LazyFrame, rows: pl.LazyFrame, receipts: pl.LazyFrame | None = None
) -> pl.LazyFrame:
    """The committees table for `committees` over counted `rows` (unsorted).

    `receipts` is `committee_receipts(rows)` when already computed (a large import computes it
    one recipient part at a time: counting distinct donors per committee over every row at
    once holds every (committee, donor) pair).
    """
    receipts = committee_receipts(rows) if receipts is None else receipts
    outgoing = (
        rows.filter((pl.col("source_kind") == "committee") & pl.col("source_id").is_not_null())
        .group_by(pl.col("source_id").alias("committee_id"))
        .agg(
            transfers_out_cents=_sum_where(IS_CONTRIBUTION),
            ie_support_cents=_sum_where(IS_IE & (pl.col("support_oppose") == "S")),
            ie_oppose_cents=_sum_where(IS_IE & (pl.col("support_oppose") == "O")),
            expenditures_cents=_sum_where(pl.col("kind") == "expenditure"),
            disbursements_cents=pl.col("amount_cents").sum(),
        )
    )
    base = committees.select("committee_id", "name", "kind", "state", "party", "candidate_id")
    return (
        base.join(receipts, on="committee_id", how="left")
        .join(outgoing, on="committee_id", how="left")
        .with_columns(
            pl.col("receipts_count", "donors").fill_null(0).cast(pl.UInt32),
            pl.col(
                "receipts_cents",
                "transfers_out_cents",
                "ie_support_cents",
                "ie_oppose_cents",
                "expenditures_cents",
                "disbursements_cents",
            )
            .fill_null(0)
            .cast(pl.Int64),
        )
    )


def committees(
    ds: Dataset, filters: Filters | None = None, *, search: str | None = None
) -> pl.LazyFrame:
    """Every committee with receipts and disbursements, biggest receipts first.

    Args:
        ds: the dataset.
        filters: global filters (default: none).
        search: whole-word, case-insensitive match on the committee name.
    """
    filters = filters or Filters()
    cached = ds.aggregates.get("committees")
    if filters.is_default and cached is not None:
        return apply_search(cached, "name", search)
    table = committee_table(ds.committees, counted(ds, filters))
    return apply_search(table, "name", search).sort(SORT_BY, descending=DESCENDING, nulls_last=True)


def committees_from_receipts(ds: Dataset, receipts: pl.LazyFrame) -> pl.LazyFrame:
    """`committees(ds)` (no filter) with its receipts figures given (`committee_receipts` of
    every counted row, however computed)."""
    table = committee_table(ds.committees, counted(ds, Filters()), receipts)
    return table.sort(SORT_BY, descending=DESCENDING, nulls_last=True)
