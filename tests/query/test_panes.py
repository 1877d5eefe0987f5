"""`panes.pane_frame`: the collected pane the UI formats."""

from __future__ import annotations

import pytest
from polars.testing import assert_frame_equal

from moneytrail.data.dataset import Dataset
from moneytrail.query.committees import committees
from moneytrail.query.donors import donors
from moneytrail.query.filters import Filters
from moneytrail.query.panes import pane_frame
from moneytrail.query.races import races


def test_each_pane_is_its_query_collected(story: Dataset) -> None:
    narrow = Filters(states=frozenset({"NY"}))
    for filters in (Filters(), narrow):
        assert_frame_equal(pane_frame(story, filters, "donors"), donors(story, filters).collect())
        assert_frame_equal(
            pane_frame(story, filters, "committees"), committees(story, filters).collect()
        )
        assert_frame_equal(pane_frame(story, filters, "races"), races(story, filters).collect())
    everyone = pane_frame(story, Filters(), "donors")
    assert pane_frame(story, narrow, "donors").height < everyone.height


def test_unknown_pane_raises(story: Dataset) -> None:
    with pytest.raises(KeyError):
        pane_frame(story, Filters(), "pacs")  # type: ignore[arg-type]


def test_shown_share_is_the_filtered_part_of_the_headline_money(story: Dataset) -> None:
    from moneytrail.query.panes import shown_share

    assert shown_share(story, Filters(), "donors") is None
    narrow = Filters(states=frozenset({"NY"}))
    for pane, column in (("donors", "total_cents"), ("committees", "receipts_cents")):
        part = pane_frame(story, narrow, pane)[column].sum()
        whole = pane_frame(story, Filters(), pane)[column].sum()
        assert shown_share(story, narrow, pane) == part / whole
