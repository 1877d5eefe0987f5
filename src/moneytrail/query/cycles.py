"""Election cycles: what a row's cycle is, and which cycles a dataset holds.

A *cycle* is the FEC's two-year election period, named by its even (election) year: 2015 and
2016 make cycle 2016. **A row's cycle** is defined here once (`row_cycle`) and every cycle
filter, listing and count uses it:

* the row's ``cycle`` column when its input gives one (FEC bulk rows carry the cycle of the file
  they came from, ``indiv16.zip`` -> 2016, even when a filer dated a gift in an earlier year);
* otherwise the cycle of the row's date: its year, rounded up to even;
* null when neither is known (no ``cycle`` and no date): such a row is in no cycle, so any cycle
  filter leaves it out.

It is an expression of the query layer, not a column every reader derives: FEC rows already
store their cycle (the cache's hive partition), the other sources' rows have their date, so no
reader and no cached dataset changes, and on FEC data a cycle filter is a test of the stored
column that a partitioned scan prunes by (`in_cycles`).

Pure: Polars and the standard library only.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from moneytrail.data.dataset import Dataset

#: The column FEC rows carry their file's cycle in (`data/fec/transactions.EXTRA_COLUMNS`).
CYCLE_COLUMN = "cycle"
#: The aggregate `pane_aggregates` stores: one row per cycle, ``cycle`` and ``rows``.
AGGREGATE = "cycles"


def is_cycle(value: int) -> bool:
    """True for a plausible cycle name: an even year from 1976 (the FEC's first) to 2100."""
    return value % 2 == 0 and 1976 <= value <= 2100


def _from_date() -> pl.Expr:
    """The cycle of the row's date (null without a date)."""
    year = pl.col("date").dt.year().cast(pl.Int32)
    return year + year % 2


def _given() -> pl.Expr:
    """The row's own ``cycle`` (null when its input did not say)."""
    return pl.col(CYCLE_COLUMN).cast(pl.Int32, strict=False)


def row_cycle(columns: Collection[str]) -> pl.Expr:
    """A row's cycle (the module docstring) over a frame with the column names `columns`.

    Int32, named ``cycle``; null when the row has neither a ``cycle`` nor a date.
    """
    if CYCLE_COLUMN not in columns:
        return _from_date().alias(CYCLE_COLUMN)
    return pl.coalesce(_given(), _from_date()).alias(CYCLE_COLUMN)


def in_cycles(columns: Collection[str], cycles: Collection[int]) -> pl.Expr:
    """Rows whose cycle (`row_cycle`) is one of `cycles`, for `LazyFrame.filter`.

    The same test as ``row_cycle(columns).is_in(cycles)`` (null, for a row in no cycle, filters
    the row out), written as two conjuncts so that the first reads only the ``cycle`` column:
    a scan of a hive-partitioned cache (``cycle=2016/``) then skips the other cycles' files
    without opening them. The date is looked at only for rows without a cycle of their own.
    """
    wanted = sorted(cycles)
    by_date = _from_date().is_in(wanted)
    if CYCLE_COLUMN not in columns:
        return by_date
    given = _given()
    return (given.is_in(wanted) | given.is_null()) & (given.is_not_null() | by_date)


def cycle_counts(transactions: pl.LazyFrame) -> pl.LazyFrame:
    """``cycle`` and ``rows`` (every row, memo rows too), one row per known cycle, in order."""
    columns = transactions.collect_schema().names()
    return (
        transactions.select(row_cycle(columns))
        .drop_nulls()
        .group_by(CYCLE_COLUMN)
        .agg(rows=pl.len().cast(pl.Int64))
        .sort(CYCLE_COLUMN)
    )


def dataset_cycles(ds: Dataset) -> tuple[int, ...]:
    """The cycles the dataset's rows fall in, oldest first (collects; run it in a worker).

    Uses the stored ``cycles`` aggregate when the cache has one, else scans the rows.
    """
    stored = ds.aggregates.get(AGGREGATE)
    frame = (stored if stored is not None else cycle_counts(ds.transactions)).collect()
    return tuple(sorted(int(c) for c in frame.get_column(CYCLE_COLUMN).to_list()))


def describe_cycles(cycles: Collection[int]) -> str:
    """``cycle 2016`` or ``cycles 2016, 2018``: how headers and reports name a cycle filter."""
    ordered = sorted(cycles)
    word = "cycle" if len(ordered) == 1 else "cycles"
    return f"{word} {', '.join(str(c) for c in ordered)}"
