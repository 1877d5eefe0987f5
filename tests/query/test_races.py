"""The races pane and per-candidate figures on hand-computed expectations."""

from __future__ import annotations

from datetime import date

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.races import candidates, race_candidates, races


def test_races_columns_and_totals(story: Dataset) -> None:
    out = races(story).collect()
    assert out.columns == [
        "race_id", "name", "office", "state", "jurisdiction", "year", "stage", "candidates",
        "raised_cents", "ie_support_cents", "ie_oppose_cents",
    ]  # fmt: skip
    assert out["race_id"].to_list() == ["R9", "R2"]
    r9 = out.row(0, named=True)
    # Raised: $250 to Ayala's committee + ($1,000 - $200 + $5,000) to Ashton's (memo excluded).
    assert r9["raised_cents"] == 605_000
    # For: $600,000 for Ayala (FLPAC) + $2,000 for Ashton (LOCAL); against: $300,000 on Ashton.
    assert (r9["ie_support_cents"], r9["ie_oppose_cents"]) == (60_200_000, 30_000_000)
    assert r9["candidates"] == 2
    r2 = out.row(1, named=True)
    assert (r2["candidates"], r2["raised_cents"], r2["ie_support_cents"]) == (0, 0, 0)


def test_race_candidates(story: Dataset) -> None:
    out = race_candidates(story, Filters(), "R9").collect()
    assert out.columns == [
        "candidate_id", "name", "party", "incumbent", "won",
        "raised_cents", "ie_support_cents", "ie_oppose_cents",
    ]  # fmt: skip
    # Sorted by raised money: outside money (for or against) is never added into it.
    assert out.rows() == [
        ("CB", "Jeff Ashton", "DEM", True, False, 580_000, 200_000, 30_000_000),
        ("CA", "Aramis Ayala", "DEM", False, True, 25_000, 60_000_000, 0),
    ]
    assert race_candidates(story, Filters(), "nope").collect().height == 0


def test_candidates_listing_names_the_race(story: Dataset) -> None:
    out = candidates(story).collect()
    assert out["candidate_id"].to_list() == ["CB", "CA"]
    assert out["race_name"].to_list() == ["State Attorney, 9th Circuit, 2016 primary"] * 2
    assert candidates(story, search="jeff").collect()["candidate_id"].to_list() == ["CB"]


def test_race_totals_follow_filters(story: Dataset) -> None:
    # Before April: no IEs yet, only $250 + $1,000 raised.
    early = races(story, Filters(until=date(2016, 3, 31))).collect().row(0, named=True)
    assert (early["raised_cents"], early["ie_support_cents"], early["ie_oppose_cents"]) == (
        125_000,
        0,
        0,
    )
    committees_only = races(story, Filters(source_kinds=frozenset({"committee"}))).collect()
    r9 = committees_only.filter(pl.col("race_id") == "R9").row(0, named=True)
    assert r9["raised_cents"] == 500_000
    assert (r9["ie_support_cents"], r9["ie_oppose_cents"]) == (60_200_000, 30_000_000)


def test_search_and_order(story: Dataset) -> None:
    assert races(story, search="caddo").collect()["race_id"].to_list() == ["R2"]
    assert races(story, search="9th circuit").collect()["race_id"].to_list() == ["R9"]
    assert races(story, search="circuit caddo").collect().height == 0
