"""Cycles: a row's cycle, the cycle filter in every query, and a two-cycle FEC folder.

The two-cycle folder (`tests.fec_two_cycles`) holds cycle 2016 (real lines from the snapshot)
and cycle 2018 of the same committees and candidate; each figure filtered by cycle must add up
to the unfiltered one.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from moneytrail.data.dataset import Dataset
from moneytrail.data.fec.committees import map_committees
from moneytrail.data.fec.layouts import LAYOUTS
from moneytrail.data.open import open_dataset
from moneytrail.query import cycles, kinds
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.entity_stats import entity_stats
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_aggregates, shown_share
from moneytrail.query.races import races
from tests.factories import committee, make_dataset, tx
from tests.fec_two_cycles import (
    CAMPAIGN,
    CANDIDATE,
    CYCLE_TOTALS,
    PAC,
    RECEIPTS,
    write_two_cycles,
)

BOTH = (2016, 2018)


@pytest.fixture(scope="module")
def two(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder = write_two_cycles(tmp_path_factory.mktemp("fec") / "two-cycles")
    return open_dataset(folder, cache=False)


def _only(*years: int) -> Filters:
    return Filters(cycles=frozenset(years))


# --- a row's cycle ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "cycle"), [(2015, 2016), (2016, 2016), (2017, 2018), (1999, 2000)]
)
def test_a_year_belongs_to_the_cycle_of_its_even_year(year: int, cycle: int) -> None:
    frame = pl.DataFrame({"date": [date(year, 12, 31)]})
    assert frame.select(cycles.row_cycle(frame.columns)).item() == cycle


def test_row_cycle_prefers_the_rows_own_cycle_then_its_date() -> None:
    frame = pl.DataFrame(
        {
            "date": [date(2014, 7, 7), date(2015, 3, 1), None, None],
            "cycle": pl.Series([2016, None, 2018, None], dtype=pl.Int32),
        }
    )
    got = frame.select(cycles.row_cycle(frame.columns)).get_column("cycle").to_list()
    assert got == [2016, 2016, 2018, None]
    dated_only = frame.drop("cycle")
    got = dated_only.select(cycles.row_cycle(dated_only.columns)).get_column("cycle").to_list()
    assert got == [2014, 2016, None, None]


@pytest.mark.parametrize("wanted", [{2016}, {2018}, {2014}, {2016, 2018}])
@pytest.mark.parametrize("with_cycle", [True, False])
def test_the_cycle_filter_is_the_row_cycle_definition(wanted: set[int], with_cycle: bool) -> None:
    frame = pl.DataFrame(
        {
            "date": [date(2014, 7, 7), date(2015, 3, 1), None, None, date(2017, 1, 1)],
            "cycle": pl.Series([2016, None, 2018, None, None], dtype=pl.Int32),
        }
    )
    if not with_cycle:
        frame = frame.drop("cycle")
    by_filter = (
        frame.select(cycles.in_cycles(frame.columns, wanted).fill_null(False)).to_series().to_list()
    )
    by_definition = (
        frame.select(cycles.row_cycle(frame.columns).is_in(sorted(wanted)).fill_null(False))
        .to_series()
        .to_list()
    )
    assert by_filter == by_definition


def test_a_cycle_filter_opens_only_its_cycles_partition(tmp_path: Path) -> None:
    """On a cache partitioned by cycle (``cycle=2016/``), other cycles' files are never read."""
    for cycle in BOTH:
        part = tmp_path / f"cycle={cycle}"
        part.mkdir()
        rows = make_dataset(transactions=[tx(f"t{cycle}", cycle, on=date(cycle - 1, 5, 1))])
        rows.transactions.collect().write_parquet(part / "part-00000.parquet")
    (tmp_path / "cycle=2018" / "part-00000.parquet").write_bytes(b"not parquet: never opened")
    scan = pl.scan_parquet(tmp_path / "**" / "*.parquet", hive_partitioning=True)
    got = _only(2016).apply(scan).select("amount_cents", "cycle").collect()
    assert got.rows() == [(2016, 2016)]


def test_rows_of_other_sources_take_the_cycle_of_their_date() -> None:
    ds = make_dataset(
        transactions=[
            tx("a", 100, recipient="C1", on=date(2015, 5, 1)),
            tx("b", 200, recipient="C1", on=date(2016, 11, 1)),
            tx("c", 400, recipient="C1", on=date(2017, 2, 1)),
        ],
        committees=[committee("C1", "Friends of Doe")],
    )
    assert cycles.dataset_cycles(ds) == (2016, 2018)
    total = pl.col("receipts_cents").sum()
    assert committees(ds, _only(2016)).select(total).collect().item() == 300
    assert committees(ds, _only(2018)).select(total).collect().item() == 400


