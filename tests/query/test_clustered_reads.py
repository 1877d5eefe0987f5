"""Drill-downs read an entity's rows from the tables that hold them clustered, or its stored
figures, with results identical to reading every row from the transactions.

A dataset whose ``by_recipient`` is the same rows sorted by ``recipient_committee_id`` (what the
cache stores for a big dataset) and whose aggregates hold the independent-expenditure rows
(`selection.IE_ROWS`) must give every detail, statistic, row listing and shown share exactly as
the plain dataset does, under default filters and under a filter.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.data.dataset import Dataset
from moneytrail.data.open import open_dataset
from moneytrail.query import details, selection
from moneytrail.query import entity_stats as entity_stats_module
from moneytrail.query.entity_stats import entity_stats, stored_parts
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_aggregates, shown_share
from moneytrail.query.selection import IE_ROWS

ROOT = Path(__file__).resolve().parents[2]
FILTERS = (Filters(), Filters(since=date(2016, 3, 1)), Filters(states=frozenset({"NY", "FL"})))


def clustered(ds: Dataset) -> Dataset:
    """`ds` as a big cache serves it: rows clustered by recipient, IE rows stored apart."""
    by_recipient = ds.transactions.sort("recipient_committee_id", nulls_last=True)
    ies = pane_aggregates(ds)[IE_ROWS].collect().lazy()
    return dataclasses.replace(
        ds, by_recipient=by_recipient, aggregates={**ds.aggregates, IE_ROWS: ies}
    )


def assert_same(a: Any, b: Any, where: str) -> None:
    """Equal values (floats to the last bits), frames exactly (lazy ones collected),
    dataclasses field by field."""
    if isinstance(a, pl.LazyFrame):
        a, b = a.collect(), b.collect()
    if isinstance(a, pl.DataFrame):
        assert_frame_equal(a, b)
    elif dataclasses.is_dataclass(a) and not isinstance(a, type):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
    elif isinstance(a, float):
        # Shares are float sums: the row order of the read may move the last bit.
        assert a == pytest.approx(b, rel=1e-12), where
    else:
        assert a == b, where


def ids(ds: Dataset, table: str, column: str) -> list[str]:
    return getattr(ds, table).select(column).collect().get_column(column).to_list()


@pytest.fixture(scope="module")
def sample() -> Dataset:
    return open_dataset(ROOT / "sample_data" / "safety-and-justice", cache=False)


@pytest.mark.parametrize("filters", FILTERS, ids=["default", "since", "states"])
def test_story_details_are_identical(story: Dataset, filters: Filters) -> None:
    fast = clustered(story)
    for cid in ids(story, "committees", "committee_id"):
        plain = details.committee_detail(story, filters, cid)
        assert_same(plain, details.committee_detail(fast, filters, cid), cid)
        assert_same(
            entity_stats(story, filters, "committee", cid),
            entity_stats(fast, filters, "committee", cid),
            cid,
        )
    for rid in ids(story, "races", "race_id"):
        assert_same(
            details.race_detail(story, filters, rid), details.race_detail(fast, filters, rid), rid
        )
        assert_same(
            entity_stats(story, filters, "race", rid), entity_stats(fast, filters, "race", rid), rid
        )
    for cand in ids(story, "candidates", "candidate_id"):
        assert_same(
            details.candidate_detail(story, filters, cand),
            details.candidate_detail(fast, filters, cand),
            cand,
        )


def test_sample_details_rows_and_shares_are_identical(sample: Dataset) -> None:
    fast = clustered(sample)
    ny = Filters(states=frozenset({"NY"}))
    for entity, table, column in (
        ("committee", "committees", "committee_id"),
        ("race", "races", "race_id"),
        ("candidate", "candidates", "candidate_id"),
    ):
        for entity_id in ids(sample, table, column)[:12]:
            for filters in (Filters(), ny):
                where = f"{entity} {entity_id}"
                assert_same(
                    selection.rows_for(sample, filters, entity, entity_id),
                    selection.rows_for(fast, filters, entity, entity_id),
                    where,
                )
                assert shown_share(sample, filters, entity, entity_id) == shown_share(
                    fast, filters, entity, entity_id
                ), where
            detail = getattr(details, f"{entity}_detail")
            assert_same(detail(sample, ny, entity_id), detail(fast, ny, entity_id), where)


def test_a_committee_reads_receipts_from_by_recipient(story: Dataset) -> None:
    """With ``by_recipient`` stored, receipts come from it (not from the transactions)."""
    only_payments = story.transactions.filter(pl.col("kind") != "contribution")
    fast = dataclasses.replace(
        clustered(story), transactions=pl.concat([only_payments, story.transactions.head(0)])
    )
    fast = dataclasses.replace(fast, by_recipient=story.transactions)
    plain = details.committee_detail(story, Filters(), "FLPAC")
    got = details.committee_detail(fast, Filters(), "FLPAC")
    assert got.summary.total_cents == plain.summary.total_cents > 0


def test_shown_share_of_one_entity_matches_its_pane_row(story: Dataset) -> None:
    """The per-entity share equals filtered over unfiltered pane figures of that row."""
    ny = Filters(states=frozenset({"NY"}))
    share = shown_share(story, ny, "committee", "FLPAC")
    from moneytrail.query.committees import committees

    def receipts(f: Filters) -> int:
        row = committees(story, f).filter(pl.col("committee_id") == "FLPAC").collect()
        return int(row.item(0, "receipts_cents"))

    assert share == pytest.approx(receipts(ny) / receipts(Filters()))


def stored(ds: Dataset) -> Dataset:
    """`ds` with every aggregate the cache stores, collected (as reopened from the cache)."""
    aggregates = {name: plan.collect().lazy() for name, plan in pane_aggregates(ds).items()}
    return dataclasses.replace(clustered(ds), aggregates=aggregates)


@pytest.mark.parametrize("which", ["story", "sample"])
def test_large_entities_details_from_stored_figures_are_identical(
    which: str, story: Dataset, sample: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With every committee and race "large", details and panels come from stored figures."""
    monkeypatch.setattr(entity_stats_module, "LARGE_ROWS", 0)
    ds = story if which == "story" else sample
    fast = stored(ds)
    committees = ids(ds, "committees", "committee_id")
    races = ids(ds, "races", "race_id")
    used = 0
    for entity, entity_ids in (("committee", committees), ("race", races)):
        detail = getattr(details, f"{entity}_detail")
        for entity_id in entity_ids:
            where = f"{entity} {entity_id}"
            if stored_parts(fast, Filters(), entity, entity_id, ()) is not None:
                used += 1
            assert_same(detail(ds, None, entity_id), detail(fast, None, entity_id), where)
            assert_same(
                entity_stats(ds, None, entity, entity_id),
                entity_stats(fast, None, entity, entity_id),
                where,
            )
        if entity == "race":
            for entity_id in entity_ids:
                assert_same(
                    details.race_detail(ds, None, entity_id, all_candidates=True),
                    details.race_detail(fast, None, entity_id, all_candidates=True),
                    entity_id,
                )
    assert used >= 3  # the stored path was taken


