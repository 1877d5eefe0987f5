"""The committees pane on hand-computed expectations."""

from __future__ import annotations

from datetime import date

import polars as pl

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committees
from moneytrail.query.filters import Filters

COLUMNS = [
    "committee_id", "name", "kind", "state", "party", "candidate_id", "receipts_cents",
    "receipts_count", "donors", "transfers_out_cents", "ie_support_cents", "ie_oppose_cents",
    "expenditures_cents", "disbursements_cents",
]  # fmt: skip


def _rows(frame: pl.LazyFrame) -> dict[str, dict[str, object]]:
    return {row["committee_id"]: row for row in frame.collect().iter_rows(named=True)}


def test_columns_and_order(story: Dataset) -> None:
    out = committees(story).collect()
    assert out.columns == COLUMNS
    assert out["committee_id"].to_list() == ["P527", "FLPAC", "LOCAL", "ASHTON", "AYALA"]


def test_receipts_and_disbursements(story: Dataset) -> None:
    rows = _rows(committees(story))
    money = [c for c in COLUMNS if c.endswith(("_cents", "_count")) or c == "donors"]
    got = {cid: tuple(row[c] for c in money) for cid, row in rows.items()}
    # receipts, count, donors, transfers out, IE support, IE oppose, other spending, all out
    assert got == {
        "P527": (200_000_000, 1, 1, 100_000_000, 0, 0, 0, 100_000_000),
        "FLPAC": (150_000_000, 2, 2, 0, 60_000_000, 30_000_000, 100_000, 90_100_000),
        "LOCAL": (1_000_000, 1, 1, 500_000, 200_000, 0, 0, 700_000),
        # $1,000 - $200 refund + $5,000 from LOCAL; the memo row is not counted.
        "ASHTON": (580_000, 3, 2, 0, 0, 0, 0, 0),
        "AYALA": (25_000, 1, 1, 0, 0, 0, 0, 0),
    }


def test_every_committee_listed_with_zeros_when_filtered_out(story: Dataset) -> None:
    out = committees(story, Filters(since=date(2030, 1, 1))).collect()
    assert out.height == 5
    money = out.select(COLUMNS[6:])
    assert money.null_count().row(0) == (0,) * 8
    assert money.sum().row(0) == (0,) * 8
    # Zero receipts everywhere: the tie is broken by name.
    assert out["name"].to_list() == sorted(out["name"].to_list())


def test_filters_apply_to_both_sides(story: Dataset) -> None:
    rows = _rows(committees(story, Filters(states=frozenset({"FL"}))))
    # Only FL sources: FLPAC keeps no receipts (NY, DC) but all its FL-sourced spending.
    assert rows["FLPAC"]["receipts_cents"] == 0
    assert rows["FLPAC"]["disbursements_cents"] == 90_100_000
    assert rows["P527"]["disbursements_cents"] == 0


def test_search(story: Dataset) -> None:
    out = committees(story, search="safety justice").collect()
    assert out["committee_id"].to_list() == ["P527", "FLPAC"]
    assert committees(story, search="Orange").collect()["committee_id"].to_list() == ["LOCAL"]
