"""Summary statistics on hand-computed expectations."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from moneytrail.query.stats import BUCKETS, direct_outside_share, summarize
from tests.factories import make_dataset, tx


def _rows(*rows: dict[str, object]) -> pl.LazyFrame:
    return make_dataset(transactions=list(rows)).transactions  # type: ignore[arg-type]


def _gifts(*amounts: int) -> pl.LazyFrame:
    return _rows(*(tx(f"t{i}", a, source_name=f"D{i}") for i, a in enumerate(amounts)))


def test_basic_numbers() -> None:
    s = summarize(_gifts(100, 200, 300, 400))
    assert (s.count, s.total_cents, s.mean_cents) == (4, 1000, 250.0)
    assert (s.min_cents, s.max_cents) == (100, 400)
    # Linear interpolation: positions 0.3, 1.5 and 2.7 of the sorted amounts.
    assert (s.p10_cents, s.median_cents, s.p90_cents) == (130, 250, 370)


def test_median_rounds_half_cents_to_even() -> None:
    assert summarize(_gifts(1, 2)).median_cents == 2
    assert summarize(_gifts(2, 3)).median_cents == 2


def test_bucket_boundaries_are_lower_inclusive() -> None:
    s = summarize(
        _gifts(19_999, 20_000, 99_999, 100_000, 999_999, 1_000_000, 9_999_999, 10_000_000, -20_000)
    )
    assert [b.label for b in s.buckets] == [label for label, _ in BUCKETS]
    assert [(b.count, b.total_cents) for b in s.buckets] == [
        (1, 19_999),
        # $200.00, $999.99 and the -$200.00 refund (bucketed by size, subtracting).
        (3, 99_999),
        (2, 1_099_999),
        (2, 10_999_999),
        (1, 10_000_000),
    ]
    assert s.buckets[0].upper_cents == 20_000 and s.buckets[-1].upper_cents is None


def test_concentration_and_hhi() -> None:
    s = summarize(
        _rows(
            tx("a", 6000, source_name="A"),
            tx("b", 3000, source_name="B"),
            tx("c", 1000, source_name="C"),
            # D gave $10 and was refunded $30: net negative, left out of concentration.
            tx("d1", 1000, source_name="D"),
            tx("d2", -3000, source_name="D"),
        )
    )
    assert s.total_cents == 8000
    assert s.donors == 4  # D is a donor; its net-negative total is left out of concentration
    assert s.top1_share == pytest.approx(0.6)
    assert s.top10_share == pytest.approx(1.0)
    assert s.hhi == pytest.approx(0.36 + 0.09 + 0.01)


def test_top10_share_with_twelve_equal_sources() -> None:
    s = summarize(_gifts(*([500] * 12)))
    assert s.top1_share == pytest.approx(1 / 12)
    assert s.top10_share == pytest.approx(10 / 12)
    assert s.hhi == pytest.approx(1 / 12)


def test_out_of_state_share_ignores_unknown_states() -> None:
    rows = _rows(
        tx("a", 300, source_name="A", source_state="FL"),
        tx("b", 600, source_name="B", source_state="NY"),
        tx("c", 100, source_name="C", source_state="TX"),
        tx("d", 100, source_name="D"),
    )
    assert direct_outside_share(rows, "FL") == pytest.approx(0.7)
    assert direct_outside_share(rows, "fl") == pytest.approx(0.7)
    assert direct_outside_share(rows, None) is None


def test_breakdowns() -> None:
    s = summarize(
        _rows(
            tx("a", 100, source_name="A", source_state="FL", on=date(2016, 1, 15)),
            tx("b", 200, source_name="B", source_state="NY", on=date(2016, 1, 31)),
            tx("c", 400, source_kind="organization", source_name="C", source_state="NY",
               on=date(2016, 2, 1)),
        )
    )  # fmt: skip
    assert s.by_month.rows() == [(date(2016, 1, 1), 2, 300), (date(2016, 2, 1), 1, 400)]
    assert s.by_state.rows() == [("NY", 2, 600), ("FL", 1, 100)]
    assert s.by_source_kind.rows() == [("organization", 1, 400), ("individual", 2, 300)]


def test_empty_selection() -> None:
    s = summarize(_gifts())
    assert (s.count, s.total_cents, s.donors) == (0, 0, 0)
    assert s.mean_cents is None and s.median_cents is None
    assert s.p10_cents is None and s.p90_cents is None
    assert s.min_cents is None and s.max_cents is None
    assert s.top1_share is None and s.top10_share is None and s.hhi is None
    assert direct_outside_share(_gifts(), "FL") is None
    assert [(b.count, b.total_cents) for b in s.buckets] == [(0, 0)] * 5
    assert s.by_month.height == s.by_state.height == s.by_source_kind.height == 0


def test_all_refunds_has_no_concentration() -> None:
    s = summarize(_gifts(-500, -100))
    assert s.total_cents == -600
    assert s.top1_share is None and s.donors == 2
    assert direct_outside_share(_gifts(-500, -100), "FL") is None


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=-(10**9), max_value=10**11), max_size=30))
def test_buckets_partition_the_selection(amounts: list[int]) -> None:
    s = summarize(_gifts(*amounts))
    assert sum(b.count for b in s.buckets) == s.count == len(amounts)
    assert sum(b.total_cents for b in s.buckets) == s.total_cents == sum(amounts)
    if s.hhi is not None:
        assert 0 < s.hhi <= 1 + 1e-12
