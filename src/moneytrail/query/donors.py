"""The donors pane: one row per donor identity.

A donor is the source of counted ``contribution`` rows (see `moneytrail.query.selection`),
grouped by ``donor_key`` (derived at load time by `moneytrail.data.names`: individuals by
normalized name + ZIP5, organizations by normalized name, committees by committee id), so
individuals, organizations and committees each keep their own identity.

Columns of `donors`:

* ``donor_key``; ``name``: the most frequent raw ``source_name`` among the donor's counted rows
  (ties broken alphabetically); ``variants``: how many distinct raw names were merged;
* ``source_kind``; ``city``, ``state``, ``zip5``: from the donor's latest counted row (by date,
  then ``transaction_id``): the most recent address given;
* ``total_cents`` (net: refunds subtract), ``count`` (rows, refunds included), ``median_cents``
  (median row amount, rounded to the cent, halves to even), ``first_date``, ``last_date``,
  ``recipients`` (distinct receiving committees).

Which donors: on FEC data the pane lists the ultimate givers, individuals and organizations; a
committee giving to a committee is a transfer between PACs and belongs to the PACs pane, so
committee donors are left out unless asked for (``include_committees=True``; the UI's one-key
toggle on the donors pane). On other data (tables, the sample story) every source kind is listed
by default. `committees_listed_by_default` is that rule, in one place.

Rows are sorted by ``total_cents`` descending, then ``name``, then ``donor_key``. When no filter is
active, committees are shown as by default, and the dataset carries a precomputed
``aggregates["donors"]`` (exactly this result for ``Filters()``), it is used instead of scanning
the transactions.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.search import apply_search, word_match
from moneytrail.query.selection import IS_CONTRIBUTION, ROW_ORDER, counted, from_fec_bulk

SORT_BY: list[str] = ["total_cents", "name", "donor_key"]
DESCENDING: list[bool] = [True, False, False]


def display_names(rows: pl.LazyFrame, by: Sequence[str] = ()) -> pl.LazyFrame:
    """``donor_key``, ``name``, ``variants`` for the donors in `rows` (see the module docstring);
    with `by`, per group of those columns (which lead the result), each group's own names."""
    keys = [*by, "donor_key"]
    return (
        rows.filter(pl.col("source_name").is_not_null())
        .group_by(*keys, "source_name")
        .agg(n=pl.len())
        .sort([*keys, "n", "source_name"], descending=[False] * len(keys) + [True, False])
        .group_by(keys, maintain_order=True)
        .agg(name=pl.col("source_name").first(), variants=pl.len().cast(pl.UInt32))
    )


def latest_of(columns: dict[str, str]) -> pl.Expr:
    """An aggregation: the group's latest row's values, as a struct named ``latest``.

    `columns` maps output field names to row columns. The latest row is the last by
    ``ROW_ORDER`` (date, then ``transaction_id``; nulls sort first, so a dated row wins over an
    undated one); among rows equal on both, the last in input order. All fields come from that
    one row, found with one sort per group however many columns are picked.
    """
    fields = pl.struct([pl.col(column).alias(name) for name, column in columns.items()])
    return fields.sort_by(list(ROW_ORDER), maintain_order=True).last().alias("latest")


def donor_table(contributions: pl.LazyFrame) -> pl.LazyFrame:
    """The donors table over counted contribution rows (unsorted)."""
    picks = {"source_kind": "source_kind", "city": "source_city", "state": "source_state"}
    totals = contributions.group_by("donor_key").agg(
        latest_of({**picks, "zip5": "source_zip"}),
        total_cents=pl.col("amount_cents").sum(),
        count=pl.len(),
        median_cents=pl.col("amount_cents").median().round(0, mode="half_to_even").cast(pl.Int64),
        first_date=pl.col("date").min(),
        last_date=pl.col("date").max(),
        recipients=pl.col("recipient_committee_id").n_unique(),
    )
    latest = totals.unnest("latest").with_columns(pl.col("zip5").str.slice(0, 5))
    return latest.join(display_names(contributions), on="donor_key", how="left").select(
        "donor_key",
        "name",
        pl.col("variants").fill_null(0),
        "source_kind",
        "city",
        "state",
        "zip5",
        "total_cents",
        "count",
        "median_cents",
        "first_date",
        "last_date",
        "recipients",
    )


def committees_listed_by_default(ds: Dataset) -> bool:
    """False on FEC data (the donors pane lists ultimate givers), True on any other data."""
    return not from_fec_bulk(ds)


def donors(
    ds: Dataset,
    filters: Filters | None = None,
    *,
    search: str | None = None,
    include_committees: bool | None = None,
) -> pl.LazyFrame:
    """One row per donor identity over counted contributions, biggest total first.

    Args:
        ds: the dataset.
        filters: global filters (default: none).
        search: whole-word, case-insensitive match on the display name (see `query.search`).
        include_committees: list committees that gave to committees too; None: the dataset's
            default (`committees_listed_by_default`).
    """
    filters = filters or Filters()
    default = committees_listed_by_default(ds)
    with_committees = default if include_committees is None else include_committees
    cached = ds.aggregates.get("donors")
    if filters.is_default and with_committees == default and cached is not None:
        return apply_search(cached, "name", search)
    contributions = counted(ds, filters).filter(IS_CONTRIBUTION)
    if not with_committees:
        contributions = contributions.filter(pl.col("source_kind") != "committee")
    if search is not None and search.strip():
        # Only donors with a matching raw name can have a matching display name: narrow the
        # rows before the group-bys, then match the display name exactly as without search.
        matching = contributions.filter(word_match(pl.col("source_name"), search))
        contributions = contributions.join(
            matching.select("donor_key").unique(), on="donor_key", how="semi"
        )
    table = donor_table(contributions)
    return apply_search(table, "name", search).sort(SORT_BY, descending=DESCENDING, nulls_last=True)
