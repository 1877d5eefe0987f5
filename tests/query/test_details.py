"""Drill-down details on hand-computed expectations."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committees
from moneytrail.query.details import (
    all_rows,
    candidate_detail,
    committee_detail,
    donor_detail,
    head_row,
    race_detail,
    rows_page,
    sections,
)
from moneytrail.query.filters import Filters
from moneytrail.query.races import candidates, race_candidates, races
from moneytrail.query.selection import NAME_COLUMNS, rows_for
from tests.query.conftest import SOROS


def test_donor_detail(story: Dataset) -> None:
    d = donor_detail(story, Filters(), SOROS)
    assert d.name == "George Soros"
    assert d.variants == ("George Soros", "SOROS, GEORGE")
    assert d.cities == ("KATONAH", "NEW YORK")
    assert d.states == ("NY",)
    assert d.employers == ("SOROS FUND",)
    assert d.occupations == ("CHAIR",)
    assert d.summary.total_cents == 250_000_000 and d.summary.count == 2
    assert d.recipients.rows() == [
        ("P527", "Safety and Justice", "527", None, None, None, None, 200_000_000, 1),
        ("FLPAC", "Florida Safety and Justice", "pac", None, None, None, None, 50_000_000, 1),
    ]
    assert d.rows.collect()["transaction_id"].to_list() == ["t01", "t02"]
    assert d.row_count == 2


def test_donor_recipient_names_candidate_and_race(story: Dataset) -> None:
    d = donor_detail(story, Filters(), "I|SOROSIAK, ANNA|32801")
    assert d.recipients.row(0, named=True) == {
        "committee_id": "AYALA",
        "name": "Ayala for State Attorney",
        "kind": "candidate",
        "candidate_id": "CA",
        "candidate_name": "Aramis Ayala",
        "race_id": "R9",
        "race_name": "State Attorney, 9th Circuit, 2016 primary",
        "total_cents": 25_000,
        "count": 1,
    }


def test_donor_detail_memo_rows_shown_not_counted(story: Dataset) -> None:
    key = "I|DOE, JANE|32801"
    hidden = donor_detail(story, Filters(), key)
    shown = donor_detail(story, Filters(include_memo=True), key)
    assert hidden.rows.collect()["transaction_id"].to_list() == ["t08", "t09"]
    assert shown.rows.collect()["transaction_id"].to_list() == ["t08", "t10", "t09"]
    assert hidden.summary.total_cents == shown.summary.total_cents == 80_000
    assert shown.recipients["total_cents"].to_list() == [80_000]


def test_donor_detail_filtered_out_still_names_the_donor(story: Dataset) -> None:
    d = donor_detail(story, Filters(since=date(2030, 1, 1)), SOROS)
    assert d.name == "George Soros"
    assert d.summary.count == 0 and d.recipients.height == 0
    assert d.row_count == 0 and d.rows.collect().height == 0


def test_committee_detail(story: Dataset) -> None:
    c = committee_detail(story, Filters(), "FLPAC")
    expected_row = committees(story).filter(pl.col("committee_id") == "FLPAC").collect()
    assert_frame_equal(c.committee, expected_row)
    assert (c.committee_id, c.name) == ("FLPAC", "Florida Safety and Justice")
    assert c.summary.total_cents == 150_000_000 and c.summary.count == 2
    outside = c.stats.outside
    assert outside is not None and outside.home_state == "FL"
    assert outside.direct_share == pytest.approx(1.0)  # NY and DC only
    assert outside.ultimate_share == pytest.approx(1.0) and outside.unattributed_share == 0.0
    # Spending is its own section, never mixed into the receipts' statistics.
    assert c.stats.money_label == "Receipts"
    assert c.stats.sections[0].title == "Spending"
    assert dict(c.stats.sections[0].lines) == {
        "Disbursed": 90_100_000,
        "Passed on": 0,
        "IE for": 60_000_000,
        "IE against": 30_000_000,
        "Spent": 100_000,
    }
    assert c.top_donors.rows() == [
        ("C|P527", "SAFETY AND JUSTICE", "committee", "DC", 100_000_000, 1),
        (SOROS, "George Soros", "individual", "NY", 50_000_000, 1),
    ]
    assert c.transfers_out.height == 0
    assert c.independent_expenditures.rows() == [
        ("CA", "Aramis Ayala", "R9", "State Attorney, 9th Circuit, 2016 primary", "S",
         60_000_000, 1),
        ("CB", "Jeff Ashton", "R9", "State Attorney, 9th Circuit, 2016 primary", "O",
         30_000_000, 1),
    ]  # fmt: skip
    assert c.expenditures.rows() == [("Bank fees", 100_000, 1)]
    assert c.rows.collect()["transaction_id"].to_list() == ["t02", "t04", "t05", "t06", "t07"]
    assert c.row_count == 5


def test_committee_detail_transfers_and_filters(story: Dataset) -> None:
    c = committee_detail(story, Filters(), "LOCAL")
    assert c.transfers_out.rows() == [
        ("ASHTON", "Ashton for State Attorney", "candidate", 500_000, 1)
    ]
    assert c.stats.outside is not None and c.stats.outside.direct_share == 0.0
    filtered = committee_detail(story, Filters(states=frozenset({"NY"})), "FLPAC")
    assert filtered.summary.total_cents == 50_000_000
    assert filtered.independent_expenditures.height == 0
    assert_frame_equal(
        filtered.committee,
        committees(story, Filters(states=frozenset({"NY"})))
        .filter(pl.col("committee_id") == "FLPAC")
        .collect(),
    )


def test_race_detail(story: Dataset) -> None:
    r = race_detail(story, Filters(), "R9")
    assert_frame_equal(r.race, races(story).filter(pl.col("race_id") == "R9").collect())
    assert_frame_equal(r.candidates, race_candidates(story, Filters(), "R9").collect())
    assert r.spenders.rows() == [
        ("FLPAC", "Florida Safety and Justice", "CA", "Aramis Ayala", "S", 60_000_000, 1),
        ("FLPAC", "Florida Safety and Justice", "CB", "Jeff Ashton", "O", 30_000_000, 1),
        ("LOCAL", "Orange County Safety PAC", "CB", "Jeff Ashton", "S", 200_000, 1),
    ]
    # The statistics describe the money raised; outside money is a section of its own.
    assert r.summary.total_cents == 605_000 and r.stats.money_label == "Raised"
    assert dict(r.stats.sections[0].lines) == {"IE for": 60_200_000, "IE against": 30_000_000}
    # Direct gifts all came from Florida; traced to ultimate sources, 99% came from outside.
    assert r.stats.outside is not None and r.stats.outside.home_state == "FL"
    assert r.stats.outside.direct_share == 0.0
    assert r.stats.outside.ultimate_share == pytest.approx(0.99113, abs=1e-5)
    assert r.rows.collect()["transaction_id"].to_list() == [
        "t03",
        "t08",
        "t05",
        "t06",
        "t11",
        "t13",
        "t09",
    ]
    assert r.row_count == 7
    shown = race_detail(story, Filters(include_memo=True), "R9")
    assert (
        shown.row_count == shown.rows.collect().height == 8 and shown.summary.total_cents == 605_000
    )


def test_race_without_candidates(story: Dataset) -> None:
    r = race_detail(story, Filters(), "R2")
    assert r.race["raised_cents"].to_list() == [0]
    assert r.candidates.height == r.spenders.height == r.row_count == 0
    assert r.rows.collect().height == 0
    assert r.summary.count == 0


def test_candidate_detail(story: Dataset) -> None:
    k = candidate_detail(story, Filters(), "CB")
    assert_frame_equal(
        k.candidate, candidates(story).filter(pl.col("candidate_id") == "CB").collect()
    )
    assert k.committees.rows() == [
        ("ASHTON", "Ashton for State Attorney", "candidate", "FL", 580_000, 3, 2)
    ]
    assert k.top_funders.rows() == [
        ("C|LOCAL", "ORANGE COUNTY SAFETY PAC", "committee", "FL", 500_000, 1),
        ("I|DOE, JANE|32801", "DOE, JANE", "individual", "FL", 80_000, 2),
    ]
    assert k.outside_spenders.rows() == [
        ("FLPAC", "Florida Safety and Justice", "O", 30_000_000, 1),
        ("LOCAL", "Orange County Safety PAC", "S", 200_000, 1),
    ]
    assert k.summary.total_cents == 580_000
    assert k.stats.outside is not None and k.stats.outside.home_state == "FL"
    assert k.stats.outside.direct_share == 0.0
    assert k.rows.collect()["transaction_id"].to_list() == ["t08", "t06", "t11", "t13", "t09"]
    assert k.row_count == 5


@pytest.mark.parametrize(
    ("fn", "entity"),
    [
        (donor_detail, "donor"),
        (committee_detail, "committee"),
        (race_detail, "race"),
        (candidate_detail, "candidate"),
    ],
)
def test_unknown_id_raises_lookup_error(story: Dataset, fn: object, entity: str) -> None:
    with pytest.raises(LookupError, match=rf"no {entity} with (id|key) 'NOPE' in dataset 'test'"):
        fn(story, Filters(), "NOPE")  # type: ignore[operator]


def test_rows_are_the_entity_listing_unread_until_collected(story: Dataset) -> None:
    for filters in (Filters(), Filters(include_memo=True)):
        c = committee_detail(story, filters, "FLPAC")
        listing = rows_for(story, filters, "committee", "FLPAC").collect()
        assert_frame_equal(c.rows.collect(), listing)
        assert c.row_count == listing.height
        # Every transaction column, then the names of the committee and candidate named by id.
        assert c.rows.collect_schema().names() == [
            *story.transactions.collect_schema().names(),
            *NAME_COLUMNS,
        ]
        assert_frame_equal(rows_page(c, 2), listing.head(2))
        assert_frame_equal(all_rows(c), listing)
    r = race_detail(story, Filters(include_memo=True), "R9")
    by_amount = all_rows(r, ("amount_cents", True))
    assert by_amount["amount_cents"].to_list() == sorted(
        r.rows.collect()["amount_cents"].to_list(), reverse=True
    )
    assert by_amount.height == r.row_count == 8


def test_sections_and_head_row(story: Dataset) -> None:
    c = committee_detail(story, Filters(), "FLPAC")
    assert [name for name, _ in sections(c)] == [
        "top_donors",
        "transfers_out",
        "independent_expenditures",
        "expenditures",
    ]
    assert head_row(c)["committee_id"] == "FLPAC"
    assert head_row(race_detail(story, Filters(), "R9"))["race_id"] == "R9"
    d = donor_detail(story, Filters(), SOROS)
    assert head_row(d) == {}
    assert [name for name, _ in sections(d)] == ["recipients"]