def test_stored_figures_are_skipped_under_a_filter_and_below_the_size(story: Dataset) -> None:
    fast = stored(story)
    assert stored_parts(fast, Filters(), "committee", "FLPAC", ()) is None  # few receipts
    ny = Filters(states=frozenset({"NY"}))
    assert stored_parts(fast, ny, "committee", "FLPAC", ()) is None


def test_top_donors_are_capped(story: Dataset, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = details.committee_detail(story, None, "FLPAC").top_donors
    monkeypatch.setattr(details, "TOP_DONORS", 1)
    capped = details.committee_detail(story, None, "FLPAC").top_donors
    assert whole.height > 1 and capped.equals(whole.head(1))


def test_stored_reconciliation_of_a_two_cycle_fec_dataset_is_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The stored receipt figures keep each cycle apart: coverage is against the reported
    cycle's receipts, as when the rows are read."""
    from tests.fec_two_cycles import CAMPAIGN, PAC, write_two_cycles

    monkeypatch.setattr(entity_stats_module, "LARGE_ROWS", 0)
    ds = open_dataset(write_two_cycles(tmp_path / "fec"), cache=False)
    fast = stored(ds)
    for committee_id in (CAMPAIGN, PAC):
        assert stored_parts(fast, Filters(), "committee", committee_id, ()) is not None
        plain = details.committee_detail(ds, None, committee_id)
        assert plain.reconciliation is not None
        assert_same(plain, details.committee_detail(fast, None, committee_id), committee_id)
