"""Summary statistics of any selection of counted rows.

`summarize(rows)` takes counted rows (see `moneytrail.query.selection`: filtered, memo rows already
removed) with at least ``amount_cents``, ``date``, ``source_state``, ``source_kind`` and
``donor_key``, and returns a frozen `Summary`. All sums are exact Int64 cents.

Definitions:

* ``count`` is the number of rows (refunds included); ``total_cents`` their net sum.
* ``mean_cents`` is ``total_cents / count`` (a float). ``median_cents``, ``p10_cents`` and
  ``p90_cents`` are quantiles of the row amounts with linear interpolation, rounded to the whole
  cent (halves to even). ``min_cents``/``max_cents`` are the smallest and largest row amounts.
* Gift-size buckets classify each row by the absolute value of its amount, so a refund sits in the
  bucket of the gift it reverses and subtracts from that bucket's total. Bounds are lower-inclusive:
  ``< $200``, ``$200–999`` (from exactly $200.00), ``$1k–9,999`` (from exactly $1,000.00),
  ``$10k–99,999``, ``$100k+``. Bucket counts add up to ``count`` and totals to ``total_cents``.
* ``by_month`` (month = first day of the month), ``by_state`` (``source_state``, null = unknown) and
  ``by_source_kind`` are DataFrames of ``count`` and ``total_cents``; months in date order, states
  and kinds by total descending then name.
* ``donors`` counts the distinct donor identities (``donor_key``) among the rows.
* Concentration is measured over donors whose net total in the selection is positive. A donor
  whose refunds equal or exceed its gifts (net ≤ 0) gave nothing on balance and is left out, so
  shares stay within 0..1. With ``P`` the sum of the positive donor totals: ``top1_share`` =
  largest donor total / P; ``top10_share`` = sum of the ten largest / P; ``hhi`` = Σ (donor
  total / P)², the Herfindahl–Hirschman index on a 0..1 scale (1 = a single donor; 1/n for n
  equal donors). All three are None when no donor is net positive.
* `direct_outside_share(rows, home_state)` is the *direct out-of-state share*: the net total of
  rows whose ``source_state`` is known and differs from ``home_state``, divided by the net total
  of rows whose ``source_state`` is known (None without a home state or when that denominator is
  not positive).

These are the definitions of docs/figures.md (rows, median, donors, top-N share, direct
out-of-state share); every view computes them here.

An empty selection gives ``count == 0``, ``total_cents == 0``, None for every average, quantile,
extreme and share, zero-filled buckets and empty breakdown frames.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

#: (label, lower bound in cents inclusive) of the gift-size buckets, ascending.
BUCKETS: tuple[tuple[str, int], ...] = (
    ("< $200", 0),
    ("$200–999", 200_00),
    ("$1k–9,999", 1_000_00),
    ("$10k–99,999", 10_000_00),
    ("$100k+", 100_000_00),
)


@dataclass(frozen=True, slots=True)
class Bucket:
    """One gift-size bucket: rows whose absolute amount is in ``[lower_cents, upper_cents)``."""

    label: str
    lower_cents: int
    upper_cents: int | None  # None for the open top bucket
    count: int
    total_cents: int


@dataclass(frozen=True, slots=True)
class Summary:
    """Statistics of a selection of counted rows (definitions in the module docstring)."""

    count: int
    total_cents: int
    mean_cents: float | None
    median_cents: int | None
    p10_cents: int | None
    p90_cents: int | None
    min_cents: int | None
    max_cents: int | None
    buckets: tuple[Bucket, ...]
    by_month: pl.DataFrame  # month: Date, count: UInt32, total_cents: Int64
    by_state: pl.DataFrame  # source_state, count, total_cents
    by_source_kind: pl.DataFrame  # source_kind, count, total_cents
    donors: int
    top1_share: float | None
    top10_share: float | None
    hhi: float | None


def _bucket_index() -> pl.Expr:
    size = pl.col("amount_cents").abs()
    expr: pl.Expr = pl.lit(0, dtype=pl.Int8)
    for index, (_, lower) in enumerate(BUCKETS[1:], start=1):
        expr = pl.when(size >= lower).then(pl.lit(index, dtype=pl.Int8)).otherwise(expr)
    return expr


def _quantile(q: float) -> pl.Expr:
    return (
        pl.col("amount_cents")
        .quantile(q, interpolation="linear")
        .round(0, mode="half_to_even")
        .cast(pl.Int64)
    )


def direct_outside_share(rows: pl.LazyFrame, home_state: str | None) -> float | None:
    """The direct out-of-state share of counted `rows` (see the module docstring); collects."""
    if home_state is None:
        return None
    amount = pl.col("amount_cents")
    known_state = pl.col("source_state").is_not_null()
    outside = known_state & (pl.col("source_state").str.to_uppercase() != home_state.upper())
    got = rows.select(
        known=amount.filter(known_state).sum(), outside=amount.filter(outside).sum()
    ).collect()
    known, out = got.row(0)
    if not known or known <= 0:
        return None
    return float(out or 0) / float(known)


#: The frames a `Summary` is assembled from (`summary_parts`, `summary_from_parts`).
SUMMARY_PARTS: tuple[str, ...] = (
    "scalars",
    "buckets",
    "by_month",
    "by_state",
    "by_source_kind",
    "sources",
)


def _amount_figures() -> dict[str, pl.Expr]:
    """The `scalars` figures read from amounts alone (every one but ``donors``)."""
    amount = pl.col("amount_cents")
    return {
        "count": pl.len(),
        "total_cents": amount.sum(),
        "median_cents": _quantile(0.5),
        "p10_cents": _quantile(0.1),
        "p90_cents": _quantile(0.9),
        "min_cents": amount.min(),
        "max_cents": amount.max(),
    }


def _donor_totals(rows: pl.LazyFrame, keys: list[str]) -> pl.LazyFrame:
    """Each donor's positive total ``t`` (per group of `keys`): what `sources` is made of."""
    totals = rows.group_by(*keys, "donor_key").agg(t=pl.col("amount_cents").sum())
    return totals.filter(pl.col("t") > 0)


