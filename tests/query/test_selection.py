"""Counted and visible rows, and the rows of one entity."""

from __future__ import annotations

from moneytrail.data.dataset import Dataset
from moneytrail.query.filters import Filters
from moneytrail.query.selection import counted, counted_for, rows_for, visible
from tests.factories import make_dataset, tx
from tests.query.conftest import SOROS


def _ids(frame: object) -> list[str]:
    return frame.collect()["transaction_id"].to_list()  # type: ignore[attr-defined]


def test_memo_rows_are_visible_only_when_asked_and_never_counted(story: Dataset) -> None:
    assert "t10" not in _ids(visible(story, Filters()))
    assert "t10" in _ids(visible(story, Filters(include_memo=True)))
    assert "t10" not in _ids(counted(story, Filters(include_memo=True)))


def test_null_memo_counts_as_not_memo() -> None:
    ds = make_dataset(transactions=[tx("a", 100, memo=None)])  # type: ignore[arg-type]
    assert _ids(counted(ds, Filters(include_memo=True))) == ["a"]


def test_rows_for_each_entity(story: Dataset) -> None:
    assert _ids(rows_for(story, Filters(), "donor", SOROS)) == ["t01", "t02"]
    assert _ids(rows_for(story, Filters(), "committee", "LOCAL")) == ["t12", "t11", "t13"]
    assert _ids(rows_for(story, Filters(), "candidate", "CA")) == ["t03", "t05"]
    assert _ids(rows_for(story, Filters(include_memo=True), "race", "R9")) == [
        "t03", "t08", "t10", "t05", "t06", "t11", "t13", "t09",
    ]  # fmt: skip
    assert _ids(counted_for(story, Filters(include_memo=True), "race", "R9")) == [
        "t03", "t08", "t05", "t06", "t11", "t13", "t09",
    ]  # fmt: skip
    assert _ids(rows_for(story, Filters(), "race", "R2")) == []
