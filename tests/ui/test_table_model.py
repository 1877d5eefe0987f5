"""`present.table.TableModel`: native formatting agrees with `present.money`/`present.sanitize`."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from moneytrail.present import table
from moneytrail.present.money import format_count, format_money
from moneytrail.present.sanitize import safe_str
from moneytrail.present.table import TableModel, count_expr, money_expr, safe_expr

CENTS = st.integers(min_value=-(2**62), max_value=2**62)


@given(st.lists(CENTS, min_size=1, max_size=50))
def test_money_expr_matches_format_money(values: list[int]) -> None:
    got = pl.DataFrame({"c": values}).select(money_expr(pl.col("c"))).to_series().to_list()
    assert got == [format_money(v) for v in values]


@given(st.lists(CENTS, min_size=1, max_size=50))
def test_count_expr_matches_format_count(values: list[int]) -> None:
    got = pl.DataFrame({"c": values}).select(count_expr(pl.col("c"))).to_series().to_list()
    assert got == [format_count(v) for v in values]


@given(st.lists(st.text(), min_size=1, max_size=20))
def test_safe_expr_matches_safe_str(values: list[str]) -> None:
    got = pl.DataFrame({"s": values}).select(safe_expr(pl.col("s"))).to_series().to_list()
    assert got == [safe_str(v) for v in values]


def _frame() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "donor_key": ["a", "b", "c"],
            "name": ["SMITH [R]", "ESC\x1b[31m", "DOE, JANE"],
            "total_cents": [123_456_78, -5_00, 99],
            "count": [1, 22_222, 3],
        }
    )


def test_build_formats_hides_keys_and_right_aligns_money() -> None:
    model = TableModel.build(_frame(), order=("name", "total_cents"))
    assert [c.name for c in model.columns] == ["name", "total_cents", "count"]
    assert model.display.get_column("name").to_list() == ["SMITH [R]", "ESC␛[31m", "DOE, JANE"]
    money = model.display.get_column("total_cents").to_list()
    assert money == ["$123,456.78", "     -$5.00", "      $0.99"]
    assert {len(v) for v in money} == {model.columns[1].width}
    assert model.row(1)["donor_key"] == "b"  # hidden but kept for drill-down


def test_sort_defaults_and_reverses() -> None:
    model = TableModel.build(_frame())
    by_total = model.sorted_by("total_cents")
    assert by_total.raw.get_column("total_cents").to_list() == [123_456_78, 99, -5_00]
    assert by_total.sorted_by("total_cents").raw.get_column("total_cents").to_list() == [
        -5_00,
        99,
        123_456_78,
    ]
    assert model.sorted_by("name").raw.get_column("name").to_list()[0] == "DOE, JANE"


def test_filter_is_whole_word_case_insensitive_and_literal() -> None:
    model = TableModel.build(_frame())
    assert model.filtered("smith").raw.get_column("donor_key").to_list() == ["a"]
    assert model.filtered("SMI").row_count == 0
    assert model.filtered("[R]").row_count == 0  # brackets are not a word; never a regex
    assert model.filtered("r").raw.get_column("donor_key").to_list() == ["a"]
    assert model.matches("jane") == [2]


def test_row_and_cell_text_for_the_clipboard() -> None:
    model = TableModel.build(_frame())
    assert model.row_text(0) == "Name: SMITH [R]\tTotal: $123,456.78\tRows: 1"
    assert model.cell_text(1, 1) == "-$5.00"


def test_text_widths_are_capped_and_empty_frames_work() -> None:
    long = pl.DataFrame({"name": ["x" * 500], "total_cents": [1]})
    model = TableModel.build(long)
    assert model.columns[0].width == 30
    empty = TableModel.build(long.head(0))
    assert empty.row_count == 0 and [c.width for c in empty.columns] == [4, 5]


def test_only_a_page_is_formatted_but_sort_and_filter_see_every_row(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(table, "PAGE_ROWS", 2)
    frame = pl.DataFrame({"name": ["A X", "B", "C X", "D X"], "total_cents": [1, 4, 3, 2]})
    model = TableModel.build(frame)
    assert (model.row_count, model.total_rows) == (2, 4)
    top = model.sorted_by("total_cents")
    assert top.display.get_column("name").to_list() == ["B", "C X"]
    assert top.filtered("x").raw.get_column("name").to_list() == ["C X", "D X", "A X"]