def _shares() -> dict[str, pl.Expr]:
    """The `sources` figures over `_donor_totals`' ``t``."""
    t = pl.col("t")
    return {
        "positive_cents": t.sum(),
        "top1_cents": t.max(),
        "top10_cents": t.top_k(10).sum(),
        "hhi": ((t.cast(pl.Float64) / t.sum().cast(pl.Float64)) ** 2).sum(),
    }


def summary_parts(rows: pl.LazyFrame, by: Sequence[str] = ()) -> dict[str, pl.LazyFrame]:
    """The plans of a `Summary`'s parts over counted `rows`, per group of the `by` columns.

    Without `by` they describe all of `rows` (`summarize`); with it, every group at once, so
    the summaries of many entities can be computed in one pass and stored
    (`entity_stats.summary_aggregates`). Each part keeps the `by` columns; `summary_from_parts`
    assembles one group's.
    """
    keys = list(by)
    amount = pl.col("amount_cents")
    figures = {**_amount_figures(), "donors": pl.col("donor_key").n_unique()}
    totals = {"count": pl.len(), "total_cents": amount.sum()}
    donor_totals = _donor_totals(rows, keys)
    return {
        "scalars": rows.group_by(keys).agg(**figures) if keys else rows.select(**figures),
        "buckets": rows.group_by(*keys, _bucket_index().alias("bucket")).agg(**totals),
        "by_month": rows.group_by(*keys, pl.col("date").dt.truncate("1mo").alias("month")).agg(
            **totals
        ),
        "by_state": rows.group_by(*keys, "source_state").agg(**totals),
        "by_source_kind": rows.group_by(*keys, "source_kind").agg(**totals),
        "sources": (
            donor_totals.group_by(keys).agg(**_shares())
            if keys
            else donor_totals.select(**_shares())
        ),
    }


#: The `summary_parts` that group a selection's rows by donor, and so hold every donor of a
#: group at once: `summary_partials` and `summary_combined` compute them over slices of the
#: donors instead (a stored committee with millions of donors).
DONOR_PARTS: tuple[str, ...] = ("scalars", "sources")