def test_filters_name_the_cycles_and_keep_them_on_every_hop() -> None:
    assert _only(2016).describe() == ["cycle 2016"]
    assert _only(2018, 2016).describe() == ["cycles 2016, 2018"]
    f = Filters(cycles=frozenset({2016}), states=frozenset({"NY"}))
    assert f.hops() == _only(2016)
    assert not _only(2016).donor_side and not _only(2016).is_default


# --- the two-cycle FEC folder ---------------------------------------------------------------


def test_the_folder_holds_both_cycles(two: Dataset) -> None:
    assert cycles.dataset_cycles(two) == BOTH
    counts = cycles.cycle_counts(two.transactions).collect()
    assert counts.get_column("rows").to_list() == [10, 6]


def test_the_stored_aggregate_gives_the_same_cycles(tmp_path: Path) -> None:
    folder = write_two_cycles(tmp_path / "two-cycles")
    first = open_dataset(folder, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    again = open_dataset(folder, cache_dir=tmp_path / "cache", aggregates=pane_aggregates)
    assert again.report.from_cache and cycles.AGGREGATE in again.aggregates
    assert cycles.dataset_cycles(again) == cycles.dataset_cycles(first) == BOTH


def test_one_committee_row_per_id_from_the_latest_cycle(two: Dataset) -> None:
    cm = two.committees.filter(~pl.col("inferred")).sort("committee_id").collect()
    assert cm.get_column("committee_id").to_list() == [PAC, CAMPAIGN]
    pac = cm.row(0, named=True)
    assert pac["name"] == "AFSA PAC" and pac["fec_designation"] == "B"
    assert pac["cycle"] == 2018 and pac["kind"] == "pac"
    campaign = cm.row(1, named=True)
    assert campaign["name"] == "BUHRDORF FOR SENATE" and campaign["candidate_id"] == CANDIDATE


def test_one_candidate_row_per_id_from_the_latest_cycle(two: Dataset) -> None:
    cn = two.candidates.filter(pl.col("candidate_id") == CANDIDATE).collect()
    assert cn.height == 1
    assert cn.get_column("race_id").to_list() == ["S-NE-2018"]


def test_the_latest_cycles_linkage_names_a_committees_candidate() -> None:
    def rows(kind: str, lines: list[dict[str, str]], cycle_of: list[int]) -> pl.DataFrame:
        frame = pl.DataFrame(
            [{c: line.get(c) for c in LAYOUTS[kind]} for line in lines],
            schema=dict.fromkeys(LAYOUTS[kind], pl.String),
        )
        return frame.with_columns(
            pl.Series("cycle", cycle_of, dtype=pl.Int32), pl.Series("line", [1] * len(lines))
        )

    cm = rows("cm", [{"CMTE_ID": "C1", "CMTE_NM": "X", "CMTE_TP": "H", "CMTE_DSGN": "P"}], [2018])
    ccl = rows(
        "ccl",
        [
            {"CAND_ID": "H_OLD", "CAND_ELECTION_YR": "2016", "CMTE_ID": "C1", "CMTE_DSGN": "P"},
            {"CAND_ID": "H_NEW", "CAND_ELECTION_YR": "2018", "CMTE_ID": "C1", "CMTE_DSGN": "A"},
        ],
        [2016, 2018],
    )
    forwarders = pl.DataFrame(schema={"committee_id": pl.String, "mostly_forwarding": pl.Boolean})
    out = map_committees(cm, ccl, forwarders)
    assert out.get_column("candidate_id").to_list() == ["H_NEW"]


def _sum(frame: pl.LazyFrame, column: str) -> int:
    return int(frame.select(pl.col(column).sum()).collect().item() or 0)


def test_committee_receipts_per_cycle_add_up_to_the_whole(two: Dataset) -> None:
    whole = committees(two, Filters()).collect()
    for committee_id in (CAMPAIGN, PAC):
        per_cycle = []
        for cycle in BOTH:
            frame = committees(two, _only(cycle)).filter(pl.col("committee_id") == committee_id)
            got = _sum(frame, "receipts_cents")
            assert got == RECEIPTS[(committee_id, cycle)]
            per_cycle.append(got)
        row = whole.filter(pl.col("committee_id") == committee_id)
        assert sum(per_cycle) == row.get_column("receipts_cents").item()
    both = _sum(committees(two, _only(*BOTH)), "receipts_cents")
    assert both == _sum(whole.lazy(), "receipts_cents") == sum(CYCLE_TOTALS.values())


@pytest.mark.parametrize(
    ("listing", "column"),
    [(donors, "total_cents"), (committees, "receipts_cents"), (races, "raised_cents")],
)
def test_every_pane_splits_by_cycle(two: Dataset, listing: object, column: str) -> None:
    run = listing  # type: ignore[assignment]
    whole = _sum(run(two, Filters()), column)  # type: ignore[operator]
    parts = [_sum(run(two, _only(c)), column) for c in BOTH]  # type: ignore[operator]
    assert sum(parts) == whole and all(parts)


def test_details_stats_and_shares_follow_the_cycle(two: Dataset) -> None:
    committee = kinds.kind("committee")
    for cycle in BOTH:
        f = _only(cycle)
        detail = committee.detail(two, f, PAC)
        assert detail.stats.summary.total_cents == RECEIPTS[(PAC, cycle)]
        assert detail.row_count == len([r for r in detail.rows.collect().iter_rows()])
        assert entity_stats(two, f, "committee", PAC).summary.total_cents == RECEIPTS[(PAC, cycle)]
        # The campaign's 2016 gifts are dated 2014: their file's cycle decides.
        campaign = committee.detail(two, f, CAMPAIGN)
        assert campaign.stats.summary.total_cents == RECEIPTS[(CAMPAIGN, cycle)]
        donor = kinds.kind("donor").detail(two, f, "I|SCHMICK MELANIE|97225")
        assert donor.stats.summary.total_cents == {2016: 1000_00, 2018: 2700_00}[cycle]
    share = shown_share(two, _only(2016), "committees")
    assert share == pytest.approx(CYCLE_TOTALS[2016] / sum(CYCLE_TOTALS.values()))
    rows_2018 = committee.detail(two, _only(2018), CAMPAIGN).rows.collect()
    assert set(rows_2018.get_column("cycle").to_list()) == {2018}


def test_a_trace_follows_the_cycle(two: Dataset) -> None:
    committee = kinds.kind("committee")
    for cycle in BOTH:
        traced = committee.trace(two, _only(cycle), CAMPAIGN)
        assert traced.total_cents == RECEIPTS[(CAMPAIGN, cycle)]
        assert traced.filter_labels == (f"cycle {cycle}",)


def test_2014_dated_gifts_in_the_2016_files_count_in_2016(two: Dataset) -> None:
    rows = (
        two.transactions.filter(pl.col("date").dt.year() == 2014).select("cycle").unique().collect()
    )
    assert rows.get_column("cycle").to_list() == [2016]
    assert committees(two, _only(2014)).filter(pl.col("receipts_cents") != 0).collect().height == 0


def test_reconciliation_sets_the_reported_cycles_receipts_against_its_total(
    tmp_path: Path,
) -> None:
    from tests.data.fec.test_summaries import webk

    folder = write_two_cycles(tmp_path / "two-cycles")
    for yy, total, through in (("16", "20000", "12/31/2016"), ("18", "24000", "12/31/2018")):
        with zipfile.ZipFile(folder / f"webk{yy}.zip", "w") as zf:
            zf.writestr(f"webk{yy}.txt", webk(PAC, total, through=through) + "\n")
    ds = open_dataset(folder, cache=False)
    pac = ds.committees.filter(pl.col("committee_id") == PAC).collect().row(0, named=True)
    assert pac["reported_receipts_cents"] == 24000_00 and pac["reported_cycle"] == 2018
    committee = kinds.kind("committee")
    rec = committee.detail(ds, Filters(), PAC).reconciliation
    assert rec is not None
    row = rec.row(0, named=True)
    # Receipts stay the whole detail's (both cycles); coverage is 2018's over 2018's total.
    assert row["receipts_cents"] == RECEIPTS[(PAC, 2016)] + RECEIPTS[(PAC, 2018)]
    assert row["coverage_share"] == pytest.approx(RECEIPTS[(PAC, 2018)] / 24000_00)
    only_2016 = committee.detail(ds, _only(2016), PAC).reconciliation
    assert only_2016 is not None and only_2016.item(0, "coverage_share") == 0


def test_the_palette_search_shows_the_cycles_figures(two: Dataset) -> None:
    from moneytrail.query.search import find

    for cycle in BOTH:
        found = find(two, "committee", "AFSA", filters=_only(cycle))
        assert found.rows() == [(PAC, "AFSA PAC", RECEIPTS[(PAC, cycle)])]
