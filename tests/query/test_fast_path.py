"""Precomputed aggregates: used when no filter is active, and identical to the slow path."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from moneytrail.data.dataset import Dataset
from moneytrail.data.schema import TRANSACTIONS
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from moneytrail.query.races import candidates, races
from moneytrail.query.search import find

PANES = {"donors": donors, "committees": committees, "races": races, "candidates": candidates}


def _with_aggregates(ds: Dataset) -> Dataset:
    """`ds` carrying its own unfiltered pane results, with the transactions emptied.

    Emptying the transactions proves the aggregates are what answers: the slow path would
    now return nothing.
    """
    aggregates = {name: fn(ds, Filters()).collect().lazy() for name, fn in PANES.items()}
    return replace(ds, aggregates=aggregates, transactions=pl.LazyFrame(schema=TRANSACTIONS))


def test_fast_path_equals_slow_path(story: Dataset) -> None:
    fast = _with_aggregates(story)
    for fn in PANES.values():
        assert_frame_equal(fn(fast, Filters()).collect(), fn(story, Filters()).collect())
        for query in ("soros", "safety justice", "ashton", "9th"):
            assert_frame_equal(
                fn(fast, Filters(), search=query).collect(),
                fn(story, Filters(), search=query).collect(),
            )
    assert_frame_equal(find(fast, "committee", "justice"), find(story, "committee", "justice"))


def test_filters_bypass_the_aggregates(story: Dataset) -> None:
    fast = _with_aggregates(story)
    filtered = Filters(since=date(2016, 1, 1))
    assert donors(fast, filtered).collect().height == 0  # scanned the (empty) transactions
    assert donors(story, filtered).collect().height == 6
    assert committees(fast, filtered).collect()["receipts_cents"].sum() == 0