def summary_partials(rows: pl.LazyFrame, by: Sequence[str]) -> dict[str, pl.LazyFrame]:
    """Per group of `by`, the donor figures of each of `DONOR_PARTS` over `rows` holding whole
    donors (every row of each of their donors): ``donors`` of `scalars`, each donor's positive
    total of `sources` (without its key). `summary_combined` completes them."""
    keys = list(by)
    return {
        "scalars": rows.group_by(keys).agg(donors=pl.col("donor_key").n_unique()),
        "sources": _donor_totals(rows, keys).drop("donor_key"),
    }


def summary_combined(
    part: str, partials: pl.LazyFrame, rows: pl.LazyFrame, by: Sequence[str]
) -> pl.LazyFrame:
    """`summary_parts(rows, by)[part]` for one of `DONOR_PARTS`, from the concatenated
    `summary_partials` of slices of `rows` that split no donor. The figures of groups absent
    from `rows` are left out (so `rows` may keep fewer groups than the slices)."""
    keys = list(by)
    groups = rows.select(keys).unique()
    if part == "sources":
        return partials.join(groups, on=keys, how="semi").group_by(keys).agg(**_shares())
    donors = partials.group_by(keys).agg(pl.col("donors").sum().cast(pl.UInt32))
    amounts = rows.group_by(keys).agg(**_amount_figures())
    return amounts.join(donors, on=keys, how="left", nulls_equal=True)


def _breakdown_order(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    return frame.select(name, "count", "total_cents").sort(
        ["total_cents", name], descending=[True, False], nulls_last=True
    )


def summary_from_parts(parts: Mapping[str, pl.DataFrame]) -> Summary:
    """The `Summary` of one selection from its collected `summary_parts` (each holding that one
    selection's rows; group columns are ignored). A missing scalars row is an empty selection."""
    scalars = parts["scalars"]
    sc: dict[str, Any] = scalars.row(0, named=True) if scalars.height else {"count": 0}
    count: int = sc["count"] or 0
    total: int = sc.get("total_cents") or 0
    by_bucket = {row["bucket"]: row for row in parts["buckets"].iter_rows(named=True)}
    bucket_list: list[Bucket] = []
    for index, (label, lower) in enumerate(BUCKETS):
        upper = BUCKETS[index + 1][1] if index + 1 < len(BUCKETS) else None
        got = by_bucket.get(index)
        bucket_list.append(
            Bucket(
                label=label,
                lower_cents=lower,
                upper_cents=upper,
                count=got["count"] if got else 0,
                total_cents=got["total_cents"] if got else 0,
            )
        )
    sources = parts["sources"]
    sr: dict[str, Any] = sources.row(0, named=True) if sources.height else {}
    positive: int = sr.get("positive_cents") or 0
    return Summary(
        count=count,
        total_cents=total,
        mean_cents=total / count if count else None,
        median_cents=sc.get("median_cents"),
        p10_cents=sc.get("p10_cents"),
        p90_cents=sc.get("p90_cents"),
        min_cents=sc.get("min_cents"),
        max_cents=sc.get("max_cents"),
        buckets=tuple(bucket_list),
        by_month=parts["by_month"]
        .select("month", "count", "total_cents")
        .sort("month", nulls_last=True),
        by_state=_breakdown_order(parts["by_state"], "source_state"),
        by_source_kind=_breakdown_order(parts["by_source_kind"], "source_kind"),
        donors=int(sc.get("donors") or 0),
        top1_share=sr["top1_cents"] / positive if positive > 0 else None,
        top10_share=sr["top10_cents"] / positive if positive > 0 else None,
        hhi=sr["hhi"] if positive > 0 else None,
    )


def summarize(rows: pl.LazyFrame) -> Summary:
    """Summary statistics of counted rows (one shared scan via `pl.collect_all`).

    Args:
        rows: counted rows (memo rows already excluded) with the columns named in the module
            docstring.
    """
    plans = summary_parts(rows)
    return summary_from_parts(dict(zip(plans, pl.collect_all(plans.values()), strict=True)))
