"""The donors pane on hand-computed expectations."""

from __future__ import annotations

import random
from datetime import date, timedelta

import polars as pl
from polars.testing import assert_frame_equal

from moneytrail.data.dataset import Dataset
from moneytrail.query.donors import donors, latest_of
from moneytrail.query.filters import Filters
from moneytrail.query.selection import ROW_ORDER
from tests.factories import make_dataset, tx
from tests.query.conftest import SOROS


def _totals(frame: pl.DataFrame) -> dict[str, int]:
    return dict(zip(frame["donor_key"], frame["total_cents"], strict=True))


def test_columns_and_order(story: Dataset) -> None:
    out = donors(story).collect()
    assert out.columns == [
        "donor_key", "name", "variants", "source_kind", "city", "state", "zip5",
        "total_cents", "count", "median_cents", "first_date", "last_date", "recipients",
    ]  # fmt: skip
    assert out["donor_key"].to_list() == [
        SOROS,
        "C|P527",
        "O|ACME CORP",
        "C|LOCAL",
        "I|DOE, JANE|32801",
        "I|SOROSIAK, ANNA|32801",
    ]
    assert out["total_cents"].to_list() == [
        250_000_000,
        100_000_000,
        1_000_000,
        500_000,
        80_000,
        25_000,
    ]


def test_merged_identity_name_variants_and_latest_address(story: Dataset) -> None:
    soros = donors(story).collect().row(0, named=True)
    # One gift under each spelling: the tie goes to the alphabetically first raw name.
    assert soros["name"] == "George Soros"
    assert soros["variants"] == 2
    assert soros["count"] == 2
    assert soros["median_cents"] == 125_000_000
    assert soros["first_date"] == date(2016, 2, 1)
    assert soros["last_date"] == date(2016, 3, 1)
    assert soros["recipients"] == 2
    # City/state/ZIP come from the latest row (2016-03-01, KATONAH).
    assert (soros["city"], soros["state"], soros["zip5"]) == ("KATONAH", "NY", "10001")
    assert soros["source_kind"] == "individual"


def test_most_frequent_variant_wins() -> None:
    ds = make_dataset(
        transactions=[
            tx("a", 100, source_name="ZED, AL", donor_key="K", recipient="C"),
            tx("b", 100, source_name="ZED, AL", donor_key="K", recipient="C"),
            tx("c", 100, source_name="Al Zed", donor_key="K", recipient="C"),
        ]
    )
    row = donors(ds).collect().row(0, named=True)
    assert (row["name"], row["variants"]) == ("ZED, AL", 2)


def test_memo_rows_excluded_and_refunds_subtract(story: Dataset) -> None:
    doe = donors(story).filter(pl.col("donor_key") == "I|DOE, JANE|32801").collect()
    # $1,000 gift, $200 refund; the $1,000 memo row repeats the gift and is not counted.
    assert doe["total_cents"].item() == 80_000
    assert doe["count"].item() == 2
    assert doe["median_cents"].item() == 40_000
    shown = donors(story, Filters(include_memo=True)).collect()
    assert _totals(shown) == _totals(donors(story).collect())


def test_zip5_is_truncated() -> None:
    ds = make_dataset(
        transactions=[tx("a", 100, source_name="X", source_zip="328011234", recipient="C")]
    )
    assert donors(ds).collect()["zip5"].item() == "32801"


def test_only_contributions_make_donors(story: Dataset) -> None:
    keys = set(donors(story).collect()["donor_key"])
    # FLPAC only spends (IEs, expenditures): it is not a donor.
    assert "C|FLPAC" not in keys


def test_filters_of_each_kind(story: Dataset) -> None:
    since = _totals(donors(story, Filters(since=date(2016, 3, 1))).collect())
    assert since[SOROS] == 50_000_000 and "O|ACME CORP" not in since
    until = _totals(donors(story, Filters(until=date(2016, 2, 28))).collect())
    assert until == {SOROS: 200_000_000, "O|ACME CORP": 1_000_000}
    states = _totals(donors(story, Filters(states=frozenset({"DC"}))).collect())
    assert states == {"C|P527": 100_000_000}
    # The refund (-$200) and the $250 gift fall below $1,000.
    amount = _totals(donors(story, Filters(min_cents=100_000)).collect())
    assert amount["I|DOE, JANE|32801"] == 100_000 and "I|SOROSIAK, ANNA|32801" not in amount
    capped = _totals(donors(story, Filters(max_cents=25_000)).collect())
    assert capped == {"I|DOE, JANE|32801": -20_000, "I|SOROSIAK, ANNA|32801": 25_000}
    kinds = _totals(donors(story, Filters(source_kinds=frozenset({"organization"}))).collect())
    assert kinds == {"O|ACME CORP": 1_000_000}


