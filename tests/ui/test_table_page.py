"""`TableModel` holding only a page of a bigger result, and `export_lazy` writing all of one."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from moneytrail.present.table import TableModel
from moneytrail.query.export import export_frame, export_lazy

WHOLE = pl.DataFrame(
    {
        "name": ["A", "B | x", "C", "D", "E"],
        "total_cents": [5, -4, 3, 2, 1],
        "tags": [["a"], ["b", "c"], [], None, ["e"]],
    }
)


def test_a_page_reports_its_total_and_the_first_rows_shown() -> None:
    model = TableModel.build(WHOLE.head(2), total=5)
    assert (model.row_count, model.total_rows, model.is_page) == (2, 5, True)
    whole = TableModel.build(WHOLE)
    assert (whole.row_count, whole.total_rows, whole.is_page, whole.total) == (5, 5, False, None)
    complete = TableModel.build(WHOLE, total=5)  # a page that is the whole result
    assert (complete.total_rows, complete.is_page) == (5, False)
    assert complete.sorted_by("name").total is None


def test_a_page_is_never_sorted_or_searched_by_itself() -> None:
    model = TableModel.build(WHOLE.head(2), total=5, sort=("total_cents", False))
    # The order given is recorded, not applied: the query layer already ordered the page.
    assert model.sort == ("total_cents", False)
    assert model.raw.get_column("name").to_list() == ["A", "B | x"]
    assert model.next_sort("total_cents") == ("total_cents", True)
    assert model.next_sort("name") == ("name", False)
    with pytest.raises(ValueError, match="2 of 5 rows"):
        model.sorted_by("name")
    with pytest.raises(ValueError, match="cannot be searched"):
        model.filtered("A")


def test_a_total_smaller_than_the_page_or_a_searched_page_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot belong"):
        TableModel.build(WHOLE, total=4)
    with pytest.raises(ValueError, match="cannot be searched"):
        TableModel.build(WHOLE.head(2), total=5, search="A")


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".json", ".md"])
def test_export_lazy_writes_what_export_frame_writes(tmp_path: Path, suffix: str) -> None:
    lazy_path = export_lazy(WHOLE.lazy().sort("total_cents"), tmp_path / f"lazy{suffix}")
    eager_path = export_frame(WHOLE.sort("total_cents"), tmp_path / f"eager{suffix}")
    if suffix == ".parquet":
        assert_frame_equal(pl.read_parquet(lazy_path), pl.read_parquet(eager_path))
    else:
        assert lazy_path.read_text(encoding="utf-8") == eager_path.read_text(encoding="utf-8")