def test_search_is_whole_word(story: Dataset) -> None:
    found = donors(story, search="soros").collect()
    assert found["donor_key"].to_list() == [SOROS]
    assert donors(story, search="SOROSIAK").collect()["donor_key"].to_list() == [
        "I|SOROSIAK, ANNA|32801"
    ]
    assert donors(story, search="  ").collect().height == 6


def test_empty_dataset() -> None:
    out = donors(make_dataset()).collect()
    assert out.height == 0
    assert out.schema["total_cents"] == pl.Int64


def test_search_matches_the_display_name_only() -> None:
    ds = make_dataset(
        transactions=[
            tx("a", 100, source_name="ZED, AL", donor_key="K", recipient="C"),
            tx("b", 100, source_name="ZED, AL", donor_key="K", recipient="C"),
            tx("c", 100, source_name="SOROS AL", donor_key="K", recipient="C"),
            tx("d", 100, source_name="Soros", donor_key="S", recipient="C"),
        ]
    )
    assert donors(ds, search="soros").collect()["donor_key"].to_list() == ["S"]
    found = donors(ds, search="zed").collect()
    # The narrowing before grouping keeps all of a donor's rows: totals are unchanged.
    assert found.rows()[0][:3] == ("K", "ZED, AL", 2) and found["total_cents"].item() == 300


def _latest(rows: list[dict[str, object]]) -> tuple[object, ...]:
    """The reference pick: last row by (date, transaction_id), nulls first, ties by position."""

    def key(item: tuple[int, dict[str, object]]) -> tuple[object, ...]:
        i, r = item
        return (r["date"] is not None, r["date"] or date.min, r["transaction_id"], i)

    _, row = max(enumerate(rows), key=key)
    return (row["source_city"], row["source_state"], row["source_zip"])


def test_latest_address_ties_go_to_the_last_row_in_input_order() -> None:
    rows = [
        tx("t9", 100, source_name="A", source_state="NY", source_zip="10001", recipient="C",
           donor_key="K", on=date(2016, 5, 1), source_city="EARLY"),
        # Same date and id twice: the later row in the input wins, with all its fields.
        tx("t1", 100, source_name="A", source_state="FL", source_zip="32801", recipient="C",
           donor_key="K", on=date(2016, 6, 1), source_city="FIRST"),
        tx("t1", 100, source_name="A", source_state="GA", source_zip="30301", recipient="D",
           donor_key="K", on=date(2016, 6, 1), source_city="SECOND"),
        # An undated row never beats a dated one.
        tx("t0", 100, source_name="B", source_state="TX", source_zip="73301", recipient="C",
           donor_key="L", on=None, source_city="UNDATED"),
        tx("t0", 100, source_name="B", source_state="OH", source_zip="43004", recipient="C",
           donor_key="L", on=date(2015, 1, 1), source_city="DATED"),
        # Same date: the larger transaction_id is the later row.
        tx("b", 100, source_name="M", source_state="WA", source_zip="98101", recipient="C",
           donor_key="M", on=date(2016, 1, 1), source_city="B"),
        tx("a", 100, source_name="M", source_state="OR", source_zip="97201", recipient="C",
           donor_key="M", on=date(2016, 1, 1), source_city="A"),
    ]  # fmt: skip
    out = donors(make_dataset(transactions=rows)).collect()
    got = {r["donor_key"]: (r["city"], r["state"], r["zip5"]) for r in out.iter_rows(named=True)}
    assert got == {
        "K": ("SECOND", "GA", "30301"),
        "L": ("DATED", "OH", "43004"),
        "M": ("B", "WA", "98101"),
    }
    for key, picked in got.items():
        assert picked == _latest([r for r in rows if r["donor_key"] == key])


def test_latest_of_matches_per_column_sorts_without_ties() -> None:
    """One struct pick equals the four per-column `sort_by(...).last()` it replaced."""
    rng = random.Random(7)
    n = 5_000
    frame = pl.DataFrame(
        {
            "donor_key": [f"K{rng.randrange(300)}" for _ in range(n)],
            "date": [
                None if rng.random() < 0.05 else date(2016, 1, 1) + timedelta(rng.randrange(400))
                for _ in range(n)
            ],
            "transaction_id": [f"T{i:06d}" for i in rng.sample(range(n), n)],
            "source_kind": [rng.choice(["individual", "organization"]) for _ in range(n)],
            "source_city": [rng.choice(["A", "B", None]) for _ in range(n)],
            "source_state": [rng.choice(["NY", "FL", None]) for _ in range(n)],
        }
    )
    order = list(ROW_ORDER)
    old = frame.group_by("donor_key").agg(
        pl.col(c).sort_by(order).last() for c in ("source_kind", "source_city", "source_state")
    )
    new = frame.group_by("donor_key").agg(
        latest_of({c: c for c in ("source_kind", "source_city", "source_state")})
    )
    assert_frame_equal(new.unnest("latest").sort("donor_key"), old.sort("donor_key"))
